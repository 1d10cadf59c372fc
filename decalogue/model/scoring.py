"""Scores: the one place where answers become numbers.

The rules (also in the README):

- An answered item scores level / highest level x 100.
- A section's score is the weight-averaged score of its answered items; a
  pillar's, the weight-averaged score of its scored sections; the overall
  score, the weight-averaged score of the scored pillars. A group with nothing
  scored has no score (None), never zero.
- N/A leaves the denominator: it neither raises nor lowers a score.
- Unanswered items are not zero either: they show up as coverage, the share of
  items answered (a level or N/A).
- Gap to target: an item's gap is target minus level in levels (never below
  zero), and only exists where a target is set. A group's target score is
  rolled up like its score, with each answered item counted at max(level,
  target); a group where no answered item has a target has no target score
  and no gap ("target not set"), never a gap of zero. The group's gap is target
  score minus score, in percentage points. Top gaps rank items by weight x gap.
- Carried answers: a group counts the answers in it that were carried forward
  from the previous period and not yet confirmed, so every score can say how
  much of it rests on them.

`ScoreBoard` keeps the roll-ups and refreshes only the path of a changed item
(item, its section, its pillar, the overall), so a keystroke on a checklist of
10,000 items costs a few sections' worth of work, not a full recount.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain

from decalogue.model.assessment import Response
from decalogue.model.checklist import Checklist, Item, Pillar, Section


@dataclass(frozen=True, slots=True)
class ItemScore:
    item_id: str
    weight: float
    level: int | None
    not_applicable: bool
    score: float | None
    """0-100, or None when unanswered or N/A."""
    target: int | None
    gap: int
    """Levels between the answer and the target; 0 when met, unset or unanswered."""
    flagged: bool
    carried: bool = False
    """The answer was carried forward and is not yet confirmed or changed."""

    @property
    def answered(self) -> bool:
        return self.level is not None or self.not_applicable

    @property
    def weighted_gap(self) -> float:
        return self.weight * self.gap


@dataclass(frozen=True)
class GroupScore:
    """A section's, pillar's or the whole checklist's figures."""

    id: str
    title: str
    score: float | None
    target_score: float | None
    total: int
    answered: int
    not_applicable: int
    flagged: int
    below_target: int
    levels: Mapping[int, int] = field(default_factory=dict)
    """How many items sit at each level."""
    carried: int = 0
    """Answers (a level or N/A) carried forward and not yet confirmed or changed."""
    carried_scored: int = 0
    """Of them, those with a level: what of the score rests on carried answers (N/A is
    not in a score)."""
    targeted: int = 0
    """Items answered with a level that have a target; 0 means "target not set"."""

    @property
    def unanswered(self) -> int:
        return self.total - self.answered - self.not_applicable

    @property
    def coverage(self) -> float:
        """Share of items answered (a level or N/A), 0-100."""
        return 100.0 * (self.answered + self.not_applicable) / self.total if self.total else 100.0

    @property
    def gap(self) -> float | None:
        if self.score is None or self.target_score is None:
            return None
        return max(0.0, self.target_score - self.score)


def score_item(item: Item, response: Response | None, max_level: int) -> ItemScore:
    if response is None:
        return ItemScore(item.id, item.weight, None, False, None, None, 0, False)
    level = response.level if not response.not_applicable else None
    gap = 0
    if level is not None and response.target is not None:
        gap = max(0, response.target - level)
    return ItemScore(
        item_id=item.id,
        weight=item.weight,
        level=level,
        not_applicable=response.not_applicable,
        score=None if level is None else 100.0 * level / max_level,
        target=response.target,
        gap=gap,
        flagged=response.flagged,
        carried=response.carried and response.answered,
    )


def _weighted(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    total = weight_sum = 0.0
    for weight, value in pairs:
        if value is not None:
            total += weight * value
            weight_sum += weight
    return total / weight_sum if weight_sum else None


def _section_score(
    section_id: str, title: str, items: list[ItemScore], max_level: int
) -> GroupScore:
    target_pairs = [
        (s.weight, 100.0 * max(s.level, s.target if s.target is not None else s.level) / max_level)
        for s in items
        if s.level is not None
    ]
    targeted = sum(1 for s in items if s.level is not None and s.target is not None)
    levels = Counter(s.level for s in items if s.level is not None)
    return GroupScore(
        id=section_id,
        title=title,
        score=_weighted((s.weight, s.score) for s in items),
        target_score=_weighted(target_pairs) if targeted else None,
        total=len(items),
        answered=sum(1 for s in items if s.level is not None),
        not_applicable=sum(1 for s in items if s.not_applicable),
        flagged=sum(1 for s in items if s.flagged),
        below_target=sum(1 for s in items if s.gap > 0),
        levels=dict(levels),
        carried=sum(1 for s in items if s.carried),
        carried_scored=sum(1 for s in items if s.carried and s.level is not None),
        targeted=targeted,
    )


def _combine(group_id: str, title: str, parts: list[tuple[float, GroupScore]]) -> GroupScore:
    levels: Counter[int] = Counter()
    for _, part in parts:
        levels.update(part.levels)
    targeted = sum(p.targeted for _, p in parts)
    # A scored part without targets counts at its own score, as its items would.
    target_pairs = [(w, p.score if p.target_score is None else p.target_score) for w, p in parts]
    return GroupScore(
        id=group_id,
        title=title,
        score=_weighted((w, p.score) for w, p in parts),
        target_score=_weighted(target_pairs) if targeted else None,
        total=sum(p.total for _, p in parts),
        answered=sum(p.answered for _, p in parts),
        not_applicable=sum(p.not_applicable for _, p in parts),
        flagged=sum(p.flagged for _, p in parts),
        below_target=sum(p.below_target for _, p in parts),
        levels=dict(levels),
        carried=sum(p.carried for _, p in parts),
        carried_scored=sum(p.carried_scored for _, p in parts),
        targeted=targeted,
    )


OVERALL = "overall"

#: Decimal places of every score, coverage and change a user is shown (reports, scorecards,
#: comparisons, trends). Round once, then derive: a change or a gap is the difference of the
#: rounded figures, so the figures shown add up.
DECIMALS = 1


def rounded(value: float | None) -> float | None:
    """A score, coverage or point figure at the precision users are shown."""
    return None if value is None else round(value, DECIMALS)


def difference(before: float | None, after: float | None) -> float | None:
    """after - before as shown: both rounded first, then the difference rounded again."""
    first, last = rounded(before), rounded(after)
    return None if first is None or last is None else round(last - first, DECIMALS)


class ScoreBoard:
    """Every figure of one assessment, kept up to date item by item."""

    def __init__(self, checklist: Checklist, responses: Mapping[str, Response]) -> None:
        self.checklist = checklist
        self._responses = responses
        self._max = checklist.scale.max_level
        self.items: dict[str, ItemScore] = {
            item.id: score_item(item, responses.get(item.id), self._max) for item in checklist.items
        }
        self.sections: dict[str, GroupScore] = {}
        self.pillars: dict[str, GroupScore] = {}
        for pillar in checklist.pillars:
            for section in pillar.sections:
                self._rescore_section(section)
            self._rescore_pillar(pillar)
        self.overall = self._rescore_overall()
        self._unanswered = [
            index for index, item in enumerate(checklist.items) if not self.items[item.id].answered
        ]
        """Positions of the unanswered items in checklist order, kept sorted per edit."""

    def refresh(self, item_id: str) -> None:
        """Recompute what one item's change affects."""
        place = self.checklist.places[item_id]
        item = self.checklist.item_index[item_id]
        self.items[item_id] = score_item(item, self._responses.get(item_id), self._max)
        at = bisect_left(self._unanswered, place.index)
        listed = at < len(self._unanswered) and self._unanswered[at] == place.index
        if self.items[item_id].answered and listed:
            del self._unanswered[at]
        elif not self.items[item_id].answered and not listed:
            self._unanswered.insert(at, place.index)
        self._rescore_section(place.section)
        self._rescore_pillar(place.pillar)
        self.overall = self._rescore_overall()

    def _rescore_section(self, section: Section) -> None:
        self.sections[section.id] = _section_score(
            section.id, section.title, [self.items[i.id] for i in section.items], self._max
        )

    def _rescore_pillar(self, pillar: Pillar) -> None:
        self.pillars[pillar.id] = _combine(
            pillar.id, pillar.title, [(s.weight, self.sections[s.id]) for s in pillar.sections]
        )

    def _rescore_overall(self) -> GroupScore:
        return _combine(
            OVERALL,
            self.checklist.meta.title,
            [(p.weight, self.pillars[p.id]) for p in self.checklist.pillars],
        )

    # -- views

    def unanswered_after(self, position: int, step: int = 1) -> Iterator[str]:
        """Unanswered item ids after checklist position `position` (-1: from the start),
        forward (step 1) or backward (-1), wrapping around; without scanning answered items."""
        found = self._unanswered
        items = self.checklist.items
        if step > 0:
            at = bisect_right(found, position)
            order = chain(found[at:], found[:at])
        else:
            at = bisect_left(found, position if position >= 0 else len(items))
            order = chain(reversed(found[:at]), reversed(found[at:]))
        for index in order:
            yield items[index].id

    def top_gaps(self, limit: int = 10) -> list[ItemScore]:
        gaps = [s for s in self.items.values() if s.gap > 0]
        order = {item.id: index for index, item in enumerate(self.checklist.items)}
        gaps.sort(key=lambda s: (-s.weighted_gap, order[s.item_id]))
        return gaps[:limit]

    def flagged(self) -> list[str]:
        return [item.id for item in self.checklist.items if self.items[item.id].flagged]

    def group(self, group_id: str) -> GroupScore:
        if group_id == OVERALL:
            return self.overall
        return self.sections.get(group_id) or self.pillars[group_id]
