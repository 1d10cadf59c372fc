"""`]` past the bottom edge of a long tree: the page it scrolls to was drawn while no key waited.

What the user sees must not change: the same lines, the item two lines from the
top. What changes is when the new page's lines are rendered: before the key,
once the previous frame is out, so the key's own frame only draws the cursor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets.tree import TreeNode

from decalogue.storage.checklists import load_checklist
from decalogue.tui.widgets.checklist_tree import CONTEXT, EAGER_LIMIT, NodeRef
from tests.helpers import SIZE, big_checklist, open_assess, settle
from tests.tui.conftest import AppFactory, write_assessment


async def test_a_jump_that_scrolls_a_page_finds_its_lines_drawn_and_shows_them_unchanged(
    make_app: AppFactory, tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = big_checklist(tmp_path, EAGER_LIMIT // 30)  # sections fill as they open
    path = write_assessment(workspace, load_checklist(toml))
    app = make_app(open_path=path, checklist=toml)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        tree = screen.checklist_tree
        drawn: list[int] = []  # labels rendered during the pass being drawn
        passes: list[tuple[int, int]] = []  # (the view's top line, labels rendered) per pass
        render_label, render_lines = tree.render_label, tree.render_lines

        def counting_label(node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
            drawn.append(node.line)
            return render_label(node, base_style, style)

        def counting_lines(crop: Region) -> list[Strip]:
            drawn.clear()
            strips = render_lines(crop)
            passes.append((tree.scroll_offset.y, len(drawn)))
            return strips

        monkeypatch.setattr(tree, "render_label", counting_label)
        monkeypatch.setattr(tree, "render_lines", counting_lines)
        top = tree.scroll_offset.y
        for _ in range(tree.size.height + 5):  # every item is unanswered: one line a jump
            passes.clear()
            await pilot.press("right_square_bracket")
            await settle(pilot)
            if tree.scroll_offset.y != top:
                break
        new_top = tree.scroll_offset.y
        assert new_top > top, "the jumps never reached the bottom edge"
        assert tree.cursor_line - new_top == CONTEXT  # a page on, two lines of context
        # The key's own frame: its first pass at the new top drew the cursor's line (and
        # the one it left, if shown), not the page; without rendering ahead, every line.
        first = next(count for view, count in passes if view == new_top)
        assert first <= 2, f"the scrolling jump rendered {first} lines"

        # What was rendered ahead is what the tree renders from scratch.
        kept = [tree.render_line(y) for y in range(tree.size.height)]
        tree.notify_style_update()  # forgets every kept line
        fresh = [tree.render_line(y) for y in range(tree.size.height)]
        assert [list(strip) for strip in kept] == [list(strip) for strip in fresh]
        item = tree.current_item
        assert item is not None and item in kept[CONTEXT].text
