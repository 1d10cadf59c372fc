"""An open assessment: what the TUI edits and saves.

The session owns the checklist, the answers, the live scores and the file they
are saved to. Edits go through `Assessment.apply` (so they are recorded in the
history) and refresh only the scores they affect. Saving may run in a worker
thread while the user keeps typing: the assessment is serialised under a lock,
written outside it, and the session stays dirty if edits arrived meanwhile.
"""

from __future__ import annotations

import getpass
import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from decalogue.errors import AssessmentError, DecalogueError, Problem, display_path
from decalogue.model.actions import Action
from decalogue.model.assessment import (
    EDITABLE,
    Answer,
    Assessment,
    Change,
    ChecklistRef,
    Evidence,
    Status,
    checklist_ref,
    now,
)
from decalogue.model.checklist import Checklist
from decalogue.model.readiness import Readiness, readiness
from decalogue.model.scoring import ScoreBoard
from decalogue.storage import store
from decalogue.storage.assessment_file import check_against, dumps
from decalogue.storage.checklists import find_checklist, load_checklist

#: The fields `set_field` accepts: those of EDITABLE.
FIELDS = EDITABLE


def default_user(assessment: Assessment) -> str:
    """Who edits: the first assessor, else the login name."""
    if assessment.assessors:
        return assessment.assessors[0].name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def _describe_ref(ref: ChecklistRef) -> str:
    return f"{ref.id} {ref.version} {ref.hash}"


class Session:
    """An open assessment: checklist + answers + live scores + the file they are saved to.

    Thread-safe saving.
    """

    checklist: Checklist
    assessment: Assessment
    board: ScoreBoard
    path: Path
    user: str
    orphaned: list[str]
    """Answered item ids the checklist no longer has (kept in the file, reported)."""
    drift: bool
    """The checklist differs from the one the answers were given against."""

    def __init__(self, stored: store.Stored, checklist: Checklist, user: str | None = None) -> None:
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self.checklist = checklist
        self.path = stored.path
        self._explicit_user = user
        self._load(stored)

    def _load(self, stored: store.Stored) -> None:
        problems = check_against(stored.assessment, self.checklist, display_path(stored.path))
        if problems:
            raise AssessmentError(problems)
        self.assessment = stored.assessment
        self._fingerprint = stored.fingerprint
        self.board = ScoreBoard(self.checklist, self.assessment.responses)
        self.user = self._explicit_user or default_user(self.assessment)
        self.orphaned = self.assessment.orphaned(self.checklist)
        self.drift = not self.assessment.matches(self.checklist)
        self._edits = 0
        self._saved_edits = 0

    # -- opening

    @classmethod
    def open(
        cls,
        path: Path,
        checklist: Checklist | str | Path | None = None,
        user: str | None = None,
    ) -> Session:
        stored = store.read(path)
        if checklist is None:
            found = find_checklist(stored.assessment.checklist)
            if found is None:
                ref = stored.assessment.checklist
                raise AssessmentError(
                    [
                        Problem(
                            display_path(path),
                            f"answers checklist {ref.id} {ref.version}, which is not bundled "
                            "with decalogue; open it with that checklist's file (--checklist PATH)",
                            field="checklist",
                        )
                    ]
                )
            checklist = found
        elif not isinstance(checklist, Checklist):
            checklist = load_checklist(checklist)
        return cls(stored, checklist, user)

    @classmethod
    def from_stored(
        cls, stored: store.Stored, checklist: Checklist, user: str | None = None
    ) -> Session:
        return cls(stored, checklist, user)

    # -- state

    @property
    def dirty(self) -> bool:
        return self._edits != self._saved_edits

    @property
    def fingerprint(self) -> str:
        """sha256 of the file as last loaded or saved by this session."""
        return self._fingerprint

    # -- editing

    def set_answer(self, item_id: str, answer: Answer) -> Change | None:
        """Set a level, N/A with its reason, or clear the answer (Answer())."""
        self._check_item(item_id)
        if answer.level is not None:
            if answer.na_reason is not None:
                raise DecalogueError(f"{item_id}: an item is either N/A or has a level, not both")
            self._check_level(item_id, answer.level)
        if answer.na_reason is not None and not answer.na_reason.strip():
            raise DecalogueError(f"{item_id}: N/A needs a reason")
        return self._apply(item_id, "answer", answer)

    def set_field(self, item_id: str, field: str, value: Any) -> Change | None:
        """Change target, notes, evidence, flagged, finding or carried of one item."""
        self._check_item(item_id)
        if field not in FIELDS:
            raise DecalogueError(
                f"{item_id}: {field!r} cannot be edited (one of {', '.join(FIELDS)})"
            )
        if field == "target" and value is not None:
            self._check_level(item_id, value)
        if field == "evidence":
            value = [e if isinstance(e, Evidence) else Evidence.model_validate(e) for e in value]
        if field == "actions":
            value = [a if isinstance(a, Action) else Action.model_validate(a) for a in value]
        return self._apply(item_id, field, value)

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
                        f"{display_path(self.path)}: {check.summary()}; nothing changed "
                        "(see `decalogue check`, or --force to mark it final anyway)"
                    )
            change = self.assessment.set_status(status, self.user)
            if change is not None:
                self._edits += 1
            return change

    def _apply(self, item_id: str, field: str, value: Any) -> Change | None:
        with self._lock:
            try:
                change = self.assessment.apply(item_id, field, value, self.user)
            except ValidationError as error:
                detail = error.errors(include_url=False)[0]
                message = str(detail["msg"]).removeprefix("Value error, ")
                raise DecalogueError(f"{item_id}: {field}: {message}") from None
            if change is not None:
                self._edits += 1
                self.board.refresh(item_id)
            return change

    def _check_item(self, item_id: str) -> None:
        if item_id not in self.checklist.item_index:
            raise DecalogueError(f"{item_id}: no such item in checklist {self.checklist.meta.id}")

    def _check_level(self, item_id: str, level: int) -> None:
        if level not in self.checklist.scale.by_value:
            raise DecalogueError(
                f"{item_id}: level {level} is not on the scale (0-{self.checklist.scale.max_level})"
            )

    # -- saving

    def save(self, *, overwrite: bool = False) -> bool:
        """Write the assessment if it has unsaved edits; False when there was nothing to save.

        `overwrite=True` replaces a version saved meanwhile by someone else (after the user
        chose to keep theirs); a file that is no longer a valid assessment is still refused.
        Raises SaveError / ConflictError; the file on disk is then unchanged.
        """
        with self._write_lock:
            with self._lock:
                if not self.dirty:
                    return False
                self._adopt_checklist()
                data = dumps(self.assessment)
                edits = self._edits
                expected = self._fingerprint
            if overwrite:
                expected = store.read(self.path).fingerprint
            new = store.save_bytes(self.path, data, expected)
            with self._lock:
                self._fingerprint = new
                self._saved_edits = edits
            return True

    def _adopt_checklist(self) -> None:
        """After drift, the file records the checklist its answers now belong to."""
        current = checklist_ref(self.checklist)
        old = self.assessment.checklist
        if old == current:
            return
        at = now()
        self.assessment.checklist = current
        self.assessment.history.append(
            Change(
                at=at,
                by=self.user,
                field="checklist",
                old=_describe_ref(old),
                new=_describe_ref(current),
            )
        )
        self.assessment.updated = at
        self.drift = False

    def save_recovery(self, folder: Path) -> Path:
        """The answers as they are, in a new file in `folder`, when the file itself cannot
        be saved and no one is there to choose (a browser tab closed): nothing is lost."""
        stamp = now().strftime("%Y%m%dT%H%M%SZ")
        folder.mkdir(mode=0o700, exist_ok=True)
        with self._lock:
            copy = self.assessment.model_copy(deep=True)
        path = folder / f"{self.path.stem}-{stamp}.json"
        store.create(path, copy)
        return path

    def reload(self) -> None:
        """Re-read the file, dropping unsaved edits (the user took the file's version)."""
        with self._write_lock, self._lock:
            self._load(store.read(self.path))
