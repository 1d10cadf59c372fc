"""The analyst's commands around the matrix: `list` formats, Excel's byte-order mark.

Fictional countries and made-up levels only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from decalogue.cli import main
from decalogue.model.assessment import Answer, new_assessment
from decalogue.model.scoring import ScoreBoard
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

BOM = b"\xef\xbb\xbf"


def run(capsysbinary: pytest.CaptureFixture[bytes], *args: str | Path) -> tuple[int, bytes, str]:
    code = main([str(a) for a in args])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workshop's four groups of one country and period, and a file that is not JSON."""
    checklist = load_checklist()
    folder = tmp_path / "ws"
    folder.mkdir()
    first = checklist.items[0].id
    for index, group in enumerate(["Group A", "Group B", "Group C", "Grüppe D — §1"]):
        assessment = new_assessment(
            checklist, "XX", "2025", country_name="Exampleland", title=group
        )
        assessment.apply(first, "answer", Answer(level=index), "test")
        store.create(folder / f"g{index}.json", assessment)
    (folder / "broken.json").write_text("{", encoding="utf-8")
    return folder


def test_list_table_tells_groups_apart_by_title(
    workspace: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(capsysbinary, "list", "--workspace", workspace)
    assert code == 0, err
    text = out.decode()
    assert "TITLE" in text.splitlines()[0]
    for group in ("Group A", "Group B", "Group C", "Grüppe D — §1"):
        assert group in text
    assert "broken.json: unreadable" in text


def test_list_csv_and_json(workspace: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = run(capsysbinary, "list", "--workspace", workspace, "--format", "csv")
    assert code == 0, err
    assert not out.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    assert [r["file"] for r in rows] == ["broken.json", "g0.json", "g1.json", "g2.json", "g3.json"]
    assert [r["title"] for r in rows[1:]] == ["Group A", "Group B", "Group C", "Grüppe D — §1"]
    assert rows[0]["error"] and not rows[1]["error"]
    assert float(rows[2]["overall"]) == 25.0 and rows[2]["country_code"] == "XX"

    code, out, err = run(capsysbinary, "list", "--workspace", workspace, "--format", "json")
    assert code == 0, err
    entries = json.loads(out)["assessments"]
    assert [e["title"] for e in entries[1:]] == ["Group A", "Group B", "Group C", "Grüppe D — §1"]
    assert entries[0]["error"] and entries[0]["overall"] is None
    assert entries[1]["overall"] == 0.0 and entries[2]["overall"] == 25.0


def test_excel_gets_a_byte_order_mark_and_the_text_reads_back(
    workspace: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    for flag in ("--excel", "--bom"):
        code, out, err = run(
            capsysbinary, "list", "--workspace", workspace, "--format", "csv", flag
        )
        assert code == 0, err
        assert out.startswith(BOM) and out.count(BOM) == 1
        assert "Grüppe D — §1" in out.decode("utf-8-sig")


# --------------------------------------------------------------------------- compare and trend


def country_files(folder: Path) -> dict[str, Path]:
    """Exampleland 2024 and 2025 (better), and Otherland 2025 (better still) of one checklist."""
    checklist = load_checklist()
    folder.mkdir(parents=True, exist_ok=True)
    item = checklist.items[0].id
    paths = {}
    for key, (code, name, period, level) in {
        "xx24": ("XX", "Exampleland", "2024", 1),
        "xx25": ("XX", "Exampleland", "2025", 2),
        "xy25": ("XY", "Otherland", "2025", 3),
    }.items():
        assessment = new_assessment(checklist, code, period, country_name=name)
        assessment.apply(item, "answer", Answer(level=level), "test")
        paths[key] = folder / f"{code}-{period}.json"
        store.create(paths[key], assessment)
    return paths


def test_two_countries_differ_one_country_improves(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    paths = country_files(tmp_path / "ws")
    code, out, err = run(capsysbinary, "compare", paths["xx25"], paths["xy25"])
    assert code == 0, err
    text = out.decode()
    assert "▲ higher +1" in text and "Differences (" in text and "Most higher in" in text
    assert "improved" not in text and "newly answered" not in text
    assert "Top improvements" not in text
    code, out, _ = run(capsysbinary, "compare", paths["xx25"], paths["xy25"], "--format", "csv")
    assert "difference" in out.decode().splitlines()[0] and "improved" not in out.decode()
    code, out, _ = run(capsysbinary, "compare", paths["xx25"], paths["xy25"], "--format", "json")
    assert json.loads(out)["across_countries"] is True

    code, out, err = run(capsysbinary, "compare", paths["xx24"], paths["xx25"])
    assert code == 0, err
    text = out.decode()
    assert "▲ improved +1" in text and "Top improvements" in text and "higher" not in text


def test_compare_and_trend_take_folders_and_trend_a_country(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    paths = country_files(tmp_path / "ws")
    code, out, err = run(capsysbinary, "compare", tmp_path / "ws", "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)["assessments"]) == 3

    only_xx = tmp_path / "xx"
    only_xx.mkdir()
    for key in ("xx25", "xx24"):
        (only_xx / paths[key].name).write_bytes(paths[key].read_bytes())
    code, out, err = run(capsysbinary, "trend", only_xx, "--format", "json")
    assert code == 0, err
    assert [p["period"] for p in json.loads(out)["periods"]] == ["2024", "2025"]

    # A country code finds that country's assessments in the workspace, and only those.
    code, out, err = run(
        capsysbinary, "trend", "xx", "--workspace", tmp_path / "ws", "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    assert [p["period"] for p in document["periods"]] == ["2024", "2025"]
    code, out, err = run(capsysbinary, "trend", "QQ", "--workspace", tmp_path / "ws")
    assert code == 1 and "no assessment of QQ in the workspace" in err and out == b""


def test_export_csv_for_excel_to_stdout_and_to_a_file(
    workspace: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    group = workspace / "g3.json"
    code, out, err = run(capsysbinary, "export", group, "--format", "csv", "--excel")
    assert code == 0, err
    assert out.startswith(BOM) and out.count(BOM) == 1
    code, out, err = run(capsysbinary, "export", group, "--format", "csv")
    assert not out.startswith(BOM)
    target = tmp_path / "items.csv"
    code, out, err = run(capsysbinary, "export", group, "-o", target, "--bom")
    assert code == 0, err
    assert target.read_bytes().startswith(BOM) and target.read_bytes().count(BOM) == 1
    # The import reads it back: the byte-order mark is not part of the first column's name.
    code, out, err = run(capsysbinary, "import", group, "--csv", target, "--dry-run")
    assert code == 0, err
    assert "no changes" in out.decode()


def test_list_shows_the_overall_score_as_every_screen_and_report_does(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """45.8 on the home screen and in the report; '46%' here read as another figure."""
    checklist = load_checklist()
    assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    for item, level in zip(("LF-01", "LF-02", "LF-03"), (3, 2, 1), strict=True):
        assessment.apply(item, "answer", Answer(level=level), "test")
    assessment.apply("LF-04", "answer", Answer(level=0), "test")
    assessment.apply("DT-01", "answer", Answer(level=2), "test")  # LF 37.5, DT 50.0: 43.75
    store.create(tmp_path / "XX-2025.json", assessment)
    code, out, err = run(capsysbinary, "list", "--workspace", tmp_path)
    assert code == 0, err
    row = out.decode().splitlines()[1]
    overall = ScoreBoard(checklist, assessment.responses).overall.score
    assert overall is not None and f"{overall:.1f}" == "43.8" and " 43.8% " in row, row
