"""However fast a person types, at most about three seconds of work is at risk.

A real `decalogue open` in a pty is scored every 0.4 s (faster than the 0.8 s
pause the autosave waits for), then killed with SIGKILL, which no handler can
catch. The answers typed well before the kill must be on disk. Before the
maximum wait, none were.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from decalogue.storage import store
from tests.tui.pty_app import drain, new_file, running, wait_until_shown

PROMISED = 3.0
"""The most typed work at risk, in seconds (the README's word)."""
INTERVAL = 0.4
ANSWERS = 25
SLACK = 2.0
"""Seconds on top of the maximum wait for the key to arrive and the save to land."""


def test_sigkill_during_continuous_scoring_loses_only_the_last_seconds(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    typed_at: list[float] = []
    with running(path, workspace) as app:
        wait_until_shown(app)
        for _ in range(ANSWERS):
            app.type(b"3j")  # score the item, go to the next one
            typed_at.append(time.monotonic())
            time.sleep(INTERVAL)
            drain(app.leader)
        killed_at = time.monotonic()
        app.process.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    on_disk = sum(
        1 for response in store.read(path).assessment.responses.values() if response.level == 3
    )
    must_be_saved = sum(1 for at in typed_at if at < killed_at - PROMISED - SLACK)
    assert must_be_saved >= 10  # the test typed long enough to mean something
    assert on_disk >= must_be_saved
