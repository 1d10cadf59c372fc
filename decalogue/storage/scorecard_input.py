"""Scorecards read back as assessments, for the commands that only read (compare, matrix, list).

A secretariat receives scorecards, the format meant to be sent onward, not the
assessment files. A scorecard holds every answer (level, N/A and its reason,
target, flag, notes, finding, evidence) and the checklist id and version the
figures were computed with, so the answers are rebuilt into an `Assessment`
and scored again by the one `ScoreBoard`, against that checklist. The rebuilt
assessment is never saved: a scorecard is an output, and `open`, `import` and
the other commands that write refuse it (`storage.store.read`).

Only the fields needed are read (`extra="ignore"`): a scorecard from a newer
decalogue with more fields still reads; a missing or malformed answer field is
a located error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from decalogue.errors import AssessmentError, Problem
from decalogue.model.assessment import (
    STATUSES,
    Assessment,
    Assessor,
    ChecklistRef,
    CountryRef,
    Evidence,
    Response,
)


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Checklist(_Read):
    id: str
    version: str
    hash: str


class _Item(_Read):
    id: str
    level: int | None = None
    not_applicable: bool = False
    na_reason: str = ""
    target: int | None = None
    flagged: bool = False
    carried: bool = False
    finding: str = ""
    notes: str = ""
    evidence: list[Evidence] = []
    changed_by: str = ""
    changed_at: datetime | None = None


class _Status(_Read):
    state: str = "draft"


class _Carried(_Read):
    from_period: str | None = None


class _Scorecard(_Read):
    scorecard_version: Literal[1, 2]
    assessment_id: str
    title: str = ""
    status: _Status = _Status()
    country: CountryRef
    period: str
    assessors: list[Assessor] = []
    created: datetime
    updated: datetime
    carried_from: str = ""
    carried: _Carried = _Carried()
    checklist: _Checklist
    items: list[_Item]


def _problems(error: ValidationError, origin: str) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"])
        message = str(detail["msg"]).removeprefix("Value error, ")
        problems.append(Problem(origin, f"scorecard: {message}", field=where or None))
    return problems


def assessment_from_scorecard(raw: dict[str, Any], origin: str) -> Assessment:
    """The assessment a scorecard was exported from, as far as its answers go."""
    try:
        card = _Scorecard.model_validate(raw)
        responses = {}
        for item in card.items:
            response = Response.model_validate(item.model_dump(exclude={"id"}))
            if not response.is_empty():
                responses[item.id] = response
        default_title = f"{card.country.name} {card.period}"
        return Assessment(
            id=card.assessment_id,
            title="" if card.title == default_title else card.title,
            status=card.status.state if card.status.state in STATUSES else "draft",
            checklist=ChecklistRef(
                id=card.checklist.id, version=card.checklist.version, hash=card.checklist.hash
            ),
            country=card.country,
            period=card.period,
            assessors=card.assessors,
            created=card.created,
            updated=card.updated,
            carried_from=card.carried_from,
            carried_from_period=card.carried.from_period or "",
            responses=responses,
        )
    except ValidationError as error:
        raise AssessmentError(_problems(error, origin)) from None
