"""The real `decalogue open` in a pseudo-terminal, for signal, hang-up and crash tests."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from decalogue.model.assessment import new_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.workspace import Workspace


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{needle!r} not shown within {timeout} s")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def drain(fd: int) -> bytes:
    """Read what the app wrote so far (so that it never blocks on a full terminal)."""
    seen = b""
    while select.select([fd], [], [], 0)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


def new_file(workspace: Path) -> Path:
    """An unanswered Exampleland assessment on the bundled checklist."""
    assessment = new_assessment(
        load_checklist(), "XX", "2025", country_name="Exampleland", assessor="Tester"
    )
    return Workspace.resolve(workspace).create(assessment).path


#: Run in the child's new session: take the pty as the controlling terminal (so that
#: closing it sends SIGHUP), then become `decalogue`.
_TAKE_TERMINAL = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    leader: int
    """The terminal's side; -1 once closed."""

    def type(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def wait(self, timeout: float) -> int:
        """Wait for the app to end, reading what it writes meanwhile (a terminal that is
        not read fills up, and the app's last frame would then wait for it for good)."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.process.args, timeout)
            if self.leader != -1:
                drain(self.leader)
            time.sleep(0.05)
        return self.process.returncode

    def close_terminal(self) -> None:
        os.close(self.leader)
        self.leader = -1


@contextmanager
def running(
    path: Path,
    workspace: Path,
    *,
    controlling: bool = False,
    user: str | None = "Tester",
    store: str | None = None,
    arguments: list[str] | None = None,
) -> Iterator[Running]:
    """`decalogue open PATH` in a 100x30 pty; killed at the end if still alive.

    `arguments`: other words after `decalogue` instead (e.g. `workshop FOLDER`).

    `controlling`: the pty is the process's controlling terminal, so closing it sends
    SIGHUP (as a closed terminal window does); otherwise closing it sends nothing.
    `store`: a PostgreSQL store's address; PATH is then the assessment's id.
    """
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    if user is not None:
        environment["DECALOGUE_USER"] = user
    words = ["open", str(path)] if arguments is None else arguments
    command = ["-m", "decalogue", *words, "--workspace", str(workspace)]
    if store is not None:
        command += ["--store", store]
    if controlling:
        command = ["-c", _TAKE_TERMINAL, *command]
    process = subprocess.Popen(
        [sys.executable, *command],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
        start_new_session=True,
    )
    os.close(follower)
    app = Running(process, leader)
    try:
        yield app
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if app.leader != -1:
            os.close(app.leader)


def wait_until_shown(app: Running) -> None:
    """The assess screen is up and its tree has the focus."""
    read_until(app.leader, b"coverage", timeout=60)
    time.sleep(0.5)  # the tree takes focus just after the first frame
