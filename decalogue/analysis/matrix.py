"""Many States side by side: one row per assessment, one column per pillar (or section).

The secretariat's view of 57 States: each assessment's overall score, its
pillars' (or sections') scores and its coverage, read from the `ScoreBoard`
of each `Subject` (scores are computed nowhere else), and a rank by overall
score among the assessments of the same period. Assessments of different
checklists may share a matrix: the columns are the union of their pillars (or
sections) in the order first met, and a column an assessment's checklist does
not have is empty for it, never zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from decalogue.analysis.compare import ComparisonError, Subject
from decalogue.analysis.trend import period_key

#: Bump when the JSON document written by `matrix_document` changes meaning.
MATRIX_VERSION = 1


class By(str, Enum):
    """What a matrix column is."""

    PILLAR = "pillar"
    SECTION = "section"


class Order(str, Enum):
    """How the rows are sorted."""

    COUNTRY = "country"
    """By country code, then period (oldest first), then title."""
    RANK = "rank"
    """By period (newest first), then rank; unranked rows last."""


@dataclass(frozen=True)
class Column:
    id: str
    title: str


@dataclass(frozen=True)
class MatrixRow:
    """One assessment's figures."""

    path: str
    assessment_id: str
    country_code: str
    country_name: str
    period: str
    title: str
    """The assessment's own title ("" when it has none)."""
    checklist: str
    """Checklist id and version, e.g. "osce-national-action 1.1.0"."""
    overall: float | None
    coverage: float
    """Share of the checklist's items answered with a level or N/A, 0-100."""
    scores: tuple[float | None, ...]
    """One per matrix column; None when nothing is scored or the checklist has no such column."""
    rank: int | None
    """1 = highest overall score among the rows of the same period; None when unscored."""
    status: str = "draft"
    """draft, review or final: whether the figures may still change."""
    carried: int = 0
    """Answers carried forward from the previous period and not yet confirmed."""
    answers: int = 0
    """Answers behind the overall score (a level or N/A)."""


@dataclass(frozen=True)
class Matrix:
    by: By
    columns: tuple[Column, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(sorted({r.period for r in self.rows}, key=period_key))


def _columns(subjects: Sequence[Subject], by: By) -> list[Column]:
    seen: dict[str, Column] = {}
    for subject in subjects:
        for pillar in subject.checklist.pillars:
            groups = [pillar] if by is By.PILLAR else list(pillar.sections)
            for group in groups:
                seen.setdefault(group.id, Column(group.id, group.title))
    return list(seen.values())


def _ranks(rows: Sequence[MatrixRow]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by overall score within each period, by row index."""
    by_period: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for index, row in enumerate(rows):
        if row.overall is not None:
            by_period[row.period].append((round(row.overall, 6), index))
    ranks: dict[int, int] = {}
    for entries in by_period.values():
        entries.sort(key=lambda entry: -entry[0])
        for position, (value, index) in enumerate(entries):
            earlier = entries[position - 1] if position else None
            ranks[index] = ranks[earlier[1]] if earlier and earlier[0] == value else position + 1
    return ranks


def matrix(
    subjects: Sequence[Subject],
    by: By = By.PILLAR,
    period: str | None = None,
    order: Order = Order.COUNTRY,
) -> Matrix:
    """The matrix of these assessments (only those of `period` when it is given)."""
    if period is not None:
        subjects = [s for s in subjects if s.assessment.period == period]
        if not subjects:
            raise ComparisonError(f"matrix: no assessment of period {period!r} among the files")
    if not subjects:
        raise ComparisonError("matrix: no assessments given")
    columns = _columns(subjects, by)
    rows = []
    for subject in subjects:
        board = subject.board
        groups = board.pillars if by is By.PILLAR else board.sections
        assessment = subject.assessment
        rows.append(
            MatrixRow(
                path=subject.path,
                assessment_id=assessment.id,
                country_code=assessment.country.code,
                country_name=assessment.country.name,
                period=assessment.period,
                title=assessment.title,
                checklist=f"{subject.checklist.meta.id} {subject.checklist.meta.version}",
                overall=board.overall.score,
                coverage=board.overall.coverage,
                scores=tuple(groups[c.id].score if c.id in groups else None for c in columns),
                rank=None,
                status=assessment.status,
                carried=board.overall.carried,
                answers=board.overall.answered + board.overall.not_applicable,
            )
        )
    ranks = _ranks(rows)
    ranked = [
        MatrixRow(**{**row.__dict__, "rank": ranks.get(index)}) for index, row in enumerate(rows)
    ]
    if order is Order.RANK:
        ranked.sort(key=lambda r: (r.rank is None, r.rank or 0, r.country_code, r.title))
        ranked.sort(key=lambda r: period_key(r.period), reverse=True)
    else:
        ranked.sort(key=lambda r: (r.country_code, period_key(r.period), r.title, r.path))
    return Matrix(by, tuple(columns), tuple(ranked))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def matrix_document(result: Matrix) -> dict[str, Any]:
    """The matrix as a JSON document (`decalogue matrix --format json`)."""
    return {
        "matrix_version": MATRIX_VERSION,
        "by": result.by.value,
        "columns": [{"id": c.id, "title": c.title} for c in result.columns],
        "rows": [
            {
                "file": r.path,
                "assessment_id": r.assessment_id,
                "country": {"code": r.country_code, "name": r.country_name},
                "period": r.period,
                "title": r.title,
                "checklist": r.checklist,
                "overall": _round(r.overall),
                "coverage": _round(r.coverage),
                "scores": {c.id: _round(s) for c, s in zip(result.columns, r.scores, strict=True)},
                "rank": r.rank,
                "status": r.status,
                "carried": r.carried,
                "answers": r.answers,
            }
            for r in result.rows
        ],
    }
