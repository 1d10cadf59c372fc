"""Reopen an assessment where the user left off: the highlighted item, kept per user.

The place is written (storage.resume) a moment after the cursor stops moving,
and when the screen closes; never on every keystroke.
"""

from __future__ import annotations

from textual.timer import Timer
from textual.widget import Widget

from decalogue.storage import resume

#: Seconds the cursor rests on an item before its place is written.
DELAY = 1.0


class Resume:
    """The last highlighted item of one assessment for one user."""

    def __init__(self, owner: Widget, assessment_id: str, user: str) -> None:
        self.owner = owner
        self.assessment_id = assessment_id
        self.user = user
        self._pending: str | None = None
        self._timer: Timer | None = None

    def last(self) -> str | None:
        return resume.last_item(self.assessment_id, self.user)

    def note(self, item_id: str) -> None:
        self._pending = item_id
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.owner.set_timer(DELAY, self.flush)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._pending is not None:
            resume.remember(self.assessment_id, self.user, self._pending)
            self._pending = None
