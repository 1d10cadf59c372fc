"""The session: edits with live scores, thread-safe saving, conflicts, drift and migration."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from decalogue.errors import AssessmentError, ChecklistError, DecalogueError
from decalogue.model.assessment import Answer, Assessor, Evidence, new_assessment
from decalogue.model.checklist import Checklist, parse_checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mini() -> Checklist:
    return load_checklist(FIXTURES / "mini-checklist.toml")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "XX-2025.json"
    shutil.copyfile(FIXTURES / "assessment-v2.json", target)
    return target


def on_disk(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_edits_refresh_scores_record_history_and_make_the_session_dirty(
    path: Path, mini: Checklist
) -> None:
    session = Session.open(path, mini, user="Editor")
    assert not session.dirty and not session.drift and session.orphaned == []
    before = session.board.overall.score
    change = session.set_answer("B-02", Answer(level=4))
    assert change is not None and (change.old, change.new, change.by) == (None, 4, "Editor")
    assert session.dirty
    assert session.board.overall.score != before
    fresh = ScoreBoard(mini, session.assessment.responses)
    assert session.board.overall == fresh.overall
    assert session.set_answer("B-02", Answer(level=4)) is None  # no change, no history entry
    session.set_field("B-02", "target", 4)
    session.set_field("B-02", "evidence", [{"description": "Decree 7"}])
    assert session.assessment.responses["B-02"].evidence == [Evidence(description="Decree 7")]
    assert [c.field for c in session.assessment.history[-3:]] == ["answer", "target", "evidence"]


def test_save_writes_once_and_is_a_no_op_when_clean(path: Path, mini: Checklist) -> None:
    session = Session.open(path, mini)
    before = path.stat().st_mtime_ns
    assert session.save().saved is False
    assert path.stat().st_mtime_ns == before
    session.set_answer("B-02", Answer(na_reason="Not relevant in Exampleland."))
    assert session.save().saved is True
    assert not session.dirty
    written = on_disk(path)["responses"]
    assert isinstance(written, dict) and written["B-02"]["not_applicable"] is True
    assert session.fingerprint == store.read(path).fingerprint
    assert session.save().saved is False


def test_invalid_edits_are_refused_with_one_line_and_change_nothing(
    path: Path, mini: Checklist
) -> None:
    session = Session.open(path, mini)
    with pytest.raises(DecalogueError, match=r"B-02: level 5 is not on the scale \(0-4\)"):
        session.set_answer("B-02", Answer(level=5))
    with pytest.raises(DecalogueError, match="N/A needs a reason"):
        session.set_answer("B-02", Answer(na_reason="  "))
    with pytest.raises(DecalogueError, match="no such item"):
        session.set_answer("Q-99", Answer(level=1))
    with pytest.raises(DecalogueError, match="level 9 is not on the scale"):
        session.set_field("B-02", "target", 9)
    with pytest.raises(DecalogueError, match="cannot be edited"):
        session.set_field("B-02", "level", 2)
    with pytest.raises(DecalogueError, match="N/A or has a level"):
        session.set_answer("B-02", Answer(level=1, na_reason="both"))
    assert not session.dirty


def test_edits_made_while_a_save_is_writing_keep_the_session_dirty(
    path: Path, mini: Checklist, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(path, mini)
    session.set_answer("B-02", Answer(level=1))
    real_save = store.save_merged

    def slow_save(
        target: Path,
        expected: str | None,
        produce: Callable[[bytes | None], bytes],
        seen: store.Signature | None = None,
    ) -> store.Written:
        def typing(current: bytes | None) -> bytes:
            data = produce(current)
            # The user keeps typing while the worker thread writes.
            session.set_answer("A-01", Answer(level=0))
            return data

        return real_save(target, expected, typing, seen)

    monkeypatch.setattr(store, "save_merged", slow_save)
    worker = threading.Thread(target=session.save)
    worker.start()
    worker.join()
    monkeypatch.undo()
    responses = on_disk(path)["responses"]
    assert isinstance(responses, dict)
    assert responses["B-02"]["level"] == 1 and responses["A-01"]["level"] == 4
    assert session.dirty
    assert session.save().saved is True
    responses = on_disk(path)["responses"]
    assert isinstance(responses, dict) and responses["A-01"]["level"] == 0
    assert not session.dirty


def test_two_sessions_on_one_file_merge_item_by_item(path: Path, mini: Checklist) -> None:
    """Issue 12: a save merges; only the same field changed differently is a conflict."""
    mine = Session.open(path, mini, user="Me")
    theirs = Session.open(path, mini, user="Colleague")
    theirs.set_answer("B-02", Answer(level=2))
    theirs.set_field("A-02", "notes", "their note")
    assert theirs.save().saved
    mine.set_answer("A-01", Answer(level=1))
    result = mine.save()
    assert result.saved and result.conflicts == [] and mine.conflicts == []
    assert {(c.item, c.field, c.by) for c in result.merged} == {
        ("B-02", "answer", "Colleague"),
        ("A-02", "notes", "Colleague"),
    }
    saved = store.read(path).assessment
    assert (saved.responses["A-01"].level, saved.responses["B-02"].level) == (1, 2)
    assert saved.responses["A-02"].notes == "their note"
    assert mine.board.items["B-02"].score == 50.0  # their answer is scored here too
    # Now the same field, differently: a conflict on that field of that item only.
    theirs.set_answer("B-02", Answer(level=3))
    assert theirs.save().saved
    mine.set_answer("B-02", Answer(level=4))
    mine.set_field("B-01", "flagged", True)
    result = mine.save()
    assert result.saved
    [conflict] = result.conflicts
    assert (conflict.item_id, conflict.field, conflict.their_by) == ("B-02", "answer", "Colleague")
    assert (conflict.mine, conflict.theirs) == (Answer(level=4), Answer(level=3))
    assert mine.conflicts == [conflict] and mine.state.conflicts == 1
    saved = store.read(path).assessment
    assert saved.responses["B-02"].level == 3  # theirs on disk until someone chooses
    assert saved.responses["B-01"].flagged  # my other edit landed
    values = [(c.by, c.new) for c in saved.history if c.item == "B-02" and c.field == "answer"]
    assert ("Me", 4) in values and ("Colleague", 3) in values  # nothing dropped
    change = mine.resolve("B-02", "answer", "mine")
    assert change is not None and "conflict resolved" in change.remark
    assert mine.conflicts == [] and mine.save().saved
    assert store.read(path).assessment.responses["B-02"].level == 4
    assert [c.item for c in theirs.refresh()] == ["B-02"]
    assert theirs.assessment.responses["B-02"].level == 4


def test_a_second_process_changing_the_same_field_is_a_conflict_kept_in_the_history(
    path: Path, mini: Checklist
) -> None:
    session = Session.open(path, mini, user="Here")
    session.set_answer("B-02", Answer(level=3))
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from decalogue.model.assessment import Answer
        from decalogue.session import Session
        s = Session.open(
            Path({str(path)!r}), Path({str(FIXTURES / "mini-checklist.toml")!r}), "There"
        )
        s.set_answer("B-02", Answer(level=1))
        assert s.save().saved
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    result = session.save()
    assert [(c.item_id, c.field, c.their_by) for c in result.conflicts] == [
        ("B-02", "answer", "There")
    ]
    saved = store.read(path).assessment
    assert saved.responses["B-02"].level == 1
    entries = [c for c in saved.history if c.item == "B-02"]
    assert [(c.by, c.new) for c in entries[:2]] == [("There", 1), ("Here", 3)]
    assert entries[-1].remark.startswith("conflict with There")
    assert (entries[-1].old, entries[-1].new) == (1, 3)


def test_a_file_that_no_longer_parses_is_never_written_over(path: Path, mini: Checklist) -> None:
    session = Session.open(path, mini)
    session.set_answer("B-02", Answer(level=3))
    path.write_text('{"schema_version": 1, "id": ', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(AssessmentError, match=r"XX-2025\.json:1:29: JSON syntax"):
        session.save()
    assert path.read_bytes() == before
    assert session.state.error is not None and "JSON syntax" in session.state.error
    with pytest.raises(AssessmentError):
        session.reload()
    assert session.dirty  # nothing lost in memory


DRIFTED = """\
[meta]
id = "mini"
title = "Mini checklist"
version = "1.1"

[[scale.levels]]
value = 0
label = "Not in place"
[[scale.levels]]
value = 1
label = "Planned"
[[scale.levels]]
value = 2
label = "Partial"
[[scale.levels]]
value = 3
label = "Largely"
[[scale.levels]]
value = 4
label = "Full"

[[pillars]]
id = "A"
title = "Pillar A"

[[pillars.sections]]
id = "A1"
title = "Section A1"

[[pillars.sections.items]]
id = "A-01"
title = "Item A-01"
question = "Is A-01 in place, reworded?"

[[pillars.sections.items]]
id = "A-04"
title = "A new item"
question = "Is A-04 in place?"
"""


def test_drift_keeps_answers_of_removed_items_in_the_file_and_reports_them(
    path: Path, tmp_path: Path
) -> None:
    (tmp_path / "mini-1.1.toml").write_text(DRIFTED, encoding="utf-8")
    session = Session.open(path, tmp_path / "mini-1.1.toml", user="Editor")
    assert session.drift
    assert session.orphaned == ["A-02", "A-03", "B-01"]
    assert session.board.overall.total == 2
    assert session.board.overall.score == 100.0  # only A-01 (level 4) counts now
    assert not session.dirty
    assert (
        on_disk(path)["checklist"]
        == json.loads((FIXTURES / "assessment-v2.json").read_text())["checklist"]
    )  # opening changed nothing
    session.set_answer("A-04", Answer(level=2))
    session.save()
    saved = store.read(path).assessment
    assert set(saved.responses) >= {"A-01", "A-02", "A-03", "B-01", "A-04"}
    assert saved.responses["B-01"].notes == "Ask the ministry for figures."
    assert saved.checklist.version == "1.1"
    assert saved.checklist.hash == session.checklist.content_hash
    change = next(c for c in saved.history if c.field == "checklist")
    assert "1.0" in str(change.old) and "1.1" in str(change.new)
    assert not session.drift
    assert session.orphaned == ["A-02", "A-03", "B-01"]  # still kept, still reported


def test_parsed_checklists_work_too(path: Path) -> None:
    checklist = parse_checklist(DRIFTED, origin="drifted.toml")
    session = Session.from_stored(store.read(path), checklist)
    assert session.drift and "A-02" in session.orphaned


def test_a_level_outside_the_checklists_scale_is_reported_on_open(
    path: Path, tmp_path: Path
) -> None:
    narrow = DRIFTED.replace(
        '[[scale.levels]]\nvalue = 3\nlabel = "Largely"\n[[scale.levels]]\nvalue = 4\n'
        'label = "Full"\n',
        "",
    )
    (tmp_path / "narrow.toml").write_text(narrow, encoding="utf-8")
    with pytest.raises(AssessmentError, match=r"responses\.A-01\.level \(item A-01\): level 4"):
        Session.open(path, tmp_path / "narrow.toml")


def test_without_a_checklist_the_bundled_one_is_found_or_the_user_is_told(
    path: Path, tmp_path: Path
) -> None:
    with pytest.raises(
        ChecklistError, match=r"checklist mini 1\.0 is neither bundled nor registered.*--checklist"
    ):
        Session.open(path)
    bundled = load_checklist()
    created = store.create(
        tmp_path / "b.json",
        new_assessment(bundled, "XX", "2025", country_name="Exampleland"),
    )
    session = Session.open(created.path)
    assert session.checklist.meta.id == bundled.meta.id and not session.drift


def test_the_user_is_the_person_editing_not_the_first_assessor(
    path: Path, mini: Checklist, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    monkeypatch.delenv("DECALOGUE_USER", raising=False)
    session = Session.open(path, mini)
    assert session.assessment.assessors[0].name == "Example Assessor"
    assert (session.user, session.account) == ("login-name", "login-name")
    monkeypatch.setenv("DECALOGUE_USER", "From Env")
    assert Session.open(path, mini).user == "From Env"
    stored = store.read(path)
    stored.assessment.assessors = [Assessor(name="Someone")]
    session = Session.from_stored(stored, mini, user="Given")
    assert (session.user, session.account) == ("Given", "login-name")
    change = session.set_answer("B-02", Answer(level=1))
    assert change is not None and (change.by, change.account) == ("Given", "login-name")


def test_an_older_file_is_upgraded_in_memory_and_rewritten_only_on_save(
    tmp_path: Path, mini: Checklist
) -> None:
    path = tmp_path / "old.json"
    shutil.copyfile(FIXTURES / "assessment-v0.json", path)
    original = path.read_bytes()
    session = Session.open(path, mini)
    assessment = session.assessment
    assert (assessment.country.code, assessment.country.name) == ("XX", "Exampleland")
    assert assessment.responses["A-03"].not_applicable
    assert assessment.responses["A-01"].level == 3
    assert path.read_bytes() == original  # opening never writes
    session.set_answer("A-02", Answer(level=1))
    session.save()
    assert on_disk(path)["schema_version"] == 2
    assert store.backup_path(path).read_bytes() == original
    upgraded = store.read(path).assessment
    assert [(c.field, c.old, c.new) for c in upgraded.history[:1]] == [("schema_version", 0, 2)]
