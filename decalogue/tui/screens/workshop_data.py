"""The words of the workshop and presenter views: decisions, answers, a group's findings.

The groups' files themselves are read by `batch.open_groups` (with the newest saved
consensus, whose decisions the screen resumes).
"""

from __future__ import annotations

from decalogue.analysis.consensus import Decision
from decalogue.analysis.workshop import GroupAnswer
from decalogue.storage.profile import current_identity

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
