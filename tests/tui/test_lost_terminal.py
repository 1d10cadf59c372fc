"""A lost terminal ends the app at any moment, start-up included; it never hangs.

The pty is closed at several moments while `decalogue open` starts: with the
pty as the controlling terminal (the kernel sends SIGHUP) and without (nothing
but failed writes and a hung-up terminal tell the app). The app must exit; the
wait is generous, it is not a measure of speed. Before the fix the app stayed
alive for good: its output thread died on the first failed write, and the next
write waited forever on the thread's full queue.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.tui.pty_app import new_file, read_until, running, wait_until_shown

GENEROUS = 60


@pytest.mark.parametrize("controlling", [False, True], ids=["no-sighup", "sighup"])
@pytest.mark.parametrize("after", [0.1, 0.5, 1.0, 2.0])
def test_closed_during_start_up_the_app_exits(
    tmp_path: Path, after: float, controlling: bool
) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with running(path, workspace, controlling=controlling) as app:
        time.sleep(after)
        app.close_terminal()
        app.wait(timeout=GENEROUS)  # TimeoutExpired: the app hangs
    store.read(path)  # the file is still a valid assessment


@pytest.mark.parametrize("controlling", [False, True], ids=["no-sighup", "sighup"])
def test_closed_after_a_score_the_app_saves_and_exits(tmp_path: Path, controlling: bool) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with running(path, workspace, controlling=controlling) as app:
        wait_until_shown(app)
        app.type(b"2")
        read_until(app.leader, b"unsaved", timeout=10)
        app.close_terminal()
        app.wait(timeout=GENEROUS)
    first = load_checklist().items[0].id
    assert store.read(path).assessment.responses[first].level == 2
