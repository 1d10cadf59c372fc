"""The workspace as `decalogue list` prints it: a table, CSV or JSON, one entry per file.

File names, countries and periods come from files anyone may have written, so
every table cell is made `printable`: a title cannot retitle the window or clear
the screen. The title column tells a workshop's groups apart (four groups of one
country and period would otherwise read as four identical lines).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from decalogue.reports import tables
from decalogue.reports.csv_io import protect
from decalogue.reports.text import cut, json_safe, one_line, printable
from decalogue.storage.workspace import Summary

FORMATS = ("table", "csv", "json")

#: Widest title in the table.
TITLE_WIDTH = 28

HEADERS = (
    "FILE",
    "TITLE",
    "COUNTRY",
    "PERIOD",
    "CHECKLIST",
    "ANSWERED",
    "COVERAGE",
    "OVERALL",
    "STATUS",
    "CARRIED",
    "FLAGGED",
    "UPDATED",
)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"  # one decimal, as shown everywhere


def _row(summary: Summary) -> list[str]:
    total = str(summary.total) if summary.total else "?"
    cells = [
        summary.path.name,
        cut(("[scorecard] " if summary.scorecard else "") + summary.own_title, TITLE_WIDTH),
        f"{summary.country_code} {summary.country_name}",
        summary.period,
        f"{summary.checklist_id} {summary.checklist_version}",
        f"{summary.answered}/{total}",
        f"{summary.coverage:.0f}%" if summary.total else "-",
        _percent(summary.overall),
        summary.status,
        f"{summary.carried}/{summary.answered}" if summary.carried else "0",
        str(summary.flagged),
        f"{summary.updated:%Y-%m-%d %H:%M}" if summary.updated else "",
    ]
    return [one_line(cell) for cell in cells]


def render_list(summaries: Sequence[Summary], *, stored: bool = False) -> str:
    """The table of readable files, then one line per unreadable file and why.

    `stored`: assessments of a database store, whose first column is the id.
    """
    rows = [_row(s) for s in summaries if s.error is None]
    headers = ("ID", *HEADERS[1:]) if stored else HEADERS
    lines = [tables.aligned(headers, rows, {5, 6, 7, 9, 10}, rule=False)]
    lines += [f"{s.path.name}: unreadable: {s.error}" for s in summaries if s.error is not None]
    return printable("\n".join(lines))


CSV_HEADERS = (
    "file",
    "kind",
    "title",
    "country_code",
    "country_name",
    "period",
    "checklist",
    "checklist_version",
    "answered",
    "total",
    "coverage",
    "overall",
    "status",
    "carried",
    "flagged",
    "updated",
    "assessment_id",
    "error",
)


def _entry(summary: Summary, stored: bool) -> dict[str, Any]:
    readable = summary.error is None
    return {
        "file": None if stored else summary.path.name,
        "kind": "scorecard" if summary.scorecard else "assessment",
        "title": summary.own_title,
        "country_code": summary.country_code,
        "country_name": summary.country_name,
        "period": summary.period,
        "checklist": summary.checklist_id,
        "checklist_version": summary.checklist_version,
        "answered": summary.answered if readable else None,
        "total": summary.total or None,
        "coverage": round(summary.coverage, 1) if readable and summary.total else None,
        "overall": None if summary.overall is None else round(summary.overall, 1),
        "status": summary.status if readable else None,
        "carried": summary.carried if readable else None,
        "flagged": summary.flagged if readable else None,
        "updated": summary.updated.isoformat() if summary.updated else None,
        "assessment_id": summary.id,
        "error": summary.error,
    }


def render_list_csv(summaries: Sequence[Summary], *, stored: bool = False) -> str:
    """Every file, unreadable ones too (with the reason in `error`); numbers as plain numbers."""
    rows = [
        [
            "" if value is None else protect(value) if isinstance(value, str) else value
            for value in _entry(summary, stored).values()
        ]
        for summary in summaries
    ]
    return tables.csv_text(CSV_HEADERS, rows)


def render_list_json(summaries: Sequence[Summary], *, stored: bool = False) -> str:
    document = {"assessments": [_entry(summary, stored) for summary in summaries]}
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False))


def render_listing(summaries: Sequence[Summary], fmt: str, *, stored: bool = False) -> str:
    """`stored`: a database store's assessments (named by id, no file)."""
    if fmt == "csv":
        return render_list_csv(summaries, stored=stored)
    if fmt == "json":
        return render_list_json(summaries, stored=stored)
    return render_list(summaries, stored=stored)
