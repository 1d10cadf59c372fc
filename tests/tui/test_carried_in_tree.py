"""Last period's answers, carried forward, as the official walks through them in the tree."""

from __future__ import annotations

from pathlib import Path

from decalogue.model.assessment import carry_forward
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from tests.helpers import SIZE, open_assess, tree_line
from tests.tui.conftest import AppFactory


def carried_file(scored_file: Path, checklist: Checklist) -> Path:
    """The scored 2025 file carried forward to 2026."""
    previous = store.read(scored_file).assessment
    path = scored_file.with_name("XX-2026.json")
    store.create(path, carry_forward(previous, checklist, "2026", "Tester"))
    return path


async def test_carried_answers_are_marked_in_the_tree_until_confirmed(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=carried_file(scored_file, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert tree_line(screen, "PR-01").startswith("↻ 3")
        assert tree_line(screen, "PR-04").startswith("↻ N/A")
        assert tree_line(screen, "PR-03").startswith("○")  # nothing to carry
        await pilot.press("c")  # PR-01 confirmed as this period's
        assert tree_line(screen, "PR-01").startswith("● 3")
        await pilot.press("j", "2")  # PR-02 changed: no longer last period's
        assert tree_line(screen, "PR-02").startswith("● 2")


async def test_the_carried_filter_finds_the_answers_left_to_confirm(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=carried_file(scored_file, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("c", "slash", *"carried")
        await pilot.pause()
        assert set(screen.checklist_tree._items) == {"PR-02", "PR-04", "JU-02"}
