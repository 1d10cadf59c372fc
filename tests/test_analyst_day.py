"""What an analyst and an official ran into in a day with the command line.

Each test is a slip a user makes (an export's -o onto another assessment, a
control character pasted into a name) or a figure read without what it rests on
(last period's answers in `show` and `fill`). Fictional countries only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from decalogue.cli import main
from decalogue.model.assessment import Answer, carry_forward, new_assessment
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def two_periods(tmp_path: Path) -> tuple[Path, Path]:
    """Exampleland 2024 (two answers, final) and 2025 carried forward from it."""
    checklist = load_checklist()
    first, second = checklist.items[0].id, checklist.items[1].id
    older = new_assessment(checklist, "XX", "2024", country_name="Exampleland")
    older.apply(first, "answer", Answer(level=2), "A. Analyst")
    older.apply(second, "answer", Answer(level=4), "A. Analyst")
    older.set_status("final", "B. Minister")
    newer = carry_forward(older, checklist, "2025", "A. Analyst")
    folder = tmp_path / "ws"
    folder.mkdir()
    paths = folder / "XX-2024.json", folder / "XX-2025.json"
    store.create(paths[0], older)
    store.create(paths[1], newer)
    return paths


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_an_export_never_replaces_another_assessment(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    older, newer = two_periods
    before = older.read_bytes()
    code, _out, err = run(capsys, "export", newer, "--format", fmt, "-o", older)
    assert code == 1
    assert older.read_bytes() == before
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "XX-2024.json" in lines[0]
    assert "is an assessment" in lines[0]
    assert "choose another -o file" in lines[0]


def test_an_export_still_replaces_an_older_export(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, newer = two_periods
    target = tmp_path / "scorecard.json"
    assert run(capsys, "export", newer, "--format", "json", "-o", target)[0] == 0
    first = target.read_bytes()
    target.write_bytes(first.replace(b'"scorecard_version"', b'"scorecard_version" '))
    assert run(capsys, "export", newer, "--format", "json", "-o", target)[0] == 0
    assert b'"scorecard_version" ' not in target.read_bytes()
