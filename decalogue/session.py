"""An open assessment: what the TUI, the CLI and `serve` edit and save.

The session owns the checklist, the answers, the live scores and the file they
are saved to. Every edit goes through one typed path (`edit`): validated once,
applied by `Assessment.apply` (so the history records who changed what), scored
at once, undoable. A save merges: under the file's lock it reads what is on
disk and, if someone else saved since this session's *base* (the version it
loaded or last merged), takes their changes in field by field
(`decalogue.model.merge`) before writing. Only the same field of the same item
changed differently on both sides is a conflict; both values are kept in the
history and the conflict waits in `conflicts` until the person chooses.
Saving may run in a worker thread while the user keeps typing.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from decalogue import clock
from decalogue.errors import AssessmentError, DecalogueError
from decalogue.model.actions import Action
from decalogue.model.assessment import (
    FIELDS,
    NA_NEEDS_REASON,
    Answer,
    Assessment,
    Change,
    ChecklistRef,
    Evidence,
    Status,
    checklist_ref,
    field_value,
    plain,
)
from decalogue.model.checklist import Checklist
from decalogue.model.merge import Base, Conflict, merge_into
from decalogue.model.readiness import Readiness, readiness
from decalogue.model.scoring import ScoreBoard
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
from decalogue.storage.place import FilePlace, Loaded, Place
from decalogue.storage.profile import Identity, current_identity, os_account

__all__ = ["Conflict", "SaveOutcome", "SaveResult", "SaveState", "Session"]

#: A save above this share of MAX_ASSESSMENT_BYTES warns (SaveResult.warning).
WARN_SHARE = 0.5

#: A save above this share trims the oldest history entries (see trim_history).
TRIM_SHARE = 0.75

#: How many of the session's own edits undo remembers.
UNDO_LIMIT = 500


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    """Something was written (False: nothing of this session's was unsaved)."""
    merged: list[Change] = field(default_factory=list)
    """Other people's changes taken in by this save: who, when, which item and field."""
    conflicts: list[Conflict] = field(default_factory=list)
    """Conflicts this save found (all open ones are in `Session.conflicts`)."""
    warning: str | None = None
    """The file is getting large (over half the limit); says what will happen."""

    def __bool__(self) -> bool:
        return self.saved


@dataclass(frozen=True)
class SaveOutcome:
    """`save_or_recover`: saved, or where the work went instead and why."""

    result: SaveResult | None
    recovered: Path | None = None
    """The recovery copy written because the save could not land."""
    error: str | None = None


@dataclass(frozen=True)
class SaveState:
    """What a status line shows, derived from the session only."""

    dirty: bool
    saving: bool
    conflicts: int
    error: str | None
    """Why the last save failed; None after a save that landed."""
    warning: str | None


@dataclass(frozen=True)
class _Step:
    """One of the session's own edits, for undo and redo."""

    item_id: str
    field: str
    before: Any
    after: Any


def _describe_ref(ref: ChecklistRef) -> str:
    return f"{ref.id} {ref.version} {ref.hash}"


class Session:
    """An open assessment: checklist + answers + live scores + the place they are saved to."""

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
        self.conflicts = []
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        ref = self.assessment.checklist
        self.older = ref.id == self.checklist.meta.id and is_older(
            self.checklist.meta.version, ref.version
        )
        self._edits = 0
        self._saved_edits = 0

    # -- opening

    @classmethod
    def open(
        cls,
        where: Path | Place,
        checklist: Checklist | str | Path | None = None,
        user: str | Identity | None = None,
        *,
        force: bool = False,
        checklists: Checklists | None = None,
    ) -> Session:
        """Open an assessment (a file, or any place) with its own checklist (bundled or
        registered, found by id and version; for a database, the one stored with it), or
        the one given.

        A checklist with another id than the file's is refused unless `force`: its
        answers would silently stop being scored.
        """
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
        cls, stored: store.Stored, checklist: Checklist, user: str | Identity | None = None
    ) -> Session:
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
                self.dirty, self._saving, len(self.conflicts), self._error, self._warning
            )

    # -- editing: one typed path

    def edit(self, item_id: str, field: str, value: Any) -> Change | None:
        """Change one field of one item: "answer" (an Answer) or one of EDITABLE.

        Validated here, once: the item, the field, the level against the scale, an
        N/A's reason. Raises DecalogueError with one line naming the item.
        """
        value = self.validate(item_id, field, value)
        return self._apply(item_id, field, value, undoable=True)

    def set_answer(self, item_id: str, answer: Answer) -> Change | None:
        """Set a level, N/A with its reason, or clear the answer (Answer())."""
        return self.edit(item_id, "answer", answer)

    def set_field(self, item_id: str, field: str, value: Any) -> Change | None:
        """Change target, notes, evidence, flagged, finding or carried of one item."""
        return self.edit(item_id, field, value)

    def validate(self, item_id: str, field: str, value: Any) -> Any:
        """The value as the assessment stores it, or DecalogueError naming the item."""
        if item_id not in self.checklist.item_index:
            raise DecalogueError(f"{item_id}: no such item in checklist {self.checklist.meta.id}")
        if field not in FIELDS:
            editable = ", ".join(f for f in FIELDS if f != "answer")
            raise DecalogueError(f"{item_id}: {field!r} cannot be edited (one of {editable})")
        if field == "answer":
            if not isinstance(value, Answer):
                raise DecalogueError(f"{item_id}: an answer is a level, N/A with a reason, or none")
            if value.level is not None:
                if value.na_reason is not None:
                    raise DecalogueError(
                        f"{item_id}: an item is either N/A or has a level, not both"
                    )
                self._check_level(item_id, value.level)
            if value.na_reason is not None and not value.na_reason.strip():
                raise DecalogueError(f"{item_id}: {NA_NEEDS_REASON}")
        if field == "target" and value is not None:
            self._check_level(item_id, value)
        if field == "evidence":
            try:
                value = [
                    e if isinstance(e, Evidence) else Evidence.model_validate(e) for e in value
                ]
            except (ValidationError, TypeError) as error:
                raise DecalogueError(f"{item_id}: evidence: {_first_error(error)}") from None
        if field == "actions":
            try:
                value = [a if isinstance(a, Action) else Action.model_validate(a) for a in value]
            except (ValidationError, TypeError) as error:
                raise DecalogueError(f"{item_id}: actions: {_first_error(error)}") from None
        return value

    def confirm(self, item_id: str) -> Change | None:
        """Confirm a carried-forward answer as this period's; None if it was not carried."""
        return self.set_field(item_id, "carried", False)

    def readiness(self) -> Readiness:
        """What stands between the assessment and "final" (the core's readiness check)."""
        with self._lock:
            return readiness(self.checklist, self.assessment)

    def set_status(self, status: Status, *, force: bool = False) -> Change | None:
        """Move to draft, review or final; "final" needs the readiness check to pass.

        `force=True` moves to final anyway (the reports then still list what was open).
        Raises DecalogueError naming what blocks "final"; nothing changes then.
        """
        with self._lock:
            if status == "final" and not force:
                check = readiness(self.checklist, self.assessment)
                if not check.ready:
                    raise DecalogueError(
                        f"{self.label}: {check.summary()}; nothing changed "
                        "(see `decalogue check`, or --force to mark it final anyway)"
                    )
            change = self.assessment.set_status(status, self.user, account=self.account)
            if change is not None:
                self._edits += 1
            return change

    def _check_level(self, item_id: str, level: int) -> None:
        if level not in self.checklist.scale.by_value:
            raise DecalogueError(
                f"{item_id}: level {level} is not on the scale (0-{self.checklist.scale.max_level})"
            )

    def _apply(
        self, item_id: str, field: str, value: Any, *, undoable: bool, remark: str = ""
    ) -> Change | None:
        with self._lock:
            before = field_value(self.assessment.responses.get(item_id), field)
            try:
                change = self.assessment.apply(
                    item_id, field, value, self.user, account=self.account, remark=remark
                )
            except ValidationError as error:
                raise DecalogueError(f"{item_id}: {field}: {_first_error(error)}") from None
            if change is None:
                return None
            self._edits += 1
            self._rescore(item_id)
            after = field_value(self.assessment.responses.get(item_id), field)
            if undoable:
                self._undo.append(_Step(item_id, field, before, after))
                del self._undo[:-UNDO_LIMIT]
                self._redo.clear()
            # A new value of a conflicting field is the person's choice.
            self.conflicts = [c for c in self.conflicts if (c.item_id, c.field) != (item_id, field)]
            return change

    def _rescore(self, item_id: str) -> None:
        if item_id in self.checklist.item_index:
            self.board.refresh(item_id)

    def _record(self, change: Change) -> Change:
        """A history entry that changes no value (a conflict, a choice): saved with the rest."""
        self.assessment.history.append(change)
        self.assessment.updated = change.at
        self._edits += 1
        return change

    # -- undo and redo (this session's own edits)

    def undo(self) -> Change | None:
        """Undo the last own edit still in place (a colleague's later change is skipped)."""
        return self._step(self._undo, self._redo, back=True)

    def redo(self) -> Change | None:
        """Redo the last undone edit, if its field still holds what the undo left."""
        return self._step(self._redo, self._undo, back=False)

    def _step(self, source: list[_Step], target: list[_Step], *, back: bool) -> Change | None:
        with self._lock:
            while source:
                step = source.pop()
                expected, value = (step.after, step.before) if back else (step.before, step.after)
                if self._current(step) != expected:
                    continue  # changed since by someone else: not this session's to take back
                change = self._apply(
                    step.item_id,
                    step.field,
                    value,
                    undoable=False,
                    remark="undo" if back else "redo",
                )
                target.append(step)
                return change
            return None

    def _current(self, step: _Step) -> Any:
        return field_value(self.assessment.responses.get(step.item_id), step.field)

    # -- conflicts

    def resolve(self, item_id: str, field: str, keep: Literal["mine", "theirs"]) -> Change | None:
        """Settle a conflict: keep my value or theirs; the choice is recorded in the history."""
        with self._lock:
            conflict = next(
                (c for c in self.conflicts if (c.item_id, c.field) == (item_id, field)), None
            )
            if conflict is None:
                return None
            chosen = conflict.mine if keep == "mine" else conflict.theirs
            whose = self.user if keep == "mine" else conflict.their_by or "the other"
            remark = f"conflict resolved: kept {whose}'s value"
            change = self._apply(item_id, field, chosen, undoable=True, remark=remark)
            if change is None:  # theirs is already the value: record the choice
                change = self._record(
                    Change(
                        at=clock.now(),
                        by=self.user,
                        account=self.account,
                        item=item_id,
                        field=field,
                        old=plain(field, conflict.mine),
                        new=plain(field, chosen),
                        remark=remark,
                    )
                )
            self.conflicts = [c for c in self.conflicts if c is not conflict]
            return change

    # -- taking other people's changes in

    def refresh(self) -> list[Change]:
        """Take in what someone else saved since; what changed (who, which item and field).

        A conflict (a field changed here, unsaved, and differently there) is listed too,
        with the remark "conflict", and waits in `conflicts`. One stat when nothing
        changed, so a window can call this every second or two. A file that no longer
        parses raises AssessmentError once, not at every call.
        """
        self.place.keep_present()
        current = self.place.signature()
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
            self._rescore(conflict.item_id)
            self._record(
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
                        "(old) is kept until someone chooses; this one (new) is set aside"
                    ),
                )
            )
            self.conflicts = [
                c
                for c in self.conflicts
                if (c.item_id, c.field) != (conflict.item_id, conflict.field)
            ]
            self.conflicts.append(conflict)
        self.orphaned = self.assessment.orphaned(self.checklist)
        self.drift = not self.assessment.matches(self.checklist)
        return merged.taken, merged.conflicts

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
            raise
        with self._lock:
            self._saving, self._error = False, None
            self._fingerprint = written.fingerprint
            self._signature = written.signature
            self.base = outcome["base"]
            self._saved_edits = outcome["edits"]
            self._warning = _size_warning(self.place, outcome["size"])
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

    def save_recovery(self, folder: Path | None = None) -> Path:
        """The answers as they are, in a new file, when the file itself cannot be saved:
        in `folder` (a served workspace's recovery folder), else beside the file, else in
        the user's data folder (a database's copies: there); its path. Raises SaveError when
        none can be written."""
        with self._lock:
            data = dumps(self.assessment)
        return self.place.write_recovery(data, folder)

    def recover_to(self, path: Path) -> Path:
        """Write the session's whole assessment to `path` (atomically; never over a file)."""
        with self._lock:
            data = dumps(self.assessment)
        store.save_bytes(path, data, None)
        return path

    def recoveries(self, folder: Path | None = None) -> list[Path]:
        """Recovery copies of this assessment left by earlier runs (also those in `folder`),
        newest first."""
        return self.place.find_recoveries(folder)

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


def _first_error(error: ValidationError | TypeError) -> str:
    if isinstance(error, TypeError):
        return str(error)
    detail = error.errors(include_url=False)[0]
    return str(detail["msg"]).removeprefix("Value error, ")


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
