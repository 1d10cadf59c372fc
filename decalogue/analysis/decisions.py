"""Resuming a workshop: the trainer's decisions read back from a saved consensus file.

A workshop is seldom decided in one sitting. The consensus file keeps each
decision as a `decision` entry of its history (`Decision.record`: the level or
N/A, the rationale, the facilitator's name), so reopening the workshop on the
folder picks up where the room stopped. A consensus saved before decisions
were recorded that way still resumes: where its answer differs from what the
consensus rule gives, that answer is taken as the trainer's decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from decalogue.analysis.consensus import DECISION, Decision, rule_decision
from decalogue.analysis.workshop import Workshop, is_consensus
from decalogue.model.assessment import Assessment, Response


def _from_record(record: object, by: str) -> Decision | None:
    if not isinstance(record, dict) or record.get("kind") not in ("level", "na", "open"):
        return None
    level = record.get("level")
    return Decision(
        str(record["kind"]),
        level if isinstance(level, int) and not isinstance(level, bool) else None,
        reason=str(record.get("reason") or ""),
        by_trainer=True,
        rationale=str(record.get("rationale") or ""),
        by=by,
    )


def _from_answer(response: Response | None) -> Decision:
    if response is not None and response.not_applicable:
        return Decision("na", reason=response.na_reason)
    if response is not None and response.level is not None:
        return Decision("level", response.level)
    return Decision("open")


def _same(a: Decision, b: Decision) -> bool:
    return (a.kind, a.level if a.kind == "level" else None) == (
        b.kind,
        b.level if b.kind == "level" else None,
    )


def decisions_from(consensus: Assessment, workshop: Workshop) -> dict[str, Decision]:
    """The trainer's decisions a saved consensus holds, by item id."""
    recorded: dict[str, Decision] = {}
    for change in consensus.history:
        if change.field == DECISION and change.item is not None:
            decision = _from_record(change.new, change.by)
            if decision is not None:
                recorded[change.item] = decision
    result: dict[str, Decision] = {}
    for item in workshop.items:
        if item.item_id in recorded:
            result[item.item_id] = recorded[item.item_id]
            continue
        response = consensus.responses.get(item.item_id)
        answer = _from_answer(response)
        if not _same(answer, rule_decision(item)):
            who = response.changed_by if response is not None else ""
            result[item.item_id] = Decision(
                answer.kind, answer.level, answer.reason, by_trainer=True, by=who
            )
    return result


@dataclass(frozen=True)
class Resumable:
    """A saved consensus found among a workshop's files."""

    path: Path
    assessment: Assessment
    fingerprint: str


def latest_consensus(found: Sequence[Resumable]) -> Resumable | None:
    """The most recently updated consensus of those found (None when there is none)."""
    consensuses = [f for f in found if is_consensus(f.assessment)]
    return max(consensuses, key=lambda f: f.assessment.updated, default=None)
