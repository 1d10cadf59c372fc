"""How answers, figures and bars read on screen: glyph and words, never colour alone.

Every helper takes already-computed figures (from a ScoreBoard); none computes a
score. Text from checklists and users goes in as plain strings, never markup.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from decalogue.model.actions import STATUS_WORDS, Action
from decalogue.model.assessment import Evidence, Response
from decalogue.model.checklist import Scale
from decalogue.model.scoring import GroupScore, ItemScore
from decalogue.reports.text import visible

GLYPH_ANSWERED = "●"
GLYPH_UNANSWERED = "○"
GLYPH_NA = "⊘"
GLYPH_FLAG = "⚑"
GLYPH_TARGET = "◎"
GLYPH_CARRIED = "↻"
GLYPH_NOTES = "✎"
GLYPH_EVIDENCE = "§"
GLYPH_ACTIONS = "→"

BAR_FULL = "█"
BAR_EMPTY = "░"


def safe(text: str) -> str:
    """Text from a checklist, a file or a user, with control characters made visible.

    Markup is already harmless (text is never parsed as markup); `visible` (the one
    control-character policy, shared with the CLI and the reports) keeps escape sequences,
    bells and carriage returns from reaching the terminal; a tab becomes one space.
    """
    return visible(text).replace("\t", " ")


def safe_line(text: str) -> str:
    """`safe`, and on one line (for tree labels, table cells, headers)."""
    return safe(text).replace("\n", " ")


Part = str | Content | tuple[str, str]


def assemble(*parts: Part) -> Content:
    """Content.assemble with every plain string made `safe` (markup is never parsed)."""
    cleaned: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            cleaned.append(safe(part))
        elif isinstance(part, tuple):
            cleaned.append((safe(part[0]), part[1]))
        else:
            cleaned.append(part)
    return Content.assemble(*cleaned)


def literal(text: str) -> Content:
    """User or checklist text as Content: shown as typed, controls made visible."""
    return Content(safe(text))


def answer_words(scale: Scale, response: Response | None) -> str:
    """E.g. "● 3 Substantial", "⊘ N/A", "○ unanswered"."""
    if response is None or not response.answered:
        return f"{GLYPH_UNANSWERED} unanswered"
    if response.not_applicable:
        return f"{GLYPH_NA} {safe_line(scale.not_applicable.label)}"
    assert response.level is not None
    return f"{GLYPH_ANSWERED} {response.level} {safe_line(scale.label(response.level))}"


def evidence_line(evidence: Evidence) -> str:
    """One evidence entry on one line: description — link — document."""
    parts = (evidence.description, evidence.link, evidence.document)
    return " — ".join(part for part in parts if part)


def action_line(action: Action) -> str:
    """One action on one line: status, deadline, institution, what."""
    deadline = action.deadline.isoformat() if action.deadline else "no deadline"
    owner = action.owner or "no institution"
    status = STATUS_WORDS[action.status]
    if action.proposal:
        status = f"proposed by {action.proposed_by}, not yet accepted"
    return f"{status} · {deadline} · {owner} · {action.what}"


def markers(response: Response | None) -> str:
    """The tree's marker column: flag, notes, evidence, target, actions (space when absent)."""
    if response is None:
        return "     "
    return "".join(
        glyph if present else " "
        for glyph, present in (
            (GLYPH_FLAG, response.flagged),
            (GLYPH_NOTES, bool(response.notes.strip())),
            (GLYPH_EVIDENCE, bool(response.evidence)),
            (GLYPH_TARGET, response.target is not None),
            (GLYPH_ACTIONS, bool(response.actions)),
        )
    )


def answer_short(score: ItemScore | None, na_label: str) -> str:
    """The tree's compact form: "● 3", "⊘ N/A", "○ ·"; "↻ 3", "↻ N/A" carried, unconfirmed."""
    if score is None or not score.answered:
        return f"{GLYPH_UNANSWERED} ·"
    if score.not_applicable:
        glyph = GLYPH_CARRIED if score.carried else GLYPH_NA
        return f"{glyph} {safe_line(na_label[:3])}"
    return f"{GLYPH_CARRIED if score.carried else GLYPH_ANSWERED} {score.level}"


def figure(value: float | None, digits: int = 1) -> str:
    """A score as shown everywhere: one decimal, or an en dash when there is none."""
    return "–" if value is None else f"{value:.{digits}f}"


def progress(group: GroupScore) -> str:
    done = group.answered + group.not_applicable
    return f"{done}/{group.total}"


def bar(value: float | None, width: int) -> str:
    """A 0-100 figure as a bar of block characters; empty for no score."""
    if value is None:
        return BAR_EMPTY * width
    filled = round(max(0.0, min(100.0, value)) / 100 * width)
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def when(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    return moment.strftime("%Y-%m-%d %H:%M")


def shorten(text: str, limit: int) -> str:
    text = " ".join(safe(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
