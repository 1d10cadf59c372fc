"""An open assessment: what the TUI, the CLI and `serve` edit and save.

The session owns the checklist, the answers and the live scores; `Kept` (its
keeping part, `session.keeping`) owns the place they are saved to. Every edit
goes through one typed path (`edit`): validated once, applied by
`Assessment.apply` (so the history records who changed what), scored at once,
undoable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from decalogue import clock
from decalogue.errors import DecalogueError
from decalogue.model.actions import Action
from decalogue.model.assessment import (
    FIELDS,
    NA_NEEDS_REASON,
    Answer,
    Change,
    Evidence,
    Status,
    field_value,
    plain,
)
from decalogue.model.merge import Conflict, last_author
from decalogue.model.readiness import Readiness, readiness
from decalogue.session.keeping import Kept
from decalogue.storage.place import Loaded

#: How many of the session's own edits undo remembers.
UNDO_LIMIT = 500


@dataclass(frozen=True)
class _Step:
    """One of the session's own edits, for undo and redo."""

    item_id: str
    field: str
    before: Any
    after: Any


class Session(Kept):
    """An open assessment: checklist + answers + live scores + the place they are saved to."""

    def _load(self, loaded: Loaded) -> None:
        super()._load(loaded)
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []

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

    def value(self, item_id: str, field: str) -> Any:
        """One field of one item as edits take it (an Answer for the answer)."""
        with self._lock:
            return field_value(self.assessment.responses.get(item_id), field)

    def edit_since(self, item_id: str, field: str, value: Any, shown: Any) -> Change | None:
        """An edit typed in an editor that opened on `shown` (`value(item_id, field)` then).

        While the editor was open, a colleague's save may have been taken in: their value
        is never overwritten unseen. Closing the editor with what it showed changes
        nothing; anything else typed is a conflict (theirs kept, mine in the history and
        in `conflicts`, for the person to choose), as when both sides save.
        """
        value = self.validate(item_id, field, value)
        with self._lock:
            self.check_not_final()
            current = self.value(item_id, field)
            if current == shown:
                return self._apply(item_id, field, value, undoable=True)
            if value in (shown, current):
                return None
            response = self.assessment.responses.get(item_id)
            by, at, _ = last_author(self.assessment.history, item_id, field, response)
            return self._set_aside(Conflict(item_id, field, value, current, by, at))

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

    def check_not_final(self) -> None:
        """A final assessment keeps the figures its reports showed until someone reopens it
        (DecalogueError saying how); a front end asks before opening an editor."""
        if self.assessment.status == "final":
            by = f" by {self.assessment.status_by}" if self.assessment.status_by else ""
            raise DecalogueError(
                f"{self.label} is final{by}: nothing changed; to change it, move it back to "
                f"review first (decalogue status {self.label} review)"
            )

    def _apply(
        self, item_id: str, field: str, value: Any, *, undoable: bool, remark: str = ""
    ) -> Change | None:
        with self._lock:
            self.check_not_final()
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


def _first_error(error: ValidationError | TypeError) -> str:
    if isinstance(error, TypeError):
        return str(error)
    detail = error.errors(include_url=False)[0]
    return str(detail["msg"]).removeprefix("Value error, ")
