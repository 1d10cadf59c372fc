"""The workspace as `decalogue list` prints it: one aligned line per assessment file.

File names, countries and periods come from files anyone may have written, so
every cell is made `printable`: a title cannot retitle the window or clear the
screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from decalogue.reports import tables
from decalogue.reports.text import one_line, printable
from decalogue.storage.workspace import Summary

HEADERS = (
    "FILE",
    "COUNTRY",
    "PERIOD",
    "CHECKLIST",
    "ANSWERED",
    "COVERAGE",
    "OVERALL",
    "FLAGGED",
    "UPDATED",
)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def _row(summary: Summary) -> list[str]:
    total = str(summary.total) if summary.total else "?"
    cells = [
        summary.path.name,
        f"{summary.country_code} {summary.country_name}",
        summary.period,
        f"{summary.checklist_id} {summary.checklist_version}",
        f"{summary.answered}/{total}",
        f"{summary.coverage:.0f}%" if summary.total else "-",
        _percent(summary.overall),
        str(summary.flagged),
        f"{summary.updated:%Y-%m-%d %H:%M}" if summary.updated else "",
    ]
    return [one_line(cell) for cell in cells]


def render_list(summaries: Sequence[Summary]) -> str:
    """The table of readable files, then one line per unreadable file and why."""
    rows = [_row(s) for s in summaries if s.error is None]
    lines = [tables.aligned(HEADERS, rows, {4, 5, 6, 7}, rule=False)]
    lines += [f"{s.path.name}: unreadable: {s.error}" for s in summaries if s.error is not None]
    return printable("\n".join(lines))
