"""Workshops: several groups score one checklist, the room builds one consensus.

`aggregate` sets every group's answer to each item side by side, with the
median level, the spread and a divergence ranking, so the most disputed items
are discussed first. `build_consensus` makes a new assessment from the groups'
answers by the consensus rule (also in the README):

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

Groups must have answered the same checklist id and version; the same file
given twice (same assessment id, or identical bytes) is refused, because it
would count one group's view twice.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from decalogue import clock
from decalogue.errors import DecalogueError, display_path
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

#: Evidence entries a response may hold (the Assessment model's limit).
MAX_EVIDENCE = 200


#: The history field of a trainer's decision in a consensus (`Decision.record`).
DECISION = "decision"


class WorkshopError(DecalogueError):
    """Group files that cannot be aggregated or merged together."""


# --------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class Group:
    """One group's assessment, named for the room."""

    name: str
    assessment: Assessment
    path: str = ""
    """The file it came from, as shown to users."""
    fingerprint: str = ""
    """sha256 of the file's bytes, to spot the same file under two names."""


def is_consensus(assessment: Assessment) -> bool:
    """Made by `build_consensus`: never one group's view, so folders of groups skip it."""
    return any(change.field == "merge" and change.item is None for change in assessment.history)


def group_name(assessment: Assessment, path: str | Path = "") -> str:
    """The assessment's title, else its first assessor's name, else the file's stem."""
    if assessment.title.strip():
        return assessment.title.strip()
    if assessment.assessors:
        return assessment.assessors[0].name
    return Path(path).stem if str(path) else assessment.id[:8]


def name_order(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for group names as people read them: Group 2 before Group 10, B before c."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", name)
        if part
    )


def make_groups(entries: Iterable[tuple[Assessment, str, str]]) -> list[Group]:
    """(assessment, path, fingerprint) -> groups with names that tell them apart.

    In name order (Group A, Group B, ... whatever the files are called), so the columns of
    every table read in the order the room knows its groups.
    """
    rows = list(entries)
    names = [group_name(a, path) for a, path, _ in rows]
    counts = Counter(names)
    named = [
        f"{name} ({Path(path).stem})" if counts[name] > 1 and path else name
        for name, (_, path, _) in zip(names, rows, strict=True)
    ]
    repeated = Counter(named)
    seen: Counter[str] = Counter()
    groups = []
    for name, (assessment, path, fingerprint) in zip(named, rows, strict=True):
        seen[name] += 1
        unique = f"{name} #{seen[name]}" if repeated[name] > 1 else name
        groups.append(Group(unique, assessment, path, fingerprint))
    return sorted(groups, key=lambda group: name_order(group.name))


def _where(group: Group) -> str:
    return group.path or group.name


def check_groups(groups: Sequence[Group], checklist: Checklist | None = None) -> None:
    """Refuse duplicates and groups that answered different checklists or versions."""
    if not groups:
        raise WorkshopError("no group files given")
    by_id: dict[str, Group] = {}
    by_bytes: dict[str, Group] = {}
    for group in groups:
        twin = by_bytes.get(group.fingerprint) if group.fingerprint else None
        earlier = by_id.get(group.assessment.id)
        if twin is not None or earlier is not None:
            other = twin or earlier
            assert other is not None
            if (
                other.path
                and group.path
                and Path(other.path).resolve() == Path(group.path).resolve()
            ):
                raise WorkshopError(f"{group.path}: given twice; list each group's file once")
            if twin is not None:
                raise WorkshopError(
                    f"{_where(twin)} and {_where(group)} are the same file (identical bytes); "
                    "remove one"
                )
            raise WorkshopError(
                f"{_where(other)} and {_where(group)} are the same assessment (id "
                f"{group.assessment.id[:12]}), one a copy of the other: a group's work would "
                "count twice; remove one (each group needs an assessment of its own)"
            )
        by_id[group.assessment.id] = group
        if group.fingerprint:
            by_bytes[group.fingerprint] = group
    versions: dict[tuple[str, str], list[str]] = {}
    for group in groups:
        ref = group.assessment.checklist
        versions.setdefault((ref.id, ref.version), []).append(_where(group))
    if len(versions) > 1:
        listed = "; ".join(
            f"{cid} {version}: {', '.join(files)}" for (cid, version), files in versions.items()
        )
        raise WorkshopError(
            "the groups answered different checklists or versions "
            f"({listed}); every group must answer the same checklist version"
        )
    if checklist is not None:
        (cid, version) = next(iter(versions))
        if (cid, version) != (checklist.meta.id, checklist.meta.version):
            raise WorkshopError(
                f"the groups answered {cid} {version}, but the checklist given is "
                f"{checklist.meta.id} {checklist.meta.version} ({checklist.origin}); "
                "give the version the groups answered"
            )


# --------------------------------------------------------------------------- aggregate


@dataclass(frozen=True)
class GroupAnswer:
    """One group's answer to one item."""

    group: str
    response: Response | None

    @property
    def level(self) -> int | None:
        r = self.response
        return r.level if r is not None and not r.not_applicable else None

    @property
    def not_applicable(self) -> bool:
        return self.response is not None and self.response.not_applicable

    @property
    def answered(self) -> bool:
        return self.response is not None and self.response.answered

    @property
    def notes(self) -> str:
        return self.response.notes if self.response is not None else ""

    def text(self, na_label: str = "N/A") -> str:
        """ "3", "N/A" or "-" (unanswered), for tables."""
        if self.not_applicable:
            return na_label
        return "-" if self.level is None else str(self.level)


@dataclass(frozen=True)
class ItemSpread:
    """Every group's answer to one item, and how far apart they are."""

    item_id: str
    title: str
    index: int
    """Position in the checklist."""
    answers: tuple[GroupAnswer, ...]
    """One per group, in group order (unanswered and N/A included)."""
    levels: tuple[int, ...]
    """The levels given, sorted."""
    median: float | None
    spread: int | None
    """Highest minus lowest level given; None when no group gave a level."""
    iqr: float | None
    """Interquartile range of the levels given."""
    distinct: int
    """Different answers given, N/A counting as one answer."""
    not_applicable: int
    unanswered: int

    @property
    def mixed_na(self) -> bool:
        """Some groups say the item does not apply, others gave it a level."""
        return self.not_applicable > 0 and bool(self.levels)

    @property
    def conflict(self) -> bool:
        """What `build_consensus` leaves for the trainer to decide."""
        return self.mixed_na or (self.spread is not None and self.spread > 1)

    @property
    def divergence_key(self) -> tuple[bool, int, float, int, int]:
        """Conflicts first (a level against N/A is one, whatever the spread), then by spread."""
        return (
            not self.conflict,
            -(self.spread or 0),
            -(self.iqr or 0.0),
            -self.distinct,
            self.index,
        )


@dataclass(frozen=True)
class Workshop:
    checklist: Checklist
    groups: tuple[Group, ...]
    items: tuple[ItemSpread, ...]
    """In checklist order."""
    ranking: tuple[ItemSpread, ...]
    """Most disputed first: conflicts, then largest spread, IQR, distinct answers, order."""

    @property
    def conflicts(self) -> tuple[ItemSpread, ...]:
        return tuple(item for item in self.ranking if item.conflict)


def spread_of(item_id: str, title: str, index: int, answers: tuple[GroupAnswer, ...]) -> ItemSpread:
    levels = tuple(sorted(a.level for a in answers if a.level is not None))
    na = sum(1 for a in answers if a.not_applicable)
    distinct = len(set(levels)) + (1 if na else 0)
    median = spread = iqr = None
    if levels:
        median = float(statistics.median(levels))
        spread = levels[-1] - levels[0]
        iqr = 0.0
        if len(levels) >= 2:
            quartiles = statistics.quantiles(levels, n=4, method="inclusive")
            iqr = quartiles[2] - quartiles[0]
    unanswered = len(answers) - len(levels) - na
    return ItemSpread(
        item_id, title, index, answers, levels, median, spread, iqr, distinct, na, unanswered
    )


def aggregate(groups: Sequence[Group], checklist: Checklist) -> Workshop:
    """Set the groups' answers side by side; refuses duplicates and mixed versions."""
    check_groups(groups, checklist)
    items = tuple(
        spread_of(
            item.id,
            item.title,
            index,
            tuple(GroupAnswer(g.name, g.assessment.responses.get(item.id)) for g in groups),
        )
        for index, item in enumerate(checklist.items)
    )
    ranking = tuple(sorted(items, key=lambda s: s.divergence_key))
    return Workshop(checklist, tuple(groups), items, ranking)


# --------------------------------------------------------------------------- consensus


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


def _one_country_and_period(groups: Sequence[Group]) -> None:
    for what, key in (
        ("countries", lambda a: f"{a.country.code} {a.country.name}"),
        ("periods", lambda a: a.period),
    ):
        found: dict[str, list[str]] = {}
        for group in groups:
            found.setdefault(key(group.assessment), []).append(_where(group))
        if len(found) > 1:
            listed = "; ".join(f"{value}: {', '.join(files)}" for value, files in found.items())
            raise WorkshopError(
                f"the groups assessed different {what} ({listed}); a consensus is for one "
                "country and period, so correct the odd file out"
            )


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
    _one_country_and_period(groups)
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
        title=title.strip() or f"Consensus of {len(groups)} groups",
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


# --------------------------------------------------------------------------- files


def expand_paths(arguments: Sequence[Path]) -> list[Path]:
    """Files as given, folders as every *.json in them (sorted, hidden files left out)."""
    files: list[Path] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(
                p for p in argument.glob("*.json") if p.is_file() and not p.name.startswith(".")
            )
            if not found:
                raise WorkshopError(f"{display_path(argument)}: no .json files in this folder")
            files.extend(found)
        else:
            files.append(argument)
    return files
