"""Reading an edited action-plan CSV back: every row checked, nothing applied if one is wrong.

The CSV is the one `decalogue plan FILE --format csv` writes (`reports.plan`).
A row with an `action_id` updates that action of that item; a row without one
adds an action; actions missing from the CSV are left as they are (deleting by
omission would lose work silently), and the summary says how many.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from decalogue.errors import Problem
from decalogue.model.actions import STATUS_WORDS, STATUSES, Action, new_action_id, parse_deadline
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.reports.csv_io import CsvImportError, read_csv_file, read_table
from decalogue.reports.plan import CSV_COLUMNS
from decalogue.reports.text import one_line

_REQUIRED = ("item_id", "what")
_STATUS_LIST = ", ".join(STATUS_WORDS.values())
_STATUS_BY_WORD = {**{s: s for s in STATUSES}, **{w: s for s, w in STATUS_WORDS.items()}}


@dataclass(frozen=True)
class PlanEdit:
    """The new list of actions of one item, and what changed, in words."""

    item_id: str
    actions: list[Action]
    said: list[str]


@dataclass(frozen=True)
class PlanImport:
    edits: list[PlanEdit]
    untouched: int
    """Actions of the assessment that the CSV does not mention (kept as they are)."""


def read_plan_csv(
    data: bytes | str, origin: str, checklist: Checklist, assessment: Assessment
) -> PlanImport:
    """Check every row; raise CsvImportError listing all problems, or return the edits."""
    table = read_table(data, origin, empty="export a plan to start from")
    header = table.header
    unknown = [name for name in header if name and name not in CSV_COLUMNS]
    missing = [name for name in _REQUIRED if name not in header]
    if unknown or missing:
        wrong = []
        if unknown:
            wrong.append(f"unknown columns {', '.join(unknown)}")
        if missing:
            wrong.append(f"missing columns {', '.join(missing)}")
        raise CsvImportError(
            [
                Problem(
                    origin,
                    "; ".join(wrong) + f" (the columns are: {', '.join(CSV_COLUMNS)})",
                    line=1,
                )
            ]
        )
    owner_of = {
        action.id: item_id
        for item_id, response in assessment.responses.items()
        for action in response.actions
    }
    current = {
        item_id: {a.id: a for a in response.actions}
        for item_id, response in assessment.responses.items()
    }
    problems: list[Problem] = []
    updated: dict[str, dict[str, Action]] = {}
    said: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    top = checklist.scale.max_level
    for line, raw in enumerate(table.records, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row = {name: (raw[i].strip() if i < len(raw) else "") for i, name in enumerate(header)}

        def report(column: str, message: str, *, line: int = line, item: str = "") -> None:
            problems.append(
                Problem(
                    origin, message, line=line, field=column, owner=f"item {item}" if item else None
                )
            )

        item_id = row.get("item_id", "")
        if item_id not in checklist.item_index:
            report("item_id", f"no item {item_id!r} in checklist {checklist.meta.id}")
            continue
        action_id = row.get("action_id", "")
        if action_id:
            if action_id in seen:
                report(
                    "action_id", f"action {action_id} is also on row {seen[action_id]}; keep one"
                )
                continue
            seen[action_id] = line
            if action_id not in owner_of:
                report(
                    "action_id",
                    f"no action {action_id} in this assessment; leave it empty to add one",
                    item=item_id,
                )
                continue
            if owner_of[action_id] != item_id:
                report(
                    "item_id",
                    f"action {action_id} belongs to item {owner_of[action_id]}",
                    item=item_id,
                )
                continue
        fields: dict[str, object] = {"what": row.get("what", "")}
        for name in ("owner", "progress", "budget"):
            if name in row:
                fields[name] = row[name]
        if row.get("deadline"):
            try:
                fields["deadline"] = parse_deadline(row["deadline"])
            except ValueError as error:
                hint = (
                    ""
                    if "calendar" in str(error)
                    else " (a spreadsheet may have rewritten it: format the column as text)"
                )
                report("deadline", f"{error}{hint}", item=item_id)
                continue
        elif "deadline" in row:
            fields["deadline"] = None
        if row.get("status"):
            status = _STATUS_BY_WORD.get(row["status"].lower())
            if status is None:
                report(
                    "status",
                    f"{row['status']!r} is not a status (one of: {_STATUS_LIST})",
                    item=item_id,
                )
                continue
            fields["status"] = status
        bad_level = False
        for name in ("from_level", "to_level"):
            value = row.get(name, "")
            if not value:
                if name in row:
                    fields[name] = None
                continue
            if not value.isdecimal() or int(value) > top:
                report(name, f"{value!r} is not a level of the scale (0-{top})", item=item_id)
                bad_level = True
                continue
            fields[name] = int(value)
        if bad_level:
            continue
        base = current.get(item_id, {}).get(action_id) if action_id else None
        try:
            if base is None:
                action = Action.model_validate({"id": new_action_id(), **fields})
            else:
                action = Action.model_validate({**base.model_dump(), **fields})
        except ValidationError as error:
            detail = error.errors(include_url=False)[0]
            column = ".".join(str(p) for p in detail["loc"]) or "what"
            report(column, str(detail["msg"]).removeprefix("Value error, "), item=item_id)
            continue
        actions = updated.setdefault(item_id, dict(current.get(item_id, {})))
        if base is None:
            said.setdefault(item_id, []).append(f"added: {one_line(action.what)[:60]}")
        elif base != action:
            changed = [
                f"{name} {getattr(base, name)!s} → {getattr(action, name)!s}"
                for name in Action.model_fields
                if getattr(base, name) != getattr(action, name)
            ]
            said.setdefault(item_id, []).append(f"{action.id}: " + "; ".join(changed))
        actions[action.id] = action
    if problems:
        raise CsvImportError(problems)
    edits = [
        PlanEdit(item_id, list(actions.values()), said[item_id])
        for item_id, actions in updated.items()
        if item_id in said
    ]
    mentioned = set(seen)
    untouched = sum(1 for a in owner_of if a not in mentioned)
    return PlanImport(edits, untouched)


def read_plan_file(path: Path, checklist: Checklist, assessment: Assessment) -> PlanImport:
    data, shown = read_csv_file(path)
    return read_plan_csv(data, shown, checklist, assessment)
