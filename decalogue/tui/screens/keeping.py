"""A checklist screen tied to an open session: its file kept up to date, both ways.

Edits are saved a moment after the last keystroke, and within AUTOSAVE_MAX_WAIT
however fast one types; the save runs in a worker and merges with what others
saved (`Session.save`). Every POLL seconds the screen takes in what others
saved (`Session.refresh`, one stat when nothing changed) and says who changed
which items; a database tells the window at once (LISTEN, `Place.listen`) and
is looked at in a worker. While a database server is away the edits wait in
the window, the header says so, a recovery copy is kept in the workspace's
recovery folder (where quitting would put it; one copy, `Session.save_recovery`), and
the save is tried again every RETRY_AWAY seconds until it lands. A real
conflict opens the per-item conflict view. The header's save state is read
from the session, never kept here. Quitting, a closed
terminal or a shutdown first keep the text of an open editor, then save; a save
that cannot land leaves a recovery copy.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.message import Message
from textual.timer import Timer

from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import Change
from decalogue.session import SaveResult, Session
from decalogue.storage import store
from decalogue.storage.place import Unreachable
from decalogue.tui.screens.browse import ChecklistScreen
from decalogue.tui.screens.conflicts import ConflictScreen, changed_items
from decalogue.tui.screens.dialogs import ChoiceDialog

#: Seconds after the last change before the autosave runs.
AUTOSAVE_DELAY = 0.8

#: However fast a person types, a change is saved within about this many seconds.
AUTOSAVE_MAX_WAIT = 3.0

#: Seconds between two looks at whether someone else saved the file.
POLL = 1.5

#: The same where the place tells the window of others' saves itself (a database).
POLL_PUSHED = 15.0

#: Seconds between two attempts to save while the server cannot be reached.
RETRY_AWAY = 2.0


class SessionScreen(ChecklistScreen):
    """The tree and the item of an open session, saved and refreshed as described above."""

    @dataclass
    class Saved(Message):
        """The autosave worker's save landed (merging what others saved meanwhile)."""

        result: SaveResult

    @dataclass
    class SaveFailed(Message):
        """The autosave worker could not save; `replaced` when the file is another one now."""

        error: str
        replaced: bool
        away: bool = False
        """The place cannot be reached now (a database server away): try again later."""

    class Heard(Message):
        """The store announced a save of this assessment (posted from its listening thread)."""

    @dataclass
    class Refreshed(Message):
        """Others' changes taken in (a conflict is listed with the remark "conflict")."""

        changes: list[Change]

    @dataclass
    class RefreshFailed(Message):
        error: str
        replaced: bool
        away: bool

    def __init__(self, session: Session) -> None:
        super().__init__(session.checklist, session.board)
        self.session = session
        self._timer: Timer | None = None
        self._unsaved_since: float | None = None
        """When the oldest change not yet being saved was made (monotonic seconds)."""
        self._saving = False
        """A save worker is running (only to schedule; the header asks the session)."""
        self._detail_pending: str | None = None
        self._waited = False
        """The edits waited for the server (say so once the save lands)."""
        self.sub_title = session.assessment.display_title()

    def on_mount(self) -> None:  # ChecklistScreen's handler follows (Textual calls each)
        self.session.announce()
        pushed = self.session.place.listen(self._heard)
        self._say_who_else_and_what_was_left()
        self.set_interval(POLL_PUSHED if pushed else POLL, self._poll, name="take-in-others")

    def on_unmount(self) -> None:  # ChecklistScreen's follows (Textual)
        self.session.close()

    def _say_who_else_and_what_was_left(self) -> None:
        try:
            others = self.session.others_editing()
        except DecalogueError:
            others = []  # a server away: the header says so at the first look
        served = self.context.served is not None
        for other in others:
            # On a served link every session is the server's login on the server's
            # computer: that says nothing about the person, and is not the room's business.
            where = "" if served else f" ({other.account}@{other.host})"
            self.notify(
                f"{other.name}{where} has this file open since "
                f"{other.since.astimezone().strftime('%Y-%m-%d %H:%M')}. Your changes and "
                "theirs are merged when saved; a field changed by both is shown to choose.",
                title="Also open elsewhere",
                severity="warning",
                timeout=10,
                markup=False,
            )
        for copy in self._recovery_copies()[:1]:
            self.notify(
                f"Work that could not be saved in an earlier run is in {display_path(copy)}.",
                title="Recovery copy",
                severity="warning",
                timeout=15,
                markup=False,
            )

    def _recovery_copies(self) -> list[Path]:
        """This assessment's recovery copies, where its place keeps them and in the
        workspace's folder, newest first."""
        return self.session.recoveries(self.context.workspace.recovery)

    # -- what is shown

    def _refresh_status(self) -> None:
        session = self.session
        self.status.show_assessment(
            session.assessment, session.board.overall, session.state, session.user
        )

    def _show_detail(self, item_id: str | None) -> None:
        if item_id is None:
            self.detail.show(None, None, None)
        else:
            self.detail.show(
                item_id,
                self.session.assessment.responses.get(item_id),
                self.session.board.items[item_id],
            )

    def _show_detail_next_frame(self, item_id: str) -> None:
        """Repaint the detail pane one frame after what the key changed.

        Re-rendering the pane's long text is most of a keystroke's work; the tree
        line, its section and pillar and the header show the change first.
        """
        if self._detail_pending is None:
            self.call_after_refresh(self._show_pending_detail)
        self._detail_pending = item_id

    def _show_pending_detail(self) -> None:
        item_id, self._detail_pending = self._detail_pending, None
        if item_id is not None and self.checklist_tree.current_item == item_id:
            self._show_detail(item_id)

    def _repaint(self, item_ids: Iterable[str | None]) -> None:
        """Relabel changed items (and their groups), the item shown, and the header."""
        for item_id in dict.fromkeys(item_ids):
            if item_id is None or item_id not in self.checklist.item_index:
                continue
            self.checklist_tree.refresh_item(item_id)
            if self.checklist_tree.current_item == item_id:
                self._show_detail_next_frame(item_id)
        self._refresh_status()

    def changed(self, item_id: str) -> None:
        """After an edit of the session: repaint, and save soon."""
        self._repaint([item_id])
        self._schedule_save()

    # -- saving

    def _schedule_save(self) -> None:
        """Save after a pause in typing, and at the latest AUTOSAVE_MAX_WAIT after a change."""
        if self._timer is not None:
            self._timer.stop()
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        left = self._unsaved_since + AUTOSAVE_MAX_WAIT - now
        # Never 0: a timer of 0 s that fires late divides by its interval (ZeroDivisionError
        # in Textual's timer, seen on a loaded machine once the maximum wait had passed).
        self._timer = self.set_timer(max(0.01, min(AUTOSAVE_DELAY, left)), self._autosave)

    def _autosave(self) -> None:
        self._timer = None
        if not self.session.dirty:
            return
        if self._saving:  # look again soon: the change waits for the save under way
            self._timer = self.set_timer(0.1, self._autosave)
            return
        self._saving = True
        self._unsaved_since = None
        self._save_in_background()

    @work(thread=True, group="autosave")
    def _save_in_background(self) -> None:
        try:
            result = self.session.save()
        except store.ConflictError as error:
            self.post_message(self.SaveFailed(str(error), replaced=True))
        except Unreachable as error:
            self.post_message(self.SaveFailed(str(error), replaced=False, away=True))
        except DecalogueError as error:
            self.post_message(self.SaveFailed(str(error), replaced=False))
        except Exception as error:  # never lose the reason a save failed
            self.post_message(self.SaveFailed(f"{type(error).__name__}: {error}", replaced=False))
        else:
            self.post_message(self.Saved(result))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self._saving = False
        if self._waited and self.session.recovery_copy is None:  # it all landed; copy gone
            self._waited = False
            self.notify("The server is back: your edits are saved.", markup=False)
        self._took_in(event.result.merged, bool(event.result.conflicts))
        if event.result.warning:
            self.notify(event.result.warning, severity="warning", timeout=10, markup=False)
        if self.session.dirty:
            self._schedule_save()

    @on(SaveFailed)
    def _save_failed(self, event: SaveFailed) -> None:
        self._saving = False
        self._refresh_status()
        if event.away:
            self._wait_for_server(event.error)
            return
        self.notify(event.error, title="Not saved", severity="error", timeout=10, markup=False)
        if event.replaced:
            self._offer_copy()

    def _wait_for_server(self, error: str) -> None:
        """Keep the edits: the session's recovery copy of what they are now (one file,
        named here once, rewritten as edits come; quitting updates it too), and a save
        again soon."""
        first, self._waited = not self._waited, True
        copy = None
        with suppress(DecalogueError):  # else the edits stay in the window; the header says
            copy = self.session.save_recovery(self.context.workspace.recovery)
        if first:
            kept = f" and in {display_path(copy)}" if copy else ""
            self.notify(
                f"{error}. Your edits are kept in this window{kept}; they are saved when "
                "the server is back.",
                title="Waiting for the server",
                severity="warning",
                timeout=15,
                markup=False,
            )
        if self._timer is None:
            self._timer = self.set_timer(RETRY_AWAY, self._autosave)

    def flush(self) -> str | None:
        """Save now, on this thread (quitting, leaving); the error message, or None."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._unsaved_since = None
        if not self.session.dirty:
            return None
        try:
            result = self.session.save()
        except DecalogueError as error:
            self._refresh_status()
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return str(error)
        self._took_in(result.merged, bool(result.conflicts))
        return None

    def keep_for_exit(self, folder: Path | None = None) -> str | None:
        """Going without asking (a closed terminal, a shutdown, the person chose to): save,
        else write the session's recovery copy (the one kept while the server was away,
        else a new one in `folder`, else beside the file); never raises. What a person
        leaving must be told (where the work went), or None when it is saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.session.dirty:
            return None
        try:
            self.session.save()
        except DecalogueError as error:
            lost = f"your changes to {self.session.label} were not saved ({error})"
            try:
                copy = self.session.save_recovery(folder)  # the next start points to it too
            except (DecalogueError, OSError) as failed:
                return f"{lost}, and no recovery copy could be written either: {failed}"
            return f"{lost}; they are in {copy} (a whole assessment: decalogue open it)"
        return None

    # -- other people's changes

    def _heard(self) -> None:
        """From the place's listening thread: someone saved (or the server is back)."""
        self.post_message(self.Heard())

    @on(Heard)
    def _take_in_heard(self) -> None:
        self._poll()
        if self.session.state.waiting and self.session.dirty and not self._saving:
            self._autosave()  # the server is back: the waiting edits go now

    def _poll(self) -> None:
        if self._saving:
            return  # the save under way merges what is stored
        if self.session.place.path is None:
            self._refresh_in_background()  # a database: never block the window on it
        else:
            self._show(self._refresh_now())

    def _refresh_now(self) -> Refreshed | RefreshFailed:
        try:
            return self.Refreshed(self.session.refresh())
        except store.ConflictError as error:
            return self.RefreshFailed(str(error), replaced=True, away=False)
        except Unreachable as error:
            return self.RefreshFailed(str(error), replaced=False, away=True)
        except DecalogueError as error:
            return self.RefreshFailed(str(error), replaced=False, away=False)

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_in_background(self) -> None:
        self.post_message(self._refresh_now())

    @on(Refreshed)
    @on(RefreshFailed)
    def _show(self, event: Refreshed | RefreshFailed) -> None:
        self._refresh_status()  # the server away, or back
        if isinstance(event, self.Refreshed):
            changes = event.changes
            conflicts = [change for change in changes if change.remark == "conflict"]
            self._took_in([c for c in changes if c.remark != "conflict"], bool(conflicts))
        elif not event.away:  # away: the header says so, without a message every look
            self.notify(event.error, severity="error", timeout=10, markup=False)
            if event.replaced:
                self._offer_copy()

    def take_in_now(self) -> None:
        """Take in what others saved before something that must show the latest (an export)."""
        if not self._saving:
            self._show(self._refresh_now())

    def _took_in(self, changes: list[Change], conflicts: bool) -> None:
        self._repaint(change.item for change in changes)
        self._repaint(conflict.item_id for conflict in self.session.conflicts)
        if changes:
            self.notify(changed_items(changes), title="Saved by others", markup=False)
        if conflicts:
            self.action_conflicts()

    def action_conflicts(self) -> None:
        """Show the open conflicts side by side (unless a dialog is in the way)."""
        if not self.session.conflicts:
            self.notify("No conflicts: every change is merged.")
            return
        if self.app.screen is not self:
            self._refresh_status()  # the header counts them; `C` shows them later
            return
        self.app.push_screen(ConflictScreen(self.session, self._resolved))

    def _resolved(self, change: Change | None, item_id: str) -> None:
        self._repaint([item_id])
        if change is not None:
            self._schedule_save()

    # -- the file became another assessment

    def _offer_copy(self) -> None:
        options = [
            ("copy", "Keep mine: save my version as a copy file (and go on with it)"),
            ("reload", "Take theirs: open the file as it is now (my unsaved changes are dropped)"),
        ]
        self.app.push_screen(
            ChoiceDialog("The file is now another assessment.", options), self._copy_or_reload
        )

    def _copy_or_reload(self, choice: str | None) -> None:
        if choice is None:
            return
        session = self.session
        try:
            if choice == "reload":
                session.reload()
            else:
                copy = session.assessment.model_copy(deep=True)
                copy.id = uuid.uuid4().hex
                stored = self.context.workspace.create(copy)
                session.close()
                self.session = Session.from_stored(stored, self.checklist, session.user)
                self.session.announce()
                self.session.place.listen(self._heard)
                self.notify(f"Your version is saved as {stored.path.name}.", markup=False)
        except DecalogueError as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return
        self.checklist_tree.board = self.session.board
        self.checklist_tree.rebuild(keep=self.checklist_tree.current_item)
        self._show_detail(self.checklist_tree.current_item)
        self._refresh_status()
