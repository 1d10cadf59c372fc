"""How the scorecard's figures and states read in a report, shared by Markdown and HTML.

One wording for each thing a minister must not misread: no score is not zero,
a target not set is not a gap of zero, a carried answer is last period's, a
draft is a draft.
"""

from __future__ import annotations

from datetime import datetime

from decalogue.plural import counted
from decalogue.reports.scorecard import Scorecard
from decalogue.reports.scorecard_parts import AssessorInfo, Figures, ItemInfo

#: What a report says where no target is set, instead of a gap of zero.
TARGET_NOT_SET = "target not set"


def percent(value: float | None) -> str:
    """A score as a reader sees it; no score is not zero, so it says so."""
    return "no score" if value is None else f"{value:.1f}%"


def points(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def target_percent(figures: Figures) -> str:
    """A group's target score, or "target not set" when no answered item has a target."""
    if figures.target_score is None:
        return TARGET_NOT_SET if figures.answered else "–"
    return percent(figures.target_score)


def gap_points(figures: Figures) -> str:
    """A group's gap in points; only where a target is set."""
    return "–" if figures.gap_points is None else points(figures.gap_points)


def assessor_text(assessor: AssessorInfo) -> str:
    extra = ", ".join(part for part in (assessor.organisation, assessor.role) if part)
    return f"{assessor.name} ({extra})" if extra else assessor.name


def answer_text(item: ItemInfo) -> str:
    text = _answer(item)
    return f"{text}, carried" if item.carried else text


def _answer(item: ItemInfo) -> str:
    if item.status == "not_applicable":
        return item.level_label
    if item.level is None:
        return "unanswered"
    return f"{item.level} ({item.level_label})"


def target_text(item: ItemInfo) -> str:
    return TARGET_NOT_SET if item.target is None else f"{item.target} ({item.target_label})"


def timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z").strip()


def status_word(card: Scorecard) -> str:
    """The status as a stamp: DRAFT, IN REVIEW or FINAL."""
    return card.status.label.upper()


def status_sentence(state: str, label: str, changed_at: datetime | None, changed_by: str) -> str:
    """ "Draft (not reviewed; the figures may still change)", with who moved it when."""
    text = label
    if changed_at is not None:
        text += f" since {timestamp(changed_at)}, by {changed_by or 'unknown'}"
    if state == "draft":
        text += " (not reviewed; the figures may still change)"
    elif state == "review":
        text += " (under review; the figures may still change)"
    return text


def status_text(card: Scorecard) -> str:
    """The status in a sentence, with who moved it when and what was still open."""
    status = card.status
    text = status_sentence(status.state, status.label, status.changed_at, status.changed_by)
    if status.state == "final" and not card.readiness.ready:
        text += f"; marked final although the readiness check was not met ({_open(card)})"
    return text


def readiness_text(card: Scorecard) -> str:
    if card.readiness.ready:
        return "nothing stands between this assessment and final"
    return f"not ready for final: {_open(card)}"


def _open(card: Scorecard) -> str:
    parts = []
    for point in card.readiness.open:
        if point.count:
            parts.append(f"{counted(point.count, 'item')} {point.label}")
    return "; ".join(parts)


def carried_share(figures: Figures, card: Scorecard) -> str:
    """How much of a score rests on carried answers: "" when none does."""
    if not figures.carried:
        return ""
    answers = figures.answered + figures.not_applicable
    period = card.carried.from_period or "the previous period"
    return (
        f"{figures.carried} of {counted(answers, 'answer')} carried forward from {period}, "
        "not yet reviewed"
    )


def unscored_pillars(card: Scorecard) -> str:
    """Which pillars the overall score leaves out, having no score yet ("" when none does).

    The overall score is the mean of the scored pillars only, so 60% on one pillar of
    three reads as the country's 60% unless the summary says which pillars it is from.
    """
    scored = [p.id for p in card.pillars if p.score is not None]
    unscored = [p.id for p in card.pillars if p.score is None]
    if not scored or not unscored:
        return ""
    verb = "has" if len(unscored) == 1 else "have"
    return (
        f"the overall score is from {_listed(scored)} only: "
        f"{_listed(unscored)} {verb} no answer with a level yet"
    )


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def carried_count(figures: Figures) -> str:
    """A table cell: how many answers behind the score are carried ("" when none)."""
    if not figures.carried:
        return "0"
    return f"{figures.carried} of {figures.answered + figures.not_applicable}"


def no_gap_text(card: Scorecard) -> str:
    """Where no item is below its target: whether that is because few or no targets are set."""
    figures = card.overall
    if not figures.targeted:
        return "No target is set, so no gap to target can be shown."
    return (
        f"No answered item is below its target ({target_coverage(figures)}; "
        "items without a target have no gap)."
    )


def target_coverage(figures: Figures) -> str:
    """ "targets set for 3 of 12 answered items" """
    if figures.target_score is None:
        return TARGET_NOT_SET
    return (
        f"targets set for {figures.targeted} of {counted(figures.answered, 'item')} "
        "answered with a level"
    )
