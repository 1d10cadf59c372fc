"""The home screen: the workspace's assessments, and what can be done with them.

Listing, opening, importing, carrying forward and deleting all touch files, so
each runs in a thread worker that posts a message; the handlers own the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from decalogue.errors import DecalogueError
from decalogue.model.assessment import carry_forward
from decalogue.model.periods import next_period, validate_period
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.workspace import RECOVERY, Summary
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import assemble, literal
from decalogue.tui.screens.dialogs import ConfirmDialog, TextPrompt
from decalogue.tui.screens.home_rows import columns_for, row_cells, sort_key
from decalogue.tui.served import action_allowed, paths_fixed
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.work import HandlesWork, run_blocking

#: Marks a row selected for compare or workshop (issue 5).
GLYPH_SELECTED = "✔"

EMPTY = (
    "No assessments in this workspace yet.\n"
    "Press n to start one (country, period, checklist), i to import an assessment file, "
    "or e to explore the checklist first."
)


class HomeScreen(HandlesWork, Screen[None]):
    """The workspace's assessments in a sortable table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="home.new", tooltip="Start a new assessment"),
        Binding("o", "open", "Open", id="home.open", tooltip="Open the highlighted assessment"),
        Binding(
            "c",
            "carry_forward",
            "Carry forward",
            id="home.carry",
            tooltip="Start the next period from the highlighted assessment",
        ),
        Binding("i", "import", "Import", id="home.import", tooltip="Copy a file in"),
        Binding("d", "delete", "Delete", id="home.delete", tooltip="Move to the trash"),
        Binding(
            "u",
            "undo_delete",
            "Undo delete",
            id="home.undo",
            show=False,
            tooltip="Restore the most recently deleted assessment",
        ),
        Binding("e", "explore", "Explore", id="home.explore", tooltip="Browse the checklist"),
        Binding("s", "sort", "Sort", id="home.sort", tooltip="Sort by the next column"),
        Binding(
            "r",
            "reload",
            "Reload",
            id="home.reload",
            show=False,
            tooltip="Read the workspace again",
        ),
        # -- selection for compare and workshop (issue 5)
        Binding(
            "space",
            "toggle_select",
            "Select",
            id="home.select",
            show=False,
            tooltip="Select or unselect the highlighted assessment (for compare or workshop)",
        ),
        Binding(
            "C", "compare", "Compare", id="home.compare", show=False, tooltip="Compare selected"
        ),
        Binding(
            "W",
            "workshop",
            "Workshop",
            id="home.workshop",
            show=False,
            tooltip="Workshop: the selected group files, or a folder of them",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[Summary] = []
        self.sort_column = "updated"
        self.sort_reverse = True
        self._last_trashed: Path | None = None
        self._select_after: Path | None = None
        self._listed_once = False
        self._opening = False
        """An assessment is being opened (in a worker) to show over this screen."""
        self.selected: set[Path] = set()
        """Assessments marked with space for compare or workshop, shown with GLYPH_SELECTED."""
        self.recovered = 0
        """Recovery copies in the workspace (a browser session that could not save)."""

    @property
    def context(self) -> Context:
        return app_context(self.app)

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="home-title")
        yield DataTable(id="assessments", cursor_type="row", zebra_stripes=True)
        yield Static(literal(EMPTY), id="empty")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action_allowed(self.context.served, "home", action)

    def on_mount(self) -> None:
        self._show_title()
        self.query_one("#empty").display = False

    def on_screen_resume(self) -> None:
        # Listed each time it is shown (the first time too), but not while an assessment
        # is being opened over it: `decalogue open` would read every file of the workspace
        # (a large one twice) before its first frame. It is listed when the user comes back.
        if not self._opening:
            self.action_reload()

    # -- listing

    def action_reload(self) -> None:
        self._list_workspace()

    def _list_workspace(self) -> None:
        context = self.context

        def listing() -> tuple[list[Summary], int]:
            try:
                return context.listing(), len(context.workspace.recovered())
            except OSError as error:
                raise DecalogueError(f"cannot read the workspace: {error}") from error

        run_blocking(self, listing, self._listed, self._failed, group="listing", exclusive=True)

    def _listed(self, listed: tuple[list[Summary], int]) -> None:
        self.summaries, self.recovered = listed
        self._listed_once = True
        self.selected &= {s.path for s in self.summaries if not s.error}
        self._show_title()
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = self.current_path()
        if self._select_after is not None:
            keep, self._select_after = self._select_after, None
        ordered = sorted(
            self.summaries,
            key=lambda s: sort_key(self.sort_column, s),
            reverse=self.sort_reverse,
        )
        if self.sort_reverse:  # unreadable files stay last
            ordered.sort(key=lambda s: s.error is not None)
        columns = self.columns()
        keys = [key for key, _ in columns]
        rows = [
            (summary, [cell for key, cell in row_cells(summary) if key in keys])
            for summary in ordered
        ]
        for summary, cells in rows:
            if summary.path in self.selected:
                cells[0] = Text(f"{GLYPH_SELECTED} ") + cells[0]
        # Widths measured here, not on the table's idle: the header and rows agree at once.
        table.clear(columns=True)
        for index, (key, heading) in enumerate(columns):
            arrow = (" ▼" if self.sort_reverse else " ▲") if key == self.sort_column else ""
            label = heading + arrow
            width = max([len(label), *(cells[index].cell_len for _, cells in rows)])
            table.add_column(label, key=key, width=width)
        for summary, cells in rows:
            table.add_row(*cells, key=str(summary.path))
        empty = not self.summaries
        self.query_one("#empty").display = empty
        table.display = not empty
        if keep is not None:
            for index, summary in enumerate(ordered):
                if summary.path == keep:
                    table.move_cursor(row=index)
        if not empty:
            table.focus()

    def columns(self) -> tuple[tuple[str, str], ...]:
        """COLUMNS; the title's only when an assessment here has one (groups of a workshop)."""
        return columns_for(self.summaries)

    def current_path(self) -> Path | None:
        table = self.query_one(DataTable)
        if not self.summaries or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return Path(str(key.value)) if key.value is not None else None

    def _current_summary(self) -> Summary | None:
        path = self.current_path()
        summary = next((s for s in self.summaries if s.path == path), None)
        if summary is None:
            self.notify("No assessment highlighted; press n to start one.", severity="warning")
        return summary

    def action_sort(self) -> None:
        keys = [key for key, _ in self.columns()]
        index = keys.index(self.sort_column) if self.sort_column in keys else -1
        self.sort_column = keys[(index + 1) % len(keys)]
        self.sort_reverse = self.sort_column in ("updated", "score", "progress", "flagged")
        self._fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._fill()

    # -- opening

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        summary = self._current_summary()
        if summary is None:
            return
        if summary.error:
            self.notify(summary.error, title="Cannot open", severity="error", markup=False)
            return
        self.open_path(summary.path)

    def open_path(self, path: Path) -> None:
        self._opening = True
        self._open(path)

    def _open(self, path: Path) -> None:
        context = self.context
        run_blocking(
            self,
            lambda: context.open_assessment(path),
            self._opened,
            self._failed,
            group="open",
            exclusive=True,
        )

    def _opened(self, session: Session) -> None:
        self._opening = False
        self.context.open_session(session)

    def _failed(self, error: str) -> None:
        if self._opening:
            self._opening = False
            if not self._listed_once:  # the file asked for at start: show the workspace
                self.action_reload()
        self.notify(error, title="Error", severity="error", timeout=10, markup=False)

    # -- new, import, carry forward

    def action_new(self) -> None:
        from decalogue.tui.screens.new import NewAssessmentScreen

        def done(path: Path | None) -> None:
            if path is not None:
                self._select_after = path
                self.open_path(path)

        self.app.push_screen(NewAssessmentScreen(), done)

    def action_import(self) -> None:
        def check(text: str) -> str | None:
            if not text.strip():
                return "give the path of an assessment (.json) or an edited CSV (.csv)"
            path = Path(text.strip()).expanduser()
            if not path.is_file():
                return "no such file"
            return None

        def done(text: str | None) -> None:
            if not text:
                return
            path = Path(text).expanduser()
            if path.suffix.casefold() == ".csv":
                self._import_csv(path)
            else:
                self._import(path)

        self.app.push_screen(
            TextPrompt(
                "Import: an assessment file (.json) to copy into the workspace, "
                "or an edited CSV (.csv) of the highlighted assessment",
                placeholder="e.g. ~/Downloads/XX-2025.json or ~/Downloads/XX-2025.csv",
                check=check,
                ok="Import",
            ),
            done,
        )

    def _import_csv(self, csv: Path) -> None:
        """An edited CSV goes into the highlighted assessment, after a dry run shown first."""
        from decalogue.tui.screens.csv_import import HOW_TO, CsvImportDialog

        path = self.current_path()
        summary = next((s for s in self.summaries if s.path == path), None)
        if summary is None or summary.error:
            self.notify(HOW_TO, severity="warning", timeout=10, markup=False)
            return

        def done(imported: bool | None) -> None:
            if imported:
                self.action_reload()

        dialog = CsvImportDialog(
            summary.path, summary.title, csv, self.context.checklist_override, self.context.user
        )
        self.app.push_screen(dialog, done)

    def _import(self, path: Path) -> None:
        workspace = self.context.workspace

        def copy() -> Path:
            return workspace.create(store.read(path).assessment).path

        run_blocking(self, copy, self._created, self._failed, group="files")

    def action_carry_forward(self) -> None:
        summary = self._current_summary()
        if summary is None or summary.error:
            return

        def check(text: str) -> str | None:
            try:
                validate_period(text)
            except ValueError as error:
                return str(error)
            return None

        def done(period: str | None) -> None:
            if period and summary is not None:
                self._carry(summary.path, period)

        self.app.push_screen(
            TextPrompt(
                f"Carry {summary.title} forward: answers are kept, marked carried until "
                "confirmed. New period:",
                next_period(summary.period),
                check=check,
                ok="Carry forward",
            ),
            done,
        )

    def _carry(self, path: Path, period: str) -> None:
        context = self.context

        def carry() -> tuple[Path, str]:
            previous = store.read(path).assessment
            checklist = context.checklist_resolver.find(previous.checklist, path.name)
            user = context.user or (previous.assessors[0].name if previous.assessors else "")
            new = carry_forward(previous, checklist, period, user or "unknown")
            created = context.workspace.create(new)
            left = previous.orphaned(checklist)
            note = (
                f"Not carried forward, not in {checklist.meta.id} "
                f"{checklist.meta.version}: {', '.join(left)}"
                if left
                else ""
            )
            return created.path, note

        def done(carried: tuple[Path, str]) -> None:
            path, note = carried
            if note:
                self.notify(note, title="Not carried", severity="warning", markup=False)
            self._created(path, open=True)

        run_blocking(self, carry, done, self._failed, group="files")

    def _created(self, path: Path, open: bool = False) -> None:
        """A new file in the workspace (imported or carried forward); open it if asked."""
        self._select_after = path
        self.notify(f"Created {path.name}.", markup=False)
        if open:
            self.open_path(path)
        else:
            self.action_reload()

    # -- delete and undo

    def action_delete(self) -> None:
        summary = self._current_summary()
        if summary is None:
            return
        name = summary.title or summary.path.name

        def done(yes: bool | None) -> None:
            if yes and summary is not None:
                self._delete(summary.path, name)

        self.app.push_screen(
            ConfirmDialog(
                f"Delete {name} ({summary.path.name})?\n"
                "It goes to the workspace's trash; press u to restore it.",
                yes="Delete",
            ),
            done,
        )

    def _delete(self, path: Path, name: str) -> None:
        workspace = self.context.workspace

        def deleted(trashed: Path) -> None:
            self._last_trashed = trashed
            self.notify(f"Deleted {name}. Press u to undo.", markup=False)
            self.action_reload()

        run_blocking(self, lambda: workspace.delete(path), deleted, self._failed, group="files")

    def action_undo_delete(self) -> None:
        self._restore(self._last_trashed)

    def _restore(self, trashed: Path | None) -> None:
        workspace = self.context.workspace

        def restore() -> Path:
            found = trashed
            if found is None or not found.exists():
                everything = workspace.trashed()
                if not everything:
                    raise DecalogueError("the trash is empty: nothing to restore")
                found = everything[0]
            return workspace.restore(found)

        run_blocking(self, restore, self._restored, self._failed, group="files")

    def _restored(self, path: Path) -> None:
        self._last_trashed = None
        self._select_after = path
        self.notify(f"Restored {path.name}.", markup=False)
        self.action_reload()

    # -- explore

    def action_explore(self) -> None:
        self.context.explore()

    # -- selection, compare and workshop (issue 5)

    def _show_title(self) -> None:
        parts: list[str | tuple[str, str]] = [
            ("decalogue", "bold"),
            " · workspace ",
            self.context.workspace_label,
        ]
        if self.selected:
            parts.append(
                f" · {GLYPH_SELECTED} {len(self.selected)} selected: C compare, W workshop"
            )
        if self.recovered:
            parts.append(
                (
                    f" · ⚠ {self.recovered} recovery "
                    f"cop{'y' if self.recovered == 1 else 'ies'} in {RECOVERY}/: "
                    "answers a closed session could not save",
                    "bold",
                )
            )
        self.query_one("#home-title", Static).update(assemble(*parts))

    def action_toggle_select(self) -> None:
        summary = self._current_summary()
        if summary is None:
            return
        if summary.error:
            self.notify(summary.error, title="Cannot select", severity="error", markup=False)
            return
        self.selected ^= {summary.path}
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._fill()
        self._show_title()
        table.move_cursor(row=min(row + 1, table.row_count - 1))

    def _selected_in_order(self) -> list[Path]:
        """The selection in table order, oldest period first for a trend."""
        chosen = [s for s in self.summaries if s.path in self.selected]
        chosen.sort(key=lambda s: (s.period, s.country_name.casefold(), s.path.name))
        return [s.path for s in chosen]

    def action_compare(self) -> None:
        paths = self._selected_in_order()
        if len(paths) < 2:
            self.notify(
                "Select two or more assessments with space first, then press C.",
                severity="warning",
            )
            return
        from decalogue.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(paths))

    def action_workshop(self) -> None:
        from decalogue.tui.screens.workshop import WorkshopScreen

        paths = self._selected_in_order()
        if paths:
            self.app.push_screen(WorkshopScreen(paths))
            return
        if paths_fixed(self.context.served):
            self.notify(
                "Select the groups' files with space first, then press W.", severity="warning"
            )
            return

        def check(text: str) -> str | None:
            if not text.strip():
                return "give the folder that holds the groups' files"
            return None if Path(text.strip()).expanduser().is_dir() else "no such folder"

        def done(text: str | None) -> None:
            if text:
                self.app.push_screen(WorkshopScreen([Path(text).expanduser()]))

        self.app.push_screen(
            TextPrompt(
                "Workshop: the folder of the groups' assessment files "
                "(or select files with space first)",
                str(self.context.workspace.root),
                check=check,
                ok="Open workshop",
            ),
            done,
        )
