"""Rows of cells as an aligned terminal table, a Markdown table or CSV.

The renderers of comparisons, trends, workshops and the assessment list build
rows of strings and hand them here; only this module knows the three layouts.
Cells reach `aligned` already made `printable` and `markdown` already escaped
(`reports.text`), because only the renderer knows which cells are user text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from typing import Any

from decalogue.model.checklist import Checklist

#: UTF-8's byte-order mark: Excel reads a CSV as UTF-8 only when the file starts with it.
BOM = "\ufeff"


def aligned(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Collection[int],
    *,
    rule: bool = True,
) -> str:
    """Columns padded to their widest cell, two spaces apart; `right` columns right-aligned.

    `rule` draws a line of dashes under the headers.
    """
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

    under = [line(["-" * w for w in widths])] if rule else []
    return "\n".join([line(headers), *under, *map(line, rows)])


def markdown(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int]) -> str:
    """A Markdown table of cells that are already escaped (an empty cell stays a cell)."""
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = [headers, rule, *rows]
    return "\n".join("| " + " | ".join(c or " " for c in cells) + " |" for cells in lines)


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with the exact text (a spreadsheet gets what the files hold)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def score(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def change(delta: float | None) -> str:
    """A change of score in points, with an arrow that says which way."""
    if delta is None:
        return "-"
    if abs(delta) < 0.05:
        return "= 0.0"
    return f"▲ +{delta:.1f}" if delta > 0 else f"▼ {delta:.1f}"


def scale_legend(checklist: Checklist) -> str:
    levels = ", ".join(f"{lv.value} {lv.label}" for lv in checklist.scale.levels)
    na = checklist.scale.not_applicable.label
    return f"Levels: {levels}; {na} = not applicable; - = unanswered."
