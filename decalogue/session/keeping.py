"""Keeping an open assessment: loading, saving with a merge, others' saves, recovery.

A save merges: under the place's lock (a file's lock, a database row's) it reads
what is stored and, if someone else saved since this session's *base* (the
version it loaded or last merged), takes their changes in field by field
(`decalogue.model.merge`) before writing. Only the same field of the same item
changed differently on both sides is a conflict; both values are kept in the
history and the conflict waits in `conflicts` until the person chooses. Saving
may run in a worker thread while the user keeps typing. Everything about where
the assessment lives goes through its `Place` (a file or a database).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from pathlib import Path
from typing import Any, TypeVar

from decalogue import clock
from decalogue.errors import AssessmentError, DecalogueError
from decalogue.model.assessment import (
    Assessment,
    Change,
    ChecklistRef,
    checklist_ref,
    field_value,
    plain,
)
from decalogue.model.checklist import Checklist, collector_paused
from decalogue.model.merge import SET_ASIDE, Base, Conflict, merge_into, waiting
from decalogue.model.scoring import ScoreBoard
from decalogue.session.outcomes import SaveOutcome, SaveResult, SaveState
from decalogue.session.recovery import Recovering
from decalogue.storage import presence, store
from decalogue.storage.assessment_file import (
    MAX_ASSESSMENT_BYTES,
    check_against,
    dumps,
    fingerprint,
    parse_assessment,
    trim_history,
)
from decalogue.storage.checklists import Checklists, is_older, other_checklist
from decalogue.storage.place import FilePlace, Loaded, Place, Unreachable
from decalogue.storage.profile import Identity, current_identity, os_account

#: A save above this share of MAX_ASSESSMENT_BYTES warns (SaveResult.warning).
WARN_SHARE = 0.5

#: A save above this share trims the oldest history entries (see trim_history).
TRIM_SHARE = 0.75


def _describe_ref(ref: ChecklistRef) -> str:
    return f"{ref.id} {ref.version} {ref.hash}"


_K = TypeVar("_K", bound="Kept")


class Kept(Recovering):
    """An open assessment kept in its place: loading, saving with a merge, taking in others'
    saves, recovery copies (`Recovering`) and presence. `Session` adds the editing."""

    checklist: Checklist
    assessment: Assessment
    board: ScoreBoard
    place: Place
    """Where the assessment is read from and saved to (a file, or a database)."""
    path: Path | None
    """The file, for a file place; None in a database."""
    user: str
    """The name recorded in the history (see `decalogue.storage.profile`)."""
    account: str
    """The OS account recorded beside it."""
    orphaned: list[str]
    """Answered item ids the checklist no longer has (kept in the file, reported)."""
    drift: bool
    """The checklist differs from the one the answers were given against."""
    conflicts: list[Conflict]
    """Fields changed differently here and by someone else, waiting for `resolve`."""
    older: bool
    """The checklist is an older version than the file's: saving keeps the file's version."""

    def __init__(
        self,
        loaded: Loaded,
        place: Place,
        checklist: Checklist,
        user: str | Identity | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self.checklist = checklist
        self.place = place
        self.path = place.path
        identity = user if isinstance(user, Identity) else current_identity(user)
        self.user = identity.name or identity.account
        self.account = identity.account or os_account()
        self._saving = False
        self._error: str | None = None
        self._away = False
        self._warning: str | None = None
        self._load(loaded)

    def _load(self, loaded: Loaded) -> None:
        problems = check_against(loaded.assessment, self.checklist, self.place.label)
        if problems:
            raise AssessmentError(problems)
        self.assessment = loaded.assessment
        self.base = Base.of(self.assessment)
        self._fingerprint = loaded.fingerprint
        self._signature = loaded.signature
        self.board = ScoreBoard(self.checklist, self.assessment.responses)
        self.orphaned = self.assessment.orphaned(self.checklist)
        self.drift = not self.assessment.matches(self.checklist)
        self.conflicts = waiting(self.assessment)
        ref = self.assessment.checklist
        self.older = ref.id == self.checklist.meta.id and is_older(
            self.checklist.meta.version, ref.version
        )
        self._edits = 0
        self._saved_edits = 0
        self._copy, self._copy_edits = None, -1  # a copy of edits dropped stays, not ours

    # -- opening

    @classmethod
    def open(
        cls: type[_K],
        where: Path | Place,
        checklist: Checklist | str | Path | None = None,
        user: str | Identity | None = None,
        *,
        force: bool = False,
        checklists: Checklists | None = None,
    ) -> _K:
        """Open an assessment (a file, or any place) with its own checklist (bundled or
        registered, found by id and version; for a database, the one stored with it), or
        the one given.

        A checklist with another id than the file's is refused unless `force`: its
        answers would silently stop being scored.
        """
        # Tens of thousands of new objects at 10,000 items, none in a cycle: the collector
        # would walk the checklist's heap again and again (a fifth of the opening time).
        with collector_paused():
            place = where if isinstance(where, Place) else FilePlace(where)
            loaded = place.read()
            ref = loaded.assessment.checklist
            resolver = checklists or Checklists()
            shown = place.label
            if checklist is None:
                checklist = _own_checklist(place, resolver, ref)
            elif not isinstance(checklist, Checklist):
                checklist = resolver.load(checklist)
            if checklist.meta.id != ref.id and not force:
                raise other_checklist(shown, ref.id, checklist.meta.id, force=True)
            return cls(loaded, place, checklist, user)

    @classmethod
    def from_stored(
        cls: type[_K],
        stored: store.Stored,
        checklist: Checklist,
        user: str | Identity | None = None,
    ) -> _K:
        """A session of a file just read or created (`storage.store`)."""
        loaded = Loaded(stored.assessment, stored.fingerprint, store.signature(stored.path))
        return cls(loaded, FilePlace(stored.path), checklist, user)

    @property
    def label(self) -> str:
        """Where it is kept, for people: the file, or `host/database: id`."""
        return self.place.label

    # -- state

    @property
    def dirty(self) -> bool:
        return self._edits != self._saved_edits

    @property
    def fingerprint(self) -> str:
        """sha256 of the file as last loaded, merged or saved by this session."""
        return self._fingerprint

    @property
    def state(self) -> SaveState:
        with self._lock:
            return SaveState(
                self.dirty,
                self._saving,
                len(self.conflicts),
                self._error,
                self._warning,
                waiting=self._away,
            )

    @property
    def edits(self) -> int:
        """How many changes this session has made (grows with each; a version number)."""
        return self._edits

    def _rescore(self, item_id: str) -> None:
        if item_id in self.checklist.item_index:
            self.board.refresh(item_id)

    def _record(self, change: Change) -> Change:
        """A history entry that changes no value (a conflict, a choice): saved with the rest."""
        self.assessment.history.append(change)
        self.assessment.updated = change.at
        self._edits += 1
        return change

    # -- taking other people's changes in

    def refresh(self) -> list[Change]:
        """Take in what someone else saved since; what changed (who, which item and field).

        A conflict (a field changed here, unsaved, and differently there) is listed too,
        with the remark "conflict", and waits in `conflicts`. One stat when nothing
        changed, so a window can call this every second or two. A file that no longer
        parses raises AssessmentError once, not at every call; a place that cannot be
        reached raises Unreachable (and the state says the session waits for it).
        """
        self.place.keep_present()
        try:
            current = self.place.signature()
        except Unreachable:
            with self._lock:
                self._away = True
            raise
        with self._lock:
            if self._away and not self.dirty:
                self._away, self._error = False, None  # back, and nothing waits
        if current is None or current == self._signature:
            return []
        if not self._write_lock.acquire(blocking=False):
            return []  # a save is running; it merges what is on disk
        try:
            taken, conflicts = self._refresh(current)
        finally:
            self._write_lock.release()
        return taken + [_as_change(c) for c in conflicts]

    def _refresh(self, current: Hashable) -> tuple[list[Change], list[Conflict]]:
        self._signature = current  # a version that cannot be read is reported once
        loaded = self.place.read()
        self._signature = loaded.signature
        if loaded.fingerprint == self._fingerprint:
            return [], []
        with self._lock:
            return self._take_in(loaded.assessment, loaded.fingerprint)

    def _take_in(self, theirs: Assessment, stamp: str) -> tuple[list[Change], list[Conflict]]:
        """Merge `theirs` (now on disk) into the session; its base becomes theirs."""
        shown = self.label
        if theirs.id != self.assessment.id:
            raise store.ConflictError(
                f"{shown}: is now another assessment (id {theirs.id}, not {self.assessment.id}); "
                "nothing was written: save your version as a copy"
            )
        problems = check_against(theirs, self.checklist, shown)
        if problems:
            raise AssessmentError(problems)
        merged = merge_into(self.assessment, self.base, theirs)
        self.base = Base.of(theirs)
        self._fingerprint = stamp
        for change in merged.taken:
            assert change.item is not None
            self._rescore(change.item)
            self.conflicts = [
                c if (c.item_id, c.field) != (change.item, change.field) else self._newer(c, change)
                for c in self.conflicts
            ]
        for conflict in merged.conflicts:
            self._set_aside(conflict)
        self.orphaned = self.assessment.orphaned(self.checklist)
        self.drift = not self.assessment.matches(self.checklist)
        return merged.taken, merged.conflicts

    def _set_aside(self, conflict: Conflict) -> Change:
        """Keep their value for now; mine goes into the history and waits in `conflicts`."""
        self._rescore(conflict.item_id)
        change = self._record(
            Change(
                at=clock.now(),
                by=self.user,
                account=self.account,
                item=conflict.item_id,
                field=conflict.field,
                old=plain(conflict.field, conflict.theirs),
                new=plain(conflict.field, conflict.mine),
                remark=(
                    f"conflict with {conflict.their_by or 'another save'}: their value "
                    f"(old) is kept until someone chooses; {SET_ASIDE}"
                ),
            )
        )
        self.conflicts = [
            c for c in self.conflicts if (c.item_id, c.field) != (conflict.item_id, conflict.field)
        ]
        self.conflicts.append(conflict)
        return change

    def _newer(self, conflict: Conflict, change: Change) -> Conflict:
        """A pending conflict after their side changed the field again: their newest value."""
        assert change.item is not None
        theirs = field_value(self.assessment.responses.get(change.item), change.field)
        return Conflict(
            conflict.item_id, conflict.field, conflict.mine, theirs, change.by, change.at
        )

    # -- saving

    def save(self) -> SaveResult:
        """Merge with what is on disk and write; raises SaveError (file unchanged) on failure.

        With nothing unsaved, a save only takes in what others saved (`refresh`).
        """
        if not self.dirty:
            current = self.place.signature()
            if current is None or current == self._signature:
                return SaveResult(False)
            with self._write_lock:
                taken, _ = self._refresh(current)  # no unsaved edits: nothing can conflict
            return SaveResult(False, taken)
        with self._write_lock:
            return self._save()

    def _save(self) -> SaveResult:
        taken: list[Change] = []
        found: list[Conflict] = []
        outcome: dict[str, Any] = {}

        def produce(current: bytes | None) -> bytes:
            theirs = None
            if current is not None:
                theirs = parse_assessment(current, self.label)
            with self._lock:
                if theirs is not None and current is not None:
                    more, conflicts = self._take_in(theirs, fingerprint(current))
                    taken.extend(more)
                    found.extend(conflicts)
                self._adopt_checklist()
                data = dumps(self.assessment)
                if len(data) > MAX_ASSESSMENT_BYTES * TRIM_SHARE:
                    dropped = trim_history(self.assessment, self.user, self.account)
                    if dropped:
                        self._edits += 1
                        self.base.history_length = max(0, self.base.history_length - dropped) + 1
                        data = dumps(self.assessment)
                outcome["edits"] = self._edits
                outcome["base"] = Base.of(self.assessment)
                outcome["size"] = len(data)
                return data

        with self._lock:
            self._saving = True
        try:
            written = self.place.save_merged(self._fingerprint, produce)
        except DecalogueError as error:
            with self._lock:
                self._saving, self._error = False, str(error)
                self._away = isinstance(error, Unreachable)
            raise
        with self._lock:
            self._saving, self._error, self._away = False, None, False
            self._fingerprint = written.fingerprint
            self._signature = written.signature
            self.base = outcome["base"]
            self._saved_edits = outcome["edits"]
            self._warning = _size_warning(self.place, outcome["size"])
        self._landed(outcome["edits"])
        return SaveResult(True, taken, found, self._warning)

    def save_or_recover(self) -> SaveOutcome:
        """Save; if the save cannot land, write a recovery copy and say where (never raises)."""
        try:
            return SaveOutcome(self.save())
        except DecalogueError as error:
            message = str(error)
        try:
            copy = self.save_recovery()
        except DecalogueError as error:
            return SaveOutcome(None, None, f"{message}; {error}")
        return SaveOutcome(None, copy, message)

    def adopt_checklist(self) -> bool:
        """Record the session's checklist in the file at the next save (an upgrade).

        False when there is nothing to record, or the checklist is older than the file's.
        """
        with self._lock:
            before = self.assessment.checklist
            self._adopt_checklist()
            if self.assessment.checklist == before:
                return False
            self._edits += 1
            return True

    def _adopt_checklist(self) -> None:
        """After drift, the file records the checklist its answers now belong to."""
        current = checklist_ref(self.checklist)
        old = self.assessment.checklist
        if old == current or self.older:
            return  # never record an older version over the file's newer one
        self.assessment.checklist = current
        self._record(
            Change(
                at=clock.now(),
                by=self.user,
                account=self.account,
                field="checklist",
                old=_describe_ref(old),
                new=_describe_ref(current),
            )
        )
        self.drift = False

    def reload(self) -> None:
        """Re-read the file, dropping unsaved edits (the person chose the file's version)."""
        with self._write_lock, self._lock:
            self._load(self.place.read())

    # -- who else is here

    def announce(self) -> None:
        """Tell other windows this one has the assessment open (see `Place.announce`)."""
        self.place.announce(self.user, self.account)

    def others_editing(self) -> list[presence.Presence]:
        """Other windows that have this assessment open (who, since when), oldest first."""
        return self.place.others()

    def close(self) -> None:
        """This window no longer has the assessment open."""
        self.place.close()


def _as_change(conflict: Conflict) -> Change:
    """A conflict as `refresh` lists it: their value, taken in for now, and mine."""
    return Change(
        at=conflict.their_at or clock.now(),
        by=conflict.their_by,
        item=conflict.item_id,
        field=conflict.field,
        old=plain(conflict.field, conflict.mine),
        new=plain(conflict.field, conflict.theirs),
        remark="conflict",
    )


def _own_checklist(place: Place, resolver: Checklists, ref: ChecklistRef) -> Checklist:
    """A file's checklist from the resolver; a database's the one stored with it, unless
    this computer has that very version (the same content hash)."""
    if place.path is not None:
        return resolver.find(ref, place.label)
    local = resolver.find_or_none(ref)
    if local is not None and local.content_hash == ref.hash:
        return local
    stored = place.checklist()
    return stored if stored is not None else resolver.find(ref, place.label)


def _size_warning(place: Place, size: int) -> str | None:
    if size <= MAX_ASSESSMENT_BYTES * WARN_SHARE:
        return None
    share = size * 100 // MAX_ASSESSMENT_BYTES
    kept = " (the .bak keeps the previous version)" if place.path is not None else ""
    return (
        f"{place.label} is {size:,} bytes, {share}% of the {MAX_ASSESSMENT_BYTES:,} "
        f"limit; above {TRIM_SHARE:.0%} the oldest history entries are trimmed on save{kept}"
    )
