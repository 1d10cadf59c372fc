"""Keys typed ahead of a dialog reach it: `e` then `abc` in one read of the terminal.

A fast typist or a paste delivers the key that opens a dialog and the text meant for
it together. The Pilot tests post the keys back to back, as the terminal driver does
(`pilot.press` waits after each key, which hides the problem); the last test types
them into the real `decalogue open` in one write to its terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import TextArea

from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.tui.screens.dialogs import TextEditor
from tests.helpers import SIZE, open_assess, settle
from tests.tui.conftest import AppFactory
from tests.tui.pty_app import new_file, read_until, running, wait_until_shown


async def _type_at_once(app_factory: AppFactory, path: Path, keys: list[str]) -> None:
    """Open PATH, post every key before any is handled, let them all be handled."""
    app = app_factory(open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        for key in keys:
            character = key if len(key) == 1 else None
            app.post_message(events.Key(key, character))
        await settle(pilot)
        if isinstance(app.screen, TextEditor):
            assert app.screen.query_one(TextArea).text.endswith("abc")
        await pilot.press("ctrl+q")


@pytest.mark.parametrize(
    ("keys", "field", "expected"),
    [
        pytest.param(["e", "a", "b", "c", "ctrl+s"], "notes", "abc", id="notes"),
        pytest.param(["r", "a", "b", "c", "ctrl+s"], "finding", "abc", id="finding"),
        pytest.param(["e", "a", "b", "c"], "notes", "abc", id="editor-left-open"),
        pytest.param(["n", "a", "b", "c", "enter"], "na_reason", "abc", id="na-reason"),
        pytest.param(["t", "3"], "target", 3, id="target"),
    ],
)
async def test_keys_typed_with_the_key_that_opens_a_dialog_reach_it(
    make_app: AppFactory, scored_file: Path, keys: list[str], field: str, expected: object
) -> None:
    await _type_at_once(make_app, scored_file, keys)
    response = store.read(scored_file).assessment.responses["PR-01"]
    assert getattr(response, field) == expected


def test_keys_typed_with_e_reach_the_notes_in_a_real_terminal(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with running(path, workspace) as app:
        wait_until_shown(app)
        app.type(b"eTyped ahead")  # one write: the app reads the keys together
        read_until(app.leader, b"Typed ahead", timeout=20)
        app.type(b"\x11")  # ctrl+q: the open editor's text is kept
        app.wait(timeout=30)
    first = load_checklist().items[0].id
    assert store.read(path).assessment.responses[first].notes == "Typed ahead"
