"""Comparisons and trends as a terminal table, Markdown, JSON or CSV.

`decalogue compare` and `decalogue trend` print these; the figures all come from
`analysis.compare`. Text from files and checklists is made `printable` in the
table, escaped in Markdown (a country's name cannot make a link or raw HTML),
and kept exact in JSON and CSV.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from decalogue.analysis.compare import (
    Cause,
    Comparison,
    GroupChange,
    ItemChange,
    Subject,
    change_text,
    kind_word,
)
from decalogue.analysis.plan import PlanProgress, progress_between
from decalogue.analysis.trend import Trend
from decalogue.model.assessment import STATUS_LABELS
from decalogue.model.checklist import Checklist
from decalogue.model.readiness import carried_phrase
from decalogue.model.scoring import ItemScore
from decalogue.plural import counted
from decalogue.reports import tables
from decalogue.reports.text import cut, inline, json_safe, printable, starts_line

#: Bump when the JSON documents of comparisons, trends and workshops change.
COMPARISON_VERSION = 1

FORMATS = ("table", "md", "json", "csv")
TITLE_WIDTH = 44

_DEPTH = {"overall": 0, "pillar": 1, "section": 2}

#: Beside a level carried forward from the previous period and not yet confirmed.
CARRIED = "↻"
CARRIED_LEGEND = f"{CARRIED} = carried forward from the previous period, not yet confirmed."


def to_json(document: dict[str, Any]) -> str:
    """A document as indented JSON, safe to show in a terminal, reading back the same."""
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False))


def level(answer: ItemScore | None, na_label: str) -> str:
    """A level as a cell; a carried one (last period's, not confirmed) is marked ↻."""
    if answer is None:
        return "absent"
    if answer.not_applicable:
        return na_label + (CARRIED if answer.carried else "")
    if answer.level is None:
        return "-"
    return str(answer.level) + (CARRIED if answer.carried else "")


def _csv_level(answer: ItemScore | None, na_label: str) -> str:
    """Spreadsheet cells: a number, the N/A label, empty when unanswered."""
    if answer is None:
        return "not in version"
    if answer.not_applicable:
        return na_label
    return "" if answer.level is None else str(answer.level)


def group_name(kind: str, id: str, title: str, markdown: bool) -> str:
    """A score row's name: indented by depth in a table, pillars in bold in Markdown."""
    name = "Overall" if kind == "overall" else f"{id} {cut(title, 40)}"
    if markdown:
        name = inline(name)
        return f"**{name}**" if _DEPTH[kind] < 2 else name
    return "  " * _DEPTH[kind] + name


def _indent(group: GroupChange, markdown: bool) -> str:
    name = group_name(group.kind, group.id, group.title, markdown)
    return name if markdown or group.same_items else name + " *"


def standing(subject: Subject) -> str:
    """What a file's scores rest on: "Draft; 31 of 35 answers carried forward from 2024, ..."."""
    text = STATUS_LABELS[subject.assessment.status]
    overall = subject.board.overall
    if overall.carried:
        answers = overall.answered + overall.not_applicable
        text += (
            f"; {overall.carried} of {counted(answers, 'answer')} "
            f"{carried_phrase(subject.assessment)}, not yet confirmed"
        )
    return text


def _describe(subject: Subject) -> str:
    a = subject.assessment
    where = f" ({subject.path})" if subject.path else ""
    return (
        f"{a.country.name} ({a.country.code}) {a.period}, {a.checklist.id} {subject.version}"
        f"{where}; {standing(subject)}"
    )


def _legend(checklist: Checklist, subjects: Sequence[Subject]) -> str:
    legend = tables.scale_legend(checklist)
    if any(s.board.overall.carried for s in subjects):
        legend += " " + CARRIED_LEGEND
    return legend


# --------------------------------------------------------------------------- compare


def _item_rows(result: Comparison, items: Sequence[ItemChange], markdown: bool) -> list[list[str]]:
    na = result.scale_checklist.scale.not_applicable.label
    escape = inline if markdown else printable
    return [
        [
            escape(c.item_id),
            escape(cut(c.title, TITLE_WIDTH)),
            *(escape(level(a, na)) for a in c.answers),
            change_text(c, result.across_countries),
        ]
        for c in items
    ]


def scored(value: float | None, coverage: float | None) -> str:
    """A score with its coverage beside it: "41.0 (39%)"; "-" where the group is absent."""
    if coverage is None:
        return tables.score(value)
    return f"{tables.score(value)} ({coverage:.0f}%)"


#: The heading of a score column's explanation, and of the note on what moved a score.
SCORES_HEADING = "SCORES (0-100, coverage)"
NOTE_HEADING = "NOTE"


def _with_notes(rows: list[list[str]], notes: list[str]) -> list[list[str]]:
    """The note column only when some row has a note (why a score moved)."""
    if not any(notes):
        return rows
    return [[*row, note] for row, note in zip(rows, notes, strict=True)]


def _group_rows(result: Comparison, markdown: bool) -> list[list[str]]:
    rows = [
        [
            _indent(g, markdown),
            *(scored(v, c) for v, c in zip(g.values, g.coverages, strict=True)),
            tables.change(g.delta),
        ]
        for g in result.groups
    ]
    return _with_notes(rows, [g.note for g in result.groups])


def _summary_lines(result: Comparison) -> list[str]:
    across = result.across_countries
    counts = ", ".join(f"{n} {kind_word(kind, across)}" for kind, n in result.counts.items() if n)
    first, last = result.labels[0], result.labels[-1]
    if across:
        lines = [f"Differences ({last} against {first}): {counts or 'no items'}."]
        headings = (f"Most higher in {last}", f"Most lower in {last}")
    else:
        lines = [f"Summary ({first} → {last}): {counts or 'no items'}."]
        headings = ("Top improvements", "Top regressions")
    for heading, items in zip(
        headings, (result.top_improvements, result.top_regressions), strict=True
    ):
        named = "; ".join(
            f"{c.item_id} {cut(c.title, 30)} ({level(c.answers[0], 'N/A')} → "
            f"{level(c.answers[-1], 'N/A')})"
            for c in items
        )
        lines.append(f"{heading}: {named or 'none'}.")
    plan = _plan_line(_plan_progress(result.subjects), first, last)
    if plan is not None:
        lines.append(plan)
    return lines


def _comparison_csv(result: Comparison) -> str:
    na = result.scale_checklist.scale.not_applicable.label
    rows = []
    for change in (*result.items, *result.unshared):
        cells = [_csv_level(a, na) for a in change.answers]
        cells += ["" if a is None else "yes" if a.carried else "no" for a in change.answers]
        rows.append(
            [
                change.item_id,
                change.pillar_id,
                change.section_id,
                change.title,
                *cells,
                kind_word(change.kind, result.across_countries)
                if change.kind
                else "not in every version",
                "" if change.delta is None else change.delta,
            ]
        )
    word = "difference" if result.across_countries else "change"
    carried = [f"{label} carried" for label in result.labels]
    headers = ["item", "pillar", "section", "title", *result.labels, *carried, word, "delta"]
    return tables.csv_text(headers, rows)


def _plan_progress(subjects: Sequence[Subject]) -> PlanProgress | None:
    """Actions completed and gaps closed from the first assessment to the last (one country)."""
    if len(subjects) < 2:
        return None
    first, last = subjects[0].assessment, subjects[-1].assessment
    if first.country.code != last.country.code:
        return None
    return progress_between(first, last)


def _plan_line(progress: PlanProgress | None, first: str, last: str) -> str | None:
    if progress is None:
        return None
    done = ", ".join(f"{item_id} {cut(action.what, 40)}" for item_id, action in progress.completed)
    closed = ", ".join(progress.gaps_closed)
    return (
        f"Action plan, {first} → {last}: {counted(len(progress.completed), 'action')} completed"
        + (f" ({done})" if done else "")
        + f"; {counted(len(progress.gaps_closed), 'gap')} to target closed"
        + (f" ({closed})" if closed else "")
        + "."
    )


def _plan_json(progress: PlanProgress | None) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {
        "completed": [{"item": i, "action": a.id, "what": a.what} for i, a in progress.completed],
        "gaps_closed": list(progress.gaps_closed),
    }


def render_comparison(result: Comparison, fmt: str) -> str:
    """The comparison in `fmt` (one of FORMATS)."""
    if fmt == "json":
        return to_json(comparison_document(result))
    if fmt == "csv":
        return _comparison_csv(result)
    markdown = fmt == "md"
    labels = [cut(label, 18) for label in result.labels]
    if markdown:
        labels = [inline(label) for label in labels]
    item_headers = ["ITEM", "TITLE", *labels, "CHANGE"]
    score_headers = [SCORES_HEADING, *labels, "CHANGE"]
    if any(g.note for g in result.groups):
        score_headers.append(NOTE_HEADING)
    right = set(range(2, 2 + len(labels)))
    score_right = set(range(1, 1 + len(labels)))
    legend = _legend(result.scale_checklist, result.subjects)
    items = _item_rows(result, result.items, markdown)
    unshared = _item_rows(result, result.unshared, markdown)
    if markdown:
        parts = [
            f"## Comparison of {len(result.subjects)} assessments of "
            + inline(result.checklist_id),
            "\n".join(
                f"- **{inline(label)}**: {inline(_describe(s))}"
                for label, s in zip(result.labels, result.subjects, strict=True)
            ),
            "### Scores",
            tables.markdown(score_headers, _group_rows(result, True), score_right),
            "### Items",
            tables.markdown(item_headers, items, right),
            starts_line(legend),
            "### Summary",
            "\n".join(f"- {inline(line)}" for line in _summary_lines(result)),
        ]
        if result.unshared:
            parts += [
                "### Items not in every checklist version",
                tables.markdown(item_headers, unshared, right),
            ]
        return "\n\n".join(parts) + "\n"
    head = [f"Comparing {len(result.subjects)} assessments of {result.checklist_id}:"]
    head += [
        f"  {label}: {_describe(s)}"
        for label, s in zip(result.labels, result.subjects, strict=True)
    ]
    if result.mixed_versions:
        head.append(
            f"  Checklist versions differ: items compared on the {len(result.items)} they share; "
            f"{len(result.unshared)} listed apart."
        )
    parts = [
        "\n".join(head),
        tables.aligned(score_headers, _group_rows(result, False), score_right),
        tables.aligned(item_headers, items, right),
        legend,
        "\n".join(_summary_lines(result)),
    ]
    if any(not g.same_items for g in result.groups):
        parts.insert(2, "* the versions put different items in this group")
    if result.unshared:
        parts.append(
            "Items not in every checklist version (not compared):\n"
            + tables.aligned(item_headers, unshared, right)
        )
    return printable("\n\n".join(parts) + "\n")


# --------------------------------------------------------------------------- trend


def _trend_csv(result: Trend) -> str:
    """Per period the score and, beside it, its coverage; the change and what moved it."""
    rows = []
    for r in result.rows:
        cells: list[Any] = []
        for value, coverage, carried in zip(r.values, r.coverage, r.carried, strict=True):
            cells += ["" if value is None else value, "" if coverage is None else coverage]
            cells.append("" if carried is None else carried)
        rows.append([r.id, r.kind, r.title, *cells, "" if r.change is None else r.change, r.note])
    periods = [name for p in result.periods for name in (p, f"{p} coverage", f"{p} carried")]
    return tables.csv_text(["id", "kind", "title", *periods, "change", "note"], rows)


def render_trend(result: Trend, fmt: str) -> str:
    """One country's scores across periods in `fmt` (one of FORMATS)."""
    if fmt == "json":
        return to_json(trend_document(result))
    if fmt == "csv":
        return _trend_csv(result)
    markdown = fmt == "md"
    periods = list(result.periods)
    rows = [
        [
            group_name(row.kind, row.id, row.title, markdown),
            *(scored(v, c) for v, c in zip(row.values, row.coverage, strict=True)),
            tables.change(row.change),
        ]
        for row in result.rows
    ]
    notes = [row.note for row in result.rows]
    rows = _with_notes(rows, notes)
    shown = [inline(p) for p in periods] if markdown else periods
    headers = [SCORES_HEADING, *shown, "CHANGE", *([NOTE_HEADING] if any(notes) else [])]
    right = set(range(1, 1 + len(periods)))
    title = (
        f"Trend of {result.country_name} ({result.country_code}), {result.checklist_id}: "
        f"{counted(len(periods), 'period')}, {periods[0]} to {periods[-1]}"
    )
    files = [
        f"{p}: {s.path or s.assessment.display_title()}; {standing(s)}"
        for p, s in zip(periods, result.subjects, strict=True)
    ]
    if markdown:
        listed = "\n".join(f"- {inline(f)}" for f in files)
        plan_md = _plan_line(_plan_progress(result.subjects), periods[0], periods[-1])
        parts = [f"## {inline(title)}", listed, tables.markdown(headers, rows, right)]
        return "\n\n".join([*parts, *([inline(plan_md)] if plan_md else [])]) + "\n"
    plan = _plan_line(_plan_progress(result.subjects), periods[0], periods[-1])
    listed = "\n".join(f"  {f}" for f in files)
    parts = [title + "\n" + listed, tables.aligned(headers, rows, right)]
    return printable("\n\n".join([*parts, *([plan] if plan else [])]) + "\n")


# --------------------------------------------------------------------------- JSON documents


def _answer_json(answer: ItemScore | None, checklist: Checklist) -> dict[str, Any] | None:
    if answer is None:
        return None
    if answer.not_applicable:
        return {
            "state": "not_applicable",
            "level": None,
            "label": checklist.scale.not_applicable.label,
            "carried": answer.carried,
        }
    if answer.level is None:
        return {"state": "unanswered", "level": None, "label": None, "carried": False}
    return {
        "state": "answered",
        "level": answer.level,
        "label": checklist.scale.label(answer.level),
        "carried": answer.carried,
    }


def _cause_json(cause: Cause) -> dict[str, int]:
    return {
        "answers_changed": cause.answers_changed,
        "newly_answered": cause.newly_answered,
        "no_longer_answered": cause.no_longer_answered,
    }


def _subject_json(subject: Subject, label: str) -> dict[str, Any]:
    a, carried = subject.assessment, subject.board.overall.carried
    return {
        "label": label,
        "file": subject.path or None,
        "id": a.id,
        "title": a.title,
        "country": {"code": a.country.code, "name": a.country.name},
        "period": a.period,
        "checklist_version": subject.version,
        "status": a.status,
        "carried": {
            "from_period": (a.carried_from_period or None) if carried else None,
            "count": carried,
        },
    }


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """The comparison as a JSON-ready, versioned document (`comparison_version`)."""
    subjects = comparison.subjects

    def item(change: ItemChange) -> dict[str, Any]:
        return {
            "id": change.item_id,
            "title": change.title,
            "pillar": change.pillar_id,
            "section": change.section_id,
            "answers": [
                _answer_json(a, s.checklist) for a, s in zip(change.answers, subjects, strict=True)
            ],
            "change": change.kind.value if change.kind else None,
            "delta": change.delta,
            "present_in": [comparison.labels[i] for i in change.present_in],
        }

    return {
        "comparison_version": COMPARISON_VERSION,
        "kind": "comparison",
        "across_countries": comparison.across_countries,
        "checklist": {"id": comparison.checklist_id, "versions": list(comparison.versions)},
        "assessments": [
            _subject_json(s, label) for s, label in zip(subjects, comparison.labels, strict=True)
        ],
        "items": [item(c) for c in comparison.items],
        "items_not_in_every_version": [item(c) for c in comparison.unshared],
        "scores": [
            {
                "id": g.id,
                "kind": g.kind,
                "title": g.title,
                "scores": list(g.values),
                "coverage": list(g.coverages),
                "carried": [None if s is None else s.carried for s in g.scores],
                "change": g.delta,
                "cause": _cause_json(g.cause),
                "note": g.note,
                "same_items": g.same_items,
            }
            for g in comparison.groups
        ],
        "summary": {
            "counts": {kind.value: n for kind, n in comparison.counts.items()},
            "top_improvements": [c.item_id for c in comparison.top_improvements],
            "top_regressions": [c.item_id for c in comparison.top_regressions],
        },
        "action_plan": _plan_json(_plan_progress(comparison.subjects)),
    }


def trend_document(result: Trend) -> dict[str, Any]:
    """The trend as a JSON-ready, versioned document."""
    return {
        "comparison_version": COMPARISON_VERSION,
        "kind": "trend",
        "checklist": {
            "id": result.checklist_id,
            "versions": [s.version for s in result.subjects],
        },
        "country": {"code": result.country_code, "name": result.country_name},
        "periods": [
            _subject_json(s, label)
            for s, label in zip(result.subjects, result.periods, strict=True)
        ],
        "scores": [
            {
                "id": row.id,
                "kind": row.kind,
                "title": row.title,
                "values": list(row.values),
                "coverage": list(row.coverage),
                "carried": list(row.carried),
                "change": row.change,
                "cause": _cause_json(row.cause),
                "note": row.note,
            }
            for row in result.rows
        ],
        "action_plan": _plan_json(_plan_progress(result.subjects)),
    }
