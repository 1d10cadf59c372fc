"""The words of the workshop and presenter views: decisions, answers, an item's detail,
a group's findings. The screens hold what the trainer does; this module what the room reads.

The groups' files themselves are read by `batch.open_groups` (with the newest saved
consensus, whose decisions the screen resumes).
"""

from __future__ import annotations

from decalogue.analysis.consensus import Decision, lower_median, rule_decision
from decalogue.analysis.workshop import GroupAnswer, ItemSpread, Workshop
from decalogue.model.checklist import Checklist, Scale
from decalogue.reports.workshop import answered_by
from decalogue.storage.profile import current_identity
from decalogue.tui.display import Part

# --------------------------------------------------------------------------- decisions


def decision_text(decision: Decision, na_label: str) -> str:
    """For the table: "= 2", "✎ 3", "⊘ N/A", "≠ open" (trainer's decisions carry ✎)."""
    mark = "✎ " if decision.by_trainer else ""
    if decision.kind == "level":
        return f"{mark or '= '}{decision.level}"
    if decision.kind == "na":
        return f"{mark or '⊘ '}{na_label}"
    if not mark and decision.reason:
        return "– open"
    return f"{mark or '≠ '}open"


def answer_text(level: int | None, not_applicable: bool, na_label: str) -> str:
    if not_applicable:
        return f"⊘ {na_label}"
    return "○ –" if level is None else f"● {level}"


def decision_words(decision: Decision, checklist: Checklist) -> str:
    """The consensus of an item in words: who decided it, and why if the room said."""
    scale = checklist.scale
    who = (
        f" (decided by {decision.by or 'the trainer'})" if decision.by_trainer else " (by the rule)"
    )
    if decision.rationale:
        who += f" · why: {' '.join(decision.rationale.split())}"
    if decision.kind == "level":
        assert decision.level is not None
        return f"{decision.level} {scale.label(decision.level)}{who}"
    if decision.kind == "na":
        return f"{scale.not_applicable.label}: {decision.reason}{who}"
    return f"open: unanswered and flagged for review{who}"


def detail_parts(
    workshop: Workshop, item: ItemSpread, decision: Decision, *, offer: bool = True
) -> list[Part]:
    """One item: its question, the consensus, median and spread, every group's answer;
    `offer`: the "a accepts N" hint, left out where accepting is refused (a viewer)."""
    checklist = workshop.checklist
    scale = checklist.scale
    na = scale.not_applicable.label
    question = checklist.item_index[item.item_id].question
    parts: list[Part] = [
        (f"{item.item_id} {item.title}", "bold"),
        " — ",
        question,
        "\n",
    ]
    median = "–" if item.median is None else f"{item.median:g}"
    spread = "–" if item.spread is None else str(item.spread)
    rule = rule_decision(item)
    if item.conflict:
        why = (
            f"{item.not_applicable} say {na}, {len(item.levels)} gave a level"
            if item.mixed_na
            else f"levels {item.levels[0]} to {item.levels[-1]}"
        )
        verdict = f"≠ conflict: {why}"
    elif rule.kind == "level":
        verdict = f"= agreed within one level: {rule.level} {scale.label(rule.level or 0)}"
    elif rule.kind == "na":
        verdict = f"⊘ {na} for every answering group"
    else:
        verdict = "– no group answered"
    rests = answered_by(item)
    if rests and rule.kind != "open":
        verdict += f" ({rests})"
    proposal = lower_median(item.levels)
    accepts = f" · a accepts {proposal}" if proposal is not None and offer else ""
    parts += [("Consensus: ", "bold"), decision_words(decision, checklist), "\n"]
    parts += [("Median ", "bold"), median, (" · spread ", "bold"), spread, " · ", verdict]
    parts += [accepts, "\n"]
    width = max(len(g.name) for g in workshop.groups)
    for answer in item.answers:
        parts += [(f"{answer.group:<{width}}  ", "bold"), answer_words(answer, scale), "\n"]
        parts += answer_lines(answer, width)
    return parts


def answer_words(answer: GroupAnswer, scale: Scale) -> str:
    """A group's answer in words: "● 3 Substantial", "⊘ N/A" or "○ unanswered"."""
    level = answer.level
    if answer.not_applicable:
        return f"⊘ {scale.not_applicable.label}"
    return "○ unanswered" if level is None else f"● {level} {scale.label(level)}"


def answer_lines(answer: GroupAnswer, width: int) -> list[Part]:
    """Under a group's answer, indented by `width`: its note (an N/A's reason first), its
    finding and evidence, one line each."""
    parts: list[Part] = []
    note = answer.notes.strip()
    if answer.not_applicable and answer.response is not None:
        note = (answer.response.na_reason + " " + note).strip()
    if note:
        parts += [f"{'':<{width}}  {' '.join(note.split())}", "\n"]
    parts += [f"{'':<{width}}  {line}\n" for line in group_findings(answer)]
    return parts


def group_findings(answer: GroupAnswer) -> list[str]:
    """A group's finding and evidence, one line each, for the workshop and presenter views."""
    response = answer.response
    if response is None:
        return []
    lines = []
    if response.finding.strip():
        lines.append(f"finding: {' '.join(response.finding.split())}")
    for evidence in response.evidence:
        where = evidence.link or evidence.document
        lines.append(
            f"evidence: {' '.join(evidence.description.split())}" + (f" ({where})" if where else "")
        )
    if response.flagged:
        lines.append("⚑ flagged for review")
    return lines


def facilitator_name(cli_user: str | None) -> str:
    """Who decides: the person's name (--user, $DECALOGUE_USER, the profile), else the login."""
    identity = current_identity(cli_user)
    return identity.name or identity.account
