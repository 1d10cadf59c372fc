"""The workshop report: what each group said, what the room decided, who decided and why.

`decalogue workshop report FOLDER --format md|html` writes it from the groups'
files and the saved consensus (its decisions, `analysis.decisions`). Per item:
every group's level, the decision (by the consensus rule, or by the trainer with
the facilitator's name and rationale), and what is still open. Text from the
files is escaped for Markdown (`reports.text`) or HTML (`reports.html_parts.e`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from decalogue.analysis.consensus import Decision, rule_decision
from decalogue.analysis.workshop import Workshop
from decalogue.plural import counted
from decalogue.reports import tables
from decalogue.reports.text import inline, starts_line

FORMATS = ("md", "html")


@dataclass(frozen=True)
class Line:
    """One item of the report, in words."""

    item_id: str
    title: str
    answers: tuple[str, ...]
    """One per group, in group order: "2", "N/A" or "-"."""
    decision: str
    decided_by: str
    """The facilitator's name, or "the rule"."""
    rationale: str
    open: bool


def decision_words(decision: Decision, na_label: str) -> str:
    if decision.kind == "level":
        return str(decision.level)
    if decision.kind == "na":
        return f"{na_label}: {decision.reason}" if decision.reason else na_label
    return "open"


def lines(workshop: Workshop, decisions: Mapping[str, Decision]) -> list[Line]:
    na = workshop.checklist.scale.not_applicable.label
    result = []
    for item in workshop.items:
        decision = decisions.get(item.item_id) or rule_decision(item)
        result.append(
            Line(
                item.item_id,
                item.title,
                tuple(a.text(na) for a in item.answers),
                decision_words(decision, na),
                (decision.by or "the trainer") if decision.by_trainer else "the rule",
                decision.rationale,
                decision.kind == "open",
            )
        )
    return result


def _heading(workshop: Workshop, source: str) -> tuple[str, list[str]]:
    first = workshop.groups[0].assessment
    title = f"Workshop report: {first.country.name} ({first.country.code}) {first.period}"
    facts = [
        f"Checklist: {workshop.checklist.meta.title} {workshop.checklist.meta.version}",
        f"Groups: {', '.join(g.name for g in workshop.groups)}",
        f"Decisions: {source}",
    ]
    return title, facts


def _counts(rows: list[Line]) -> str:
    by_rule = sum(1 for r in rows if r.decided_by == "the rule" and not r.open)
    by_room = sum(1 for r in rows if r.decided_by != "the rule" and not r.open)
    still = sum(1 for r in rows if r.open)
    return (
        f"{counted(len(rows), 'item')}: {by_rule} by the consensus rule, {by_room} decided by the "
        f"trainer, {still} still open."
    )


def render_md(workshop: Workshop, decisions: Mapping[str, Decision], source: str) -> str:
    rows = lines(workshop, decisions)
    title, facts = _heading(workshop, source)
    headers = ["Item", "Title", *(inline(g.name) for g in workshop.groups)]
    headers += ["Decision", "Decided by", "Rationale"]
    cells = [
        [
            inline(r.item_id),
            inline(r.title),
            *(inline(a) for a in r.answers),
            inline(r.decision),
            inline(r.decided_by),
            inline(r.rationale),
        ]
        for r in rows
    ]
    right = set(range(2, 2 + len(workshop.groups)))
    still = [f"- {inline(r.item_id)} {inline(r.title)}" for r in rows if r.open]
    parts = [
        f"# {inline(title)}",
        "\n".join(f"- {inline(fact)}" for fact in facts),
        starts_line(_counts(rows)),
        "## Items",
        tables.markdown(headers, cells, right),
        "## Still open",
        "\n".join(still) or "Nothing: every item is decided.",
    ]
    return "\n\n".join(parts) + "\n"


def render_html(workshop: Workshop, decisions: Mapping[str, Decision], source: str) -> str:
    from decalogue.reports.html_parts import e, table
    from decalogue.reports.html_style import CSP, STYLE

    rows = lines(workshop, decisions)
    title, facts = _heading(workshop, source)
    headers = ["Item", "Title", *(e(g.name) for g in workshop.groups)]
    headers += ["Decision", "Decided by", "Rationale"]
    cells = [
        [
            f'<span class="id">{e(r.item_id)}</span>',
            e(r.title),
            *(e(a) for a in r.answers),
            f"<b>{e(r.decision)}</b>",
            e(r.decided_by),
            f'<div class="text">{e(r.rationale)}</div>' if r.rationale else "",
        ]
        for r in rows
    ]
    still = "".join(f"<li>{e(r.item_id)} {e(r.title)}</li>" for r in rows if r.open)
    numeric = set(range(2, 2 + len(workshop.groups)))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            f"<title>{e(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{e(title)}</h1>",
            "<ul>" + "".join(f"<li>{e(fact)}</li>" for fact in facts) + "</ul>",
            f"<p>{e(_counts(rows))}</p>",
            "<h2>Items</h2>",
            table(headers, cells, numeric),
            "<h2>Still open</h2>",
            f"<ul>{still}</ul>" if still else "<p>Nothing: every item is decided.</p>",
            "</body>",
            "</html>",
            "",
        ]
    )


def render_report(
    workshop: Workshop, decisions: Mapping[str, Decision], source: str, fmt: str
) -> str:
    """The report in `fmt` ("md" or "html"); `source` says where the decisions come from."""
    if fmt == "html":
        return render_html(workshop, decisions, source)
    return render_md(workshop, decisions, source)
