"""The home screen: the workspace's assessments, and what can be done with them.

The table (listing, sorting, opening) is `home_table.WorkspaceTable`; this
screen adds its keys: new, import, carry forward, delete and undo (each touches
files, so runs in a worker: `run_blocking`), and the selection for compare and
workshop.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from decalogue.errors import DecalogueError
from decalogue.model.assessment import carry_forward
from decalogue.model.periods import later_period, next_period, validate_period
from decalogue.storage import store
from decalogue.storage.stores import Store
from decalogue.tui.screens.dialogs import ConfirmDialog, TextPrompt
from decalogue.tui.screens.home_table import WorkspaceTable
from decalogue.tui.served import action_allowed, paths_fixed
from decalogue.tui.work import run_blocking


class HomeScreen(WorkspaceTable):
    """The workspace's assessments in a sortable table, and what can be done with them."""

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action_allowed(self.context.served, "home", action)

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
        context = self.context

        def copy() -> Path:
            assessment = store.read(path).assessment
            if context.in_files:  # a file needs no checklist to be copied in
                here = context.workspace.holding(assessment.id)
                if here is not None:  # two rows of one assessment, their figures apart
                    raise DecalogueError(
                        f"{path.name} is an assessment already in the workspace as "
                        f"{here.name} (the same id), so it was not copied in; to see how "
                        f"they differ: decalogue compare {here} {path}"
                    )
                return context.workspace.create(assessment).path
            # A database keeps the checklist with the assessment (as `decalogue new --store`).
            checklist = context.checklist_resolver.find(assessment.checklist, path.name)
            return Path(self._store.create(assessment, checklist))

        run_blocking(self, copy, self._created, self._failed, group="files")

    def action_carry_forward(self) -> None:
        summary = self._current_summary()
        if summary is None or summary.error:
            return

        def check(text: str) -> str | None:
            try:
                validate_period(text)
                later_period(summary.period, text)
            except (ValueError, DecalogueError) as error:
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
            kept = self._store
            previous = kept.place(str(path)).read().assessment  # a file, or a stored id
            checklist = context.checklist_resolver.find(previous.checklist, path.name)
            user = context.user or (previous.assessors[0].name if previous.assessors else "")
            new = carry_forward(previous, checklist, period, user or "unknown")
            created = Path(kept.create(new, checklist))
            left = previous.orphaned(checklist)
            note = (
                f"Not carried forward, not in {checklist.meta.id} "
                f"{checklist.meta.version}: {', '.join(left)}"
                if left
                else ""
            )
            return created, note

        def done(carried: tuple[Path, str]) -> None:
            path, note = carried
            if note:
                self.notify(note, title="Not carried", severity="warning", markup=False)
            self._created(path, open=True)

        run_blocking(self, carry, done, self._failed, group="files")

    @property
    def _store(self) -> Store:
        assert self.context.store is not None  # the Context sets it
        return self.context.store

    def _created(self, path: Path, open: bool = False) -> None:
        """A new assessment (imported or carried forward): a file in the workspace, or an
        id in the store; open it if asked."""
        self._select_after = path
        self.notify(f"Created {path.name}.", markup=False)
        if open:
            self.open_path(path)
        else:
            self.action_reload()

    # -- delete and undo

    def _refused_in_store(self) -> bool:
        """A team's store is not changed from a window by deleting; says so in one line."""
        if self.context.in_files:
            return False
        self.notify(
            f"Assessments in {self._store.label} are the team's data and are not deleted "
            "from a window (there is no trash to restore from); an administrator of the "
            "database removes one there.",
            title="Not deleted",
            severity="warning",
            timeout=10,
            markup=False,
        )
        return True

    def action_delete(self) -> None:
        if self._refused_in_store():
            return
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
        if self._refused_in_store():
            return
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
        if paths_fixed(self.context.served) or not self.context.in_files:
            what = "files" if self.context.in_files else "assessments"
            self.notify(
                f"Select the groups' {what} with space first, then press W.", severity="warning"
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
