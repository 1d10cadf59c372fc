"""The rows of the home screen's table: one per assessment file, its columns and order.

Text from the files goes through `safe_line`/`shorten` (control characters made
visible); figures come from the workspace's summaries, never computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from decalogue.errors import display_path
from decalogue.model.assessment import STATUS_LABELS, STATUSES
from decalogue.storage.workspace import Summary
from decalogue.tui.display import GLYPH_CARRIED, GLYPH_FLAG, figure, safe_line, shorten, when

#: Widest title shown (a workshop group's name, "Group A").
TITLE = 24

#: (column key, heading, sort key)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("country", "Country"),
    ("period", "Period"),
    ("status", "Status"),
    ("title", "Title"),
    ("progress", "Progress"),
    ("score", "Score"),
    ("flagged", GLYPH_FLAG),
    ("updated", "Last change"),
    ("checklist", "Checklist"),
)


def sort_key(column: str, summary: Summary) -> tuple[int, object]:
    if summary.error:
        return (1, summary.path.name)
    value: object = {
        "country": summary.country_name.casefold(),
        "period": summary.period,
        "status": (STATUSES.index(summary.status), summary.carried),
        "title": summary.own_title.casefold(),
        "checklist": summary.checklist_id,
        "progress": summary.coverage,
        "score": -1.0 if summary.overall is None else summary.overall,
        "flagged": summary.flagged,
        "updated": summary.updated.isoformat() if summary.updated else "",
    }[column]
    return (0, value)


def _short_error(summary: Summary) -> str:
    """The problem without the folder (the row names the file): short and stable."""
    text = summary.error or ""
    for shown in (str(summary.path), display_path(summary.path)):
        text = text.replace(shown, summary.path.name)
    return shorten(text, 70)  # shorten() also makes control characters visible


def status_cell(summary: Summary) -> str:
    """Draft, In review or Final, and how many answers are last period's, not yet confirmed
    (a 2026 row of 2025's answers must not read as 2026's)."""
    label = STATUS_LABELS[summary.status]
    return f"{label} {GLYPH_CARRIED}{summary.carried}" if summary.carried else label


def columns_for(summaries: Sequence[Summary]) -> tuple[tuple[str, str], ...]:
    """COLUMNS; the title's only when an assessment listed has one (groups of a workshop)."""
    if any(s.own_title for s in summaries if not s.error):
        return COLUMNS
    return tuple(c for c in COLUMNS if c[0] != "title")


def row_cells(summary: Summary) -> list[tuple[str, Text]]:
    """(column key, cell) for every column of COLUMNS: what the file is and how far it has
    got, or why it cannot be read."""
    if summary.error:
        cells = [
            Text("⚠ unreadable", style="bold"),
            Text(safe_line(summary.path.name)),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(""),
            Text(_short_error(summary)),
        ]
        return list(zip((key for key, _ in COLUMNS), cells, strict=True))
    answered = (
        f"{summary.answered}/{summary.total} {summary.coverage:.0f}%"
        if summary.total
        else f"{summary.answered} answered"
    )
    cells = [
        Text(safe_line(f"{summary.country_name} ({summary.country_code})")),
        Text(safe_line(summary.period)),
        Text(status_cell(summary)),
        Text(shorten(summary.own_title, TITLE)),
        Text(answered, justify="right"),
        Text(figure(summary.overall), justify="right"),
        Text(str(summary.flagged) if summary.flagged else "", justify="right"),
        Text(when(summary.updated)),
        Text(safe_line(f"{summary.checklist_id} {summary.checklist_version}")),
    ]
    return list(zip((key for key, _ in COLUMNS), cells, strict=True))
