"""The readiness check: what stands between an assessment and "final".

One pure function over the checklist and the answers; `decalogue check`, the
status command, the dashboard and the reports all ask it, so they agree on
what is still open. Every kind of open point blocks "final": a report handed
in as final should rest on this period's answers, each with its evidence and
its target, and on no open review flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.plural import counted

#: The kinds of open point, in the order the check lists them.
PointKey = Literal["unanswered", "carried", "flagged", "no_evidence", "no_target"]


@dataclass(frozen=True)
class OpenPoint:
    """One kind of open point and the items it concerns, in checklist order."""

    key: PointKey
    label: str
    """What the items lack, in words: "carried forward from 2025, not yet confirmed"."""
    remedy: str
    """What to do about it."""
    items: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    def describe(self) -> str:
        """ "3 items carried forward from 2025, not yet confirmed" """
        return f"{counted(self.count, 'item')} {self.label}"


@dataclass(frozen=True)
class Readiness:
    """Every kind of open point, each listed even when it is empty."""

    points: tuple[OpenPoint, ...]

    @property
    def blocking(self) -> tuple[OpenPoint, ...]:
        return tuple(point for point in self.points if point.items)

    @property
    def ready(self) -> bool:
        """True when nothing stands between the assessment and "final"."""
        return not self.blocking

    def point(self, key: str) -> OpenPoint:
        return next(point for point in self.points if point.key == key)

    def summary(self) -> str:
        """One line: "ready for final" or what blocks it."""
        if self.ready:
            return "ready for final: nothing stands in the way"
        return "not ready for final: " + "; ".join(p.describe() for p in self.blocking)


def carried_phrase(assessment: Assessment) -> str:
    """ "carried forward from 2025" (or from the previous period when it is not recorded)."""
    return f"carried forward from {assessment.carried_from_period or 'the previous period'}"


def readiness(checklist: Checklist, assessment: Assessment) -> Readiness:
    """The open points of an assessment against its checklist."""
    top = checklist.scale.max_level
    unanswered: list[str] = []
    carried: list[str] = []
    flagged: list[str] = []
    no_evidence: list[str] = []
    no_target: list[str] = []
    for item in checklist.items:
        response = assessment.responses.get(item.id)
        if response is None or not response.answered:
            unanswered.append(item.id)
        if response is None:
            continue
        if response.carried:
            carried.append(item.id)
        if response.flagged:
            flagged.append(item.id)
        if response.level is not None and not response.evidence:
            no_evidence.append(item.id)
        if response.level is not None and response.level < top and response.target is None:
            no_target.append(item.id)
    return Readiness(
        (
            OpenPoint(
                "unanswered",
                "unanswered",
                "give a level, or N/A with a reason",
                tuple(unanswered),
            ),
            OpenPoint(
                "carried",
                f"{carried_phrase(assessment)}, not yet confirmed",
                "confirm the answer (c on the item, or decalogue confirm) or change it",
                tuple(carried),
            ),
            OpenPoint(
                "flagged",
                "flagged for review",
                "review the item and clear its flag (f)",
                tuple(flagged),
            ),
            OpenPoint(
                "no_evidence",
                "answered with a level but without evidence",
                "record the law, decree, statistic or report the level rests on (v)",
                tuple(no_evidence),
            ),
            OpenPoint(
                "no_target",
                "below the top level with no target set",
                "set the level the country aims to reach (t)",
                tuple(no_target),
            ),
        )
    )
