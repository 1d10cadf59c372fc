"""`decalogue compare`, `trend`, `aggregate` and `merge`: many assessments at once.

The commands read files through the store, find each checklist once, and hand
the work to `decalogue.analysis.compare` and `decalogue.analysis.workshop`; this module only
renders their results as an aligned table, Markdown, JSON or CSV.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from decalogue.analysis.compare import (
    ChecklistCache,
    Comparison,
    GroupChange,
    ItemChange,
    Subject,
    Trend,
    change_text,
    compare,
    comparison_document,
    trend,
    trend_document,
)
from decalogue.analysis.workshop import (
    Consensus,
    Group,
    GroupAnswer,
    Workshop,
    WorkshopError,
    aggregate,
    build_consensus,
    check_groups,
    expand_paths,
    is_consensus,
    make_groups,
    workshop_document,
)
from decalogue.errors import AssessmentError, DecalogueError, Problem, display_path
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ItemScore
from decalogue.storage import store
from decalogue.storage.assessment_file import check_against, fingerprint, read_bytes
from decalogue.storage.checklists import find_checklist, load_checklist

FORMATS = ("table", "md", "json", "csv")
TITLE_WIDTH = 44


def register(subparsers: Any) -> None:
    comparing = subparsers.add_parser(
        "compare",
        help="compare assessments of one checklist, item by item",
        description=(
            "Compare two or more assessments of one checklist (two countries, or one country "
            "in two periods): per item the levels and the change from the first file to the "
            "last (improved, regressed, unchanged, newly answered, no longer answered, now "
            "N/A, no longer N/A), per section and pillar the score change, and the top "
            "improvements and regressions. Different checklist versions are compared on the "
            "items they share; the others are listed."
        ),
    )
    comparing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_format(comparing)
    _add_checklist(comparing)
    comparing.set_defaults(handler=run_compare)

    trending = subparsers.add_parser(
        "trend",
        help="one country's scores across periods",
        description=(
            "Overall, pillar and section scores of one country's assessments, one column per "
            "period, in time order."
        ),
    )
    trending.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _add_format(trending)
    _add_checklist(trending)
    trending.set_defaults(handler=run_trend)

    aggregating = subparsers.add_parser(
        "aggregate",
        help="workshop groups' answers side by side, most disputed items first",
        description=(
            "Every group's level per item, the median, the spread (highest minus lowest) "
            "and a divergence ranking: conflicts first (levels more than one apart, or N/A "
            "against a level), then largest spread, interquartile range and the number of "
            "different answers. Folders stand for every *.json in them."
        ),
    )
    aggregating.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    _add_format(aggregating)
    _add_checklist(aggregating)
    aggregating.set_defaults(handler=run_aggregate)

    merging = subparsers.add_parser(
        "merge",
        help="build a workshop's consensus assessment from the groups' files",
        description=(
            "Build one consensus assessment from the groups' files. An item takes the lower "
            "median of the groups' levels where every answering group is within one level; "
            "otherwise it is left unanswered, flagged for review and reported as a conflict. "
            "Every group's notes are kept, attributed. Folders stand for every *.json in "
            "them. Exit code 0 when the file is written."
        ),
    )
    merging.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    merging.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="CONSENSUS.json",
        help="the file to write",
    )
    merging.add_argument("--title", default="", help='title (default: "Consensus of N groups")')
    merging.add_argument("--assessor", default="", help="who records the consensus")
    merging.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file (the old one is kept as .bak)",
    )
    _add_checklist(merging)
    merging.set_defaults(handler=run_merge)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for the terminal, default), md (Markdown), json, csv",
    )


def _add_checklist(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checklist",
        action="append",
        default=[],
        metavar="ID|PATH",
        help="the checklist the files answer, when it is not bundled (repeat for versions)",
    )


# --------------------------------------------------------------------------- loading


def _read_all(paths: Sequence[Path]) -> list[store.Stored]:
    """Every file read, or one error listing the problems of every unreadable one."""
    problems: list[Problem] = []
    stored = []
    for path in paths:
        try:
            stored.append(store.read(path))
        except AssessmentError as error:
            problems.extend(error.problems)
    if problems:
        raise AssessmentError(problems)
    return stored


@functools.lru_cache(maxsize=4096)
def _shown(path: Path) -> str:
    """Each file's name as the user sees it, worked out once (it resolves the path)."""
    return display_path(path)


def _checklists(args: argparse.Namespace) -> ChecklistCache:
    overrides = [load_checklist(ref) for ref in args.checklist]
    return ChecklistCache(find_checklist, overrides)


def _warn(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def _fit(stored: Sequence[store.Stored], cache: ChecklistCache) -> list[Checklist]:
    """Each file's checklist, its levels checked against the scale; notes on drift to stderr."""
    problems: list[Problem] = []
    result = []
    for entry in stored:
        shown = _shown(entry.path)
        ref = entry.assessment.checklist
        checklist = cache.get(ref, shown)
        problems.extend(check_against(entry.assessment, checklist, shown))
        if checklist.meta.version != ref.version:
            _warn(
                f"{shown} answers {ref.id} {ref.version}; read against version "
                f"{checklist.meta.version}, the one available (give --checklist PATH for "
                "the original)"
            )
        orphans = entry.assessment.orphaned(checklist)
        if orphans:
            _warn(
                f"{shown}: {len(orphans)} answered item(s) not in {ref.id} "
                f"{checklist.meta.version}, left out: {', '.join(orphans[:8])}"
                + (" ..." if len(orphans) > 8 else "")
            )
        result.append(checklist)
    if problems:
        raise AssessmentError(problems)
    return result


def _subjects(args: argparse.Namespace) -> list[Subject]:
    stored = _read_all(args.files)
    checklists = _fit(stored, _checklists(args))
    return [
        Subject(entry.assessment, checklist, _shown(entry.path))
        for entry, checklist in zip(stored, checklists, strict=True)
    ]


# --------------------------------------------------------------------------- text helpers


def _cut(text: str, width: int = TITLE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or " "


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = [headers, rule, *rows]
    return "\n".join("| " + " | ".join(_md_cell(c) for c in cells) + " |" for cells in lines)


def _csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _points(delta: float | None) -> str:
    if delta is None:
        return "-"
    if abs(delta) < 0.05:
        return "= 0.0"
    return f"▲ +{delta:.1f}" if delta > 0 else f"▼ {delta:.1f}"


def _level(answer: ItemScore | None, na_label: str) -> str:
    if answer is None:
        return "absent"
    if answer.not_applicable:
        return na_label
    return "-" if answer.level is None else str(answer.level)


def _csv_level(answer: ItemScore | None, na_label: str) -> str:
    """Spreadsheet cells: a number, the N/A label, empty when unanswered."""
    if answer is None:
        return "not in version"
    if answer.not_applicable:
        return na_label
    return "" if answer.level is None else str(answer.level)


def _indent(group: GroupChange, markdown: bool = False) -> str:
    name = "Overall" if group.kind == "overall" else f"{group.id} {_cut(group.title, 40)}"
    depth = {"overall": 0, "pillar": 1, "section": 2}[group.kind]
    if markdown:
        return ("**" + name + "**") if depth < 2 else name
    return "  " * depth + name + ("" if group.same_items else " *")


def _scale_legend(checklist: Checklist) -> str:
    levels = ", ".join(f"{lv.value} {lv.label}" for lv in checklist.scale.levels)
    na = checklist.scale.not_applicable.label
    return f"Levels: {levels}; {na} = not applicable; - = unanswered."


def _describe(subject: Subject) -> str:
    a = subject.assessment
    where = f" ({subject.path})" if subject.path else ""
    return (
        f"{a.country.name} ({a.country.code}) {a.period}, {a.checklist.id} {subject.version}{where}"
    )


# --------------------------------------------------------------------------- compare


def run_compare(args: argparse.Namespace) -> int:
    if len(args.files) < 2:
        raise DecalogueError("compare: give at least two assessment files")
    result = compare(_subjects(args))
    _emit(render_comparison(result, args.format))
    return 0


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _item_rows(result: Comparison, items: Sequence[ItemChange]) -> list[list[str]]:
    na = result.scale_checklist.scale.not_applicable.label
    return [
        [c.item_id, _cut(c.title), *(_level(a, na) for a in c.answers), change_text(c)]
        for c in items
    ]


def _group_rows(result: Comparison, markdown: bool) -> list[list[str]]:
    return [
        [_indent(g, markdown), *(_score(v) for v in g.values), _points(g.delta)]
        for g in result.groups
    ]


def _summary_lines(result: Comparison) -> list[str]:
    counts = ", ".join(f"{n} {kind.value}" for kind, n in result.counts.items() if n)
    lines = [f"Summary ({result.labels[0]} → {result.labels[-1]}): {counts or 'no items'}."]
    for heading, items in (
        ("Top improvements", result.top_improvements),
        ("Top regressions", result.top_regressions),
    ):
        named = "; ".join(
            f"{c.item_id} {_cut(c.title, 30)} ({_level(c.answers[0], 'N/A')} → "
            f"{_level(c.answers[-1], 'N/A')})"
            for c in items
        )
        lines.append(f"{heading}: {named or 'none'}.")
    return lines


def render_comparison(result: Comparison, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(comparison_document(result), indent=2, ensure_ascii=False)
    labels = [_cut(label, 18) for label in result.labels]
    item_headers = ["ITEM", "TITLE", *labels, "CHANGE"]
    score_headers = ["SCORES (0-100)", *labels, "CHANGE"]
    right = set(range(2, 2 + len(labels)))
    score_right = set(range(1, 1 + len(labels)))
    if fmt == "csv":
        na = result.scale_checklist.scale.not_applicable.label
        rows = []
        for change in (*result.items, *result.unshared):
            cells = [_csv_level(a, na) for a in change.answers]
            rows.append(
                [
                    change.item_id,
                    change.pillar_id,
                    change.section_id,
                    change.title,
                    *cells,
                    change.kind.value if change.kind else "not in every version",
                    "" if change.delta is None else change.delta,
                ]
            )
        return _csv(["item", "pillar", "section", "title", *result.labels, "change", "delta"], rows)
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
    legend = _scale_legend(result.scale_checklist)
    if fmt == "md":
        parts = [
            f"## Comparison of {len(result.subjects)} assessments of {result.checklist_id}",
            "\n".join(
                f"- **{label}**: {_describe(s)}"
                for label, s in zip(result.labels, result.subjects, strict=True)
            ),
            "### Scores",
            _md_table(score_headers, _group_rows(result, True), score_right),
            "### Items",
            _md_table(item_headers, _item_rows(result, result.items), right),
            legend,
            "### Summary",
            "\n".join(f"- {line}" for line in _summary_lines(result)),
        ]
        if result.unshared:
            parts += [
                "### Items not in every checklist version",
                _md_table(item_headers, _item_rows(result, result.unshared), right),
            ]
        return "\n\n".join(parts) + "\n"
    parts = [
        "\n".join(head),
        _table(score_headers, _group_rows(result, False), score_right),
        _table(item_headers, _item_rows(result, result.items), right),
        legend,
        "\n".join(_summary_lines(result)),
    ]
    if any(not g.same_items for g in result.groups):
        parts.insert(2, "* the versions put different items in this group")
    if result.unshared:
        parts.append(
            "Items not in every checklist version (not compared):\n"
            + _table(item_headers, _item_rows(result, result.unshared), right)
        )
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- trend


def run_trend(args: argparse.Namespace) -> int:
    result = trend(_subjects(args))
    _emit(render_trend(result, args.format))
    return 0


def render_trend(result: Trend, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(trend_document(result), indent=2, ensure_ascii=False)
    periods = list(result.periods)
    if fmt == "csv":
        lines = [
            [
                r.id,
                r.kind,
                r.title,
                *("" if v is None else round(v, 2) for v in r.values),
                "" if r.change is None else round(r.change, 2),
            ]
            for r in result.rows
        ]
        return _csv(["id", "kind", "title", *periods, "change"], lines)
    depth = {"overall": 0, "pillar": 1, "section": 2}
    markdown = fmt == "md"
    rows = []
    for row in result.rows:
        name = "Overall" if row.kind == "overall" else f"{row.id} {_cut(row.title, 40)}"
        if markdown:
            name = f"**{name}**" if depth[row.kind] < 2 else name
        else:
            name = "  " * depth[row.kind] + name
        rows.append([name, *(_score(v) for v in row.values), _points(row.change)])
    headers = ["SCORES (0-100)", *periods, "CHANGE"]
    right = set(range(1, 1 + len(periods)))
    title = (
        f"Trend of {result.country_name} ({result.country_code}), {result.checklist_id}: "
        f"{len(periods)} period(s), {periods[0]} to {periods[-1]}"
    )
    files = [
        f"{p}: {s.path or s.assessment.display_title()}"
        for p, s in zip(periods, result.subjects, strict=True)
    ]
    if markdown:
        return (
            "\n\n".join(
                [f"## {title}", "\n".join(f"- {f}" for f in files), _md_table(headers, rows, right)]
            )
            + "\n"
        )
    return (
        "\n\n".join(
            [title + "\n" + "\n".join(f"  {f}" for f in files), _table(headers, rows, right)]
        )
        + "\n"
    )


# --------------------------------------------------------------------------- workshops


def _groups_and_checklist(
    args: argparse.Namespace, output: Path | None = None
) -> tuple[list[Group], Checklist]:
    paths = expand_paths(args.paths)
    if output is not None:
        target = output.resolve()
        inputs = [p for p in paths if p.resolve() != target]
        if len(inputs) < len(paths) and not is_consensus(store.read(output).assessment):
            raise WorkshopError(
                f"{_shown(output)}: is one of the group files; write the consensus to "
                "another file (-o)"
            )
        paths = inputs
    if not paths:
        raise WorkshopError("no group files to read")
    stored = _read_all(paths)
    named = {path.resolve() for path in args.paths if not path.is_dir()}
    for entry in [e for e in stored if is_consensus(e.assessment)]:
        if entry.path.resolve() not in named:
            _warn(f"{_shown(entry.path)}: a consensus from an earlier merge, left out")
            stored.remove(entry)
    if not stored:
        raise WorkshopError("no group files to read")
    groups = make_groups(
        (entry.assessment, _shown(entry.path), entry.fingerprint) for entry in stored
    )
    check_groups(groups)  # duplicates and mixed versions, before any checklist is looked for
    checklist = _fit(stored[:1], _checklists(args))[0]
    problems: list[Problem] = []
    for entry in stored[1:]:
        problems.extend(check_against(entry.assessment, checklist, _shown(entry.path)))
    if problems:
        raise AssessmentError(problems)
    return groups, checklist


def _answers(item_answers: Sequence[GroupAnswer], na: str) -> str:
    return ", ".join(f"{a.group} {a.text(na)}" for a in item_answers)


def run_aggregate(args: argparse.Namespace) -> int:
    groups, checklist = _groups_and_checklist(args)
    _emit(render_workshop(aggregate(groups, checklist), args.format))
    return 0


def render_workshop(result: Workshop, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(workshop_document(result), indent=2, ensure_ascii=False)
    na = result.checklist.scale.not_applicable.label
    names = [g.name for g in result.groups]

    def median(value: float | None) -> str:
        return "-" if value is None else f"{value:g}"

    if fmt == "csv":
        lines = [
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
        return _csv(["rank", "item", "title", *names, "median", "spread", "conflict"], lines)
    headers = ["#", "ITEM", "TITLE", *(_cut(n, 14) for n in names), "MEDIAN", "SPREAD", "STATUS"]
    rows = [
        [
            str(rank),
            i.item_id,
            _cut(i.title, 36),
            *(a.text(na) for a in i.answers),
            median(i.median),
            "-" if i.spread is None else str(i.spread),
            "≠ conflict"
            if i.conflict
            else ("= agreed" if i.levels or i.not_applicable else "- open"),
        ]
        for rank, i in enumerate(result.ranking, start=1)
    ]
    right = {0, *range(3, 5 + len(names))}
    meta = result.checklist.meta
    title = (
        f"{len(names)} groups on {meta.id} {meta.version}: {len(result.conflicts)} conflict(s); "
        "most disputed first"
    )
    groups = [f"{g.name}: {g.path}" if g.path else g.name for g in result.groups]
    legend = _scale_legend(result.checklist)
    if fmt == "md":
        return (
            "\n\n".join(
                [
                    f"## {title}",
                    "\n".join(f"- {g}" for g in groups),
                    _md_table(headers, rows, right),
                    legend,
                ]
            )
            + "\n"
        )
    return (
        "\n\n".join(
            [
                title + "\n" + "\n".join(f"  {g}" for g in groups),
                _table(headers, rows, right),
                legend,
            ]
        )
        + "\n"
    )


def run_merge(args: argparse.Namespace) -> int:
    output: Path = args.output
    shown = display_path(output)
    if output.is_dir():
        raise DecalogueError(f"{shown}: is a folder; give a file name for -o, e.g. consensus.json")
    exists = output.exists()
    if exists and not args.force:
        raise DecalogueError(
            f"{shown}: already exists; nothing was written (choose another name, or add "
            "--force to replace it; the old file is then kept as .bak)"
        )
    groups, checklist = _groups_and_checklist(args, output)
    if len(groups) < 2:
        _warn("only one group file: the consensus is that group's answers")
    result = build_consensus(groups, checklist, title=args.title, assessor=args.assessor)
    if exists:
        store.save(output, result.assessment, fingerprint(read_bytes(output)))
    else:
        store.create(output, result.assessment)
    _emit(render_merge(result, shown))
    return 0


def render_merge(result: Consensus, output: str) -> str:
    checklist = result.workshop.checklist
    na = checklist.scale.not_applicable.label
    names = ", ".join(g.name for g in result.workshop.groups)
    lines = [
        f"Merged {len(result.workshop.groups)} groups ({names}) on {checklist.meta.id} "
        f"{checklist.meta.version} into {output}.",
        f"  {len(result.agreed)} item(s) agreed (lower median, groups within one level), "
        f"{len(result.not_applicable)} N/A for every answering group, "
        f"{len(result.unanswered)} answered by no group.",
    ]
    if result.conflicts:
        lines.append(
            f"  {len(result.conflicts)} conflict(s) left unanswered and flagged for review, "
            "most disputed first:"
        )
        for conflict in result.conflicts:
            item = conflict.item
            lines.append(
                f"    {item.item_id}  {_cut(item.title, 36)}: {_answers(item.answers, na)} "
                f"({conflict.reason})"
            )
    else:
        lines.append("  No conflicts: every answered item has a consensus.")
    return "\n".join(lines)
