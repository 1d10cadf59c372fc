"""Export: pick a format and a path; the same `reports.export` as the CLI, in a worker.

Served to a browser (`decalogue serve`), no path is typed: the file goes to the
browser as a download, or into the workspace's exports folder, under the name
`reports.default_file_name` gives it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from decalogue import reports
from decalogue.errors import DecalogueError
from decalogue.roles import inside
from decalogue.session import Session
from decalogue.tui.context import app_context
from decalogue.tui.display import literal
from decalogue.tui.screens.dialogs import Dialog, DialogBox, buttons
from decalogue.tui.served import paths_fixed
from decalogue.tui.work import HandlesWork, run_blocking

#: Where a served session's export goes (no path is typed there).
DESTINATIONS = [
    ("Download to this browser", "download"),
    ("Save in the workspace's exports folder", "workspace"),
]


def _shown(path: Path) -> str:
    """`~/...` below the home folder: shorter, and what a user would type."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@contextmanager
def _not_written(shown: str) -> Iterator[None]:
    """A disk error while exporting, as the one line a user reads."""
    try:
        yield
    except OSError as error:
        raise DecalogueError(f"{shown}: not written: {error.strerror or error}") from error


class ExportScreen(HandlesWork, Dialog[None]):
    """Format, path, result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", id="export.run", tooltip="Write the file"),
    ]

    def __init__(
        self, session: Session, folder: Path, take_in: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.root = folder
        self.take_in = take_in
        """Takes in what others saved, so that the export is of the file as it is now."""
        self.folder = folder / "exports"
        self._suggested = ""
        self._exported_to = ""
        """The path last exported to, as typed."""

    @property
    def fixed(self) -> bool:
        """No typed path: this app is served to a browser."""
        return paths_fixed(app_context(self.app).served)

    def _suggest(self, fmt: str) -> str:
        return _shown(self.folder / reports.default_file_name(fmt, self.session.assessment))

    def compose(self) -> ComposeResult:
        options = [
            (f"{name}: {reports.DESCRIPTIONS.get(name, '')}", name) for name in reports.FORMATS
        ]
        self._suggested = self._suggest("json")
        with DialogBox(classes="dialog-box export-box"):
            yield Label(Content.styled("Export", "bold"), classes="dialog-title")
            yield Label("Format")
            yield Select(options, value="json", allow_blank=False, id="format")
            if self.fixed:
                yield Label("To")
                yield Select(DESTINATIONS, value="download", allow_blank=False, id="where")
            else:
                yield Label("File (a folder that does not exist yet is created)")
                yield Input(self._suggested, id="path", compact=True)
            yield buttons(("Export", "export", True), ("Close", "close", False))
            yield Static(Content(""), id="export-result")

    def on_mount(self) -> None:
        self.query_one("#format", Select).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        if self.fixed:
            return
        field = self.query_one("#path", Input)
        if field.value == self._suggested and isinstance(event.value, str):
            self._suggested = self._suggest(event.value)
            field.value = self._suggested

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        fmt = self.query_one("#format", Select).value
        if self.take_in is not None:
            self.take_in()  # what others saved is in the export
        if self.fixed:
            self._result("… exporting", error=False)
            self._export_served(str(fmt), str(self.query_one("#where", Select).value))
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._result("✗ give a file to export to", error=True)
            return
        self._exported_to = text
        self._result("… exporting", error=False)
        self._export(str(fmt), Path(text).expanduser())

    def _export(self, fmt: str, path: Path) -> None:
        self._write(fmt, path, str(path))

    def _export_served(self, fmt: str, where: str) -> None:
        """A download, or the workspace's exports folder: never a path from the browser."""
        session = self.session
        name = reports.default_file_name(fmt, session.assessment)
        if where == "download":

            def render() -> str:
                return reports.render(fmt, session.checklist, session.assessment, session.board)

            def rendered(text: str) -> None:
                self._rendered(text, name)

            run_blocking(self, render, rendered, self._failed, group="export", exclusive=True)
            return
        self._write(fmt, self.folder / name, name, inside_of=self.root)

    def _write(self, fmt: str, path: Path, shown: str, inside_of: Path | None = None) -> None:
        """Write the export in a worker; served, only inside the workspace (`inside_of`)."""
        session = self.session

        def write() -> Path:
            with _not_written(shown):
                if inside_of is not None and not inside(inside_of, path):
                    raise DecalogueError(f"{shown}: the exports folder leads out of the workspace")
                return reports.export(
                    fmt,
                    session.checklist,
                    session.assessment,
                    session.board,
                    path,
                    create_parents=True,
                )

        run_blocking(self, write, self._written, self._failed, group="export", exclusive=True)

    def _rendered(self, text: str, name: str) -> None:
        """A served export's text, handed to the browser as a download."""
        self.app.deliver_text(io.StringIO(text), save_filename=name)
        self._result(f"✓ sent to the browser: {name}", error=False)
        self.notify(f"Downloading {name}.", markup=False)

    def _written(self, path: Path) -> None:
        shown = f"exports/{path.name}" if self.fixed else _shown(path)
        self._result(f"✓ written: {shown}", error=False)
        self.notify(f"Exported to {path.name}.", markup=False)

    def _failed(self, error: str) -> None:
        self._result(f"✗ {error}", error=True)
        self.notify(error, title="Not exported", severity="error", timeout=10, markup=False)

    def _result(self, text: str, *, error: bool) -> None:
        result = self.query_one("#export-result", Static)
        result.update(literal(text))
        result.set_class(error, "-error")

    def would_lose(self) -> bool:
        """A file name typed but not exported to would be lost."""
        if self.fixed:
            return False  # a served session types no path
        text = self.query_one("#path", Input).value.strip()
        return text not in (self._suggested, self._exported_to)

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.dismiss(None)
