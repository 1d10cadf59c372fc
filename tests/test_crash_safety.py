"""Killing a process in the middle of a save loses nothing.

tests/crash_writer.py forks writer processes that save one assessment in a loop;
this test SIGKILLs each one at a random moment, 200 times. After every kill the
file parses and holds either the version being saved or the one before it, the
`.bak` parses and holds the version before that (or the same), the workspace
lists exactly the one assessment, and at most the kill's own temporary files
are left over (the next save removes them).
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decalogue.model.assessment import new_assessment
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.workspace import Workspace
from tests.crash_writer import FIRST, SECOND, expected, version_of

KILLS = 200
WRITER = Path(__file__).with_name("crash_writer.py")

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"), reason="needs fork and SIGKILL"
)


class Writer:
    """The crash_writer process, with line reads that give up instead of hanging."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin
        self.stdout = self.process.stdout
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.stdout, selectors.EVENT_READ)
        self.buffer = b""

    def send(self, command: str) -> None:
        self.stdin.write(command.encode() + b"\n")

    def line(self, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                raise AssertionError(f"crash_writer said nothing for {timeout} s")
            chunk = os.read(self.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError("crash_writer exited")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        try:
            self.send("quit")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)


def temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))


def version_in(path: Path) -> int:
    response = store.read(path).assessment.responses.get(FIRST)
    return version_of(response.notes) if response else 0


def check_version(path: Path, n: int, top: int) -> None:
    assessment = store.read(path).assessment
    want = expected(n, top) if n else None
    first, second = assessment.responses.get(FIRST), assessment.responses.get(SECOND)
    if want is None:
        assert first is None or version_of(first.notes) == 0
        return
    assert first is not None and second is not None
    got = {
        "level": first.level,
        "notes": first.notes,
        "second_notes": second.notes,
        "flagged": second.flagged,
    }
    assert got == want, f"{path.name} is not a complete version {n}"


def test_sigkill_during_saves_never_loses_the_file(tmp_path: Path) -> None:
    checklist = load_checklist(None)
    top = checklist.scale.max_level
    workspace = Workspace(tmp_path)
    path = tmp_path / "XX-2025.json"
    store.create(path, new_assessment(checklist, "XX", "2025", country_name="Exampleland"))
    session = Session.open(path, checklist)
    session.set_field(SECOND, "notes", "before the writers")
    session.save()  # so that a .bak exists from the start
    backup = store.backup_path(path)
    chance = random.Random(20250301)
    writer = Writer(path)
    inside_save = 0
    saves = 0
    try:
        for kill in range(KILLS):
            writer.send("run")
            first = writer.line()
            assert first.startswith("pid "), first
            pid = int(first.split()[1])
            time.sleep(chance.uniform(0, 0.03))
            os.kill(pid, signal.SIGKILL)
            writer.send("reap")
            progress = []
            while (line := writer.line()) != "reaped":
                assert not line.startswith("error"), line
                progress.append(line)
            on_disk = version_in(path)
            if progress and progress[-1].startswith("start"):
                inside_save += 1
                started = int(progress[-1].split()[1])
                assert on_disk in (started - 1, started), (kill, progress[-3:], on_disk)
            elif progress:
                assert on_disk == int(progress[-1].split()[1]), (kill, progress[-3:], on_disk)
            saves += sum(1 for line in progress if line.startswith("done"))
            check_version(path, on_disk, top)
            in_backup = version_in(backup)
            assert in_backup in (on_disk - 1, on_disk) or (on_disk == 0 and in_backup == 0)
            check_version(backup, in_backup, top)
            assert workspace.files() == [path]
            assert [s.error for s in workspace.summaries()] == [None]
            # At most the killed save's own: its new version and its backup copy.
            assert len(temp_files(tmp_path)) <= 2, temp_files(tmp_path)
    finally:
        writer.close()
    print(f"\ncrash safety: {KILLS} kills survived, {inside_save} inside a save, {saves} saves")
    assert inside_save > 0, "no kill landed inside a save: the test proved nothing"
    # The next ordinary save cleans up after the last kill.
    session = Session.open(path, checklist)
    session.set_field(SECOND, "notes", "after the writers")
    assert session.save().saved
    assert temp_files(tmp_path) == []
