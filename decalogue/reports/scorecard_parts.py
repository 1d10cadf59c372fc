"""The parts of the scorecard: documented shapes, one per kind of entry.

Each field's docstring is its description in the published JSON Schema
(`decalogue schema scorecard`); a test checks that no property goes without one.
Percentages and percentage points are rounded to `scoring.DECIMALS` decimal
place(s) once, when the scorecard is built, and every figure derived from them
(a gap) is computed from the rounded values, so the figures a reader sees add up.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from decalogue.model.assessment import Status
from decalogue.model.readiness import PointKey

Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]


class Part(BaseModel):
    """A piece of the scorecard: unknown keys refused, never changed once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Generator(Part):
    name: Literal["decalogue"]
    """The program that wrote this scorecard."""
    version: str
    """The decalogue version that wrote this scorecard."""


class CountryInfo(Part):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    """ISO 3166-1 alpha-2; user-assigned codes (XA-XZ, QM-QZ, AA, ZZ) name fictional countries."""
    name: str
    """The country's name as recorded in the assessment."""


class AssessorInfo(Part):
    name: str
    """The assessor's name."""
    organisation: str
    """The ministry, office or organisation; empty when not recorded."""
    role: str
    """The assessor's role; empty when not recorded."""


class StatusInfo(Part):
    """Where the assessment stood when the scorecard was written."""

    state: Status
    """draft, review (in review) or final."""
    label: str
    """The status in words: Draft, In review or Final."""
    changed_by: str
    """Who moved the assessment to this status; empty for a draft never moved."""
    changed_at: datetime | None
    """When it was moved; null for a draft never moved."""


class OpenPointInfo(Part):
    """One kind of open point of the readiness check."""

    key: PointKey
    """Which kind: unanswered, carried (not yet confirmed), flagged, no_evidence or no_target."""
    label: str
    """What the items lack, in words."""
    count: Count
    """How many items."""
    items: list[str]
    """Their ids, in checklist order."""


class ReadinessInfo(Part):
    """What stood between the assessment and "final" when the scorecard was written."""

    ready: bool
    """True when nothing did (every kind of open point is empty)."""
    summary: str
    """The check in one sentence."""
    open: list[OpenPointInfo]
    """Every kind of open point, empty ones included."""


class CarriedInfo(Part):
    """Answers carried forward from the previous period and not yet confirmed or changed."""

    from_period: str
    """The period they were carried from; empty when the assessment was not carried forward."""
    from_assessment: str
    """The id of the assessment they were carried from; empty when not carried forward."""
    count: Count
    """How many answers are still carried (not yet confirmed or changed)."""
    items: list[str]
    """Their ids, in checklist order."""
    statement: str
    """The sentence every report shows, e.g. "16 answers carried forward from 2025, not yet
    reviewed"; empty when no answer is carried."""


class LevelInfo(Part):
    value: Count
    """The level's number; 0 is the lowest."""
    label: str
    """The level's name."""
    description: str
    """What the level means, for every item without its own descriptor."""


class ScaleInfo(Part):
    levels: list[LevelInfo]
    """From 0 upwards; the highest is the full score (100%)."""
    max_level: Count
    """The highest level: an item answered with it scores 100."""
    not_applicable_label: str
    """How the checklist names 'does not apply here'."""


class ChecklistInfo(Part):
    id: str
    """The checklist's stable identifier."""
    title: str
    """The checklist's title."""
    version: str
    """The checklist version the scores were computed with."""
    hash: str
    """Content hash of the checklist the scores were computed with."""
    language: str
    """BCP 47 language tag of the checklist's text."""
    description: str
    """What the checklist is for and what it is drawn from (its caveat on its own scope)."""
    limits: str
    """What the checklist's sources do not say: read it before reading any score."""
    scale: ScaleInfo
    """The scale the levels are given on."""
    answered_version: str
    """The checklist version the assessment file says it answers."""
    answered_hash: str
    """The checklist hash the assessment file records; differs from `hash` after drift."""


class LevelCount(Part):
    value: Count
    """The level's number."""
    label: str
    """The level's name."""
    count: Count
    """How many items of the group sit at this level."""


class Figures(Part):
    """The figures of a section, a pillar or the whole assessment."""

    id: str
    """The group's id ("overall" for the whole assessment)."""
    title: str
    """The group's title."""
    score: Percent | None
    """Weighted score in percent, rounded to 1 decimal; null when nothing in the group is
    answered with a level."""
    target_score: Percent | None
    """The score the group would have with every answered item at its target, rounded to
    1 decimal; null when no answered item in the group has a target ("target not set")."""
    gap_points: Annotated[float, Field(ge=0)] | None
    """Target score minus score as shown (both rounded), in percentage points; null when the
    target is not set or nothing is scored."""
    coverage: Percent
    """Share of items answered with a level or N/A, in percent, rounded to 1 decimal."""
    total: Count
    """Items in the group."""
    answered: Count
    """Items answered with a level."""
    not_applicable: Count
    """Items answered N/A (with a reason); they leave the score unchanged."""
    unanswered: Count
    """Items not answered; they are not counted as zero but lower the coverage."""
    flagged: Count
    """Items flagged for review."""
    below_target: Count
    """Items answered below their target."""
    targeted: Count
    """Items answered with a level that have a target; 0 means the target is not set."""
    carried: Count
    """Answers (a level or N/A) carried forward and not yet confirmed: how much of the
    score rests on the previous period's answers."""
    levels: list[LevelCount]
    """How many items sit at each level of the scale."""


class SectionFigures(Figures):
    pillar: str
    """The id of the pillar the section belongs to."""
    weight: float
    """The section's share in its pillar's score."""
    summary: str
    """The checklist's summary of the section: what its items do and do not measure."""


class PillarFigures(Figures):
    weight: float
    """The pillar's share in the overall score."""
    sections: list[str]
    """The ids of its sections, in checklist order."""
    summary: str
    """The checklist's summary of the pillar: what its items do and do not measure."""


class EvidenceInfo(Part):
    description: str
    """What the evidence is: a law, a decree, a statistic, a report."""
    link: str
    """A web address; empty when there is none."""
    document: str
    """A document reference (title, number, file name); empty when there is none."""


class ReferenceInfo(Part):
    source: str
    """The source id, as listed in `sources`."""
    title: str
    """The source's title as printed."""
    date: str
    """As printed in the source; empty when none is printed."""
    quote: str
    """Verbatim from the source; empty when the source is cited by locator."""
    locator: str
    """Chapter, paragraph or page of a source cited without a quote; empty otherwise."""


class ActionInfo(Part):
    """One action of the action plan, on the item it belongs to."""

    id: str
    """Stable within the assessment, and across periods when carried forward."""
    what: str
    """What will be done."""
    owner: str
    """The responsible institution; empty when none is named."""
    deadline: date | None
    """The deadline; null when none is set."""
    status: Literal["planned", "in_progress", "done", "dropped"]
    """Where the action stands."""
    overdue: bool
    """Open (planned or in progress) with the deadline before the scorecard's date."""
    progress: str
    """Progress notes."""
    budget: str
    """The budget line it is paid from; empty when none is named."""
    from_level: Count | None
    """The level the gap starts from; null when not stated."""
    to_level: Count | None
    """The level the action should bring the item to; null when not stated."""
    carried_from: str
    """The period the action was carried forward from; empty when set in this period."""
    proposed_by: str = ""
    """In a workshop consensus: the groups that proposed it, while the room has not yet
    accepted it (such a proposal is not part of the plan and never overdue); else empty."""


class PlanCount(Part):
    """The actions of one pillar or one institution, counted."""

    key: str
    """The pillar id, or the institution's name."""
    title: str
    """The pillar's title, or the institution's name."""
    total: Count
    """Every action of the group."""
    open: Count
    """Planned or in progress."""
    overdue: Count
    """Open with the deadline passed."""
    done: Count
    """Done."""
    dropped: Count
    """Dropped."""


class PlanInfo(Part):
    """The action plan in figures; the actions themselves are on their items."""

    as_of: date
    """The date overdue is counted against (the day the scorecard was written)."""
    total: Count
    """Every action of the assessment."""
    overdue: Count
    """Open actions whose deadline has passed."""
    by_pillar: list[PlanCount]
    """Counts per pillar, in checklist order."""
    by_institution: list[PlanCount]
    """Counts per responsible institution, by name."""


class ItemInfo(Part):
    id: str
    """The item's stable id, e.g. LF-01."""
    title: str
    """The item's title."""
    question: str
    """The question the assessor answered."""
    guidance: str
    """What to look at and what counts as evidence; empty when the checklist gives none."""
    pillar: str
    """The id of the item's pillar."""
    section: str
    """The id of the item's section."""
    weight: float
    """The item's share in its section's score."""
    status: Literal["level", "not_applicable", "unanswered"]
    """Whether the item is answered with a level, N/A, or not at all."""
    level: Count | None
    """The level given; null when N/A or unanswered."""
    level_label: str
    """The label of the level, the N/A label, or empty when unanswered."""
    not_applicable: bool
    """True when the item was answered N/A."""
    na_reason: str
    """Why the item does not apply; empty unless N/A."""
    score: Percent | None
    """Level divided by the highest level, in percent, rounded to 1 decimal; null when
    N/A or unanswered."""
    target: Count | None
    """The level the country aims to reach; null when no target is set."""
    target_label: str
    """The label of the target level; empty when no target is set."""
    gap: Count
    """Levels between the answer and the target; 0 when met, unset or unanswered."""
    weighted_gap: Annotated[float, Field(ge=0)]
    """Weight times gap, rounded to 2 decimals: what ranks the top gaps."""
    flagged: bool
    """Flagged for review."""
    carried: bool
    """The answer was carried forward from the previous period and is not yet confirmed."""
    finding: str
    """Finding or recommendation."""
    notes: str
    """The assessor's notes."""
    evidence: list[EvidenceInfo]
    """What the answer rests on."""
    changed_by: str
    """Who last changed the answer; empty when never changed."""
    changed_at: datetime | None
    """When the answer was last changed; null when never changed."""
    references: list[ReferenceInfo]
    """Where the item comes from in its sources."""
    actions: list[ActionInfo] = []
    """The item's actions (scorecard version 2; absent from version 1)."""


class GapInfo(Part):
    item: str
    """The item's id."""
    title: str
    """The item's title."""
    level: Count | None
    """The level given."""
    target: Count | None
    """The target level."""
    gap: Count
    """Levels between the answer and the target."""
    weight: float
    """The item's weight."""
    weighted_gap: float
    """Weight times gap, rounded to 2 decimals."""


class FlagInfo(Part):
    item: str
    """The flagged item's id."""
    title: str
    """The flagged item's title."""


class SourceInfo(Part):
    id: str
    """The source id items cite it by."""
    title: str
    """The source's title as printed."""
    date: str
    """The date as printed; empty when none is printed."""
    publisher: str
    """Who published it; empty when not known."""
    kind: str
    """What kind of document it is (press release, op-ed, ...); empty when not known."""
    url: str
    """Where it can be read; empty when not known."""
    cited_by: list[str]
    """Item ids that cite it."""


class OrphanInfo(Part):
    """An answer kept in the file for an item the checklist no longer has; not scored."""

    item: str
    """The id of the item the checklist no longer has."""
    level: Count | None
    """The level given; null when N/A or unanswered."""
    not_applicable: bool
    """True when it was answered N/A."""
    na_reason: str
    """Why it did not apply; empty unless N/A."""
    target: Count | None
    """The target level; null when none was set."""
    flagged: bool
    """Flagged for review."""
    notes: str
    """The assessor's notes."""
    finding: str
    """Finding or recommendation."""
