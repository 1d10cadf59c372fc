"""The store: atomic saves, backups, permissions, conflicts, the workspace, new files."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from decalogue.errors import AssessmentError, DecalogueError
from decalogue.model.assessment import (
    Answer,
    Assessment,
    Evidence,
    carry_forward,
    checklist_ref,
    new_assessment,
)
from decalogue.model.checklist import Checklist
from decalogue.model.periods import next_period
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.checklists import Checklists, load_checklist
from decalogue.storage.place import FilePlace
from decalogue.storage.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
POSIX = os.name == "posix"


@pytest.fixture(scope="module")
def mini() -> Checklist:
    return load_checklist(FIXTURES / "mini-checklist.toml")


@pytest.fixture
def saved(tmp_path: Path) -> store.Stored:
    path = tmp_path / "XX-2025.json"
    shutil.copyfile(FIXTURES / "assessment-v2.json", path)
    return store.read(path)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def edited(assessment: Assessment, item: str = "B-02", value: int = 3) -> Assessment:
    copy = assessment.model_copy(deep=True)
    copy.apply(item, "answer", Answer(level=value), "tester")
    return copy


# --------------------------------------------------------------------------- saving


def test_save_writes_atomically_keeps_a_backup_and_returns_the_fingerprint(
    saved: store.Stored,
) -> None:
    before = saved.path.read_bytes()
    new = store.save(saved.path, edited(saved.assessment), saved.fingerprint)
    assert new == sha(saved.path)
    assert store.backup_path(saved.path).read_bytes() == before
    assert store.read(saved.path).assessment.responses["B-02"].level == 3
    assert leftovers(saved.path.parent) == []


def test_a_save_removes_the_temp_files_its_file_left_and_no_other_files(
    saved: store.Stored,
) -> None:
    """A killed save leaves a temp file: the next save of that file removes it, never one
    of another file's save that may be under way (even one whose name begins alike)."""
    folder, name = saved.path.parent, saved.path.name
    crashed = folder / f".{name}.k1ll3d.tmp"
    others = [folder / ".YY-2025.json.abcd.tmp", folder / f".{name}2.abcd.tmp"]
    for path in (crashed, *others):
        path.write_bytes(b"{")
    store.save(saved.path, edited(saved.assessment), saved.fingerprint)
    assert not crashed.exists()
    assert leftovers(folder) == sorted(path.name for path in others)


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_files_and_backups_are_readable_only_by_their_owner(
    tmp_path: Path, mini: Checklist
) -> None:
    assessment = new_assessment(mini, "XX", "2025", country_name="Exampleland")
    stored = store.create(tmp_path / "a.json", assessment)
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600
    store.save(stored.path, edited(assessment), stored.fingerprint)
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.backup_path(stored.path).stat().st_mode) == 0o600


FAILURES = [
    (os, "replace", errno.ENOSPC, "the disk is full"),
    (os, "fsync", errno.ENOSPC, "the disk is full"),
    (os, "fsync", errno.EDQUOT, "the disk quota is exceeded"),
    (tempfile, "mkstemp", errno.EROFS, "the folder is on a read-only file system"),
    (tempfile, "mkstemp", errno.EACCES, "permission denied"),
]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda f: f"{f[1]}-{errno.errorcode[f[2]]}")
def test_a_save_that_fails_midway_leaves_the_old_file_intact(
    saved: store.Stored, monkeypatch: pytest.MonkeyPatch, failure: tuple[object, str, int, str]
) -> None:
    module, name, code, says = failure
    before = saved.path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(module, name, fail)
    with pytest.raises(store.SaveError) as caught:
        store.save(saved.path, edited(saved.assessment), saved.fingerprint)
    monkeypatch.undo()
    message = str(caught.value)
    assert f"XX-2025.json: not saved: {says}" in message
    assert "file on disk is unchanged" in message and "\n" not in message
    assert saved.path.read_bytes() == before
    assert leftovers(saved.path.parent) == []


@pytest.mark.skipif(not POSIX or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_a_read_only_folder_gives_a_save_error_naming_the_file(saved: store.Stored) -> None:
    before = saved.path.read_bytes()
    folder = saved.path.parent
    (folder / f".{saved.path.name}.lock").touch()
    folder.chmod(0o500)
    try:
        with pytest.raises(store.SaveError, match=r"XX-2025\.json: not saved: permission denied"):
            store.save(saved.path, edited(saved.assessment), saved.fingerprint)
    finally:
        folder.chmod(0o700)
    assert saved.path.read_bytes() == before


def test_create_never_overwrites_an_existing_file(saved: store.Stored) -> None:
    before = saved.path.read_bytes()
    with pytest.raises(store.ConflictError, match="already exists"):
        store.create(saved.path, saved.assessment)
    assert saved.path.read_bytes() == before


def test_a_stale_fingerprint_is_a_conflict_and_nothing_is_written(saved: store.Stored) -> None:
    first = store.save(saved.path, edited(saved.assessment, "B-02", 1), saved.fingerprint)
    theirs = saved.path.read_bytes()
    with pytest.raises(store.ConflictError, match="changed on disk since it was opened"):
        store.save(saved.path, edited(saved.assessment, "B-02", 4), saved.fingerprint)
    assert saved.path.read_bytes() == theirs
    assert sha(saved.path) == first


def test_a_second_process_saving_the_file_makes_our_save_a_conflict(
    saved: store.Stored,
) -> None:
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from decalogue.storage import store
        from decalogue.model.assessment import Answer
        stored = store.read(Path({str(saved.path)!r}))
        stored.assessment.apply("B-02", "answer", Answer(level=1), "other process")
        store.save(stored.path, stored.assessment, stored.fingerprint)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
    theirs = saved.path.read_bytes()
    with pytest.raises(store.ConflictError):
        store.save(saved.path, edited(saved.assessment), saved.fingerprint)
    assert saved.path.read_bytes() == theirs
    assert store.read(saved.path).assessment.responses["B-02"].changed_by == "other process"


def test_a_place_reads_its_file_again_to_save_only_when_something_changed_it(
    saved: store.Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = FilePlace(saved.path)
    loaded = place.read()
    read_again: list[Path] = []
    real = store._current_bytes

    def reading(path: Path) -> bytes | None:
        read_again.append(path)
        return real(path)

    monkeypatch.setattr(store, "_current_bytes", reading)
    ours = dumps(edited(loaded.assessment, "B-02", 1))
    first = place.save_merged(loaded.fingerprint, lambda theirs: ours)
    assert read_again == []  # its own version since it was read: not read and hashed again
    assert saved.path.read_bytes() == ours and store.backup_path(saved.path).exists()
    # Later, another program rewrites the file in place (the same inode), at the same size
    # (later: file times have a grain of a few milliseconds on some kernels).
    time.sleep(0.02)
    other = ours.replace(b'"tester"', b'"editor"')
    assert len(other) == len(ours)
    with saved.path.open("r+b") as handle:
        handle.write(other)
    offered: list[bytes | None] = []

    def merging(theirs: bytes | None) -> bytes:
        offered.append(theirs)
        return ours

    place.save_merged(first.fingerprint, merging)
    assert read_again == [saved.path] and offered == [other]  # seen, and offered to merge


@pytest.mark.skipif(not POSIX, reason="fcntl locks")
def test_a_save_waits_for_another_process_holding_the_lock_then_gives_up(
    saved: store.Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = store.lock_path(saved.path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\n"
            f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.3)
        before = saved.path.read_bytes()
        with pytest.raises(store.SaveError, match="another program is saving this file"):
            store.save(saved.path, edited(saved.assessment), saved.fingerprint)
        assert saved.path.read_bytes() == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait()
    store.save(saved.path, edited(saved.assessment), saved.fingerprint)  # released: it works


def test_an_unparseable_file_is_never_overwritten(tmp_path: Path, mini: Checklist) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b'{\n  "schema_version": 1,\n  "id": oops\n}\n')
    before = path.read_bytes()
    with pytest.raises(AssessmentError, match=r"broken\.json:3:9: JSON syntax"):
        store.read(path)
    assessment = new_assessment(mini, "XX", "2025", country_name="Exampleland")
    with pytest.raises(store.ConflictError):
        store.create(path, assessment)
    with pytest.raises(store.ConflictError):
        store.save(path, assessment, hashlib.sha256(b"what was loaded").hexdigest())
    assert path.read_bytes() == before


def test_a_file_deleted_while_open_is_written_again(saved: store.Stored) -> None:
    saved.path.unlink()
    store.save(saved.path, edited(saved.assessment), saved.fingerprint)
    assert store.read(saved.path).assessment.responses["B-02"].level == 3


# --------------------------------------------------------------------------- new, carry forward


def test_new_assessment_names_countries_and_checks_codes_and_periods(mini: Checklist) -> None:
    austria = new_assessment(mini, "at", "2024-2025", assessor="A. Person")
    assert (austria.country.code, austria.country.name) == ("AT", "Austria")
    assert austria.assessors[0].name == "A. Person"
    assert austria.checklist.hash == mini.content_hash
    with pytest.raises(DecalogueError, match="needs a name"):
        new_assessment(mini, "XX", "2025")
    with pytest.raises(DecalogueError, match="not an ISO 3166-1 alpha-2 code"):
        new_assessment(mini, "ZQ", "2025")
    with pytest.raises(DecalogueError, match="period '2025-2024'"):
        new_assessment(mini, "AT", "2025-2024")


def test_carry_forward_keeps_answers_and_evidence_and_marks_every_item_carried(
    saved: store.Stored, mini: Checklist
) -> None:
    previous = saved.assessment
    previous.apply("ZZ-99", "notes", "an item the checklist dropped", "tester")
    carried = carry_forward(previous, mini, None, by="Example Assessor")
    assert carried.period == next_period(previous.period) == "2026"
    assert carried.id != previous.id and carried.carried_from == previous.id
    assert "ZZ-99" not in carried.responses
    assert set(carried.responses) == {"A-01", "A-02", "A-03", "B-01"}
    assert all(response.carried for response in carried.responses.values())
    # The review flags are last period's own, not a mark of carrying: still told apart.
    assert {i: r.flagged for i, r in carried.responses.items()} == {
        i: previous.responses[i].flagged for i in carried.responses
    }
    assert carried.carried_from_period == "2025"
    a02 = carried.responses["A-02"]
    assert (a02.level, a02.target) == (2, 4)
    assert a02.evidence == [
        Evidence(description="Example law no. 1", link="https://example.invalid/law-1")
    ]
    assert carried.responses["A-03"].na_reason == previous.responses["A-03"].na_reason
    assert [(c.field, c.old, c.new) for c in carried.history] == [
        ("carried_forward", "2025", "2026")
    ]
    assert carried.title == "Exampleland 2026 (test fixture)"
    assert carry_forward(previous, mini, "2030", by="x").period == "2030"


# --------------------------------------------------------------------------- workspace


def test_workspace_resolves_the_option_else_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DECALOGUE_WORKSPACE", str(tmp_path / "from-env"))
    assert Workspace.resolve().root == tmp_path / "from-env"
    workspace = Workspace.resolve(tmp_path / "chosen" / "deep")
    assert workspace.root.is_dir()
    if POSIX:
        assert stat.S_IMODE(workspace.root.stat().st_mode) == 0o700
    (tmp_path / "file").write_text("x")
    with pytest.raises(DecalogueError, match="is a file, not a workspace folder"):
        Workspace.resolve(tmp_path / "file")


def test_workspace_names_new_files_safely_and_uniquely(tmp_path: Path, mini: Checklist) -> None:
    workspace = Workspace.resolve(tmp_path)
    first = workspace.create(new_assessment(mini, "AT", "2025"))
    second = workspace.create(new_assessment(mini, "AT", "2025"))
    ranged = workspace.create(new_assessment(mini, "AT", "2025-01-01/2025-06-30"))
    assert [first.path.name, second.path.name] == ["AT-2025.json", "AT-2025-2.json"]
    assert ranged.path.name == "AT-2025-01-01_2025-06-30.json"


def test_summaries_list_every_assessment_and_unreadable_files_with_their_error(
    tmp_path: Path, saved: store.Stored, mini: Checklist, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        Checklists, "find_or_none", lambda self, ref: mini if ref.id == "mini" else None
    )
    workspace = Workspace.resolve(tmp_path)
    store.save(saved.path, edited(saved.assessment), saved.fingerprint)  # leaves a .bak
    (tmp_path / "broken.json").write_bytes(b"\xff\xfe{}")
    workspace.delete(workspace.create(new_assessment(mini, "AT", "2020")).path)
    summaries = workspace.summaries()
    assert [s.path.name for s in summaries] == ["XX-2025.json", "broken.json"]
    good, bad = summaries
    assert (good.country_code, good.country_name, good.period) == ("XX", "Exampleland", "2025")
    assert (good.checklist_id, good.checklist_version) == ("mini", "1.0")
    assert (good.answered, good.total, good.flagged) == (5, 5, 1)
    assert good.coverage == 100.0
    assert good.overall == pytest.approx((2 * 62.5 + 1 * (25 + 75) / 2) / 3)
    assert good.error is None
    assert bad.error is not None and "broken.json:1:1: not valid UTF-8" in bad.error
    assert bad.overall is None


def test_delete_moves_file_and_backup_to_the_trash_and_restore_brings_them_back(
    tmp_path: Path, mini: Checklist
) -> None:
    workspace = Workspace.resolve(tmp_path)
    stored = workspace.create(new_assessment(mini, "AT", "2025"))
    store.save(stored.path, edited(stored.assessment), stored.fingerprint)
    content = stored.path.read_bytes()
    trashed = workspace.delete(stored.path)
    assert not stored.path.exists() and not store.backup_path(stored.path).exists()
    assert trashed.parent == tmp_path / ".trash" and store.backup_path(trashed).exists()
    assert workspace.trashed() == [trashed]
    assert workspace.summaries() == []
    restored = workspace.restore(trashed)
    assert restored == stored.path and restored.read_bytes() == content
    assert store.backup_path(restored).exists()
    assert workspace.trashed() == []


def test_the_resolver_finds_the_bundled_one_by_id(tmp_path: Path) -> None:
    bundled = load_checklist()
    ref = checklist_ref(bundled).model_copy(update={"version": "0.0.1", "hash": "x"})
    found = Checklists(tmp_path).find_or_none(ref)
    assert found is not None and found.meta.id == bundled.meta.id
    missing = ref.model_copy(update={"id": "no-such-checklist"})
    assert Checklists(tmp_path).find_or_none(missing) is None


def test_a_changed_or_confirmed_answer_is_no_longer_carried(
    saved: store.Stored, mini: Checklist
) -> None:
    carried = carry_forward(saved.assessment, mini, None, by="Example Assessor")
    assert carried.carried_items() == ["A-01", "A-02", "A-03", "B-01"]
    carried.apply("A-01", "answer", Answer(level=2), "Reviewer")  # changed: this period's own
    change = carried.apply("A-02", "carried", False, "Reviewer")  # confirmed as it was
    assert change is not None and (change.field, change.old, change.new) == ("carried", True, False)
    carried.apply("B-01", "notes", "a note is not a review of the level", "Reviewer")
    assert carried.carried_items() == ["A-03", "B-01"]
    assert carried.responses["A-02"].level == 2  # confirming keeps the answer


def test_status_moves_are_recorded_with_who_and_when(saved: store.Stored) -> None:
    assessment = saved.assessment
    assert (assessment.status, assessment.status_by, assessment.status_at) == ("draft", "", None)
    change = assessment.set_status("review", "Head of Unit")
    assert change is not None and (change.item, change.field, change.old, change.new) == (
        None,
        "status",
        "draft",
        "review",
    )
    assert (assessment.status, assessment.status_by) == ("review", "Head of Unit")
    assert assessment.status_at == change.at
    assert assessment.set_status("review", "Someone") is None  # no move, no entry
    with pytest.raises(ValueError, match="unknown status"):
        assessment.set_status("approved", "x")  # type: ignore[arg-type]
