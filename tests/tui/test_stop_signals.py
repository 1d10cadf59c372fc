"""A closed terminal (SIGHUP) or a shutdown (SIGTERM) never loses an answer.

The real `decalogue open` runs in a pseudo-terminal; a level is typed and the
signal arrives before the debounced autosave would have written it.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decalogue.model.assessment import new_assessment
from decalogue.storage import store
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


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_signal_saves_the_answer_not_yet_autosaved(tmp_path: Path, stop: str) -> None:
    workspace = tmp_path / "ws"
    ws = Workspace.resolve(workspace)
    assessment = new_assessment(
        load_checklist(), "XX", "2025", country_name="Exampleland", assessor="Tester"
    )
    path = ws.create(assessment).path
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    app = subprocess.Popen(
        [sys.executable, "-m", "decalogue", "open", str(path), "--workspace", str(workspace)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
        start_new_session=True,
    )
    os.close(follower)
    try:
        read_until(leader, b"coverage", timeout=30)
        time.sleep(0.5)  # the tree takes focus just after the first frame
        os.write(leader, b"3")
        read_until(leader, b"unsaved", timeout=10)
        app.send_signal(getattr(signal, stop))
        app.wait(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        os.close(leader)
    saved = store.read(path).assessment
    first = load_checklist().items[0].id
    assert saved.responses[first].level == 3
