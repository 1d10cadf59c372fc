"""A team on one assessment (issue 12): live changes, undo, identity, presence, recovery,
symbolic links, a history that stays small. Real files, real processes where the claim
is about processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from decalogue.errors import AssessmentError
from decalogue.model.assessment import Answer, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.session import Session
from decalogue.storage import assessment_file, store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.profile import current_identity, profile_path, save_profile_name

FIXTURES = Path(__file__).parent / "fixtures"

#: The size README promises for 10,000 edits of one note (see "Your data is safe").
TEN_THOUSAND_EDITS_LIMIT = 4_000_000


@pytest.fixture(scope="module")
def bundled() -> Checklist:
    return load_checklist(None)


@pytest.fixture
def path(tmp_path: Path, bundled: Checklist) -> Path:
    target = tmp_path / "XX-2025.json"
    store.create(target, new_assessment(bundled, "XX", "2025", country_name="Exampleland"))
    return target


def decalogue(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


# --------------------------------------------------------------------------- live


def test_refresh_takes_in_a_cli_import_in_one_call_and_says_who(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(path, user="Window")
    session.set_field("LF-03", "notes", "typed in the window, not saved yet")
    assert session.refresh() == []  # nothing changed on disk
    edited = path.parent / "edited.csv"
    edited.write_text("item_id,level,notes\nLF-01,3,from the spreadsheet\n", encoding="utf-8")
    result = decalogue(
        "--user", "Focal Point", "import", path.name, "--csv", "edited.csv", cwd=path.parent
    )
    assert result.returncode == 0, result.stderr
    changes = session.refresh()
    assert {(c.item, c.field, c.by) for c in changes} == {
        ("LF-01", "answer", "Focal Point"),
        ("LF-01", "notes", "Focal Point"),
    }
    assert session.assessment.responses["LF-01"].level == 3
    assert session.board.items["LF-01"].answered
    assert session.dirty  # my unsaved note is still mine to save
    assert session.save().saved
    saved = store.read(path).assessment.responses
    assert saved["LF-01"].level == 3
    assert saved["LF-03"].notes == "typed in the window, not saved yet"


def test_refresh_does_not_read_an_unchanged_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(path)

    def no_reading(*_: object) -> bytes:
        raise AssertionError("refresh read a file that had not changed")

    monkeypatch.setattr(session.place, "read", no_reading)
    for _ in range(3):
        assert session.refresh() == []


def test_a_broken_file_is_reported_by_refresh_once(path: Path) -> None:
    session = Session.open(path)
    path.write_text("{ half a file", encoding="utf-8")
    with pytest.raises(AssessmentError, match="JSON syntax"):
        session.refresh()
    assert session.refresh() == []  # said once; the window keeps working


# --------------------------------------------------------------------------- undo


def test_undo_restores_a_cleared_answer_and_redo_clears_it_again(path: Path) -> None:
    session = Session.open(path, user="Me")
    session.set_answer("LF-01", Answer(level=3))
    session.set_field("LF-01", "notes", "why 3")
    assert session.save().saved
    session.set_answer("LF-01", Answer())  # Backspace
    assert not session.board.items["LF-01"].answered
    change = session.undo()
    assert change is not None and change.remark == "undo"
    assert session.assessment.responses["LF-01"].level == 3
    assert session.board.items["LF-01"].answered
    session.save()
    assert store.read(path).assessment.responses["LF-01"].level == 3
    assert session.redo() is not None
    assert session.assessment.responses["LF-01"].level is None
    assert session.undo() is not None and session.undo() is not None  # the answer, the note
    assert session.assessment.responses["LF-01"].notes == ""


def test_undo_never_takes_back_a_colleagues_change(path: Path) -> None:
    mine = Session.open(path, user="Me")
    mine.set_answer("LF-01", Answer(level=1))
    mine.set_answer("LF-02", Answer(level=2))
    mine.save()
    theirs = Session.open(path, user="Colleague")
    theirs.set_answer("LF-02", Answer(level=4))
    theirs.save()
    mine.refresh()
    change = mine.undo()  # LF-02 is now the colleague's: the undo goes to LF-01
    assert change is not None and change.item == "LF-01"
    assert mine.assessment.responses["LF-02"].level == 4


# --------------------------------------------------------------------------- conflicts


def test_keeping_theirs_records_the_choice(path: Path) -> None:
    mine, theirs = Session.open(path, user="Me"), Session.open(path, user="Colleague")
    theirs.set_field("LF-01", "finding", "their finding")
    theirs.save()
    mine.set_field("LF-01", "finding", "my finding")
    changes = mine.refresh()  # the conflict shows up before my save
    assert [(c.item, c.remark) for c in changes] == [("LF-01", "conflict")]
    assert mine.assessment.responses["LF-01"].finding == "their finding"
    [conflict] = mine.conflicts
    assert (conflict.mine, conflict.theirs) == ("my finding", "their finding")
    change = mine.resolve("LF-01", "finding", "theirs")
    assert change is not None and change.remark == "conflict resolved: kept Colleague's value"
    assert mine.conflicts == [] and mine.save().saved
    saved = store.read(path).assessment
    assert saved.responses["LF-01"].finding == "their finding"
    findings = [c for c in saved.history if c.field == "finding"]
    assert "my finding" in {c.new for c in findings}  # set aside, never dropped


def test_a_conflict_left_open_by_a_closed_window_waits_for_whoever_opens_it_next(
    path: Path,
) -> None:
    """A group member's phone reloaded with a conflict open: the reloaded page said
    "saved", `C` found nothing, and the member's note was only in the history."""
    laptop, phone = Session.open(path, user="Group A"), Session.open(path, user="Group A")
    laptop.set_field("LF-13", "notes", "Laptop: a compensation fund exists since 2020")
    laptop.set_field("LF-02", "answer", Answer(level=3))
    laptop.save()
    phone.set_field("LF-13", "notes", "Phone: no compensation was paid in 2024")
    phone.set_field("LF-02", "answer", Answer(na_reason="no shelters in Exampleland"))
    phone.set_field("LF-03", "finding", "settled later")
    phone.save()  # both set aside, theirs kept: then the tab closes, nobody chose
    assert len(phone.conflicts) == 2
    phone.close()

    again = Session.open(path, user="Group A")
    waiting = {(c.item_id, c.field): c for c in again.conflicts}
    assert set(waiting) == {("LF-13", "notes"), ("LF-02", "answer")}
    note = waiting["LF-13", "notes"]
    assert note.mine == "Phone: no compensation was paid in 2024"
    assert note.theirs == "Laptop: a compensation fund exists since 2020"
    assert (note.their_by, note.mine_by) == ("Group A", "Group A") and note.mine_at is not None
    assert waiting["LF-02", "answer"].mine == Answer(na_reason="no shelters in Exampleland")
    assert again.resolve("LF-13", "notes", "mine") is not None
    again.save()
    assert store.read(path).assessment.responses["LF-13"].notes.startswith("Phone:")
    # Chosen once, it waits no more; an edit of the field settles the other one too.
    later = Session.open(path, user="Someone")
    assert [(c.item_id, c.field) for c in later.conflicts] == [("LF-02", "answer")]
    later.set_field("LF-02", "answer", Answer(level=2))
    later.save()
    assert Session.open(path, user="Someone").conflicts == []


# --------------------------------------------------------------------------- files


def test_a_symlinked_assessment_is_saved_through_to_its_target(tmp_path: Path, path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "XX-2025.json"
    path.rename(target)
    link = tmp_path / "mine.json"
    link.symlink_to(target)
    session = Session.open(link, user="Me")
    session.set_answer("LF-01", Answer(level=2))
    assert session.save().saved
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert store.read(target).assessment.responses["LF-01"].level == 2
    assert store.backup_path(target).exists() and not store.backup_path(link).exists()
    session.set_answer("LF-01", Answer(level=3))
    assert session.save().saved  # the second save, too, goes to the target
    assert link.is_symlink() and store.read(target).assessment.responses["LF-01"].level == 3


def test_a_checklist_of_another_id_is_refused_unless_forced(path: Path) -> None:
    mini = FIXTURES / "mini-checklist.toml"
    with pytest.raises(AssessmentError) as refused:
        Session.open(path, mini)
    message = str(refused.value)
    assert "\n" not in message and path.name in message and "--force" in message
    assert Session.open(path, mini, force=True).checklist.meta.id == "mini"
    before = path.read_bytes()
    args = ("export", path.name, "--format", "csv", "--checklist", str(mini))
    result = decalogue(*args, cwd=path.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "--force" in result.stderr
    assert decalogue(*args, "--force", cwd=path.parent).returncode == 0
    assert path.read_bytes() == before


def test_a_save_that_cannot_land_writes_a_recovery_copy(path: Path) -> None:
    session = Session.open(path, user="Me")
    session.set_answer("LF-01", Answer(level=4))
    before = path.read_bytes()
    lock = store.lock_path(path)
    lock.unlink(missing_ok=True)
    lock.mkdir()  # the save cannot take its lock: a disk-level failure
    outcome = session.save_or_recover()
    assert outcome.result is None and outcome.error is not None
    assert outcome.recovered is not None and outcome.recovered.parent == path.parent
    assert outcome.recovered.name.startswith("XX-2025-recovered-")
    assert path.read_bytes() == before
    assert store.read(outcome.recovered).assessment.responses["LF-01"].level == 4
    assert session.state.error is not None and session.dirty
    assert Session.open(path).recoveries() == [outcome.recovered]  # the next start finds it


def test_recovery_copies_in_the_data_folder_are_those_of_this_file_only(
    path: Path, bundled: Checklist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "recovered"
    monkeypatch.setenv("DECALOGUE_RECOVERY", str(folder))
    assert Session.open(path).recoveries() == []  # none yet (and none made up)
    folder.mkdir()
    mine = folder / "XX-2025-recovered-20261127-1000.json"
    mine.write_bytes(path.read_bytes())  # the same assessment (its id)
    other = new_assessment(bundled, "XX", "2025", country_name="Exampleland")
    theirs = folder / "XX-2025-recovered-20261127-1100.json"
    store.create(theirs, other)  # another assessment that happens to share the name
    assert Session.open(path).recoveries() == [mine]


# --------------------------------------------------------------------------- history size


def test_ten_thousand_note_edits_stay_small_and_replay_exactly(path: Path) -> None:
    session = Session.open(path, user="Typist")
    text = ""
    for n in range(10_000):
        text = f"{text} word{n}" if n % 10 else f"{text}\nParagraph {n}."
        session.set_field("LF-01", "notes", text)
    assert session.save().saved
    size = path.stat().st_size
    print(f"\n10,000 note edits ({len(text):,} characters at the end): {size:,} bytes")
    assert size < TEN_THOUSAND_EDITS_LIMIT
    # Nothing is lost: replaying the edits gives every version, ending with the note.
    replayed = ""
    for change in store.read(path).assessment.history:
        if change.item == "LF-01" and change.field == "notes":
            replayed = change.edit.apply(replayed) if change.edit else str(change.new)
    assert replayed == text


def test_a_file_near_the_limit_warns_then_trims_its_oldest_history(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 400_000
    for module in (
        "decalogue.session.keeping",
        "decalogue.storage.store",
        "decalogue.storage.assessment_file",
    ):
        monkeypatch.setattr(f"{module}.MAX_ASSESSMENT_BYTES", limit)
    assert limit == assessment_file.MAX_ASSESSMENT_BYTES
    session = Session.open(path, user="Me")
    warned = None
    for n in range(4_000):
        session.set_field("LF-01", "flagged", n % 2 == 0)
        if n % 250 == 0:
            result = session.save()  # never refused for its size
            warned = warned or result.warning
    assert session.save().saved or not session.dirty
    assert warned is not None and "limit" in warned
    assert path.stat().st_size < limit * 0.75
    history = store.read(path).assessment.history
    assert history[0].field == "history" and history[0].remark.startswith("history trimmed")
    assert history[-1].field == "flagged"  # the newest entries stay


# --------------------------------------------------------------------------- identity


def test_the_name_comes_from_user_then_environment_then_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DECALOGUE_USER", raising=False)
    assert not profile_path().exists()
    assert current_identity(None).name is None  # the workbench asks
    save_profile_name("  A. Official\x1b[31m ")
    assert current_identity(None).name == "A. Official [31m"
    monkeypatch.setenv("DECALOGUE_USER", "From Env")
    assert current_identity(None).name == "From Env"
    assert current_identity("Given").name == "Given"
    assert current_identity("Given").account
    profile_path().unlink()


def test_the_cli_records_the_name_and_the_account(path: Path) -> None:
    edited = path.parent / "edited.csv"
    edited.write_text("item_id,level\nLF-01,2\n", encoding="utf-8")
    env_user = {**os.environ, "DECALOGUE_USER": "Env Person"}
    result = subprocess.run(
        [sys.executable, "-m", "decalogue", "import", path.name, "--csv", "edited.csv"],
        capture_output=True,
        text=True,
        cwd=path.parent,
        env=env_user,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    last = json.loads(path.read_bytes())["history"][-1]
    assert last["by"] == "Env Person"
    assert last["account"] == current_identity(None).account


# --------------------------------------------------------------------------- presence

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from decalogue.session import Session
    session = Session.open(Path(sys.argv[1]), user="Other Window")
    session.announce()
    print("ready", flush=True)
    sys.stdin.readline()
    session.close()
    """
)


def test_another_window_with_the_file_open_is_named_until_it_goes(path: Path) -> None:
    mine = Session.open(path, user="Me")
    mine.announce()
    assert mine.others_editing() == []
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        [other] = mine.others_editing()
        assert (other.name, other.pid) == ("Other Window", holder.pid)
        assert other.since.tzinfo is not None
    finally:
        holder.send_signal(signal.SIGKILL)  # gone without closing: its file stays behind
        holder.wait(timeout=10)
    assert mine.others_editing() == []  # a dead process's file is ignored and removed
    assert [p.name for p in path.parent.glob(".XX-2025.json.open-*")] != []  # mine
    mine.close()
    assert list(path.parent.glob(".XX-2025.json.open-*")) == []
