"""Scorecards, the format sent onward, read by the commands that only read.

Fictional countries (user-assigned codes) with made-up levels.
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


def run(capsysbinary: pytest.CaptureFixture[bytes], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsysbinary.readouterr()
    return code, captured.out.decode(), captured.err.decode()


@pytest.fixture
def secretariat(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> Path:
    """Three States' assessment files, and their scorecards in a folder of their own."""
    checklist = load_checklist()
    files = tmp_path / "files"
    cards = tmp_path / "cards"
    files.mkdir()
    cards.mkdir()
    for index, (code, name) in enumerate([("XA", "Aland"), ("XB", "Bland"), ("XC", "Cland")]):
        assessment = new_assessment(checklist, code, "2025", country_name=name)
        for item in checklist.items[: 10 + 5 * index]:
            assessment.apply(item.id, "answer", Answer(level=(index + len(item.id)) % 5), "t")
        assessment.apply(checklist.items[0].id, "flagged", True, "t")
        path = files / f"{code}-2025.json"
        store.create(path, assessment)
        code_, _, err = run(capsysbinary, "export", path, "-o", cards / f"{code}-scorecard.json")
        assert code_ == 0, err
    return tmp_path


def test_matrix_of_scorecards_equals_matrix_of_the_files(
    secretariat: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    results = []
    for folder in ("files", "cards"):
        code, out, err = run(capsysbinary, "matrix", secretariat / folder, "--format", "csv")
        assert code == 0, err
        results.append(
            [{k: v for k, v in r.items() if k != "file"} for r in csv.DictReader(io.StringIO(out))]
        )
    assert results[0] == results[1]
    assert len(results[0]) == 3


def test_compare_trend_list_and_validate_read_scorecards(
    secretariat: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    cards = secretariat / "cards"
    files = secretariat / "files"
    code, out, err = run(
        capsysbinary,
        "compare",
        files / "XA-2025.json",
        cards / "XB-scorecard.json",
        "--format",
        "json",
    )
    assert code == 0, err
    assert len(json.loads(out)["assessments"]) == 2
    code, out, err = run(capsysbinary, "trend", cards / "XA-scorecard.json", "--format", "json")
    assert code == 0, err

    code, out, err = run(capsysbinary, "list", "--workspace", cards, "--format", "json")
    assert code == 0, err
    entries = json.loads(out)["assessments"]
    assert [e["kind"] for e in entries] == ["scorecard"] * 3
    assert [e["country_code"] for e in entries] == ["XA", "XB", "XC"]
    assert all(e["error"] is None and e["overall"] is not None for e in entries)

    code, out, err = run(capsysbinary, "validate", cards / "XB-scorecard.json")
    assert code == 0, err
    assert "ok, scorecard XB 2025: 15/" in out


def test_a_scorecard_is_never_written_to(
    secretariat: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    card = secretariat / "cards" / "XA-scorecard.json"
    before = card.read_bytes()
    edited = secretariat / "edited.csv"
    code, _, err = run(capsysbinary, "export", secretariat / "files" / "XA-2025.json", "-o", edited)
    assert code == 0, err
    code, _, err = run(capsysbinary, "import", card, "--csv", edited, "--force")
    assert code == 1
    assert "a scorecard (an export, read-only)" in err and "Traceback" not in err
    assert card.read_bytes() == before
