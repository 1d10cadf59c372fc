"""The key goes to the item on screen: the tree's cursor and the detail pane agree.

After a filter, clearing it, a jump or a reload, the highlighted item and the
item the detail pane shows are the same, and the cursor keeps its item (not its
row) when the filter is cleared.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from decalogue.storage import store
from decalogue.tui.screens.assess import AssessScreen
from tests.helpers import SIZE, open_assess
from tests.tui.conftest import AppFactory


async def same_item(pilot: Pilot[None], screen: AssessScreen) -> str | None:
    """The item a key would change, after checking the pane shows that very item."""
    await pilot.pause()
    current = screen.checklist_tree.current_item
    assert screen.detail.item_id == current
    return current


async def test_filter_enter_escape_then_score_changes_the_item_shown(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert await same_item(pilot, screen) == "PR-01"
        # JU-03 alone in the tree sits on PR-01's old row (pillar, section, item)
        await pilot.press("slash", *"JU-03", "enter")
        assert await same_item(pilot, screen) == "JU-03"
        await pilot.press("escape")
        assert not screen.filter_input.display
        assert len(screen.checklist_tree._items) == 7
        assert await same_item(pilot, screen) == "JU-03"
        await pilot.press("0")
        await pilot.press("ctrl+q")
    saved = store.read(scored_file).assessment.responses
    assert saved["JU-03"].level == 0
    assert saved["PR-01"].level == 3  # untouched


async def test_cursor_keeps_its_item_through_filters_and_jumps(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j", "j")
        assert await same_item(pilot, screen) == "PR-04"
        # a filter that keeps the item keeps the cursor on it, on another row
        await pilot.press("slash", *"tag:prosecution")
        assert await same_item(pilot, screen) == "JU-01"  # PR-04 is filtered out
        screen.filter_input.value = "na"
        assert await same_item(pilot, screen) == "PR-04"
        await pilot.press("enter", "escape")
        assert await same_item(pilot, screen) == "PR-04"
        await pilot.press("right_square_bracket")
        assert await same_item(pilot, screen) == "JU-01"
        # a filter that matches nothing shows no item, and a key changes nothing
        await pilot.press("slash", *"nothing-matches", "enter")
        assert await same_item(pilot, screen) is None
        await pilot.press("2")
        assert screen.session is not None and not screen.session.dirty
