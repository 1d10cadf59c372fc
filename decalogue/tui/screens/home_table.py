"""The home screen's table: the workspace listed in a worker, sorted, and an assessment
opened from it. Rows and their order come from `home_rows`; the home screen
(`home.HomeScreen`) adds what can be done with the files.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from decalogue.errors import DecalogueError
from decalogue.plural import counted
from decalogue.session import Session
from decalogue.storage.workspace import RECOVERY, Summary
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import assemble, literal
from decalogue.tui.screens.home_rows import columns_for, row_cells, sort_key
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.work import HandlesWork, run_blocking

#: Marks a row selected for compare or workshop (issue 5).
GLYPH_SELECTED = "✔"

EMPTY = (
    "No assessments in this workspace yet.\n"
    "Press n to start one (country, period, checklist), i to import an assessment file, "
    "or e to explore the checklist first."
)


class WorkspaceTable(HandlesWork, Screen[None]):
    """The workspace's assessments in a sortable table; enter opens one."""

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
                    f" · ⚠ {counted(self.recovered, 'recovery copy', 'recovery copies')} "
                    f"in {RECOVERY}/: "
                    "answers a closed session could not save",
                    "bold",
                )
            )
        self.query_one("#home-title", Static).update(assemble(*parts))
