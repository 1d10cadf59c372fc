"""Three-way merge of two versions of one assessment, field by field.

Two people save the same file: each version is compared with the base (the version
both started from). A field changed on one side only is taken from that side; the
same change on both sides is fine; only the same field of the same item changed
differently on both sides is a conflict. Pure: no files, no clock except the
caller's. Every store (the file workspace, later PostgreSQL) merges through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from decalogue.model.assessment import (
    FIELDS,
    Answer,
    Assessment,
    Change,
    Response,
    field_value,
    plain,
)

_NEVER = datetime.min.replace(tzinfo=timezone.utc)

#: Fields of the assessment itself (not of an item) that a merge carries over.
META_FIELDS = (
    "title",
    "country",
    "period",
    "assessors",
    "carried_from",
    "carried_from_period",
    "checklist",
    "status",
    "status_by",
    "status_at",
)


@dataclass(frozen=True)
class Conflict:
    """The same field of the same item changed differently on both sides."""

    item_id: str
    field: str
    mine: Any
    """My value, typed as edits take it (an Answer for the answer)."""
    theirs: Any
    their_by: str
    their_at: datetime | None
    mine_by: str = ""
    """Who set mine aside, when it was taken up from the history (else this session)."""
    mine_at: datetime | None = None
    """When mine was set aside in the history; None while it is this session's own."""


@dataclass
class Base:
    """What a session remembers of the version it loaded or last merged."""

    responses: dict[str, Response]
    meta: dict[str, Any]
    history_length: int

    @classmethod
    def of(cls, assessment: Assessment) -> Base:
        # Responses are replaced, never changed in place (Assessment.apply), so a
        # shallow copy keeps the base as it was.
        return cls(
            dict(assessment.responses),
            {name: getattr(assessment, name) for name in META_FIELDS},
            len(assessment.history),
        )


@dataclass
class Merged:
    taken: list[Change]
    """Their changes taken in: who, when, which item and field, old and new value."""
    conflicts: list[Conflict]


def merge_into(mine: Assessment, base: Base, theirs: Assessment) -> Merged:
    """Take `theirs` into `mine` (in place): mine then holds the merged version.

    A conflicting field takes their value for now; the conflict is returned so that
    the caller records both values and lets the person choose.
    """
    taken: list[Change] = []
    conflicts: list[Conflict] = []
    new_entries = theirs.history[base.history_length :]
    # Marked final meanwhile: the readiness check and the reports saw their answers, so
    # every field I changed is a conflict (theirs kept), never a change under "final".
    finalised = theirs.status == "final" and base.meta["status"] != "final"
    for item_id in sorted(set(base.responses) | set(mine.responses) | set(theirs.responses)):
        b = base.responses.get(item_id)
        m = mine.responses.get(item_id)
        t = theirs.responses.get(item_id)
        if finalised and m != b:
            conflicts += _set_aside(item_id, (b, m, t), theirs)
            if t is None:
                mine.responses.pop(item_id, None)
            else:
                mine.responses[item_id] = t
            continue
        if t is m or t is b or t in (m, b):
            continue  # nothing new from them, or exactly the same as mine
        values: dict[str, Any] = {}
        mine_kept = False
        for field in FIELDS:
            bv, mv, tv = (field_value(r, field) for r in (b, m, t))
            if tv in (mv, bv):
                values[field] = mv
                mine_kept = mine_kept or mv != bv
                continue
            by, at, account = last_author(new_entries, item_id, field, t)
            values[field] = tv
            if mv == bv:
                taken.append(
                    Change(
                        at=at or theirs.updated,
                        by=by,
                        account=account,
                        item=item_id,
                        field=field,
                        old=plain(field, bv),
                        new=plain(field, tv),
                    )
                )
            else:
                conflicts.append(Conflict(item_id, field, mv, tv, by, at))
        mine.responses[item_id] = _response(values, m if mine_kept else t, t)
    for name in META_FIELDS:
        bv, mv, tv = base.meta[name], getattr(mine, name), getattr(theirs, name)
        if tv != bv and mv == bv:
            setattr(mine, name, tv)
    mine.history = [*theirs.history, *mine.history[base.history_length :]]
    mine.updated = max(mine.updated, theirs.updated)
    return Merged(taken, conflicts)


def _set_aside(
    item_id: str,
    sides: tuple[Response | None, Response | None, Response | None],
    theirs: Assessment,
) -> list[Conflict]:
    """Each field I changed since the base (sides: base, mine, theirs): a conflict with
    whoever marked the assessment final."""
    found = []
    for field in FIELDS:
        bv, mv, tv = (field_value(r, field) for r in sides)
        if mv not in (bv, tv):
            found.append(Conflict(item_id, field, mv, tv, theirs.status_by, theirs.status_at))
    return found


def last_author(
    entries: Sequence[Change], item_id: str, field: str, response: Response | None
) -> tuple[str, datetime | None, str]:
    """Who set a field's value: the latest of `entries` for it, else the response's stamp."""
    for change in reversed(entries):
        if change.item == item_id and change.field == field:
            return change.by, change.at, change.account
    if response is not None:
        return response.changed_by, response.changed_at, ""
    return "", None, ""


def _response(
    values: Mapping[str, Any], stamp: Response | None, theirs: Response | None
) -> Response:
    """A response from merged field values, stamped by the side whose change is newest."""
    answer: Answer = values["answer"]
    newest = stamp
    if (
        stamp is not None
        and theirs is not None
        and (theirs.changed_at or _NEVER) > (stamp.changed_at or _NEVER)
    ):
        newest = theirs
    return Response.model_validate(
        {
            "level": answer.level,
            "not_applicable": answer.na_reason is not None,
            "na_reason": answer.na_reason or "",
            **{name: values[name] for name in FIELDS if name != "answer"},
            "changed_by": newest.changed_by if newest else "",
            "changed_at": newest.changed_at if newest else None,
        }
    )


#: How a set-aside value's history entry ends (`Session` writes it; `waiting` finds it).
SET_ASIDE = "this one (new) is set aside"

#: Fields whose set-aside value the history keeps whole, so it can be chosen again.
_WAITING_FIELDS = ("answer", "target", "notes", "flagged", "finding")


def waiting(assessment: Assessment) -> list[Conflict]:
    """Conflicts set aside by a window that closed before anyone chose (a reloaded or
    closed tab): per item and field, the history's last entry sets a value aside and
    the field does not hold it. An edit of the field, or a choice, settles it."""
    history = assessment.history
    if not any(change.remark and change.remark.endswith(SET_ASIDE) for change in history):
        return []
    last: dict[tuple[str, str], int] = {}
    for index, change in enumerate(history):
        if change.item is not None:
            last[(change.item, change.field)] = index
    found = []
    for (item_id, field), index in last.items():
        change = history[index]
        if not (change.remark or "").endswith(SET_ASIDE) or field not in _WAITING_FIELDS:
            continue
        mine = _typed(field, change.new)
        response = assessment.responses.get(item_id)
        theirs = field_value(response, field)
        if mine == theirs:
            continue
        by, at, _ = last_author(history[:index], item_id, field, response)
        found.append(Conflict(item_id, field, mine, theirs, by, at, change.by, change.at))
    return found


def _typed(field: str, value: Any) -> Any:
    """A value as `plain` recorded it, typed back as edits take it (an Answer)."""
    if field != "answer":
        return value
    if isinstance(value, str) and value.startswith("N/A: "):
        return Answer(na_reason=value.removeprefix("N/A: "))
    return Answer(level=value if isinstance(value, int) else None)
