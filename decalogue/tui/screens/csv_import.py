"""Import an edited CSV into an assessment: checked first (a dry run), applied on request.

The same core as `decalogue import FILE --csv EDITED.csv` (reports.csv_io): the
same validation, the same summary lines, the change recorded in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Static

from decalogue.errors import display_path
from decalogue.model.checklist import Checklist
from decalogue.reports.csv_import import import_csv, summary_lines
from decalogue.session import Session
from decalogue.tui.context import app_context
from decalogue.tui.display import literal
from decalogue.tui.screens.dialogs import Dialog, DialogBox, buttons
from decalogue.tui.work import HandlesWork, run_blocking

#: What the home screen says when a CSV is given with no assessment to take it.
HOW_TO = (
    "A CSV changes an assessment: highlight it in the list, then import the CSV "
    "(or run: decalogue import FILE --csv EDITED.csv)."
)


@dataclass(frozen=True)
class Checked:
    """What a CSV import did, or would do (dry run): the summary lines, their verdict."""

    lines: list[str]
    verdict: str
    changes: bool


class CsvImportDialog(HandlesWork, Dialog[bool]):
    """Shows what the CSV would change; Import applies it and saves. Dismissed with True."""

    def __init__(
        self, target: Path, title: str, csv: Path, checklist: Checklist | None, user: str | None
    ) -> None:
        super().__init__()
        self.target, self.title_text, self.csv = target, title, csv
        self.checklist, self.user = checklist, user
        self.applied = False

    def compose(self) -> ComposeResult:
        with DialogBox(classes="dialog-box"):
            yield Static(
                literal(f"Import {display_path(self.csv)} into {self.title_text}"),
                classes="dialog-title",
            )
            yield Static(literal("… checking"), id="csv-summary", classes="dialog-text")
            yield buttons(("Import", "import", True), ("Cancel", "cancel", False))

    def on_mount(self) -> None:
        self.query_one("#import", Button).disabled = True
        self.query_one("#cancel", Button).focus()
        self._run(dry_run=True)

    def _run(self, *, dry_run: bool) -> None:
        store = app_context(self.app).store  # a file, or an id in a database
        assert store is not None

        def check() -> Checked:
            session = Session.open(store.place(str(self.target)), self.checklist, self.user)
            result = import_csv(session, self.csv, dry_run=dry_run)
            shown = (display_path(self.csv), display_path(self.target))
            lines = summary_lines(result, *shown, dry_run=dry_run)
            warnings = [f"warning: {warning}" for warning in result.warnings]
            return Checked(lines + warnings, lines[-1], changes=bool(result.edits))

        run_blocking(self, check, self._checked, self._failed, group="csv-import", exclusive=True)

    def _checked(self, checked: Checked) -> None:
        self.query_one("#csv-summary", Static).update(literal("\n".join(checked.lines)))
        if self.applied:
            self.notify(checked.verdict, markup=False)
            self.dismiss(True)
            return
        button = self.query_one("#import", Button)
        button.disabled = not checked.changes
        (button if checked.changes else self.query_one("#cancel", Button)).focus()

    def _failed(self, error: str) -> None:
        self.query_one("#csv-summary", Static).update(literal(f"✗ {error}"))
        self.query_one("#import", Button).disabled = True
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        self.applied = True
        self.query_one("#import", Button).disabled = True
        self.query_one("#csv-summary", Static).update(literal("… importing"))
        self._run(dry_run=False)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
