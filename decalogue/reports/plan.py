"""The action plan as a terminal table, Markdown, CSV or JSON, and as a report section.

The CSV here is also the file an official edits and reads back with
`decalogue plan FILE --csv plan.csv` (see `reports.plan_csv`): one row per
action, with the item and the action's id, so rows find their action again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from decalogue.analysis.plan import PlanEntry, Tally, ordered, tallies
from decalogue.model.actions import STATUS_WORDS, Action
from decalogue.plural import counted
from decalogue.reports import tables, text
from decalogue.reports.scorecard import Scorecard

#: The CSV's columns, in order; `plan_csv` reads the same names.
CSV_COLUMNS = (
    "item_id",
    "action_id",
    "what",
    "owner",
    "deadline",
    "status",
    "progress",
    "budget",
    "from_level",
    "to_level",
)


def deadline_text(entry: PlanEntry) -> str:
    deadline = entry.action.deadline
    return deadline.isoformat() if deadline else "no deadline"


def status_text(entry: PlanEntry) -> str:
    if entry.action.proposal:
        return f"proposed by {text.one_line(entry.action.proposed_by)}, not yet accepted"
    words = STATUS_WORDS[entry.action.status]
    return f"{words}, OVERDUE" if entry.overdue else words


def gap_text(entry: PlanEntry) -> str:
    low, high = entry.action.from_level, entry.action.to_level
    if low is None and high is None:
        return ""
    return f"{'?' if low is None else low} → {'?' if high is None else high}"


def render_table(entries: Sequence[PlanEntry], today: date) -> str:
    if not entries:
        return "No actions match."
    headers = ("DEADLINE", "STATUS", "ITEM", "INSTITUTION", "GAP", "WHAT")
    rows = [
        (
            deadline_text(e),
            status_text(e),
            e.item_id,
            text.cut(e.action.owner or "-", 30),
            gap_text(e),
            text.cut(e.action.what, 60),
        )
        for e in entries
    ]
    overdue = sum(1 for e in entries if e.overdue)
    footer = f"{counted(len(entries), 'action')}; {overdue} overdue on {today.isoformat()}."
    return tables.aligned(headers, rows, right=()) + "\n\n" + footer


def _tally_rows(counts: Sequence[Tally]) -> list[list[str]]:
    return [
        [text.cell(t.title), str(t.total), str(t.open), str(t.overdue), str(t.done)] for t in counts
    ]


def render_markdown(entries: Sequence[PlanEntry], today: date, *, heading: str = "#") -> str:
    """The plan as a Markdown section: counts by pillar and institution, then every action."""
    lines = [f"{heading} Action plan", ""]
    if not entries:
        lines.append("No actions are recorded in this assessment.")
        return "\n".join(lines) + "\n"
    overdue = sum(1 for e in entries if e.overdue)
    lines += [
        f"{counted(len(entries), 'action')}; {overdue} overdue on {today.isoformat()} "
        "(open, with the deadline passed).",
        "",
    ]
    headers = ["", "Actions", "Open", "Overdue", "Done"]
    for title, by in (("By pillar", "pillar"), ("By institution", "owner")):
        lines += [f"{heading}# {title}", ""]
        headers[0] = "Pillar" if by == "pillar" else "Institution"
        lines += [tables.markdown(headers, _tally_rows(tallies(entries, by)), {1, 2, 3, 4}), ""]  # type: ignore[arg-type]
    lines += [f"{heading}# Actions by deadline", ""]
    rows = [
        [
            deadline_text(e),
            status_text(e),
            f"{e.item_id} {text.cell(e.item_title)}",
            text.cell(e.action.owner or "-"),
            gap_text(e),
            text.cell(e.action.what),
            text.cell(e.action.progress),
        ]
        for e in entries
    ]
    lines.append(
        tables.markdown(
            ["Deadline", "Status", "Item", "Institution", "Gap", "Action", "Progress"], rows, ()
        )
    )
    return "\n".join(lines) + "\n"


def csv_rows(entries: Sequence[PlanEntry]) -> list[list[Any]]:
    return [
        [
            e.item_id,
            e.action.id,
            e.action.what,
            e.action.owner,
            e.action.deadline.isoformat() if e.action.deadline else "",
            e.action.status,
            e.action.progress,
            e.action.budget,
            "" if e.action.from_level is None else e.action.from_level,
            "" if e.action.to_level is None else e.action.to_level,
        ]
        for e in entries
    ]


def render_csv(entries: Sequence[PlanEntry]) -> str:
    return tables.csv_text(CSV_COLUMNS, csv_rows(entries))


def entry_json(entry: PlanEntry) -> dict[str, Any]:
    return {
        "item": entry.item_id,
        "item_title": entry.item_title,
        "pillar": entry.pillar_id,
        "overdue": entry.overdue,
        "level": entry.level,
        "target": entry.target,
        **entry.action.model_dump(mode="json"),
    }


def render_json(entries: Sequence[PlanEntry], today: date) -> str:
    document = {
        "today": today.isoformat(),
        "actions": [entry_json(e) for e in entries],
        "by_pillar": [t.__dict__ for t in tallies(entries, "pillar")],
        "by_institution": [t.__dict__ for t in tallies(entries, "owner")],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def card_entries(card: Scorecard) -> list[PlanEntry]:
    """The plan as a scorecard holds it (actions on items), in deadline order."""
    pillars = {p.id: p.title for p in card.pillars}
    entries = [
        PlanEntry(
            item_id=item.id,
            item_title=item.title,
            pillar_id=item.pillar,
            pillar_title=pillars.get(item.pillar, ""),
            position=position,
            action=Action.model_validate(info.model_dump(exclude={"overdue"})),
            level=item.level,
            target=item.target,
            overdue=info.overdue,
        )
        for position, item in enumerate(card.items)
        for info in item.actions
    ]
    return ordered(entries, "deadline")


def plan_date(card: Scorecard) -> date:
    return card.action_plan.as_of if card.action_plan else card.generated_at.date()
