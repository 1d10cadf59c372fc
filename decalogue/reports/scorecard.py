"""The scorecard: the derived, versioned JSON an assessment is sent onward as.

It is meant to be read years later by someone who has neither decalogue nor the
checklist: it carries the scale with its labels, every item's title and source
references, the scoring rules in words, and every figure. Every figure comes
from `ScoreBoard`; this module only copies them into a documented shape.
The Markdown and HTML reports are rendered from this model too, so all exports
show the same numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from decalogue import __version__, clock
from decalogue.analysis.plan import Tally, plan_entries, tallies
from decalogue.model.actions import Action
from decalogue.model.assessment import STATUS_LABELS, Assessment, Response
from decalogue.model.checklist import Checklist, Reference, Source
from decalogue.model.readiness import Readiness, carried_phrase, readiness
from decalogue.model.scoring import GroupScore, ItemScore, ScoreBoard, difference, rounded
from decalogue.model.sources import bundled_seeds
from decalogue.reports.scorecard_parts import (
    ActionInfo,
    AssessorInfo,
    CarriedInfo,
    ChecklistInfo,
    CountryInfo,
    EvidenceInfo,
    Figures,
    FlagInfo,
    GapInfo,
    Generator,
    ItemInfo,
    LevelCount,
    LevelInfo,
    OpenPointInfo,
    OrphanInfo,
    Part,
    PillarFigures,
    PlanCount,
    PlanInfo,
    ReadinessInfo,
    ReferenceInfo,
    ScaleInfo,
    SectionFigures,
    SourceInfo,
    StatusInfo,
)
from decalogue.reports.text import json_safe
from decalogue.resources import schema_id

#: Raise when a field changes meaning or disappears; adding fields keeps the version.
SCORECARD_VERSION: Literal[2] = 2
SCORECARD_SCHEMA_ID = schema_id("scorecard")

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
    "target; its gap is target score minus score, in percentage points. A group where no "
    "answered item has a target has no target score and no gap (target not set). Top gaps rank "
    "items by weight times gap. Percentages and percentage points are rounded to one decimal "
    "once; a gap is the difference of the rounded figures."
)


class Scorecard(Part):
    """A scorecard: the figures of one assessment, readable without decalogue.

    Percentages and percentage points are rounded to one decimal; weighted gaps to two.
    """

    model_config = ConfigDict(populate_by_name=True)

    schema_uri: str = Field(alias="$schema")
    """The file name of the JSON Schema this document follows, as shipped with decalogue
    (`decalogue schema scorecard` prints it)."""
    scorecard_version: Literal[1, 2]
    """The version of this format; raised when a field changes meaning or disappears.
    Version 2 added the action plan (`action_plan` and each item's `actions`)."""
    generator: Generator
    """The program that wrote the scorecard."""
    generated_at: datetime
    """When the scorecard was written."""
    assessment_id: str
    """The assessment's stable id."""
    title: str
    """The assessment's title, else country and period."""
    status: StatusInfo
    """Draft, in review or final, and who moved it when: read it before any figure."""
    readiness: ReadinessInfo
    """What stood between the assessment and final when the scorecard was written."""
    carried: CarriedInfo
    """Answers carried forward from the previous period and not yet confirmed."""
    country: CountryInfo
    """The country assessed."""
    period: str
    """A year (2025), years (2024-2025) or a date range (2025-01-01/2025-06-30)."""
    assessors: list[AssessorInfo]
    """Who filled it in."""
    created: datetime
    """When the assessment was started."""
    updated: datetime
    """When the assessment was last changed."""
    carried_from: str
    """The id of the assessment this one was carried forward from; empty when none."""
    checklist: ChecklistInfo
    """The checklist answered, with its scale and its caveats (description and limits)."""
    scoring_rules: str
    """How the figures are computed, in words."""
    overall: Figures
    """The figures of the whole assessment."""
    pillars: list[PillarFigures]
    """The figures of each pillar, in checklist order, with the pillar's summary."""
    sections: list[SectionFigures]
    """The figures of each section, in checklist order, with the section's summary."""
    items: list[ItemInfo]
    """Every item of the checklist, answered or not, in checklist order."""
    top_gaps: list[GapInfo]
    """Largest weighted gaps to target first, at most ten."""
    flagged: list[FlagInfo]
    """Items flagged for review."""
    sources: list[SourceInfo]
    """The sources the items cite."""
    orphaned: list[OrphanInfo]
    """Answers to items the checklist no longer has: kept, not scored."""
    action_plan: PlanInfo | None = None
    """The action plan in figures (version 2; null in version 1)."""

    def to_json(self) -> str:
        # Escaped, the strings read back the same; a terminal showing the file acts on none.
        return json_safe(self.model_dump_json(by_alias=True, indent=2) + "\n")


# --------------------------------------------------------------------------- building


def render_json(
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> str:
    """The scorecard as JSON text (the `json` export format)."""
    return build_scorecard(checklist, assessment, board, generated_at).to_json()


def build_scorecard(
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> Scorecard:
    scale = checklist.scale
    generated_at = generated_at or clock.now()
    today = generated_at.date()
    items = [
        _item(checklist, assessment, board, item_id, today) for item_id in checklist.item_index
    ]
    titles = {item.id: item.title for item in checklist.items}
    check = readiness(checklist, assessment)
    return Scorecard(
        schema_uri=SCORECARD_SCHEMA_ID,
        scorecard_version=SCORECARD_VERSION,
        generator=Generator(name="decalogue", version=__version__),
        generated_at=generated_at,
        assessment_id=assessment.id,
        title=assessment.display_title(),
        status=StatusInfo(
            state=assessment.status,
            label=STATUS_LABELS[assessment.status],
            changed_by=assessment.status_by,
            changed_at=assessment.status_at,
        ),
        readiness=_readiness(check),
        carried=_carried(assessment, check),
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
            description=checklist.meta.description,
            limits=checklist.meta.limits,
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
                summary=p.summary,
            )
            for p in checklist.pillars
        ],
        sections=[
            SectionFigures(
                **_figures(checklist, board.sections[s.id]).model_dump(),
                pillar=p.id,
                weight=s.weight,
                summary=s.summary,
            )
            for p in checklist.pillars
            for s in p.sections
        ],
        items=items,
        top_gaps=[_gap(s, titles[s.item_id]) for s in board.top_gaps(TOP_GAPS)],
        flagged=[FlagInfo(item=i, title=titles[i]) for i in board.flagged()],
        sources=_sources(checklist),
        orphaned=[_orphan(i, assessment.responses[i]) for i in assessment.orphaned(checklist)],
        action_plan=_plan(checklist, assessment, today),
    )


def _readiness(check: Readiness) -> ReadinessInfo:
    return ReadinessInfo(
        ready=check.ready,
        summary=check.summary(),
        open=[
            OpenPointInfo(key=p.key, label=p.label, count=p.count, items=list(p.items))
            for p in check.points
        ],
    )


def _carried(assessment: Assessment, check: Readiness) -> CarriedInfo:
    items = check.point("carried").items
    count = len(items)
    statement = ""
    if count:
        noun = "answer" if count == 1 else "answers"
        statement = f"{count} {noun} {carried_phrase(assessment)}, not yet reviewed"
    return CarriedInfo(
        from_period=assessment.carried_from_period,
        from_assessment=assessment.carried_from,
        count=count,
        items=list(items),
        statement=statement,
    )


def _figures(checklist: Checklist, group: GroupScore) -> Figures:
    score, target = rounded(group.score), rounded(group.target_score)
    gap = difference(score, target)
    gap = None if gap is None else max(0.0, gap)
    return Figures(
        id=group.id,
        title=group.title,
        score=score,
        target_score=target,
        gap_points=gap,
        coverage=rounded(group.coverage),
        total=group.total,
        answered=group.answered,
        not_applicable=group.not_applicable,
        unanswered=group.unanswered,
        flagged=group.flagged,
        below_target=group.below_target,
        targeted=group.targeted,
        carried=group.carried,
        levels=[
            LevelCount(value=lv.value, label=lv.label, count=group.levels.get(lv.value, 0))
            for lv in sorted(checklist.scale.levels, key=lambda lv: lv.value)
        ],
    )


def _item(
    checklist: Checklist, assessment: Assessment, board: ScoreBoard, item_id: str, today: date
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
        guidance=item.guidance,
        pillar=place.pillar.id,
        section=place.section.id,
        weight=item.weight,
        status=status,
        level=scored.level,
        level_label=label,
        not_applicable=scored.not_applicable,
        na_reason=response.na_reason if scored.not_applicable else "",
        score=rounded(scored.score),
        target=scored.target,
        target_label="" if scored.target is None else scale.label(scored.target),
        gap=scored.gap,
        weighted_gap=round(scored.weighted_gap, 2),
        flagged=scored.flagged,
        carried=scored.carried,
        finding=response.finding,
        notes=response.notes,
        evidence=[
            EvidenceInfo(description=e.description, link=e.link, document=e.document)
            for e in response.evidence
        ],
        changed_by=response.changed_by,
        changed_at=response.changed_at,
        references=[_reference(checklist, ref) for ref in item.refs],
        actions=[_action(action, today) for action in response.actions],
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
        weighted_gap=round(scored.weighted_gap, 2),
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


def _action(action: Action, today: date) -> ActionInfo:
    return ActionInfo(**action.model_dump(), overdue=action.overdue(today))


def _plan_counts(counts: list[Tally]) -> list[PlanCount]:
    return [PlanCount(**tally.__dict__) for tally in counts]


def _plan(checklist: Checklist, assessment: Assessment, today: date) -> PlanInfo:
    entries = plan_entries(checklist, assessment, today)
    return PlanInfo(
        as_of=today,
        total=len(entries),
        overdue=sum(1 for e in entries if e.overdue),
        by_pillar=_plan_counts(tallies(entries, "pillar")),
        by_institution=_plan_counts(tallies(entries, "owner")),
    )
