"""Compare assessments of one checklist (`analysis.trend` follows one country over time).

Pure functions over `Assessment` objects: each assessment is scored once by a
`ScoreBoard` (the only place scores are computed) and every figure here is read
from those boards. Assessments of different versions of a checklist are compared
on the items they share; the items that only some versions have are listed
beside the comparison, never dropped.

The change of an item is read from the first assessment given to the last
(for two countries side by side, "improved" means the second is higher); the
step-by-step changes between neighbours are kept too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import pairwise
from pathlib import Path

from decalogue.errors import DecalogueError
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import (
    OVERALL,
    GroupScore,
    ItemScore,
    ScoreBoard,
    difference,
    rounded,
)

#: How many items the summary names as top improvements and top regressions.
TOP = 5


class ComparisonError(DecalogueError):
    """Assessments that cannot be compared (different checklists, countries for a trend)."""


class ChangeKind(str, Enum):
    """How one item's answer moved from one assessment to another."""

    IMPROVED = "improved"
    REGRESSED = "regressed"
    UNCHANGED = "unchanged"
    NEWLY_ANSWERED = "newly answered"
    NO_LONGER_ANSWERED = "no longer answered"
    NOW_NA = "now N/A"
    NO_LONGER_NA = "no longer N/A"

    @property
    def sign(self) -> str:
        """A mark that reads without colour; always shown beside the word."""
        return _SIGNS[self]


_SIGNS = {
    ChangeKind.IMPROVED: "▲",
    ChangeKind.REGRESSED: "▼",
    ChangeKind.UNCHANGED: "=",
    ChangeKind.NEWLY_ANSWERED: "+",
    ChangeKind.NO_LONGER_ANSWERED: "-",
    ChangeKind.NOW_NA: "~",
    ChangeKind.NO_LONGER_NA: "~",
}


#: The words for two different countries side by side: a difference, not a change over time.
_DIFFERENCES = {
    ChangeKind.IMPROVED: "higher",
    ChangeKind.REGRESSED: "lower",
    ChangeKind.UNCHANGED: "same",
    ChangeKind.NEWLY_ANSWERED: "answered only in the last",
    ChangeKind.NO_LONGER_ANSWERED: "answered only in the first",
    ChangeKind.NOW_NA: "N/A only in the last",
    ChangeKind.NO_LONGER_NA: "N/A only in the first",
}


def kind_word(kind: ChangeKind, across_countries: bool = False) -> str:
    """The change's word; between different countries, the difference's ("higher", "lower")."""
    return _DIFFERENCES[kind] if across_countries else kind.value


def change_text(change: ItemChange, across_countries: bool = False) -> str:
    """A change in words and a sign, never colour alone: "▲ improved +2", "= unchanged".

    Between two countries it reads as a difference ("▲ higher +2"): one country did not
    improve on another.
    """
    if change.kind is None:
        return "not in every version"
    text = f"{change.kind.sign} {kind_word(change.kind, across_countries)}"
    if change.delta and change.kind in (ChangeKind.IMPROVED, ChangeKind.REGRESSED):
        text += f" {change.delta:+d}"
    return text


def change_kind(before: ItemScore, after: ItemScore) -> ChangeKind:
    """Compares scores, not raw levels, so scales of different lengths still compare."""
    if before.not_applicable and after.not_applicable:
        return ChangeKind.UNCHANGED
    if after.not_applicable:
        return ChangeKind.NOW_NA
    if before.not_applicable:
        return ChangeKind.NO_LONGER_NA
    if before.score is None and after.score is None:
        return ChangeKind.UNCHANGED
    if before.score is None:
        return ChangeKind.NEWLY_ANSWERED
    if after.score is None:
        return ChangeKind.NO_LONGER_ANSWERED
    if after.score > before.score:
        return ChangeKind.IMPROVED
    if after.score < before.score:
        return ChangeKind.REGRESSED
    return ChangeKind.UNCHANGED


# --------------------------------------------------------------------------- subjects


@dataclass(frozen=True)
class Subject:
    """One assessment taking part in a comparison, with its checklist, scored once."""

    assessment: Assessment
    checklist: Checklist
    path: str = ""
    """The file it was read from, as shown to users ("" when it never was a file)."""
    label: str = ""
    """Column heading; defaults to the assessment's title, else country and period."""
    board: ScoreBoard = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "board", ScoreBoard(self.checklist, self.assessment.responses))
        if not self.label:
            object.__setattr__(self, "label", self.assessment.display_title())

    @property
    def version(self) -> str:
        return self.checklist.meta.version


def unique_labels(
    subjects: Sequence[Subject], labels: Sequence[str] | None = None
) -> tuple[str, ...]:
    """Labels that tell every column apart: repeats get the file name, then a number."""
    base = list(labels) if labels is not None else [s.label for s in subjects]
    counts = Counter(base)
    named = [
        f"{label} ({Path(s.path).stem})" if counts[label] > 1 and s.path else label
        for s, label in zip(subjects, base, strict=True)
    ]
    repeated = Counter(named)
    seen: Counter[str] = Counter()
    result = []
    for label in named:
        seen[label] += 1
        result.append(f"{label} #{seen[label]}" if repeated[label] > 1 else label)
    return tuple(result)


def one_checklist_id(subjects: Sequence[Subject], what: str) -> str:
    if len(subjects) < 2 and what == "compare":
        raise ComparisonError("compare needs at least two assessments")
    if not subjects:
        raise ComparisonError(f"{what}: no assessments given")
    ids: dict[str, list[str]] = {}
    for s in subjects:
        ids.setdefault(s.checklist.meta.id, []).append(s.path or s.label)
    if len(ids) > 1:
        listed = "; ".join(f"{i}: {', '.join(files)}" for i, files in ids.items())
        raise ComparisonError(
            f"{what}: the assessments answer different checklists ({listed}); "
            "only assessments of one checklist can be compared"
        )
    return next(iter(ids))


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class ItemChange:
    """One item across the compared assessments."""

    item_id: str
    title: str
    pillar_id: str
    section_id: str
    weight: float
    answers: tuple[ItemScore | None, ...]
    """One per assessment; None where that assessment's checklist lacks the item."""
    kind: ChangeKind | None
    """From the first assessment to the last; None for an item not in every version."""
    steps: tuple[ChangeKind | None, ...]
    """Between each assessment and the next (one fewer than `answers`)."""
    delta: int | None
    """Levels gained (negative: lost) from first to last, when both have a level."""
    score_delta: float | None

    @property
    def shared(self) -> bool:
        return self.kind is not None

    @property
    def present_in(self) -> tuple[int, ...]:
        """Indices of the assessments whose checklist has this item."""
        return tuple(i for i, answer in enumerate(self.answers) if answer is not None)


_ANSWER_CHANGES = frozenset(
    {ChangeKind.IMPROVED, ChangeKind.REGRESSED, ChangeKind.NOW_NA, ChangeKind.NO_LONGER_NA}
)


@dataclass(frozen=True)
class Cause:
    """What moved a group's score between two assessments: answers, or only coverage.

    Answering more items moves a score without any answer changing; a reader must be
    told that, or it reads as progress.
    """

    answers_changed: int
    """Items of the group whose level or N/A changed."""
    newly_answered: int
    """Items answered in the later assessment only."""
    no_longer_answered: int
    """Items answered in the earlier assessment only."""

    @property
    def coverage_only(self) -> bool:
        """No answer changed; only which items are answered did."""
        return not self.answers_changed and bool(self.newly_answered or self.no_longer_answered)

    def text(self, delta: float | None) -> str:
        """Why a shown change happened, when it is not (only) changed answers; else ""."""
        if not delta:
            return ""
        coverage = []
        if self.newly_answered:
            coverage.append(f"{self.newly_answered} more answered")
        if self.no_longer_answered:
            coverage.append(f"{self.no_longer_answered} no longer answered")
        if self.coverage_only:
            return f"coverage only ({', '.join(coverage)}); no answer changed"
        if coverage:
            noun = "answer" if self.answers_changed == 1 else "answers"
            return f"{self.answers_changed} {noun} changed; {', '.join(coverage)}"
        if not self.answers_changed:
            return "no answer changed: the checklist versions differ"
        return ""


@dataclass(frozen=True)
class GroupChange:
    """The overall score, a pillar's or a section's, across the assessments."""

    id: str
    kind: str
    """"overall", "pillar" or "section"."""
    title: str
    scores: tuple[GroupScore | None, ...]
    """One per assessment; None where that checklist version lacks the group."""
    delta: float | None
    """Score points from first to last, when both have a score: the difference of the
    scores as shown (rounded), so the shown change is the difference of the shown values."""
    same_items: bool
    """False when the versions compared put different items in this group."""
    cause: Cause
    """What moved the score from first to last."""

    @property
    def values(self) -> tuple[float | None, ...]:
        """The scores as shown (rounded once)."""
        return tuple(rounded(s.score) if s is not None else None for s in self.scores)

    @property
    def coverages(self) -> tuple[float | None, ...]:
        """The coverage beside each score, as shown (rounded once)."""
        return tuple(rounded(s.coverage) if s is not None else None for s in self.scores)

    @property
    def note(self) -> str:
        """Why the score moved, when answering more or fewer items moved it."""
        return self.cause.text(self.delta)


@dataclass(frozen=True)
class Comparison:
    checklist_id: str
    subjects: tuple[Subject, ...]
    labels: tuple[str, ...]
    items: tuple[ItemChange, ...]
    """Items every compared version has, in checklist order."""
    unshared: tuple[ItemChange, ...]
    """Items only some versions have: listed, not compared."""
    groups: tuple[GroupChange, ...]
    """Overall first, then each pillar followed by its sections."""
    counts: dict[ChangeKind, int]
    top_improvements: tuple[ItemChange, ...]
    top_regressions: tuple[ItemChange, ...]

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(s.version for s in self.subjects)

    @property
    def mixed_versions(self) -> bool:
        return len(set(self.versions)) > 1

    @property
    def across_countries(self) -> bool:
        """Different countries side by side: their differences are not improvements."""
        return len({s.assessment.country.code for s in self.subjects}) > 1

    @property
    def scale_checklist(self) -> Checklist:
        """The checklist whose scale labels the levels (the last one's)."""
        return self.subjects[-1].checklist


def _union_order(checklists: Sequence[Checklist]) -> list[tuple[str, str, str, str]]:
    """(pillar, section, item id, title) of every item of every version, in the last
    version's order; an item only earlier versions have follows its neighbour there."""
    rows = {
        item.id: (pillar.id, section.id, item.id, item.title)
        for checklist in checklists
        for pillar, section, item in checklist.walk()
    }
    order = [item.id for item in checklists[-1].items]
    placed = set(order)
    for checklist in reversed(checklists[:-1]):
        previous: str | None = None
        for item in checklist.items:
            if item.id not in placed:
                at = order.index(previous) + 1 if previous is not None else 0
                order.insert(at, item.id)
                placed.add(item.id)
            previous = item.id
    return [rows[item_id] for item_id in order]


def distinct_checklists(subjects: Sequence[Subject]) -> list[Checklist]:
    found: dict[int, Checklist] = {}
    for s in subjects:
        found.setdefault(id(s.checklist), s.checklist)
    return list(found.values())


def compare(subjects: Sequence[Subject], top: int = TOP) -> Comparison:
    """Compare two or more assessments of one checklist, in the order given."""
    checklist_id = one_checklist_id(subjects, "compare")
    checklists = distinct_checklists(subjects)
    boards = [s.board for s in subjects]
    shared: list[ItemChange] = []
    unshared: list[ItemChange] = []
    for pillar_id, section_id, item_id, title in _union_order(checklists):
        answers = tuple(board.items.get(item_id) for board in boards)
        weight = next(a.weight for a in answers if a is not None)
        present = [a for a in answers if a is not None]
        if len(present) < len(answers):
            unshared.append(
                ItemChange(
                    item_id, title, pillar_id, section_id, weight, answers, None, (), None, None
                )
            )
            continue
        first, last = present[0], present[-1]
        steps = tuple(change_kind(a, b) for a, b in pairwise(present))
        delta = score_delta = None
        if first.level is not None and last.level is not None:
            delta = last.level - first.level
        if first.score is not None and last.score is not None:
            score_delta = last.score - first.score
        shared.append(
            ItemChange(
                item_id,
                title,
                pillar_id,
                section_id,
                weight,
                answers,
                change_kind(first, last),
                steps,
                delta,
                score_delta,
            )
        )
    order = {change.item_id: index for index, change in enumerate(shared)}
    improved = [c for c in shared if c.kind is ChangeKind.IMPROVED]
    regressed = [c for c in shared if c.kind is ChangeKind.REGRESSED]
    improved.sort(key=lambda c: (-(c.score_delta or 0.0), -c.weight, order[c.item_id]))
    regressed.sort(key=lambda c: ((c.score_delta or 0.0), -c.weight, order[c.item_id]))
    counts = Counter(c.kind for c in shared if c.kind is not None)
    return Comparison(
        checklist_id=checklist_id,
        subjects=tuple(subjects),
        labels=unique_labels(subjects),
        items=tuple(shared),
        unshared=tuple(unshared),
        groups=group_changes(subjects, checklists),
        counts={kind: counts.get(kind, 0) for kind in ChangeKind},
        top_improvements=tuple(improved[:top]),
        top_regressions=tuple(regressed[:top]),
    )


Members = dict[str, dict[int, frozenset[str]]]
"""Group id -> id(checklist) -> the item ids the group holds in that checklist version."""


def memberships(checklists: Sequence[Checklist]) -> Members:
    members: Members = {}
    for checklist in checklists:
        for pillar in checklist.pillars:
            pillar_items: set[str] = set()
            for section in pillar.sections:
                ids = frozenset(item.id for item in section.items)
                members.setdefault(section.id, {})[id(checklist)] = ids
                pillar_items |= ids
            members.setdefault(pillar.id, {})[id(checklist)] = frozenset(pillar_items)
        members.setdefault(OVERALL, {})[id(checklist)] = frozenset(checklist.item_index)
    return members


def cause_between(members: Members, group_id: str, before: Subject, after: Subject) -> Cause:
    """How the group's items moved from one assessment to another."""
    sets = members.get(group_id, {})
    shared = sets.get(id(before.checklist), frozenset()) & sets.get(
        id(after.checklist), frozenset()
    )
    kinds = Counter(
        change_kind(before.board.items[item_id], after.board.items[item_id]) for item_id in shared
    )
    return Cause(
        answers_changed=sum(kinds[kind] for kind in _ANSWER_CHANGES),
        newly_answered=kinds[ChangeKind.NEWLY_ANSWERED],
        no_longer_answered=kinds[ChangeKind.NO_LONGER_ANSWERED],
    )


def group_changes(
    subjects: Sequence[Subject], checklists: Sequence[Checklist]
) -> tuple[GroupChange, ...]:
    outline: dict[str, tuple[str, str]] = {}  # id -> (kind, title), in union order
    for checklist in reversed(checklists):
        for pillar in checklist.pillars:
            outline.setdefault(pillar.id, ("pillar", pillar.title))
            for section in pillar.sections:
                outline.setdefault(section.id, ("section", section.title))
    members = memberships(checklists)

    def change(group_id: str, kind: str, title: str) -> GroupChange:
        scores = tuple(
            s.board.overall
            if kind == "overall"
            else (s.board.sections if kind == "section" else s.board.pillars).get(group_id)
            for s in subjects
        )
        first, last = scores[0], scores[-1]
        delta = None
        if first is not None and last is not None:
            delta = difference(first.score, last.score)
        sets = members.get(group_id, {})
        same = len(set(sets.values())) <= 1 and len(sets) == len(checklists)
        cause = cause_between(members, group_id, subjects[0], subjects[-1])
        return GroupChange(group_id, kind, title, scores, delta, same, cause)

    groups = [change(OVERALL, "overall", subjects[-1].checklist.meta.title)]
    groups.extend(change(gid, kind, title) for gid, (kind, title) in outline.items())
    return tuple(groups)
