"""Workshops as a terminal table, Markdown, JSON or CSV, and the line `merge` prints.

`decalogue aggregate` and `decalogue merge` print these; the ranking, medians and
conflicts all come from `analysis.workshop`. Text from the groups' files is made
`printable` in the table, escaped in Markdown, and kept exact in JSON and CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from decalogue.analysis.consensus import Consensus
from decalogue.analysis.workshop import GroupAnswer, ItemSpread, Workshop
from decalogue.plural import counted
from decalogue.reports import tables
from decalogue.reports.comparison import COMPARISON_VERSION, to_json
from decalogue.reports.text import cut, inline, printable, starts_line


def _answers(item_answers: Sequence[GroupAnswer], na: str) -> str:
    return ", ".join(f"{a.group} {a.text(na)}" for a in item_answers)


def answered_by(item: ItemSpread) -> str:
    """What the rule's verdict rests on when some groups left the item unanswered (they
    are not counted): "1 of 4 groups answered"; empty when every group answered."""
    total = len(item.answers)
    return (
        ""
        if not item.unanswered
        else f"{total - item.unanswered} of {counted(total, 'group')} answered"
    )


def _status(item: ItemSpread) -> str:
    if item.conflict:
        return "≠ conflict"
    if not item.levels and not item.not_applicable:
        return "- open"
    total = len(item.answers)
    return (
        f"= agreed ({total - item.unanswered} of {total} answered)"
        if item.unanswered
        else "= agreed"
    )


def _median(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _workshop_csv(result: Workshop) -> str:
    na = result.checklist.scale.not_applicable.label
    rows = [
        [
            rank,
            i.item_id,
            i.title,
            *("" if not a.answered else a.text(na) for a in i.answers),
            "" if i.median is None else i.median,
            "" if i.spread is None else i.spread,
            "yes" if i.conflict else "no",
        ]
        for rank, i in enumerate(result.ranking, start=1)
    ]
    names = [g.name for g in result.groups]
    return tables.csv_text(["rank", "item", "title", *names, "median", "spread", "conflict"], rows)


def render_workshop(result: Workshop, fmt: str) -> str:
    """The groups' answers side by side, most disputed first, in `fmt`."""
    if fmt == "json":
        return to_json(workshop_document(result))
    if fmt == "csv":
        return _workshop_csv(result)
    markdown = fmt == "md"
    escape = inline if markdown else printable
    na = result.checklist.scale.not_applicable.label
    names = [g.name for g in result.groups]
    headers = ["#", "ITEM", "TITLE", *(escape(cut(n, 14)) for n in names)]
    headers += ["MEDIAN", "SPREAD", "STATUS"]
    rows = [
        [
            str(rank),
            escape(i.item_id),
            escape(cut(i.title, 36)),
            *(escape(a.text(na)) for a in i.answers),
            _median(i.median),
            "-" if i.spread is None else str(i.spread),
            _status(i),
        ]
        for rank, i in enumerate(result.ranking, start=1)
    ]
    right = {0, *range(3, 5 + len(names))}
    meta = result.checklist.meta
    title = (
        f"{counted(len(names), 'group')} on {meta.id} {meta.version}: "
        f"{counted(len(result.conflicts), 'conflict')}; "
        "most disputed first"
    )
    groups = [f"{g.name}: {g.path}" if g.path else g.name for g in result.groups]
    legend = tables.scale_legend(result.checklist)
    if markdown:
        parts = [
            f"## {inline(title)}",
            "\n".join(f"- {inline(g)}" for g in groups),
            tables.markdown(headers, rows, right),
            starts_line(legend),
        ]
        return "\n\n".join(parts) + "\n"
    parts = [
        title + "\n" + "\n".join(f"  {g}" for g in groups),
        tables.aligned(headers, rows, right),
        legend,
    ]
    return printable("\n\n".join(parts) + "\n")


def render_merge(result: Consensus, output: str) -> str:
    """What `merge` wrote: counts, and each conflict with every group's answer."""
    checklist = result.workshop.checklist
    na = checklist.scale.not_applicable.label
    names = ", ".join(g.name for g in result.workshop.groups)
    lone = sum(
        1
        for item in result.workshop.items
        if item.item_id in {*result.agreed, *result.not_applicable}
        and len(item.answers) - item.unanswered == 1
    )
    lines = [
        f"Merged {counted(len(result.workshop.groups), 'group')} ({names}) on {checklist.meta.id} "
        f"{checklist.meta.version} into {output}.",
        f"  {counted(len(result.agreed), 'item')} agreed (lower median, groups within one level), "
        f"{len(result.not_applicable)} N/A for every answering group, "
        f"{len(result.unanswered)} answered by no group.",
    ]
    if lone and len(result.workshop.groups) > 1:
        lines.append(
            f"  {lone} of them rest on a single group's answer (the other groups left those "
            "items unanswered)."
        )
    if result.conflicts:
        lines.append(
            f"  {counted(len(result.conflicts), 'conflict')} left unanswered and flagged for "
            "review, most disputed first:"
        )
        for conflict in result.conflicts:
            item = conflict.item
            lines.append(
                f"    {item.item_id}  {cut(item.title, 36)}: {_answers(item.answers, na)} "
                f"({conflict.reason})"
            )
    else:
        lines.append("  No conflicts: every answered item has a consensus.")
    return printable("\n".join(lines))


# --------------------------------------------------------------------------- JSON document


def _answer_json(answer: GroupAnswer) -> dict[str, Any]:
    state = (
        "not_applicable"
        if answer.not_applicable
        else "answered"
        if answer.answered
        else "unanswered"
    )
    return {"group": answer.group, "state": state, "level": answer.level, "notes": answer.notes}


def workshop_document(workshop: Workshop) -> dict[str, Any]:
    """The aggregate as a JSON-ready, versioned document, items in divergence order."""
    meta = workshop.checklist.meta
    return {
        "comparison_version": COMPARISON_VERSION,
        "kind": "workshop",
        "checklist": {"id": meta.id, "versions": [meta.version]},
        "groups": [
            {"name": g.name, "file": g.path or None, "id": g.assessment.id} for g in workshop.groups
        ],
        "items": [
            {
                "rank": rank,
                "id": item.item_id,
                "title": item.title,
                "median": item.median,
                "spread": item.spread,
                "iqr": item.iqr,
                "distinct": item.distinct,
                "not_applicable": item.not_applicable,
                "unanswered": item.unanswered,
                "conflict": item.conflict,
                "answers": [_answer_json(a) for a in item.answers],
            }
            for rank, item in enumerate(workshop.ranking, start=1)
        ],
    }
