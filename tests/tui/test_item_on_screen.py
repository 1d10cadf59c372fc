"""The key goes to the item on screen: the tree's cursor and the detail pane agree.

After a filter, clearing it, a jump or a reload, the highlighted item and the
item the detail pane shows are the same, and the cursor keeps its item (not its
row) when the filter is cleared.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from decalogue.storage import store
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.widgets.checklist_tree import CONTEXT
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


async def test_the_first_item_opens_under_its_pillar_and_section_headings(
    make_app: AppFactory, scored_file: Path
) -> None:
    # A terminal too short for the whole tree: the view starts at its top line.
    app = make_app(open_path=scored_file)
    async with app.run_test(size=(80, 12)) as pilot:
        screen = await open_assess(pilot)
        tree = screen.checklist_tree
        await pilot.pause()
        assert tree.virtual_size.height > tree.scrollable_content_region.height
        assert await same_item(pilot, screen) == "PR-01"
        assert tree.scroll_offset.y == 0  # "Protection" and "Assistance" are in view
        # After a filter is cleared, a deep item keeps lines of context above it.
        await pilot.press("slash", *"JU-03", "enter", "escape")
        assert await same_item(pilot, screen) == "JU-03"
        line = tree.cursor_node._line if tree.cursor_node is not None else -1
        top = tree.scroll_offset.y
        assert top < line < top + tree.scrollable_content_region.height
        assert line - top >= CONTEXT
        await pilot.press("ctrl+q")


async def test_keys_typed_at_once_after_slash_go_to_the_filter_not_to_the_item(
    make_app: AppFactory, scored_file: Path
) -> None:
    # As from one read of the terminal (a fast typist, a paste): no frame in between.
    typed = [("slash", "/"), *[(c if c != "-" else "minus", c) for c in "JU-02"]]
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        for key, character in typed:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert screen.filter_input.value == "JU-02"
        await pilot.press("slash")  # typed in the filter, "/" is a character
        assert screen.filter_input.value == "JU-02/"
        await pilot.press("backspace", "enter", "1")
        assert await same_item(pilot, screen) == "JU-02"
        await pilot.press("ctrl+q")
    saved = store.read(scored_file).assessment.responses
    assert saved["JU-02"].level == 1
    assert saved["PR-01"].level == 3  # the item under the cursor at "/": untouched
