"""The action plan of an assessment: every action with its item, ordered and filtered.

The TUI's Plan screen, `decalogue plan` and the reports' "Action plan" section
all read the plan from here, so an overdue action is overdue in the same way
everywhere: open (planned or in progress) with its deadline before `today`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from decalogue.model.actions import Action
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist

Order = Literal["deadline", "owner", "status", "item"]

#: What a plan is listed by, for the CLI's --sort and the Plan screen's key.
ORDERS: tuple[Order, ...] = ("deadline", "owner", "status", "item")

#: Shown where no institution is named.
NO_OWNER = "(no institution named)"


@dataclass(frozen=True)
class PlanEntry:
    """One action, with the item it belongs to and where that item sits."""

    item_id: str
    item_title: str
    pillar_id: str
    pillar_title: str
    position: int
    """The item's place in checklist order (for sorting by item)."""
    action: Action
    level: int | None
    target: int | None
    overdue: bool


@dataclass(frozen=True)
class Tally:
    """Counts of one group of actions (a pillar or an institution)."""

    key: str
    title: str
    total: int
    open: int
    overdue: int
    done: int
    dropped: int


def plan_entries(checklist: Checklist, assessment: Assessment, today: date) -> list[PlanEntry]:
    """Every action of the assessment, in checklist order (orphaned items' actions last)."""
    order = {item.id: n for n, item in enumerate(checklist.items)}
    entries = []
    for item_id, response in assessment.responses.items():
        item = checklist.item_index.get(item_id)
        place = checklist.places.get(item_id)
        for action in response.actions:
            entries.append(
                PlanEntry(
                    item_id=item_id,
                    item_title=item.title if item else "(no longer in the checklist)",
                    pillar_id=place.pillar.id if place else "",
                    pillar_title=place.pillar.title if place else "",
                    position=order.get(item_id, len(order)),
                    action=action,
                    level=None if response.not_applicable else response.level,
                    target=response.target,
                    overdue=action.overdue(today),
                )
            )
    entries.sort(key=lambda e: (e.position, e.item_id))
    return entries


def select(
    entries: Iterable[PlanEntry],
    *,
    owner: str | None = None,
    status: str | None = None,
    overdue: bool = False,
) -> list[PlanEntry]:
    """Filter by institution (case-insensitive, part of the name), status, overdue only."""
    wanted = (owner or "").casefold()
    return [
        entry
        for entry in entries
        if (not wanted or wanted in entry.action.owner.casefold())
        and (status is None or entry.action.status == status)
        and (not overdue or entry.overdue)
    ]


def ordered(entries: Sequence[PlanEntry], by: Order = "deadline") -> list[PlanEntry]:
    """Sorted for reading: by deadline (none last), institution, status or item."""
    statuses = {"planned": 1, "in_progress": 0, "done": 2, "dropped": 3}

    def key(entry: PlanEntry) -> tuple[object, ...]:
        action = entry.action
        deadline = (action.deadline is None, action.deadline or date.max)
        if by == "owner":
            return (action.owner.casefold() or "\uffff", deadline, entry.position)
        if by == "status":
            return (statuses[action.status], deadline, entry.position)
        if by == "item":
            return (entry.position, deadline)
        return (*deadline, entry.position)

    return sorted(entries, key=key)


def owners(assessment: Assessment) -> list[str]:
    """The institutions already named in this assessment, for picking instead of typing."""
    names = {a.owner for r in assessment.responses.values() for a in r.actions if a.owner}
    return sorted(names, key=str.casefold)


def tallies(entries: Sequence[PlanEntry], by: Literal["pillar", "owner"]) -> list[Tally]:
    """Counts per pillar (checklist order) or per institution (by name)."""
    groups: dict[str, list[PlanEntry]] = {}
    titles: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: e.position):
        if by == "pillar":
            key, title = entry.pillar_id or "-", entry.pillar_title or "(orphaned items)"
        else:
            key = title = entry.action.owner or NO_OWNER
        groups.setdefault(key, []).append(entry)
        titles[key] = title
    keys = list(groups) if by == "pillar" else sorted(groups, key=str.casefold)
    result = []
    for key in keys:
        members = groups[key]
        counts = Counter(e.action.status for e in members)
        result.append(
            Tally(
                key=key,
                title=titles[key],
                total=len(members),
                open=counts["planned"] + counts["in_progress"],
                overdue=sum(1 for e in members if e.overdue),
                done=counts["done"],
                dropped=counts["dropped"],
            )
        )
    return result


@dataclass(frozen=True)
class PlanProgress:
    """What happened to the plan between two periods of one country."""

    completed: list[tuple[str, Action]]
    """(item id, action) done in the later assessment but open (or absent) in the earlier."""
    gaps_closed: list[str]
    """Items below their target earlier that reached it later."""


def progress_between(earlier: Assessment, later: Assessment) -> PlanProgress:
    def open_ids(assessment: Assessment) -> set[str]:
        return {a.id for r in assessment.responses.values() for a in r.actions if a.open}

    before_open = open_ids(earlier)
    before_done = {
        a.id for r in earlier.responses.values() for a in r.actions if a.status == "done"
    }
    completed = [
        (item_id, action)
        for item_id, response in sorted(later.responses.items())
        for action in response.actions
        if action.status == "done" and (action.id in before_open or action.id not in before_done)
    ]
    closed = []
    for item_id, old in sorted(earlier.responses.items()):
        new = later.responses.get(item_id)
        if old.target is None or old.level is None or old.level >= old.target:
            continue
        if new is not None and new.level is not None and new.level >= old.target:
            closed.append(item_id)
    return PlanProgress(completed=completed, gaps_closed=closed)
