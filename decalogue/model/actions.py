"""Actions: what a country will do about an item, by whom, by when, and how far it got.

An item's actions are its part of the national action plan (owner, deadline,
status, progress, budget line, and the gap it closes). They live on the item's
response and change through `Assessment.apply`, so every edit is in the history.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: The states of an action, in the order a plan lists them.
STATUSES = ("planned", "in_progress", "done", "dropped")
Status = Literal["planned", "in_progress", "done", "dropped"]

#: How the statuses read in reports.
STATUS_WORDS = {
    "planned": "planned",
    "in_progress": "in progress",
    "done": "done",
    "dropped": "dropped",
}

Level = Annotated[int, Field(ge=0, le=100)]


def parse_deadline(text: str) -> date | None:
    """A deadline as typed (YYYY-MM-DD; empty for none), or ValueError saying what is wrong.

    '2026-02-30' has the right form and no day: the message says which, since telling a
    person who wrote YYYY-MM-DD to write YYYY-MM-DD sends them looking for the wrong fault.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(
                f"{text!r} is not a day of the calendar (check the day and the month)"
            ) from None
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def new_action_id() -> str:
    return uuid.uuid4().hex[:8]


class Action(BaseModel):
    """One step of the action plan, attached to one item."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")] = Field(
        default_factory=new_action_id
    )
    """Stable within the assessment; CSV round trips match rows on it."""
    what: Annotated[str, Field(min_length=1, max_length=5_000)]
    """What will be done."""
    owner: Annotated[str, Field(max_length=300)] = ""
    """The responsible institution: a ministry, an agency or an NGO."""
    deadline: date | None = None
    """The date the action is due; none when not set."""
    status: Status = "planned"
    """Where the action stands: planned, in_progress, done or dropped."""
    progress: Annotated[str, Field(max_length=20_000)] = ""
    """Progress notes."""
    budget: Annotated[str, Field(max_length=300)] = ""
    """An optional budget line (its name or reference, not a sum the app adds up)."""
    from_level: Level | None = None
    """The level the gap starts from (usually the item's level when the action was set)."""
    to_level: Level | None = None
    """The level the action should bring the item to (usually its target)."""
    carried_from: Annotated[str, Field(max_length=40)] = ""
    """The period of the assessment this action was carried forward from, if any."""
    proposed_by: Annotated[str, Field(max_length=500)] = Field(
        default="", exclude_if=lambda text: not text
    )
    """In a workshop consensus: the groups that proposed it, until the room accepts it
    (saving it in the actions dialog accepts it; deleting it drops it). Empty otherwise."""

    @model_validator(mode="after")
    def _gap_goes_up(self) -> Action:
        low, high = self.from_level, self.to_level
        if low is not None and high is not None and high < low:
            raise ValueError("an action closes a gap upwards: to_level below from_level")
        return self

    @property
    def open(self) -> bool:
        return self.status in ("planned", "in_progress")

    @property
    def proposal(self) -> bool:
        """Proposed in a workshop and not yet accepted by the room: not part of the plan yet."""
        return bool(self.proposed_by)

    def overdue(self, today: date) -> bool:
        """Open with its deadline past (a deadline today is not overdue yet); never a proposal."""
        return (
            self.open and not self.proposal and self.deadline is not None and self.deadline < today
        )


def carry_actions(actions: list[Action], period: str) -> list[Action]:
    """Into the next period: open actions go on, done ones stay on record, dropped ones end.

    Each keeps its id (so progress can be followed across periods) and says which
    period it came from.
    """
    return [
        action.model_copy(update={"carried_from": action.carried_from or period})
        for action in actions
        if action.status != "dropped"
    ]


def pool_proposals(proposals: list[tuple[str, Action]]) -> list[Action]:
    """Groups' actions for one item as the consensus's proposals: one per distinct action
    (same words and institution), naming every group that proposed it."""
    pooled: dict[tuple[str, str], Action] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for group, action in proposals:
        if action.status == "dropped":
            continue
        key = (" ".join(action.what.casefold().split()), action.owner.casefold().strip())
        pooled.setdefault(key, action)
        groups.setdefault(key, [])
        if group not in groups[key]:
            groups[key].append(group)
    return [
        action.model_copy(update={"proposed_by": ", ".join(groups[key])})
        for key, action in pooled.items()
    ]
