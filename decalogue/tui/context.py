"""What a screen needs from the running app, as one small object instead of the app itself.

Screens read the workspace, the user, the checklists and the app-level moves
(open an assessment, leave one, explore a checklist) from `Context`; they never
import `tui.app`, so the app and its screens do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from textual.app import App

from decalogue.model.checklist import Checklist, collector_paused
from decalogue.roles import Served
from decalogue.session import Session
from decalogue.storage.checklists import Checklists
from decalogue.storage.stores import FileStore, Store
from decalogue.storage.workspace import Summary, Workspace


class Unsaved(Protocol):
    """A screen holding work that `flush` saves; it says why not, or None when saved."""

    def flush(self) -> str | None: ...

    def keep_for_exit(self, folder: Path | None = None) -> str | None:
        """Save, else write a recovery copy (the person chose to go anyway); where it went."""


def display_folder(path: Path) -> str:
    """A folder as a user reads it: `~/...` below the home folder."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


@dataclass
class Context:
    """The workspace, the user and the checklists of this run, and the app-level moves."""

    workspace: Workspace
    user: str | None
    """The name given with --user; None: ask the session's default."""
    checklist_override: Checklist | None
    """The checklist given with --checklist; None: each file's own one."""
    checklist_force: bool
    """--force: open files with that checklist even where its id is not the file's."""
    checklist_resolver: Checklists
    """Finds each file's checklist: the one given with --checklist, else bundled or registered."""
    checklists: Sequence[Path]
    """The checklists offered for new assessments and for exploring."""
    load_checklist: Callable[[Path], Checklist]
    """A checklist by path, loaded once per run (safe to call from workers)."""
    open_session: Callable[[Session], None]
    """Show an opened assessment in the assess screen."""
    leave_assess: Callable[[Unsaved], None]
    """Back from an assessment, saved first (asks before dropping unsaved work)."""
    explore: Callable[[], None]
    """Browse a checklist without an assessment."""
    served: Served | None = None
    """The role of a session served to a browser (`decalogue serve`); None in a terminal."""
    store: Store | None = None
    """Where the home screen lists and opens assessments: the workspace (None) or a
    team's database (`--store`)."""
    workspace_label: str = field(init=False)
    """The workspace folder (or the store) as a user reads it."""

    def __post_init__(self) -> None:
        if self.store is None:
            self.store = FileStore(self.workspace)
            self.workspace_label = display_folder(self.workspace.root)
        else:
            self.workspace_label = self.store.label

    @property
    def in_files(self) -> bool:
        """Assessments are files in the workspace (not in a database)."""
        return isinstance(self.store, FileStore)

    def listing(self) -> list[Summary]:
        """The home screen's lines: the workspace's files, or the database's assessments
        (a summary's path is then the id)."""
        assert self.store is not None
        return self.store.list()

    def open_assessment(self, path: Path) -> Session:
        """An assessment as a session with this run's user and checklist options (blocking:
        call it from a worker); raises DecalogueError in one line. `path` is a file, or in a
        database store the assessment's id (as its listing gives it)."""
        assert self.store is not None
        # Kept while its screen is open: the assess screen unfreezes it when it closes (a
        # served viewer's dashboard does not; its process ends with the browser's session).
        with collector_paused(keep=True):
            return Session.open(
                self.store.place(str(path)),
                self.checklist_override,
                self.user,
                force=self.checklist_force,
                checklists=self.checklist_resolver,
            )

    def checklist_choices(self) -> list[tuple[str, Path]]:
        """(label, file) of each checklist offered: bundled by id, registered with version."""
        labels = {entry.path: entry.label for entry in self.checklist_resolver.entries()}
        return [(labels.get(path, path.stem), path) for path in self.checklists]


def app_context(app: App[Any]) -> Context:
    """The running app's Context (the app keeps it as `context`)."""
    context = getattr(app, "context", None)
    if not isinstance(context, Context):
        raise TypeError(f"{type(app).__name__} holds no decalogue Context")
    return context
