"""An edit made after the autosave's maximum wait has passed is saved, and the app keeps going.

The save is then due at once; a timer of 0 s made Textual divide by its interval
(ZeroDivisionError) and the app ended with a traceback instead of saving.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from decalogue.storage import store
from decalogue.tui.screens import keeping
from decalogue.tui.screens.assess import AssessScreen
from tests.tui.conftest import AppFactory


async def test_an_edit_past_the_maximum_wait_is_saved_at_once(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keeping, "AUTOSAVE_MAX_WAIT", 0.0)  # every edit is past it
    app = make_app(open_path=scored_file)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, AssessScreen):
                break
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        item_id = screen.checklist_tree.current_item
        assert item_id is not None
        await pilot.press("2")
        for _ in range(100):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if not screen.session.dirty:
                break
        assert app.is_running
        assert app.return_code is None
    saved = store.read(scored_file).assessment.responses[item_id]
    assert saved.level == 2
