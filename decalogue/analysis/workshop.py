"""Workshops: several groups score one checklist; their answers side by side.

`aggregate` sets every group's answer to each item side by side, with the
median level, the spread and a divergence ranking, so the most disputed items
are discussed first. The consensus the room builds from it is in
`decalogue.analysis.consensus` (the rule, the trainer's decisions, the file).

Groups must have answered the same checklist id and version; the same file
given twice (same assessment id, or identical bytes) is refused, because it
would count one group's view twice.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import (
    Assessment,
    Response,
)
from decalogue.model.checklist import Checklist


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
        (0, int(part)) if part.isdecimal() else (1, part.casefold())
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


def check_one_country_and_period(groups: Sequence[Group]) -> None:
    """Refuse groups that assessed different countries or periods: a consensus is for one."""
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
