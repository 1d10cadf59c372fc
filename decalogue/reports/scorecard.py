"""The scorecard: the derived, versioned JSON an assessment is sent onward as.

It is meant to be read years later by someone who has neither decalogue nor the
checklist: it carries the scale with its labels, every item's title and source
references, the scoring rules in words, and every figure. Every figure comes
from `ScoreBoard`; this module only copies them into a documented shape.
The Markdown and HTML reports are rendered from this model too, so all exports
show the same numbers.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from decalogue import __version__
from decalogue.model.assessment import Assessment, Response, now
from decalogue.model.checklist import Checklist, Reference, Source
from decalogue.model.scoring import GroupScore, ItemScore, ScoreBoard
from decalogue.model.sources import bundled_seeds
from decalogue.reports.schemas import SCHEMA_BASE

#: Raise when a field changes meaning or disappears; adding fields keeps the version.
SCORECARD_VERSION: Literal[1] = 1
SCORECARD_SCHEMA_ID = f"{SCHEMA_BASE}scorecard.json"

#: How many gaps the scorecard lists; the per-item entries hold all of them.
TOP_GAPS = 10

SCORING_RULES = (
    "An answered item scores its level divided by the highest level of the scale, times 100. "
    "A section's score is the weight-averaged score of its answered items; a pillar's, the "
    "weight-averaged score of its scored sections; the overall score, the weight-averaged score "
    "of the scored pillars. N/A items leave the denominator: they neither raise nor lower a "
    "score. Unanswered items are not counted as zero; they show as coverage (the share of items "
    "answered with a level or N/A). A group with nothing scored has no score (null). An item's "
    "gap is its target level minus its level (never below zero). A group's target score is "
    "rolled up like its score with each answered item counted at the higher of its level and its "
    "target; its gap is target score minus score, in percentage points. Top gaps rank items by "
    "weight times gap."
)

_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c]")


def printable(text: str) -> str:
    """Text for a report, with control characters made visible, so `cat report.md` is safe.

    A terminal acts on ESC, BEL, BS or a bare CR (recolour, retitle, rewrite a line); reports
    show them as Unicode control pictures instead (ESC as U+241B). CR LF, CR, vertical tab and
    form feed (line breaks pasted from word processors) become line feeds.
    """
    return _CONTROL.sub(_picture, _LINE_BREAK.sub("\n", text))


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Generator(_Model):
    name: Literal["decalogue"]
    version: str
    """The decalogue version that wrote this scorecard."""


class CountryInfo(_Model):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    """ISO 3166-1 alpha-2; user-assigned codes (XA-XZ, QM-QZ, AA, ZZ) name fictional countries."""
    name: str


class AssessorInfo(_Model):
    name: str
    organisation: str
    role: str


class LevelInfo(_Model):
    value: Count
    label: str
    description: str


class ScaleInfo(_Model):
    levels: list[LevelInfo]
    """From 0 upwards; the highest is the full score (100%)."""
    max_level: Count
    not_applicable_label: str
    """How the checklist names 'does not apply here'."""


class ChecklistInfo(_Model):
    id: str
    title: str
    version: str
    hash: str
    """Content hash of the checklist the scores were computed with."""
    language: str
    scale: ScaleInfo
    answered_version: str
    """The checklist version the assessment file says it answers."""
    answered_hash: str
    """The checklist hash the assessment file records; differs from `hash` after drift."""


class LevelCount(_Model):
    value: Count
    label: str
    count: Count


class Figures(_Model):
    """The figures of a section, a pillar or the whole assessment."""

    id: str
    title: str
    score: Percent | None
    """Weighted score in percent; null when nothing in the group is answered with a level."""
    target_score: Percent | None
    """The score the group would have with every answered item at its target."""
    gap_points: Annotated[float, Field(ge=0)] | None
    """Target score minus score, in percentage points."""
    coverage: Percent
    """Share of items answered with a level or N/A."""
    total: Count
    answered: Count
    """Items answered with a level."""
    not_applicable: Count
    unanswered: Count
    flagged: Count
    below_target: Count
    levels: list[LevelCount]
    """How many items sit at each level of the scale."""


class SectionFigures(Figures):
    pillar: str
    """The id of the pillar the section belongs to."""
    weight: float


class PillarFigures(Figures):
    weight: float
    sections: list[str]
    """The ids of its sections, in checklist order."""


class EvidenceInfo(_Model):
    description: str
    link: str
    document: str


class ReferenceInfo(_Model):
    source: str
    """The source id, as listed in `sources`."""
    title: str
    date: str
    """As printed in the source; empty when none is printed."""
    quote: str
    """Verbatim from the source; empty when the source is cited by locator."""
    locator: str


class ItemInfo(_Model):
    id: str
    title: str
    question: str
    pillar: str
    section: str
    weight: float
    status: Literal["level", "not_applicable", "unanswered"]
    level: Count | None
    level_label: str
    """The label of the level, the N/A label, or empty when unanswered."""
    not_applicable: bool
    na_reason: str
    score: Percent | None
    target: Count | None
    target_label: str
    gap: Count
    """Levels between the answer and the target; 0 when met, unset or unanswered."""
    weighted_gap: Annotated[float, Field(ge=0)]
    flagged: bool
    finding: str
    """Finding or recommendation."""
    notes: str
    evidence: list[EvidenceInfo]
    changed_by: str
    changed_at: datetime | None
    references: list[ReferenceInfo]


class GapInfo(_Model):
    item: str
    title: str
    level: Count | None
    target: Count | None
    gap: Count
    weight: float
    weighted_gap: float


class FlagInfo(_Model):
    item: str
    title: str


class SourceInfo(_Model):
    id: str
    title: str
    date: str
    publisher: str
    kind: str
    url: str
    cited_by: list[str]
    """Item ids that cite it."""


class OrphanInfo(_Model):
    """An answer kept in the file for an item the checklist no longer has; not scored."""

    item: str
    level: Count | None
    not_applicable: bool
    na_reason: str
    target: Count | None
    flagged: bool
    notes: str
    finding: str


class Scorecard(_Model):
    """A scorecard: the figures of one assessment, readable without decalogue."""

    model_config = ConfigDict(populate_by_name=True)

    schema_uri: str = Field(alias="$schema")
    """The JSON Schema this document follows (`decalogue schema scorecard` prints it)."""
    scorecard_version: Literal[1]
    generator: Generator
    generated_at: datetime
    assessment_id: str
    title: str
    country: CountryInfo
    period: str
    """A year (2025), years (2024-2025) or a date range (2025-01-01/2025-06-30)."""
    assessors: list[AssessorInfo]
    created: datetime
    updated: datetime
    carried_from: str
    checklist: ChecklistInfo
    scoring_rules: str
    overall: Figures
    pillars: list[PillarFigures]
    sections: list[SectionFigures]
    items: list[ItemInfo]
    top_gaps: list[GapInfo]
    """Largest weighted gaps to target first, at most ten."""
    flagged: list[FlagInfo]
    sources: list[SourceInfo]
    orphaned: list[OrphanInfo]

    def to_json(self) -> str:
        text = self.model_dump_json(by_alias=True, indent=2) + "\n"
        # JSON escapes C0 controls but leaves DEL and C1 (0x9b is CSI) raw, which a terminal
        # showing the file would act on; escaped, the strings read back the same.
        return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# --------------------------------------------------------------------------- building


def build_scorecard(
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> Scorecard:
    scale = checklist.scale
    items = [_item(checklist, assessment, board, item_id) for item_id in checklist.item_index]
    titles = {item.id: item.title for item in checklist.items}
    return Scorecard(
        schema_uri=SCORECARD_SCHEMA_ID,
        scorecard_version=SCORECARD_VERSION,
        generator=Generator(name="decalogue", version=__version__),
        generated_at=generated_at or now(),
        assessment_id=assessment.id,
        title=assessment.display_title(),
        country=CountryInfo(code=assessment.country.code, name=assessment.country.name),
        period=assessment.period,
        assessors=[
            AssessorInfo(name=a.name, organisation=a.organisation, role=a.role)
            for a in assessment.assessors
        ],
        created=assessment.created,
        updated=assessment.updated,
        carried_from=assessment.carried_from,
        checklist=ChecklistInfo(
            id=checklist.meta.id,
            title=checklist.meta.title,
            version=checklist.meta.version,
            hash=checklist.content_hash,
            language=checklist.meta.language,
            scale=ScaleInfo(
                levels=[
                    LevelInfo(value=lv.value, label=lv.label, description=lv.description)
                    for lv in sorted(scale.levels, key=lambda lv: lv.value)
                ],
                max_level=scale.max_level,
                not_applicable_label=scale.not_applicable.label,
            ),
            answered_version=assessment.checklist.version,
            answered_hash=assessment.checklist.hash,
        ),
        scoring_rules=SCORING_RULES,
        overall=_figures(checklist, board.overall),
        pillars=[
            PillarFigures(
                **_figures(checklist, board.pillars[p.id]).model_dump(),
                weight=p.weight,
                sections=[s.id for s in p.sections],
            )
            for p in checklist.pillars
        ],
        sections=[
            SectionFigures(
                **_figures(checklist, board.sections[s.id]).model_dump(),
                pillar=p.id,
                weight=s.weight,
            )
            for p in checklist.pillars
            for s in p.sections
        ],
        items=items,
        top_gaps=[_gap(s, titles[s.item_id]) for s in board.top_gaps(TOP_GAPS)],
        flagged=[FlagInfo(item=i, title=titles[i]) for i in board.flagged()],
        sources=_sources(checklist),
        orphaned=[_orphan(i, assessment.responses[i]) for i in assessment.orphaned(checklist)],
    )


def _figures(checklist: Checklist, group: GroupScore) -> Figures:
    return Figures(
        id=group.id,
        title=group.title,
        score=group.score,
        target_score=group.target_score,
        gap_points=group.gap,
        coverage=group.coverage,
        total=group.total,
        answered=group.answered,
        not_applicable=group.not_applicable,
        unanswered=group.unanswered,
        flagged=group.flagged,
        below_target=group.below_target,
        levels=[
            LevelCount(value=lv.value, label=lv.label, count=group.levels.get(lv.value, 0))
            for lv in sorted(checklist.scale.levels, key=lambda lv: lv.value)
        ],
    )


def _item(
    checklist: Checklist, assessment: Assessment, board: ScoreBoard, item_id: str
) -> ItemInfo:
    item = checklist.item_index[item_id]
    place = checklist.places[item_id]
    scored = board.items[item_id]
    response = assessment.responses.get(item_id) or Response()
    scale = checklist.scale
    if scored.not_applicable:
        status: Literal["level", "not_applicable", "unanswered"] = "not_applicable"
        label = scale.not_applicable.label
    elif scored.level is not None:
        status, label = "level", scale.label(scored.level)
    else:
        status, label = "unanswered", ""
    return ItemInfo(
        id=item.id,
        title=item.title,
        question=item.question,
        pillar=place.pillar.id,
        section=place.section.id,
        weight=item.weight,
        status=status,
        level=scored.level,
        level_label=label,
        not_applicable=scored.not_applicable,
        na_reason=response.na_reason if scored.not_applicable else "",
        score=scored.score,
        target=scored.target,
        target_label="" if scored.target is None else scale.label(scored.target),
        gap=scored.gap,
        weighted_gap=scored.weighted_gap,
        flagged=scored.flagged,
        finding=response.finding,
        notes=response.notes,
        evidence=[
            EvidenceInfo(description=e.description, link=e.link, document=e.document)
            for e in response.evidence
        ],
        changed_by=response.changed_by,
        changed_at=response.changed_at,
        references=[_reference(checklist, ref) for ref in item.refs],
    )


def _reference(checklist: Checklist, ref: Reference) -> ReferenceInfo:
    title, date = _source_title(checklist.source_index.get(ref.source))
    return ReferenceInfo(
        source=ref.source,
        title=title or ref.source,
        date=date,
        quote=ref.quote or "",
        locator=ref.locator or "",
    )


def _gap(scored: ItemScore, title: str) -> GapInfo:
    return GapInfo(
        item=scored.item_id,
        title=title,
        level=scored.level,
        target=scored.target,
        gap=scored.gap,
        weight=scored.weight,
        weighted_gap=scored.weighted_gap,
    )


def _source_title(source: Source | None) -> tuple[str, str]:
    """Title and date as printed, with a bundled seed's metadata filled in."""
    if source is None:
        return "", ""
    title, date = source.title or "", source.date
    if source.seed:
        seed = bundled_seeds().get(source.seed)
        if seed is not None:
            title = title or seed.meta.title
            date = date or seed.meta.date_printed
    return title, date


def _sources(checklist: Checklist) -> list[SourceInfo]:
    cited: dict[str, dict[str, None]] = {}  # source -> item ids, ordered, each once
    for item in checklist.items:
        for ref in item.refs:
            cited.setdefault(ref.source, {})[item.id] = None
    result = []
    for source in checklist.sources:
        if source.id not in cited:
            continue
        title, date = _source_title(source)
        publisher, kind = source.publisher, source.kind
        if source.seed and (seed := bundled_seeds().get(source.seed)) is not None:
            publisher = publisher or seed.meta.publisher
            kind = kind or seed.meta.kind
        result.append(
            SourceInfo(
                id=source.id,
                title=title or source.id,
                date=date,
                publisher=publisher,
                kind=kind,
                url=source.url,
                cited_by=list(cited[source.id]),
            )
        )
    return result


def _orphan(item_id: str, response: Response) -> OrphanInfo:
    return OrphanInfo(
        item=item_id,
        level=response.level,
        not_applicable=response.not_applicable,
        na_reason=response.na_reason,
        target=response.target,
        flagged=response.flagged,
        notes=response.notes,
        finding=response.finding,
    )


# --------------------------------------------------------------------------- wording for reports


def percent(value: float | None) -> str:
    """A score as a reader sees it; no score is not zero, so it says so."""
    return "no score" if value is None else f"{value:.1f}%"


def points(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def assessor_text(assessor: AssessorInfo) -> str:
    extra = ", ".join(part for part in (assessor.organisation, assessor.role) if part)
    return f"{assessor.name} ({extra})" if extra else assessor.name


def answer_text(item: ItemInfo) -> str:
    if item.status == "not_applicable":
        return item.level_label
    if item.level is None:
        return "unanswered"
    return f"{item.level} ({item.level_label})"


def target_text(item: ItemInfo) -> str:
    return "–" if item.target is None else f"{item.target} ({item.target_label})"


def timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z").strip()
