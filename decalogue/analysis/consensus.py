"""The consensus of a workshop: one rule, the trainer's decisions, and the file.

`build_consensus` makes a new assessment from the groups' answers by the
consensus rule (also in the README); `rule_decision` is that rule for one item,
which the workshop screen and the presenter show and the trainer may override
(`apply_decisions`); `write_consensus` is the one way a consensus file is written
(`merge`, `merge --force`, the workshop screen's save). The rule:

- An item takes the **lower median** of the groups' levels when every group that
  gave a level is within one level of the others (max - min <= 1). With an even
  split between two neighbouring levels the lower one is taken, so the
  consensus never claims more than half the room saw.
- Groups that left the item unanswered are not counted. If every answering group
  said N/A, the consensus is N/A, with each group's reason attributed.
- Otherwise (levels further apart, or some N/A and some levels) the item is a
  **conflict**: left unanswered, flagged for review, and listed with every
  group's answer and note for the trainer to decide.
- Every group's notes and findings are kept, attributed ("Group A: ..."), and
  their evidence is pooled; one history entry records the merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decalogue import clock
from decalogue.analysis.workshop import (
    Group,
    GroupAnswer,
    ItemSpread,
    Workshop,
    aggregate,
    check_one_country_and_period,
    is_consensus,
)
from decalogue.errors import DecalogueError
from decalogue.model.actions import pool_proposals
from decalogue.model.assessment import (
    MAX_TEXT,
    Answer,
    Assessment,
    Assessor,
    Change,
    Evidence,
    Response,
    checklist_ref,
)
from decalogue.model.checklist import Checklist
from decalogue.plural import counted
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps

if TYPE_CHECKING:  # the stores (and their database code) load only where one is used
    from decalogue.storage.stores import Store

#: Evidence entries a response may hold (the Assessment model's limit).
MAX_EVIDENCE = 200

#: The history field of a trainer's decision in a consensus (`Decision.record`).
DECISION = "decision"


def lower_median(levels: Sequence[int]) -> int | None:
    """The lower of the two middle levels (the middle one for an odd count); None for none.

    With an even split between two neighbouring levels the lower one is taken, so the
    consensus never claims more than half the room saw.
    """
    if not levels:
        return None
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


def consensus_level(levels: Sequence[int]) -> int | None:
    """The lower median when all levels are within one of each other; else None."""
    if not levels or max(levels) - min(levels) > 1:
        return None
    return lower_median(levels)


@dataclass(frozen=True)
class Decision:
    """What the consensus says for one item: a level, N/A, or open (unanswered, flagged)."""

    kind: str
    """"level", "na" or "open"."""
    level: int | None = None
    reason: str = ""
    by_trainer: bool = False
    rationale: str = ""
    """Why the room decided so (optional, the facilitator's words)."""
    by: str = ""
    """The facilitator who decided; empty for the rule."""

    def record(self) -> dict[str, Any]:
        """What the consensus's history keeps of a trainer's decision (read back on resume)."""
        return {
            "kind": self.kind,
            "level": self.level,
            "reason": self.reason,
            "rationale": self.rationale,
        }


def rule_decision(item: ItemSpread) -> Decision:
    """The consensus rule for one item: what the consensus holds unless the trainer decides.

    `build_consensus` applies it to every item; the workshop screen shows it and lets the
    trainer decide otherwise (`apply_decisions`).
    """
    if item.conflict:
        return Decision("open")
    if item.levels:
        return Decision("level", consensus_level(item.levels))
    if item.not_applicable:
        return Decision("na", reason="N/A for every answering group")
    return Decision("open", reason="no group answered")


def apply_decisions(
    consensus: Assessment,
    workshop: Workshop,
    decisions: Mapping[str, Decision],
    by: str,
) -> None:
    """Record the trainer's decisions on a consensus built by the rule (history keeps them).

    Each decision also leaves one `decision` entry in the history, with its rationale and
    the facilitator's name, so a workshop reopened on the consensus file resumes it.
    """
    for item in workshop.items:
        decision = decisions.get(item.item_id)
        if decision is None or decision == rule_decision(item):
            continue
        who = decision.by.strip() or by
        consensus.history.append(
            Change(at=clock.now(), by=who, item=item.item_id, field=DECISION, new=decision.record())
        )
        if decision.kind == "level":
            consensus.apply(item.item_id, "answer", Answer(level=decision.level), who)
            consensus.apply(item.item_id, "flagged", False, who)
        elif decision.kind == "na":
            consensus.apply(item.item_id, "answer", Answer(na_reason=decision.reason), who)
            consensus.apply(item.item_id, "flagged", False, who)
        else:
            consensus.apply(item.item_id, "answer", Answer(), who)
            consensus.apply(item.item_id, "flagged", True, who)


@dataclass(frozen=True)
class Conflict:
    """An item the groups disagree on, left unanswered for the trainer."""

    item: ItemSpread
    reason: str

    @property
    def item_id(self) -> str:
        return self.item.item_id


@dataclass(frozen=True)
class Consensus:
    assessment: Assessment
    workshop: Workshop
    agreed: tuple[str, ...]
    """Items given the consensus level."""
    not_applicable: tuple[str, ...]
    """Items every answering group said were N/A."""
    unanswered: tuple[str, ...]
    """Items no group answered."""
    conflicts: tuple[Conflict, ...]
    """In divergence order."""


def _attributed(parts: Iterable[tuple[str, str]], separator: str = "\n\n") -> str:
    """Each group's text prefixed by its name, cut to fit the model's limit."""
    text = separator.join(f"{name}: {body.strip()}" for name, body in parts if body.strip())
    if len(text) > MAX_TEXT:
        tail = " [cut to fit; the full texts are in the group files]"
        text = text[: MAX_TEXT - len(tail)] + tail
    return text


def _evidence(answers: Sequence[GroupAnswer]) -> list[Evidence]:
    pooled: dict[tuple[str, str, str], Evidence] = {}
    for answer in answers:
        if answer.response is None:
            continue
        for evidence in answer.response.evidence:
            pooled.setdefault((evidence.description, evidence.link, evidence.document), evidence)
    return list(pooled.values())[:MAX_EVIDENCE]


def _target(answers: Sequence[GroupAnswer]) -> int | None:
    """A target only where every group that set one set the same."""
    targets = {a.response.target for a in answers if a.response and a.response.target is not None}
    return targets.pop() if len(targets) == 1 else None


def flagged_by(item: ItemSpread) -> list[str]:
    """The groups that flagged the item for review: the consensus keeps their flag."""
    return [a.group for a in item.answers if a.response is not None and a.response.flagged]


def _conflict_reason(item: ItemSpread) -> str:
    if item.mixed_na:
        return f"{item.not_applicable} group(s) say N/A, {len(item.levels)} gave a level"
    return f"levels {item.levels[0]} to {item.levels[-1]} are more than one level apart"


def build_consensus(
    groups: Sequence[Group],
    checklist: Checklist,
    *,
    title: str = "",
    assessor: str = "",
    at: datetime | None = None,
    workshop: Workshop | None = None,
    previous: Assessment | None = None,
) -> Consensus:
    """A new assessment from the groups' answers, by the rule in the module docstring.

    `previous` is the file's assessment when a consensus file is written again (`merge
    --force`, the workshop screen's second save): if it is a consensus, its id is kept, so
    the file stays one assessment across saves; any other assessment is replaced by a new one.
    """
    workshop = workshop or aggregate(groups, checklist)
    check_one_country_and_period(groups)
    at = at or clock.now()
    by = assessor.strip() or "decalogue merge"
    first = groups[0].assessment
    responses: dict[str, Response] = {}
    agreed: list[str] = []
    not_applicable: list[str] = []
    unanswered: list[str] = []
    for item in workshop.items:
        answers = item.answers
        fields: dict[str, Any] = {
            "notes": _attributed((a.group, a.notes) for a in answers),
            "finding": _attributed(
                (a.group, a.response.finding if a.response else "") for a in answers
            ),
            "evidence": _evidence(answers),
            "target": _target(answers),
            "flagged": item.conflict or bool(flagged_by(item)),
            "actions": pool_proposals(
                [(a.group, action) for a in answers if a.response for action in a.response.actions]
            ),
        }
        decision = rule_decision(item)
        if decision.kind == "level":
            fields["level"] = decision.level
            agreed.append(item.item_id)
        elif decision.kind == "na":
            fields["not_applicable"] = True
            fields["na_reason"] = (
                _attributed(
                    (
                        (a.group, a.response.na_reason)
                        for a in answers
                        if a.not_applicable and a.response
                    ),
                    separator="; ",
                )
                or "N/A for every group"
            )
            not_applicable.append(item.item_id)
        elif not item.conflict:  # a conflict is left unanswered, flagged, in `conflicts`
            unanswered.append(item.item_id)
        response = Response.model_validate({**fields, "changed_by": by, "changed_at": at})
        if not response.is_empty():
            responses[item.item_id] = response
    conflicts = tuple(Conflict(item, _conflict_reason(item)) for item in workshop.conflicts)
    same = {"id": previous.id} if previous is not None and is_consensus(previous) else {}
    assessment = Assessment(
        **same,
        title=title.strip() or f"Consensus of {counted(len(groups), 'group')}",
        checklist=checklist_ref(checklist),
        country=first.country,
        period=first.period,
        assessors=[Assessor(name=assessor.strip())] if assessor.strip() else [],
        created=at,
        updated=at,
        responses=responses,
        history=[
            Change(
                at=at,
                by=by,
                field="merge",
                new={
                    "rule": "lower median where all answering groups are within one level",
                    "groups": [
                        {"name": g.name, "id": g.assessment.id, "file": g.path} for g in groups
                    ],
                    "agreed": len(agreed),
                    "not_applicable": len(not_applicable),
                    "conflicts": [c.item_id for c in conflicts],
                    "flagged_by_groups": {
                        item.item_id: flagged_by(item)
                        for item in workshop.items
                        if flagged_by(item)
                    },
                },
            )
        ],
    )
    return Consensus(
        assessment,
        workshop,
        tuple(agreed),
        tuple(not_applicable),
        tuple(unanswered),
        conflicts,
    )


def write_consensus(
    path: Path,
    groups: Sequence[Group],
    checklist: Checklist,
    *,
    replacing: str | None = None,
    title: str = "",
    assessor: str = "",
    workshop: Workshop | None = None,
    decisions: Mapping[str, Decision] | None = None,
) -> tuple[Consensus, str]:
    """Build the consensus, record the trainer's `decisions`, and write it to `path`.

    `replacing` None: a new file (never over an existing one). Otherwise the fingerprint of
    the file it replaces (`merge --force`, the workshop screen's second save): if that file
    is a consensus, its id is kept, so the file stays one assessment across saves.
    Returns the consensus and the written file's fingerprint.
    """
    previous = None
    if replacing is not None:
        try:
            previous = store.read(path).assessment
        except DecalogueError:
            previous = None  # unreadable: replaced by a new assessment
    result = build_consensus(
        groups, checklist, title=title, assessor=assessor, workshop=workshop, previous=previous
    )
    if decisions:
        apply_decisions(result.assessment, result.workshop, decisions, assessor)
    if replacing is None:
        return result, store.create(path, result.assessment).fingerprint
    return result, store.save(path, result.assessment, replacing)


def keep_consensus(
    kept: Store,
    groups: Sequence[Group],
    checklist: Checklist,
    *,
    ref: str | None = None,
    expected: str | None = None,
    title: str = "",
    assessor: str = "",
    workshop: Workshop | None = None,
    decisions: Mapping[str, Decision] | None = None,
) -> tuple[str, str, Consensus]:
    """`write_consensus` for a store (`--store`): a new assessment kept with its checklist,
    or, saving again, the consensus `ref` replaced (its id kept) if it is still the version
    `expected`; nothing is written over a colleague's change. Returns its ref, fingerprint
    and the consensus.
    """
    place = None if ref is None else kept.place(ref)
    previous = None if place is None else place.read().assessment
    result = build_consensus(
        groups, checklist, title=title, assessor=assessor, workshop=workshop, previous=previous
    )
    if decisions:
        apply_decisions(result.assessment, result.workshop, decisions, assessor)
    if place is None or ref is None:
        made = kept.create(result.assessment, checklist)
        return made, kept.place(made).read().fingerprint, result
    data = dumps(result.assessment)

    def produce(moved: bytes | None) -> bytes:
        if moved is not None:
            raise store.ConflictError(
                f"{place.label}: changed in the store since the consensus was saved; not saved"
            )
        return data

    return ref, place.save_merged(expected, produce).fingerprint, result
