"""A narrow terminal: a phone's browser on a served link, or a split window (under 70 columns).

Side by side, the item's detail got two columns and a dialog ran off the right edge;
below 70 columns the detail goes under the tree and dialogs take the whole width. A
browser resized on the way switches between the two.
"""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from decalogue.tui.screens.dialogs import TextEditor
from tests.helpers import open_assess, settle
from tests.tui.conftest import AppFactory


def beside(tree: Widget, detail: Widget) -> bool:
    return detail.region.x >= tree.region.right and detail.region.y == tree.region.y


async def test_under_70_columns_the_detail_is_under_the_tree_and_dialogs_fit(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=(45, 30)) as pilot:
        screen = await open_assess(pilot)
        tree, detail = screen.query_one("#tree-pane"), screen.query_one("#detail")
        assert tree.region.width == 45
        assert detail.region.y >= tree.region.bottom and detail.region.width >= 40
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, TextEditor)
        box = app.screen.query_one(".dialog-box")
        assert box.region.x >= 0 and box.region.right <= 45  # its right edge shows
        await pilot.press("escape")
        await settle(pilot)

        await pilot.resize_terminal(100, 30)  # the browser window made wider
        await settle(pilot)
        assert beside(tree, detail)
        await pilot.resize_terminal(60, 30)
        await settle(pilot)
        assert not beside(tree, detail) and tree.region.width == 60


async def test_under_70_columns_a_notice_takes_the_width_not_half_the_height(
    make_app: AppFactory, scored_file: Path
) -> None:
    """A notice half as wide as a phone wrapped into a tall column over the answer."""
    app = make_app(open_path=scored_file)
    async with app.run_test(size=(45, 30), notifications=True) as pilot:
        await open_assess(pilot)
        app.notify(
            "B. Focal has this file open since 2025-03-14 09:30. Your changes and theirs "
            "are merged when saved; a field changed by both is shown to choose.",
            title="Also open elsewhere",
        )
        await settle(pilot)
        toast = next(w for w in app.screen.query("*") if type(w).__name__ == "Toast")
        assert toast.region.width >= 40 and toast.region.height <= 8, toast.region
