"""`decalogue matrix`: the secretariat's States x pillars view, as a reader of it would check it.

Every assessment here is of a fictional country (user-assigned codes) with made-up levels.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from decalogue.analysis.compare import ComparisonError, Subject
from decalogue.analysis.matrix import By, Order, matrix
from decalogue.cli import main
from decalogue.model.assessment import Answer, Assessment, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

FICTIONAL = [("XA", "Aland Example"), ("XB", "Bexample"), ("XC", "Cexampleland")]


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist()


def made_up(
    checklist: Checklist, code: str, name: str, period: str, level: int, *, title: str = ""
) -> Assessment:
    """Every item of the first pillar at `level`, the rest of the first section of others at 1."""
    assessment = new_assessment(checklist, code, period, country_name=name, title=title)
    first = checklist.pillars[0]
    for section in first.sections:
        for item in section.items:
            assessment.apply(item.id, "answer", Answer(level=level), "test")
    for pillar in checklist.pillars[1:]:
        for item in pillar.sections[0].items:
            assessment.apply(item.id, "answer", Answer(level=1), "test")
    return assessment


def subjects(checklist: Checklist, specs: list[tuple[str, str, str, int]]) -> list[Subject]:
    return [
        Subject(made_up(checklist, code, name, period, level), checklist, f"{code}-{period}.json")
        for code, name, period, level in specs
    ]


def test_rows_carry_the_scoreboard_figures_and_rank_within_each_period(
    checklist: Checklist,
) -> None:
    given = subjects(
        checklist,
        [
            ("XA", "Aland Example", "2024", 3),
            ("XB", "Bexample", "2024", 1),
            ("XC", "Cexampleland", "2024", 3),
            ("XA", "Aland Example", "2025", 0),
            ("XB", "Bexample", "2025", 2),
        ],
    )
    result = matrix(given)
    assert [c.id for c in result.columns] == [p.id for p in checklist.pillars]
    by_key = {(r.country_code, r.period): r for r in result.rows}
    for subject in given:
        board = ScoreBoard(checklist, subject.assessment.responses)
        row = by_key[(subject.assessment.country.code, subject.assessment.period)]
        assert row.overall == board.overall.score
        assert row.coverage == board.overall.coverage
        assert row.scores == tuple(board.pillars[p.id].score for p in checklist.pillars)
    # Ties share a rank (1, 1, 3); each period is ranked on its own.
    assert [by_key[(c, "2024")].rank for c in ("XA", "XC", "XB")] == [1, 1, 3]
    assert [by_key[(c, "2025")].rank for c in ("XB", "XA")] == [1, 2]
    # Rows read by country, then period.
    assert [(r.country_code, r.period) for r in result.rows] == [
        ("XA", "2024"),
        ("XA", "2025"),
        ("XB", "2024"),
        ("XB", "2025"),
        ("XC", "2024"),
    ]
    ranked = matrix(given, order=Order.RANK)
    assert [(r.period, r.rank) for r in ranked.rows] == [
        ("2025", 1),
        ("2025", 2),
        ("2024", 1),
        ("2024", 1),
        ("2024", 3),
    ]


def test_period_filter_sections_and_an_unscored_assessment(checklist: Checklist) -> None:
    given = subjects(checklist, [("XA", "Aland Example", "2024", 2), ("XB", "Bexample", "2025", 2)])
    empty = new_assessment(checklist, "XC", "2025", country_name="Cexampleland")
    given.append(Subject(empty, checklist, "XC-2025.json"))
    result = matrix(given, By.SECTION, period="2025")
    assert [r.country_code for r in result.rows] == ["XB", "XC"]
    assert [c.id for c in result.columns] == [s.id for p in checklist.pillars for s in p.sections]
    unscored = result.rows[1]
    # Nothing answered: no score, no rank, zero coverage; never a score of 0.
    assert unscored.overall is None and unscored.rank is None and unscored.coverage == 0
    assert set(unscored.scores) == {None}
    with pytest.raises(ComparisonError, match="no assessment of period '2023'"):
        matrix(given, period="2023")


# --------------------------------------------------------------------------- the command


def write_states(folder: Path, checklist: Checklist) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (code, name) in enumerate(FICTIONAL):
        for period in ("2024", "2025"):
            title = "=HYPERLINK(1)" if code == "XC" else ""
            assessment = made_up(checklist, code, name, period, index, title=title)
            path = folder / f"{code}-{period}.json"
            store.create(path, assessment)
            paths.append(path)
    return paths


def run(capsysbinary: pytest.CaptureFixture[bytes], *args: str | Path) -> tuple[int, bytes, str]:
    code = main([str(a) for a in args])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


def test_table_fits_100_columns_even_by_section(
    tmp_path: Path, checklist: Checklist, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    write_states(tmp_path / "states", checklist)
    code, out, err = run(capsysbinary, "matrix", tmp_path / "states", "--by", "section")
    assert code == 0, err
    text = out.decode()
    assert max(len(line) for line in text.splitlines()) <= 100
    for pillar in checklist.pillars:
        for section in pillar.sections:
            assert f"{section.id} = " in text  # the legend names every column
    # Wrapped blocks repeat the country: each State shows once per block and period.
    blocks = text.count("COUNTRY")
    assert blocks >= 2
    assert text.count("XA Aland Example") == 2 * blocks


def test_csv_opens_as_is_in_a_spreadsheet(
    tmp_path: Path, checklist: Checklist, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    write_states(tmp_path / "states", checklist)
    code, out, err = run(capsysbinary, "matrix", tmp_path / "states", "--format", "csv")
    assert code == 0, err
    assert not out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    assert len(rows) == 6
    assert list(rows[0])[:7] == [
        "country_code",
        "country_name",
        "period",
        "title",
        "rank",
        "overall",
        "coverage",
    ]
    pillar_columns = [f"{p.id} {p.title}" for p in checklist.pillars]
    assert all(column in rows[0] for column in pillar_columns)
    for row in rows:
        float(row["overall"]), float(row["coverage"]), int(row["rank"])
    # A title a spreadsheet would run as a formula is quoted.
    assert {r["title"] for r in rows if r["country_code"] == "XC"} == {"'=HYPERLINK(1)"}
    code, out, _ = run(capsysbinary, "matrix", tmp_path / "states", "--format", "csv", "--excel")
    assert out.startswith(b"\xef\xbb\xbf") and out[3:].startswith(b"country_code,")


def test_json_and_markdown(
    tmp_path: Path, checklist: Checklist, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    paths = write_states(tmp_path / "states", checklist)
    code, out, err = run(capsysbinary, "matrix", *paths, "--format", "json", "--period", "2025")
    assert code == 0, err
    document = json.loads(out)
    assert [r["country"]["code"] for r in document["rows"]] == ["XA", "XB", "XC"]
    assert [r["rank"] for r in document["rows"]] == [3, 2, 1]
    assert set(document["rows"][0]["scores"]) == {p.id for p in checklist.pillars}
    code, out, err = run(capsysbinary, "matrix", *paths, "--format", "md")
    assert code == 0, err
    text = out.decode()
    assert "| Country | Period | Title | Rank | Overall | Coverage |" in text
    assert "\\=HYPERLINK(1)" not in text and "=HYPERLINK(1)" in text


def test_a_bad_file_is_one_line_and_nothing_printed(
    tmp_path: Path, checklist: Checklist, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    write_states(tmp_path / "states", checklist)
    (tmp_path / "states" / "broken.json").write_text("{", encoding="utf-8")
    code, out, err = run(capsysbinary, "matrix", tmp_path / "states")
    assert code == 1 and out == b""
    assert "broken.json" in err and "Traceback" not in err
