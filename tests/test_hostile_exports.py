"""Hostile text in every export: it stays text.

A checklist from someone else and notes pasted from anywhere may hold Rich or
Textual markup, HTML, Markdown structure, spreadsheet formulas, ANSI escape
sequences and other terminal control characters. Every place such text can go
(checklist metadata, scale, sources, pillars, sections, items, descriptors;
assessment title, country name, assessors, notes, N/A reasons, findings,
evidence) is filled with it, and each export is checked for what its readers
would suffer:

- HTML: no element or attribute the report does not write itself (no script,
  no event handler, no javascript: link); the text is there, escaped.
- Markdown: no raw HTML, no link or image, no heading, list or quote that the
  report did not write; the text is there, escaped.
- CSV: no cell a spreadsheet would run as a formula (=, +, -, @, tab, CR).
- JSON: valid JSON holding the exact text.
- Reports and JSON hold no raw terminal control character (a report may be
  shown with `cat`), and the CLI never sends one to a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from decalogue import reports
from decalogue.model.scoring import ScoreBoard
from decalogue.storage import store
from tests.helpers import run_in_terminal
from tests.hostile import (
    FORMULAS,
    HOSTILE,
    RAW_CONTROL,
    hostile_assessment,
    hostile_checklist,
    hostile_toml,
)


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    checklist = hostile_checklist()
    assessment = hostile_assessment(checklist)
    board = ScoreBoard(checklist, assessment.responses)
    return {fmt: reports.render(fmt, checklist, assessment, board) for fmt in reports.FORMATS}


def test_every_format_is_covered(rendered: dict[str, str]) -> None:
    assert set(rendered) == {"json", "csv", "md", "html"}


# --------------------------------------------------------------------------- HTML


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_holds_only_the_reports_own_markup(rendered: dict[str, str]) -> None:
    page = _Collector()
    page.feed(rendered["html"])
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "form", "input", "link"}
    assert "svg" not in tags or all(
        not attrs or "onload" not in dict(attrs) for _, attrs in page.tags
    )
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "xlink:href"}:
                assert value is not None
                assert value.startswith(("https://", "http://", "#")), (tag, name, value)
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert "[@click=app.quit]QUIT[/]" in text
    assert "javascript:alert(1)" in text


# --------------------------------------------------------------------------- Markdown


def test_markdown_holds_no_markup_of_the_users(rendered: dict[str, str]) -> None:
    report = rendered["md"]
    raw_tags = set(re.findall(r"(?<!\\)<(/?[A-Za-z][^\s>]*)", report))
    assert raw_tags <= {"br"}, raw_tags  # the report's own line breaks in table cells
    assert not re.search(r"(?<!\\)!\[", report)  # no image
    for target in re.findall(r"(?<!\\)\]\(([^)]*)\)", report):
        assert target.startswith(("https://", "http://")), target
    assert "\n# H1" not in report and "\n- list" not in report and "\n> quote" not in report
    assert r"\[@click=app.quit\]QUIT\[/\]" in report
    assert r"\<script\>" in report


def test_markdown_tables_keep_their_columns(rendered: dict[str, str]) -> None:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*rendered["md"].splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    assert tables
    for table in tables:
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table}
        assert len(widths) == 1, table


# --------------------------------------------------------------------------- CSV


def test_csv_has_no_cell_a_spreadsheet_would_run(rendered: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(rendered["csv"], newline="")))
    cells = [cell for row in rows for cell in row]
    assert len(rows) == 3
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell[:40])
    notes = rows[2][rows[0].index("notes")]
    assert notes == "'" + FORMULAS[-1]


def test_csv_round_trips_the_hostile_text(rendered: dict[str, str]) -> None:
    """Protection is a leading quote that the import removes again: the text is unchanged."""
    from decalogue.reports.csv_import import read_edits

    checklist = hostile_checklist()
    assessment = hostile_assessment(checklist)
    edits = read_edits(rendered["csv"], "hostile.csv", checklist, assessment, force=True)
    assert edits == []


# --------------------------------------------------------------------------- JSON


def test_json_is_json_with_the_exact_text(rendered: dict[str, str]) -> None:
    card = json.loads(rendered["json"])
    items = {item["id"]: item for item in card["items"]}
    assert items["I-01"]["notes"] == HOSTILE
    assert items["I-01"]["evidence"][0]["link"] == "javascript:alert(1)"


# --------------------------------------------------------------------------- terminals


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_files_meant_for_reading_hold_no_terminal_control_character(
    rendered: dict[str, str], fmt: str
) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(rendered[fmt])})
    assert found == [], f"{fmt}: raw control characters {found} would reach a terminal"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_show_where_control_characters_were(rendered: dict[str, str], fmt: str) -> None:
    report = rendered[fmt]
    assert re.search(r"\u241b\\?\[31mRED", report)  # ESC shown as the control picture ␛
    assert "BEL\u2407" in report


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    "fmt",
    [
        "json",
        "md",
        "html",
        "csv",
    ],
)
def test_the_cli_export_to_a_terminal_sends_no_control_character(tmp_path: Path, fmt: str) -> None:
    """`decalogue export FILE --format F` in a terminal: no escape sequence reaches it."""
    checklist_path = tmp_path / "hostile.toml"
    checklist_path.write_text(hostile_toml(), encoding="utf-8")
    path = tmp_path / "XX-2025.json"
    store.create(path, hostile_assessment(hostile_checklist()))
    command = [sys.executable, "-m", "decalogue", "export", str(path), "--format", fmt]
    returncode, text = run_in_terminal([*command, "--checklist", str(checklist_path)])
    assert returncode == 0, text[-500:]
    assert "RED" in text
    found = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(text)})
    assert found == [], f"export --format {fmt} sent {found} to the terminal"
