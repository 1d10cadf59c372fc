"""Plain text of an item and of an assessment, to be read line by line or aloud.

What `decalogue fill` and `decalogue show` print: no colour, no box drawing, no
cursor movement, and words instead of symbols ("answered: 3 Substantial", not a
filled dot), so a screen reader, a slow SSH link or a script gets every fact in
reading order. Text from files goes through `printable`, so nothing in a note
can drive the terminal.
"""

from __future__ import annotations

from decalogue.model.assessment import STATUS_LABELS, Assessment, Response
from decalogue.model.checklist import Checklist, Item
from decalogue.model.readiness import carried_phrase, readiness
from decalogue.model.scoring import GroupScore, ScoreBoard
from decalogue.plural import counted
from decalogue.reports.text import printable
from decalogue.reports.wording import status_sentence


def answer_words(checklist: Checklist, response: Response | None) -> str:
    """The answer of one item in words: 'not answered', 'N/A (reason: …)' or '3 Substantial'."""
    if response is None or (response.level is None and not response.not_applicable):
        return "not answered"
    if response.not_applicable:
        label = checklist.scale.not_applicable.label
        return f"{label} (reason: {printable(response.na_reason)})"
    assert response.level is not None
    return f"{response.level} {printable(checklist.scale.label(response.level))}"


def target_words(checklist: Checklist, response: Response | None) -> str:
    if response is None or response.target is None:
        return "not set"
    return f"{response.target} {printable(checklist.scale.label(response.target))}"


def item_lines(
    checklist: Checklist, assessment: Assessment, item: Item, *, position: int, total: int
) -> list[str]:
    """An item as a questionnaire shows it: where it is, what it asks, the scale, the answer."""
    place = checklist.places[item.id]
    response = assessment.responses.get(item.id)
    lines = [
        f"Item {position} of {total}. Pillar {place.pillar.id}: {printable(place.pillar.title)}. "
        f"Section {place.section.id}: {printable(place.section.title)}.",
        f"{item.id}: {printable(item.title)}",
        f"Question: {printable(item.question)}",
    ]
    if item.guidance:
        lines.append(f"Guidance: {printable(item.guidance)}")
    lines.append("Scale:")
    for level in checklist.scale.levels:
        meaning = item.descriptors.get(level.value) or level.description
        text = f"  {level.value} {printable(level.label)}"
        lines.append(f"{text}: {printable(meaning)}" if meaning else text)
    lines.append(f"  n {printable(checklist.scale.not_applicable.label)}: needs a reason")
    lines.extend(response_lines(checklist, assessment, response))
    return lines


def response_lines(
    checklist: Checklist, assessment: Assessment, response: Response | None
) -> list[str]:
    """What has been recorded for an item, one fact a line; a carried answer says so."""
    answer = answer_words(checklist, response)
    if response is not None and response.carried and response.answered:
        answer += f", {carried_phrase(assessment)}, not yet confirmed"
    lines = [
        f"Answer: {answer}.",
        f"Target: {target_words(checklist, response)}.",
        f"Review flag: {'on' if response is not None and response.flagged else 'off'}.",
    ]
    notes = response.notes if response is not None else ""
    lines.append(f"Notes: {printable(notes)}" if notes else "Notes: none.")
    evidence = response.evidence if response is not None else []
    if not evidence:
        lines.append("Evidence: none.")
    for number, entry in enumerate(evidence, start=1):
        where = " ".join(part for part in (entry.document, entry.link) if part)
        text = f"Evidence {number}: {printable(entry.description)}"
        lines.append(f"{text} ({printable(where)})" if where else text)
    if response is not None and response.finding:
        lines.append(f"Finding: {printable(response.finding)}")
    return lines


def _score_words(group: GroupScore, assessment: Assessment) -> str:
    score = "no score yet" if group.score is None else f"score {group.score:.0f} percent"
    answers = group.answered + group.not_applicable
    words = (
        f"{score}; {answers} of {counted(group.total, 'item')} answered "
        f"({group.coverage:.0f} percent coverage, {group.not_applicable} not applicable)"
    )
    if group.carried:
        words += (
            f"; {group.carried} of {counted(answers, 'answer')} {carried_phrase(assessment)}, "
            "not yet confirmed"
        )
    return words


def _status_words(checklist: Checklist, assessment: Assessment) -> str:
    """The status; a final one marked so with the readiness check unmet says what was open."""
    label = STATUS_LABELS[assessment.status]
    by = printable(assessment.status_by)
    text = status_sentence(assessment.status, label, assessment.status_at, by)
    check = readiness(checklist, assessment)
    if assessment.status == "final" and not check.ready:
        open_points = "; ".join(point.describe() for point in check.blocking)
        text += f"; marked final although the readiness check was not met ({open_points})"
    return text


def summary_lines(checklist: Checklist, assessment: Assessment, board: ScoreBoard) -> list[str]:
    """An assessment in a few sentences: what it is, its scores with coverage, what is left."""
    title = f" ({printable(assessment.title)})" if assessment.title else ""
    lines = [
        f"Assessment of {printable(assessment.country.name)} ({assessment.country.code}), "
        f"period {assessment.period}{title}.",
        f"Checklist: {printable(checklist.meta.title)}, version {checklist.meta.version}.",
        f"Status: {_status_words(checklist, assessment)}.",
        f"Overall: {_score_words(board.overall, assessment)}.",
    ]
    for pillar in checklist.pillars:
        group = board.group(pillar.id)
        words = _score_words(group, assessment)
        lines.append(f"Pillar {pillar.id}, {printable(pillar.title)}: {words}.")
    unanswered = [item.id for item in checklist.items if not board.items[item.id].answered]
    flagged = board.flagged()
    lines.append(
        f"Left to do: {counted(len(unanswered), 'item')} not answered"
        + (f" (first: {', '.join(unanswered[:5])})" if unanswered else "")
        + f"; {len(flagged)} flagged for review"
        + (f" ({', '.join(flagged[:5])})" if flagged else "")
        + "."
    )
    if checklist.meta.limits:
        lines.append(f"Limits of the checklist: {printable(checklist.meta.limits)}")
    return lines
