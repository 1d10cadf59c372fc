"""The Markdown and HTML reports: the board's figures, every section, and text kept as text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from decalogue import reports
from decalogue.model.assessment import Answer, Assessment, Evidence
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.reports.markdown import bar
from decalogue.reports.text import inline
from decalogue.reports.wording import percent, points
from tests.helpers import no_traceback, run_cli
from tests.samples import (
    GENERATED,
    HOSTILE_NOTE,
    board_of,
    bundled_checklist,
    empty_assessment,
    filled_assessment,
    save_new,
    small_checklist,
)


def render(fmt: str, checklist: Checklist, assessment: Assessment) -> str:
    return reports.render(fmt, checklist, assessment, board_of(checklist, assessment), GENERATED)


def figures_of(board: ScoreBoard) -> list[str]:
    """Every group score the board computed, as the reports print them."""
    groups = [board.overall, *board.pillars.values(), *board.sections.values()]
    return [percent(g.score) for g in groups] + [percent(g.target_score) for g in groups]


# --------------------------------------------------------------------------- both reports


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_hold_every_part_a_minister_reads(fmt: str) -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    board = board_of(checklist, assessment)
    text = render(fmt, checklist, assessment)
    assert board.overall.target_score is not None and board.overall.score is not None
    gap = points(round(board.overall.target_score, 1) - round(board.overall.score, 1))
    for expected in [
        "Exampleland (XX)",
        "2025",
        "Ana Example",
        "2026-03-01 09:30 UTC",
        "Summary",
        "Scores by pillar",
        "Scores by section",
        "Top gaps to target",
        "Flagged for review",
        "Findings and recommendations",
        "Not applicable",
        "Sources cited",
        "OSCE Action Plan to Combat Trafficking in Human Beings (2003)",
        "Train investigators, kommunikáció, 調査",
        *figures_of(board),
        f"{board.overall.coverage:.1f}%",
        # The gap as shown is the difference of the target and score as shown (rounded once).
        f"gap {gap} points" if fmt == "md" else gap,
    ]:
        assert expected in text, expected
    assert "Specialised investigators" in text  # a top gap and flagged item, by title
    assert "No State shelters" in text  # the N/A reason


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_empty_assessment_reports_no_score_rather_than_zero(fmt: str) -> None:
    checklist = bundled_checklist()
    text = render(fmt, checklist, empty_assessment(checklist))
    if fmt == "md":
        assert "| **Overall score** | `" + "·" * 20 + "` no score |" in text
    else:
        assert '<div class="figure"><b>no score</b>Overall score</div>' in text
    assert not re.search(r"score\W+0\.0%", text)
    assert "No item is flagged for review." in text
    assert "No findings recorded." in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_list_answers_to_items_the_checklist_no_longer_has(fmt: str) -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    assessment.responses["OLD-7"] = assessment.responses["B-01"].model_copy()
    text = render(fmt, checklist, assessment)
    assert "Answers to items no longer in the checklist" in text
    assert "OLD-7" in text


# --------------------------------------------------------------------------- Markdown


def test_markdown_bars_show_the_score_in_unicode_blocks_with_the_number() -> None:
    assert bar(50.0) == "`██████████░░░░░░░░░░` 50.0%"
    assert bar(100.0) == "`" + "█" * 20 + "` 100.0%"
    assert bar(0.0) == "`" + "░" * 20 + "` 0.0%"
    assert bar(None).endswith("no score")
    assert bar(52.5).startswith("`██████████▌░")
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    board = board_of(checklist, assessment)
    text = render("md", checklist, assessment)
    for pillar in board.pillars.values():
        assert bar(pillar.score) in text


def test_markdown_keeps_user_text_as_text() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    assessment.apply("C-01", "finding", "# Heading\n- list\n1. one\n> quote\n===", "t")
    text = render("md", checklist, assessment)
    assert "<script>" not in text
    assert "\\<script\\>" in text
    assert "\\[bold\\]loud\\[/bold\\]" in text
    assert "[click](" not in text and "\\[click\\](http://evil)" in text
    lines = [line.rstrip() for line in text.splitlines()]
    headings = [line for line in lines if line.startswith("#")]
    assert all(not h.lstrip("#").strip().startswith(("Heading", "Not a heading")) for h in headings)
    for injected in ("\\# Heading", "\\- list", "1\\. one", "\\> quote", "\\==="):
        assert injected in lines, injected


def test_markdown_table_cells_cannot_be_split_by_pipes_or_line_breaks() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    text = render("md", checklist, assessment)
    rows = [line for line in text.splitlines() if line.startswith("| **A-02**")]
    assert rows, "the N/A table row"
    cells = re.split(r"(?<!\\)\|", rows[0].strip("|"))
    assert len(cells) == 3
    assert "No State shelters \\| by law" in rows[0]
    flagged_row = next(line for line in text.splitlines() if line.startswith("| **B-01** |"))
    assert len(re.split(r"(?<!\\)\|", flagged_row.strip("|"))) == 4


def test_markdown_inline_escaping() -> None:
    assert inline("a|b") == "a\\|b"
    assert inline("two\nlines") == "two lines"
    assert inline("[x](y) <b> *s* _u_ `c`") == "\\[x\\](y) \\<b\\> \\*s\\* \\_u\\_ \\`c\\`"
    assert inline("AT&amp;T & co") == "AT\\&amp;T & co"


# --------------------------------------------------------------------------- HTML


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def test_html_is_self_contained_printable_and_without_scripts() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    text = render("html", checklist, assessment)
    page = parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert {"script", "link", "img", "iframe", "object", "embed", "form"}.isdisjoint(page.tags)
    assert not [a for a in page.attrs if a[1] in {"src", "srcset"} or a[1].startswith("on")]
    hrefs = [value for tag, name, value in page.attrs if name == "href"]
    assert hrefs == ["https://example.org/act"]  # the evidence link, nothing loaded
    assert "@media print" in text
    assert "default-src 'none'" in text
    assert page.tags.count("svg") >= 1 + len(board_of(checklist, assessment).sections)
    assert "rect" in page.tags


def test_html_escapes_every_user_string() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    assessment.apply("A-02", "answer", Answer(na_reason='"><img src=x onerror=alert(1)>'), "t")
    assessment.apply(
        "B-01",
        "evidence",
        [Evidence(description="<b>bold</b>", link="javascript:alert(1)", document="<i>")],
        "t",
    )
    assessment.title = "Exampleland </title><script>x</script>"
    text = render("html", checklist, assessment)
    page = parse(text)
    assert "script" not in page.tags and "img" not in page.tags and "b" in page.tags
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; [bold]loud[/bold]" in text
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    hrefs = [value for tag, name, value in page.attrs if name == "href"]
    assert "javascript:alert(1)" not in hrefs
    assert HOSTILE_NOTE.splitlines()[0] in "".join(page.text)  # shown, as text


def test_html_bars_are_as_wide_as_the_board_scores() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    board = board_of(checklist, assessment)
    text = render("html", checklist, assessment)
    widths = [float(w) for w in re.findall(r'class="bar-fill" width="([\d.]+)"', text)]
    expected = [
        round(score / 100 * 160, 1)
        for score in [*(p.score for p in board.pillars.values())]
        + [s.score for s in board.sections.values()]
        if score is not None
    ]
    assert widths == expected


# --------------------------------------------------------------------------- the CLI


def test_cli_writes_both_reports_for_a_partly_filled_bundled_assessment(tmp_path: Path) -> None:
    checklist = bundled_checklist()
    assessment = empty_assessment(checklist)
    assessment.apply("LF-01", "answer", Answer(level=2), "Ana Example")
    assessment.apply("LF-01", "target", 4, "Ana Example")
    assessment.apply("LF-02", "answer", Answer(na_reason="Covered by LF-01"), "Ana Example")
    assessment.apply("DT-01", "notes", HOSTILE_NOTE, "Ana Example")
    assessment.apply("DT-01", "flagged", True, "Ana Example")
    path = save_new(tmp_path / "XX-2025.json", assessment)
    board = board_of(checklist, assessment)
    for fmt in ("md", "html"):
        out = tmp_path / f"report.{fmt}"
        result = run_cli("export", path, "-f", fmt, "-o", out, cwd=tmp_path)
        no_traceback(result)
        assert result.returncode == 0, result.stderr.decode()
        text = out.read_text(encoding="utf-8")
        assert percent(board.overall.score) in text
        assert percent(board.pillars["LF"].score) in text
        assert "Covered by LF-01" in text
        assert "<script>" not in text
