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
