"""ctrl+e: the notes in the user's own editor, with the real app on a pseudo-terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from decalogue.storage import store
from tests.tui.pty_app import drain, new_file, read_until, running

#: An "editor" that adds a line to the file it is given, as a person would, and quits.
EDITOR = 'sh -c \'printf "Seen in the regional court files." >> "$1"\' editor'


def test_notes_written_in_the_users_editor_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    monkeypatch.setenv("VISUAL", EDITOR)
    with running(path, workspace) as app:
        read_until(app.leader, b"Answer", timeout=60)  # an item is under the cursor
        drain(app.leader)
        app.type(b"\x05")  # ctrl+e: the workbench steps aside, the editor runs, it comes back
        read_until(app.leader, b"Seen in the regional", timeout=30)  # the notes, on screen
        app.type(b"\x11")  # ctrl+q: save and quit
        assert app.wait(60) == 0
    responses = store.read(path).assessment.responses
    assert [r.notes for r in responses.values()] == ["Seen in the regional court files."]
