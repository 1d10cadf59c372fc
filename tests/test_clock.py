"""One clock: every time decalogue records comes from `decalogue.clock`, set once by a test."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from decalogue import reports
from decalogue.model.assessment import Answer, new_assessment
from decalogue.model.scoring import ScoreBoard
from decalogue.storage.workspace import Workspace
from tests.samples import small_checklist

SET = datetime(2031, 7, 4, 12, 0, tzinfo=timezone.utc)
PACKAGE = Path(__file__).resolve().parent.parent / "decalogue"

#: Compared with a file's modification time, which the system clock writes.
WALL_CLOCK = {"storage/presence.py:time.time"}


def test_a_set_clock_is_the_time_of_every_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("decalogue.clock.now", lambda: SET)
    checklist = small_checklist()
    assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    assessment.apply("A-01", "answer", Answer(level=1), "Ana")
    assert assessment.created == assessment.updated == SET
    assert assessment.history[-1].at == SET
    board = ScoreBoard(checklist, assessment.responses)
    scorecard = reports.render("json", checklist, assessment, board)
    assert '"generated_at": "2031-07-04T12:00:00Z"' in scorecard
    workspace = Workspace(tmp_path)
    stored = workspace.create(assessment)
    assert workspace.delete(stored.path).name.endswith(".20310704T120000Z.json")


def test_no_module_reads_the_time_but_the_clock() -> None:
    """Times recorded or shown come from the clock; spans (`time.monotonic`) may be direct."""
    reading = re.compile(
        r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time|time\.gmtime|time\.localtime)\b"
    )
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in [reading.search(line)]
        if match and f"{path.relative_to(PACKAGE)}:{match.group(1)}" not in WALL_CLOCK
    ]
    assert found == [], f"read the time through decalogue.clock: {found}"
