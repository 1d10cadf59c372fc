"""The States x pillars matrix as a terminal table, Markdown, CSV or JSON.

The terminal table must fit 100 columns whatever the number of pillars or
sections: the score columns are headed by the short ids (a legend below names
them) and, when they still do not fit, the table wraps into blocks that repeat
the country, period and title columns. The CSV is for spreadsheets: one header
line, plain numbers with a dot, empty cells for "no score", and user text that
a spreadsheet would run as a formula quoted (`csv_io.protect`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from decalogue.analysis.matrix import Matrix, MatrixRow, matrix_document
from decalogue.plural import counted
from decalogue.reports import tables
from decalogue.reports.csv_io import protect
from decalogue.reports.text import cut, inline, json_safe, printable

FORMATS = ("table", "csv", "json", "md")

#: The terminal table's width.
WIDTH = 100
#: Widest country and title cells in the terminal table.
COUNTRY_WIDTH = 18
TITLE_WIDTH = 22


#: What the CARRIED column counts (every format says it once).
CARRIED_LEGEND = (
    "CARRIED = answers carried forward from the previous period and not yet confirmed, "
    "of the answers behind the overall score; STATUS draft or review: the figures may "
    "still change."
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _rank(row: MatrixRow) -> str:
    return "-" if row.rank is None else str(row.rank)


def _carried(row: MatrixRow) -> str:
    """ "31/35": answers carried forward and not yet confirmed, of the answers behind the score."""
    return f"{row.carried}/{row.answers}" if row.carried else "0"


def _has_titles(result: Matrix) -> bool:
    return any(row.title for row in result.rows)


def _key_cells(result: Matrix, row: MatrixRow) -> list[str]:
    cells = [cut(f"{row.country_code} {row.country_name}", COUNTRY_WIDTH), cut(row.period, 23)]
    if _has_titles(result):
        cells.append(cut(row.title, TITLE_WIDTH))
    return cells


def _blocks(widths: Sequence[int], key_width: int) -> list[list[int]]:
    """Value columns packed into blocks that fit WIDTH beside the key columns."""
    blocks: list[list[int]] = [[]]
    used = key_width
    for index, width in enumerate(widths):
        if blocks[-1] and used + 2 + width > WIDTH:
            blocks.append([])
            used = key_width
        blocks[-1].append(index)
        used += 2 + width
    return blocks


def render_table(result: Matrix) -> str:
    key_headers = ["COUNTRY", "PERIOD"] + (["TITLE"] if _has_titles(result) else [])
    keys = [_key_cells(result, row) for row in result.rows]
    value_headers = ["RANK", "OVERALL", "COVERAGE", "STATUS", "CARRIED"]
    value_headers += [c.id for c in result.columns]
    values = [
        [
            _rank(row),
            tables.score(row.overall),
            f"{row.coverage:.0f}%",
            row.status,
            _carried(row),
            *(tables.score(s) for s in row.scores),
        ]
        for row in result.rows
    ]
    key_width = sum(
        max([len(h), *(len(k[i]) for k in keys)]) + 2 for i, h in enumerate(key_headers)
    )
    widths = [
        max([len(cut(h, 12)), *(len(v[i]) for v in values)]) for i, h in enumerate(value_headers)
    ]
    parts = [_heading(result)]
    for block in _blocks(widths, key_width):
        headers = key_headers + [cut(value_headers[i], 12) for i in block]
        rows = [k + [v[i] for i in block] for k, v in zip(keys, values, strict=True)]
        right = set(range(len(key_headers), len(headers)))
        parts.append(tables.aligned(headers, rows, right))
    parts.append(_legend(result))
    return printable("\n\n".join(parts))


def _heading(result: Matrix) -> str:
    periods = result.periods
    span = periods[0] if len(periods) == 1 else f"{len(periods)} periods"
    return (
        f"{counted(len(result.rows), 'assessment')} ({span}), scores in % by {result.by.value}.\n"
        "RANK: by overall score among the assessments of the same period."
    )


def _legend(result: Matrix) -> str:
    lines = [f"{c.id} = {cut(c.title, WIDTH - len(c.id) - 3)}" for c in result.columns]
    lines.append("- = nothing scored, or the checklist has no such column.")
    lines += textwrap.wrap(CARRIED_LEGEND, WIDTH)
    return "\n".join(lines)


def render_markdown(result: Matrix) -> str:
    titles = _has_titles(result)
    headers = ["Country", "Period"] + (["Title"] if titles else [])
    headers += ["Rank", "Overall", "Coverage", "Status", "Carried"]
    headers += [inline(c.id) for c in result.columns]
    rows = []
    for row in result.rows:
        cells = [inline(f"{row.country_code} {row.country_name}"), inline(row.period)]
        if titles:
            cells.append(inline(row.title))
        cells += [
            _rank(row),
            tables.score(row.overall),
            f"{row.coverage:.0f}%",
            row.status,
            _carried(row),
            *(tables.score(s) for s in row.scores),
        ]
        rows.append(cells)
    right = set(range(len(headers) - len(result.columns) - 5, len(headers)))
    legend = "\n".join(f"- **{inline(c.id)}**: {inline(c.title)}" for c in result.columns)
    return "\n\n".join(
        [
            f"# Matrix by {result.by.value}",
            "  \n".join(inline(line) for line in _heading(result).splitlines()),
            tables.markdown(headers, rows, right),
            legend,
            inline(CARRIED_LEGEND),
        ]
    )


CSV_KEYS = (
    "country_code",
    "country_name",
    "period",
    "title",
    "rank",
    "overall",
    "coverage",
    "status",
    "carried",
    "answers",
)


def render_csv(result: Matrix) -> str:
    """One header line, then one line per assessment; the file and id last."""
    headers = [*CSV_KEYS, *(f"{c.id} {c.title}" for c in result.columns)]
    headers += ["checklist", "assessment_id", "file"]
    rows = [
        [
            row.country_code,
            protect(row.country_name),
            protect(row.period),
            protect(row.title),
            "" if row.rank is None else str(row.rank),
            _number(row.overall),
            _number(row.coverage),
            row.status,
            str(row.carried),
            str(row.answers),
            *(_number(s) for s in row.scores),
            protect(row.checklist),
            protect(row.assessment_id),
            protect(row.path),
        ]
        for row in result.rows
    ]
    return tables.csv_text([protect(h) for h in headers], rows)


def render_matrix(result: Matrix, fmt: str) -> str:
    if fmt == "json":
        return json_safe(json.dumps(matrix_document(result), indent=2, ensure_ascii=False))
    if fmt == "csv":
        return render_csv(result)
    if fmt == "md":
        return render_markdown(result)
    return render_table(result)
