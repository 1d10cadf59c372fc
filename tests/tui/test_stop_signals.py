"""Every exit keeps the work: Ctrl+Q, SIGTERM, SIGHUP and a closed terminal.

The real `decalogue open` runs in a pseudo-terminal. A level is typed and the
signal arrives before the debounced autosave would have written it; or the
notes editor is open with text typed but not closed, and the text must reach
the file.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.tui.pty_app import new_file, read_until, running, wait_until_shown

FIRST = load_checklist().items[0].id


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
def test_signal_saves_the_answer_not_yet_autosaved(tmp_path: Path, stop: str) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with running(path, workspace) as app:
        wait_until_shown(app)
        app.type(b"3")
        read_until(app.leader, b"unsaved", timeout=10)
        app.process.send_signal(getattr(signal, stop))
        app.wait(timeout=30)
    assert store.read(path).assessment.responses[FIRST].level == 3


NOTE = "Typed in the editor, never closed"


@pytest.mark.parametrize("stop", ["ctrl+q", "SIGHUP", "SIGTERM", "closed terminal"])
def test_text_in_an_open_editor_is_kept(tmp_path: Path, stop: str) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with running(path, workspace, controlling=stop == "closed terminal") as app:
        wait_until_shown(app)
        app.type(b"e")
        read_until(app.leader, b"ctrl+g", timeout=10)  # the editor's hint line
        app.type(NOTE.encode())
        read_until(app.leader, b"never closed", timeout=10)
        if stop == "ctrl+q":
            app.type(b"\x11")
        elif stop == "closed terminal":
            app.close_terminal()
        else:
            app.process.send_signal(getattr(signal, stop))
        app.wait(timeout=30)
    assert store.read(path).assessment.responses[FIRST].notes == NOTE
