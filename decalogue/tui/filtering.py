"""The tree filter typed after `/`: words, and the keywords a user scoring needs.

Terms combine with AND: `unanswered`, `flagged`, `answered`, `na`, `carried`
(answers carried forward and not yet confirmed), `tag:X`,
`pillar:X` (id or start of the title) and any other word, matched against the
item's id, title and question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from decalogue.model.checklist import Checklist, Item
from decalogue.model.scoring import ItemScore

KEYWORDS = ("unanswered", "answered", "flagged", "na", "carried")


@dataclass(frozen=True)
class ItemFilter:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    states: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str) -> ItemFilter:
        words: list[str] = []
        tags: list[str] = []
        pillars: list[str] = []
        states: set[str] = set()
        for term in text.casefold().split():
            if term in KEYWORDS:
                states.add(term)
            elif term.startswith("tag:") and len(term) > 4:
                tags.append(term[4:])
            elif term.startswith("pillar:") and len(term) > 7:
                pillars.append(term[7:])
            else:
                words.append(term)
        return cls(tuple(words), tuple(tags), tuple(pillars), frozenset(states))

    @property
    def active(self) -> bool:
        return bool(self.words or self.tags or self.pillars or self.states)

    def matches(self, checklist: Checklist, item: Item, score: ItemScore | None) -> bool:
        answered = score is not None and score.answered
        if "unanswered" in self.states and answered:
            return False
        if "answered" in self.states and not answered:
            return False
        if "na" in self.states and not (score is not None and score.not_applicable):
            return False
        if "flagged" in self.states and not (score is not None and score.flagged):
            return False
        if "carried" in self.states and not (score is not None and score.carried):
            return False
        if self.tags and not all(any(t.startswith(tag) for t in item.tags) for tag in self.tags):
            return False
        if self.pillars:
            pillar = checklist.places[item.id].pillar
            names = (pillar.id.casefold(), pillar.title.casefold())
            if not all(any(n.startswith(p) for n in names) for p in self.pillars):
                return False
        if self.words:
            haystack = f"{item.id} {item.title} {item.question}".casefold()
            if not all(word in haystack for word in self.words):
                return False
        return True
