"""One country's scores over time: overall, pillar and section scores per period.

Built on `analysis.compare`: the same boards, the same group changes, the same
rounding (a change is the difference of the shown values) and the same account
of what moved a score (answers, or only coverage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from decalogue.analysis.compare import (
    Cause,
    ComparisonError,
    GroupChange,
    Subject,
    cause_between,
    distinct_checklists,
    group_changes,
    memberships,
    one_checklist_id,
    unique_labels,
)
from decalogue.model.periods import period_span
from decalogue.model.scoring import difference


def period_key(period: str) -> tuple[str, str]:
    """(start date, end date) as ISO strings, so every period form sorts in time order."""
    return period_span(period)


@dataclass(frozen=True)
class TrendRow:
    """One figure (overall, a pillar's or a section's score) per period."""

    id: str
    kind: str
    title: str
    values: tuple[float | None, ...]
    """One per period, as shown (rounded once); None where unscored or absent from that
    checklist version."""
    coverage: tuple[float | None, ...]
    """The coverage beside each value, as shown (rounded once)."""
    cause: Cause
    """What moved the score from the first scored period to the last scored one."""
    carried: tuple[int | None, ...] = ()
    """Per period, the answers behind the value carried forward and not yet confirmed."""

    @property
    def change(self) -> float | None:
        """From the first scored period to the last scored one: the difference of the shown
        values, so it equals what a reader subtracts."""
        scored = [v for v in self.values if v is not None]
        return difference(scored[0], scored[-1]) if len(scored) >= 2 else None

    @property
    def note(self) -> str:
        """Why the score moved, when answering more or fewer items moved it."""
        return self.cause.text(self.change)


@dataclass(frozen=True)
class Trend:
    checklist_id: str
    country_code: str
    country_name: str
    subjects: tuple[Subject, ...]
    """Sorted by period."""
    periods: tuple[str, ...]
    """Column headings: the periods, told apart by file name where one repeats."""
    rows: tuple[TrendRow, ...]

    @property
    def overall(self) -> TrendRow:
        return self.rows[0]


def trend(subjects: Sequence[Subject]) -> Trend:
    """One country's scores across periods; refuses assessments of different countries."""
    checklist_id = one_checklist_id(subjects, "trend")
    countries: dict[str, list[str]] = {}
    for s in subjects:
        countries.setdefault(s.assessment.country.code, []).append(s.path or s.label)
    if len(countries) > 1:
        listed = "; ".join(f"{code}: {', '.join(files)}" for code, files in countries.items())
        raise ComparisonError(
            f"trend: the assessments are of different countries ({listed}); a trend follows "
            "one country, use `decalogue compare` to set countries side by side"
        )
    ordered = sorted(
        subjects,
        key=lambda s: (period_key(s.assessment.period), s.assessment.updated),
    )
    labels = unique_labels(ordered, [s.assessment.period for s in ordered])
    checklists = distinct_checklists(ordered)
    members = memberships(checklists)

    def row(g: GroupChange) -> TrendRow:
        scored = [i for i, value in enumerate(g.values) if value is not None]
        first, last = (scored[0], scored[-1]) if scored else (0, 0)
        cause = cause_between(members, g.id, ordered[first], ordered[last])
        carried = tuple(None if s is None else s.carried for s in g.scores)
        return TrendRow(g.id, g.kind, g.title, g.values, g.coverages, cause, carried)

    rows = tuple(row(g) for g in group_changes(ordered, checklists))
    country = ordered[-1].assessment.country
    return Trend(checklist_id, country.code, country.name, tuple(ordered), labels, rows)
