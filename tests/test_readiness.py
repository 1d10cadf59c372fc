"""The readiness check, the status and confirming carried answers: core and command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from decalogue.errors import DecalogueError
from decalogue.model.assessment import Answer, Evidence, carry_forward
from decalogue.model.checklist import Checklist
from decalogue.model.readiness import readiness
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.helpers import run

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini-checklist.toml"


@pytest.fixture(scope="module")
def mini() -> Checklist:
    return load_checklist(MINI)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "XX-2025.json"
    shutil.copyfile(FIXTURES / "assessment-v2.json", target)
    return target


def test_every_kind_of_open_point_is_found(path: Path, mini: Checklist) -> None:
    check = readiness(mini, store.read(path).assessment)
    found = {point.key: point.items for point in check.points}
    assert found == {
        "unanswered": ("B-02",),
        "carried": (),
        "flagged": ("B-01",),
        "no_evidence": ("A-01", "B-01"),  # A-02 has its evidence; A-03 is N/A with a reason
        "no_target": ("B-01",),  # A-01 is at the top level: nothing left to aim for
    }
    assert not check.ready
    assert check.summary().startswith("not ready for final: 1 item unanswered; ")


def fix_everything(path: Path) -> None:
    session = Session.open(path, MINI, user="Ana Example")
    session.set_answer("B-02", Answer(level=4))
    session.set_field("B-01", "flagged", False)
    session.set_field("B-01", "target", 3)
    for item in ("A-01", "B-01", "B-02"):
        session.set_field(item, "evidence", [Evidence(description="Example decree no. 7")])
    assert session.readiness().ready
    session.save()


def test_check_exits_3_while_anything_blocks_and_0_when_ready(path: Path) -> None:
    blocked = run("check", path, "--checklist", MINI, cwd=path.parent)
    assert blocked.returncode == 3, blocked.stderr
    assert "not ready for final" in blocked.stdout
    assert "1 item flagged for review: B-01" in blocked.stdout
    assert "2 items answered with a level but without evidence: A-01, B-01" in blocked.stdout
    fix_everything(path)
    ready = run("check", path, "--checklist", MINI, cwd=path.parent)
    assert ready.returncode == 0, ready.stdout
    assert "ready for final: nothing stands in the way" in ready.stdout
    unreadable = run("check", path.parent / "missing.json", "--checklist", MINI, cwd=path.parent)
    assert unreadable.returncode == 1


def test_final_needs_the_check_to_pass_or_force(path: Path) -> None:
    before = path.read_bytes()
    refused = run("status", path, "final", "--checklist", MINI, cwd=path.parent)
    assert refused.returncode == 3
    assert "not marked final; nothing changed" in refused.stderr
    assert path.read_bytes() == before
    moved = run(
        "status", path, "review", "--by", "Head of Unit", "--checklist", MINI, cwd=path.parent
    )
    assert moved.returncode == 0, moved.stderr
    assert "In review (since " in moved.stdout and "by Head of Unit)" in moved.stdout
    forced = run("status", path, "final", "--force", "--checklist", MINI, cwd=path.parent)
    assert forced.returncode == 0, forced.stderr
    assert "marked final with --force" in forced.stderr
    saved = json.loads(path.read_text())
    assert saved["status"] == "final"
    moves = [(c["old"], c["new"], c["by"]) for c in saved["history"] if c["field"] == "status"]
    assert [m[:2] for m in moves] == [("draft", "review"), ("review", "final")]
    assert moves[0][2] == "Head of Unit"


def test_a_ready_assessment_becomes_final_without_force(path: Path) -> None:
    fix_everything(path)
    done = run("status", path, "final", "--checklist", MINI, cwd=path.parent)
    assert done.returncode == 0, done.stderr
    assert json.loads(path.read_text())["status"] == "final"


def test_carried_answers_block_final_until_confirmed(path: Path, mini: Checklist) -> None:
    fix_everything(path)
    carried = carry_forward(store.read(path).assessment, mini, None, by="Ana Example")
    new = store.create(path.parent / "XX-2026.json", carried).path
    check = run("check", new, "--checklist", MINI, cwd=path.parent)
    assert check.returncode == 3
    assert "5 items carried forward from 2025, not yet confirmed" in check.stdout
    confirm = run("confirm", new, "A-01", "a-02", "--checklist", MINI, cwd=path.parent)
    assert confirm.returncode == 0, confirm.stderr
    assert "3 carried answers left to review" in confirm.stdout
    run("confirm", new, "A-03", "B-01", "B-02", "--checklist", MINI, cwd=path.parent)
    assert run("check", new, "--checklist", MINI, cwd=path.parent).returncode == 0


def test_a_final_assessment_is_not_changed_until_it_is_moved_back_to_review(path: Path) -> None:
    """The figures a final report showed stay those of the file; changing them is a choice."""
    forced = run("status", path, "final", "--force", "--checklist", MINI, cwd=path.parent)
    assert forced.returncode == 0, forced.stderr
    before = path.read_bytes()
    command = [sys.executable, "-m", "decalogue", "fill", str(path), "--item", "B-02"]
    filled = subprocess.run(
        [*command, "--checklist", str(MINI)],
        input="e\nA note typed for nothing\n.\n2\nq\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert "is final" in filled.stdout and "decalogue status" in filled.stdout, filled.stdout
    assert "Type the note" not in filled.stdout  # refused before the note is asked for
    session = Session.open(path, MINI, user="Ana Example")
    with pytest.raises(DecalogueError, match="is final"):
        session.set_answer("B-02", Answer(level=2))
    with pytest.raises(DecalogueError, match="is final"):
        session.confirm("A-01")
    assert not session.dirty
    assert path.read_bytes() == before
    session.set_status("review")
    session.set_answer("B-02", Answer(level=2))
    session.save()
    assert store.read(path).assessment.responses["B-02"].level == 2


def test_answers_unsaved_when_a_colleague_marks_the_file_final_do_not_land_under_final(
    path: Path,
) -> None:
    """The colleague's check passed without them; saved after, they would change the
    figures of a final report unseen. They become conflicts: theirs (final) is kept."""
    mine = Session.open(path, MINI, user="Ana Example")
    mine.set_answer("A-02", Answer(level=1))  # typed, not saved yet
    theirs = Session.open(path, MINI, user="Head of Unit")
    theirs.set_status("final", force=True)
    theirs.save()
    result = mine.save()
    saved = store.read(path).assessment
    assert saved.status == "final"
    assert saved.responses["A-02"].level == store.read(path).assessment.responses["A-02"].level
    assert saved.responses["A-02"].level != 1
    assert [(c.item_id, c.field) for c in result.conflicts] == [("A-02", "answer")]
    assert any(
        c.item == "A-02" and (c.remark or "").startswith("conflict with Head of Unit")
        for c in saved.history
    )


def test_a_new_answer_unsaved_when_the_file_was_marked_final_is_set_aside_too(path: Path) -> None:
    mine = Session.open(path, MINI, user="Ana Example")
    mine.set_answer("B-02", Answer(level=3))  # an item nobody had answered
    theirs = Session.open(path, MINI, user="Head of Unit")
    theirs.set_status("final", force=True)
    theirs.save()
    assert [c.item_id for c in mine.save().conflicts] == ["B-02"]
    assert "B-02" not in store.read(path).assessment.responses
    assert not mine.board.items["B-02"].answered  # the window shows what the file holds
