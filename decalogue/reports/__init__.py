"""Exports of an assessment: the scorecard (JSON), CSV, and Markdown and HTML reports.

The CLI and the TUI call the same two functions, `render` (the text) and
`export` (the text written safely to a file), so every route out of the app
shows the same figures, all taken from the ScoreBoard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from pathlib import Path

from decalogue import clock
from decalogue.errors import DecalogueError
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.paths import name_part
from decalogue.storage.atomic import ExportError, write_file

Renderer = Callable[[Checklist, Assessment, ScoreBoard, "datetime | None"], str]

#: Format name -> (module, function) of its renderer(checklist, assessment, board, at) -> text.
#: Imported when used: the workbench imports this package for its text helpers, and
#: its first frame should not wait for the HTML renderer (see benchmarks/, figure 1).
_RENDERERS = {
    "json": ("decalogue.reports.scorecard", "render_json"),
    "csv": ("decalogue.reports.csv_io", "render_csv"),
    "md": ("decalogue.reports.markdown", "render_markdown"),
    "html": ("decalogue.reports.html", "render_html"),
}

#: The export formats.
FORMATS: tuple[str, ...] = tuple(_RENDERERS)

#: The file name ending of each format.
SUFFIXES = {"json": ".json", "csv": ".csv", "md": ".md", "html": ".html"}

#: What each format is, for menus and help.
DESCRIPTIONS = {
    "json": "scorecard (JSON, versioned, with a JSON Schema)",
    "csv": "one row per item, for spreadsheets; can be edited and imported back",
    "md": "report in Markdown",
    "html": "report as one self-contained, printable HTML file",
}


class UnknownFormat(DecalogueError):
    def __init__(self, fmt: str) -> None:
        super().__init__(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def format_for(path: Path | str) -> str | None:
    """The format a file name's ending implies, if any."""
    suffix = Path(path).suffix.lower()
    aliases = {".markdown": "md", ".htm": "html"}
    for name, known in SUFFIXES.items():
        if suffix == known:
            return name
    return aliases.get(suffix)


def render(
    fmt: str,
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> str:
    if fmt not in _RENDERERS:
        raise UnknownFormat(fmt)
    module, name = _RENDERERS[fmt]
    renderer: Renderer = getattr(import_module(module), name)
    return renderer(checklist, assessment, board, generated_at or clock.now())


def export(
    fmt: str,
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    out_path: Path | str,
    *,
    generated_at: datetime | None = None,
    create_parents: bool = False,
    bom: bool = False,
) -> Path:
    """Render and write atomically; raises ExportError (nothing written) when it cannot.

    `bom` starts a CSV with UTF-8's byte-order mark, for Excel.
    """
    text = render(fmt, checklist, assessment, board, generated_at)
    if bom and fmt == "csv":
        from decalogue.reports.tables import BOM

        text = BOM + text
    return write_file(out_path, text, create_parents=create_parents)


def default_file_name(fmt: str, assessment: Assessment) -> str:
    """A file name for an export: country code, period, title and kind. With the title,
    one workshop group's export does not replace another's in the exports folder."""
    period = assessment.period.replace("/", "_")
    kind = {"json": "scorecard", "csv": "items"}.get(fmt, "report")
    title = name_part(assessment.title)
    named = f"-{title}" if title else ""
    return f"{assessment.country.code}-{period}{named}-{kind}{SUFFIXES[fmt]}"


__all__ = [
    "DESCRIPTIONS",
    "FORMATS",
    "SUFFIXES",
    "ExportError",
    "Renderer",
    "UnknownFormat",
    "default_file_name",
    "export",
    "format_for",
    "render",
]
