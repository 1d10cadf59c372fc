"""Every exit keeps the work: Ctrl+Q, SIGTERM, SIGHUP and a closed terminal.

The real `decalogue open` runs in a pseudo-terminal. A level is typed and the
signal arrives before the debounced autosave would have written it; or the
notes editor is open with text typed but not closed, and the text must reach
the file.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from decalogue.model.assessment import Answer
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.tui.pty_app import drain, new_file, read_until, running, wait_until_shown

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


def test_sigterm_on_the_workshop_screen_keeps_the_rooms_decisions(tmp_path: Path) -> None:
    """The server stops (SIGTERM) while the trainer has decided without saving: the
    decisions go into the workshop folder's consensus, which the next workshop resumes."""
    workspace, room = tmp_path / "ws", tmp_path / "room"
    for letter, level in (("a", 1), ("b", 3)):  # levels two apart: a conflict to decide
        group = new_file(room)
        stored = store.read(group)
        stored.assessment.title = f"Group {letter.upper()}"
        stored.assessment.apply(FIRST, "answer", Answer(level=level), "x")
        store.save(group, stored.assessment, stored.fingerprint)
        group.rename(room / f"{letter}.json")
    with running(room, workspace, arguments=["workshop", str(room)]) as app:
        read_until(app.leader, b"decided", timeout=60)
        app.type(b"2")  # the first row: the conflict, decided at 2
        read_until(app.leader, b"1/43 decided", timeout=10)
        app.process.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
    [consensus] = room.glob("*consensus*.json")
    assert store.read(consensus).assessment.responses[FIRST].level == 2


def test_quitting_with_work_that_cannot_be_saved_says_where_it_went(tmp_path: Path) -> None:
    """The next start would point to the copy; a person going home must be told now."""
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with running(path, workspace) as app:
        wait_until_shown(app)
        path.write_text("{ broken by another program", encoding="utf-8")
        app.type(b"3")
        read_until(app.leader, b"error", timeout=20)  # the save refused the broken file
        app.type(b"\x11")
        read_until(app.leader, b"Quit anyway?", timeout=20)
        app.type(b"\r")  # Quit
        seen = b""
        while app.process.poll() is None:
            seen += drain(app.leader)
            time.sleep(0.05)
        seen += drain(app.leader)
    (copy,) = (workspace / "recovery").glob("*.json")
    assert store.read(copy).assessment.responses[FIRST].level == 3
    said = seen.decode("utf-8", "replace").split("\x1b[?1049l")[-1]  # after the full screen
    assert "not saved" in said and copy.name in said, said
