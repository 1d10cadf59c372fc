"""What a save says back: saved or not, what was taken in, and the state a header shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from decalogue.model.assessment import Change
from decalogue.model.merge import Conflict


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
    waiting: bool = False
    """The place cannot be reached now (a database server away): the edits wait here."""
