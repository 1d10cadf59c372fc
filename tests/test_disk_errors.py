"""Disk full, failing writes and read-only folders: a clear message, nothing lost.

Failures are injected at the OS calls a save makes (the data write, fsync, the
rename, creating the temp file), and made real where that is possible without
special rights: a subprocess whose file-size limit (RLIMIT_FSIZE) makes the
kernel refuse the write, and a read-only folder (skipped as root, where
permissions do not apply). After each failure the file on disk is byte for
byte what it was, no temp file is left, the error is one line naming the file
and the cause, and the session is still dirty, so the next save writes the
edits.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from decalogue.model.assessment import Answer, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.atomic import ExportError, write_file
from decalogue.storage.checklists import load_checklist
from decalogue.storage.workspace import Workspace

ITEM = "LF-01"


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(None)


@pytest.fixture
def saved(tmp_path: Path, checklist: Checklist) -> Path:
    """An assessment with one saved edit, so that both the file and its .bak exist."""
    path = tmp_path / "XX-2025.json"
    store.create(path, new_assessment(checklist, "XX", "2025", country_name="Exampleland"))
    session = Session.open(path, checklist)
    session.set_field(ITEM, "notes", "first version")
    session.save()
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder except the lock sidecar, by name."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.suffix != ".lock"}


def _enospc(*_: Any, **__: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullDisk:
    """A file object whose write stores half the data and then finds the disk full."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *_: object) -> None:
        self.stream.close()


def _fail_write(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        calls.append("write")
        return _FullDisk(real(fd, *args, **kwargs))

    monkeypatch.setattr(os, "fdopen", fdopen)


def _fail(name: str, error: int) -> Callable[[pytest.MonkeyPatch, list[str]], None]:
    def inject(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
        real = getattr(os, name)

        def failing(*args: Any, **kwargs: Any) -> Any:
            target = str(args[0])
            # Only the assessment's own temp files; the folder fsync and the lock are spared.
            if name in {"fsync", "replace"} or target.endswith(".tmp"):
                calls.append(name)
                raise OSError(error, os.strerror(error))
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, failing)

    return inject


def _fail_fsync_of_files(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{fd}") or not os.path.exists("/proc/self/fd"):
            calls.append("fsync")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


INJECTIONS: dict[str, tuple[Callable[[pytest.MonkeyPatch, list[str]], None], str]] = {
    "write: disk full": (_fail_write, "disk is full"),
    "fsync: disk full": (_fail_fsync_of_files, "disk is full"),
    "rename: disk full": (_fail("replace", errno.ENOSPC), "disk is full"),
    "create temp: permission": (_fail("open", errno.EACCES), "permission denied"),
    "create temp: read-only fs": (_fail("open", errno.EROFS), "read-only"),
    "create temp: quota": (_fail("open", errno.EDQUOT), "quota"),
}


@pytest.fixture(params=sorted(INJECTIONS))
def injection(request: pytest.FixtureRequest) -> Iterator[str]:
    yield str(request.param)


def test_a_failing_save_loses_nothing_and_can_be_retried(
    saved: Path, checklist: Checklist, injection: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inject, words = INJECTIONS[injection]
    before = snapshot(saved.parent)
    session = Session.open(saved, checklist)
    session.set_answer(ITEM, Answer(level=3))
    session.set_field(ITEM, "notes", "second version " + "x" * 50_000)
    calls: list[str] = []
    with monkeypatch.context() as patch:
        inject(patch, calls)
        with pytest.raises(store.SaveError) as raised:
            session.save()
    assert calls, "the failure was never injected: the test proved nothing"
    message = str(raised.value)
    assert "\n" not in message
    assert saved.name in message
    assert words in message
    assert "unchanged" in message
    assert snapshot(saved.parent) == before  # old file, old .bak, no temp file
    assert session.dirty
    assert session.save().saved  # the disk has room again: the same edits are written
    again = store.read(saved).assessment.responses[ITEM]
    assert (again.level, again.notes[:14]) == (3, "second version")
    assert store.read(store.backup_path(saved)).assessment.responses[ITEM].notes == "first version"


def test_a_failing_save_of_a_new_file_leaves_nothing(
    tmp_path: Path, checklist: Checklist, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    with monkeypatch.context() as patch:
        _fail_write(patch, calls)
        with pytest.raises(store.SaveError, match="disk is full"):
            Workspace(tmp_path).create(assessment)
    assert calls
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


def test_the_kernel_refusing_the_write_is_reported(saved: Path) -> None:
    """A real failing write: the process may not write files over 16 KiB (RLIMIT_FSIZE)."""
    resource = pytest.importorskip("resource")
    del resource
    before = snapshot(saved.parent)
    script = textwrap.dedent(
        """
        import resource, signal, sys
        from pathlib import Path
        from decalogue.errors import DecalogueError
        from decalogue.session import Session
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        session = Session.open(Path(sys.argv[1]))
        session.set_field("LF-01", "notes", "y" * 60_000)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_384, 16_384))
        try:
            session.save()
        except DecalogueError as error:
            print(error)
            print("dirty" if session.dirty else "clean")
            sys.exit(1)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(saved)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    message, state = result.stdout.splitlines()
    assert saved.name in message and "not saved" in message and "unchanged" in message
    assert "too large" in message.lower()
    assert state == "dirty"
    assert result.stderr == ""
    assert snapshot(saved.parent) == before


def _permissions_apply(folder: Path) -> bool:
    """False where a read-only folder can be written anyway (root, Windows)."""
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o500)
    try:
        (probe / "x").write_text("x")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o700)
    return False


def test_a_read_only_workspace_gives_a_clear_message(
    saved: Path, checklist: Checklist, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not _permissions_apply(tmp_path_factory.mktemp("probe")):
        pytest.skip("folder permissions do not apply here (root); the injected EACCES covers it")
    before = snapshot(saved.parent)
    session = Session.open(saved, checklist)
    session.set_field(ITEM, "notes", "cannot be written")
    saved.parent.chmod(0o500)
    try:
        with pytest.raises(store.SaveError, match="permission denied") as raised:
            session.save()
        assert saved.name in str(raised.value)
        assert snapshot(saved.parent) == before
        assert session.dirty
        listing = Workspace(saved.parent).summaries()
        assert [s.error for s in listing] == [None]
    finally:
        saved.parent.chmod(0o700)
    assert session.save().saved
    assert store.read(saved).assessment.responses[ITEM].notes == "cannot be written"


def test_an_export_to_a_full_disk_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    target.write_text("the previous export\n")
    calls: list[str] = []
    with monkeypatch.context() as patch:
        _fail_write(patch, calls)
        with pytest.raises(ExportError) as raised:
            write_file(target, "item_id,level\n" * 1000)
    assert calls
    assert "\n" not in str(raised.value) and "report.csv" in str(raised.value)
    assert "nothing was written" in str(raised.value)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
