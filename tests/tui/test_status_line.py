"""The assess screen's header line keeps the save state in view on a narrow terminal."""

from __future__ import annotations

from pathlib import Path

from decalogue.model.assessment import new_assessment
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.tui.app import DecalogueApp
from tests.helpers import open_assess, status
from tests.tui.conftest import AppFactory

TITLE = "National review of victim assistance, second round"


def titled(make_app: AppFactory, workspace: Path, checklist: Checklist, title: str) -> DecalogueApp:
    """The app opening an Exampleland 2025 assessment of this title."""
    path = workspace / "XX-2025.json"
    store.create(
        path, new_assessment(checklist, "XX", "2025", country_name="Exampleland", title=title)
    )
    return make_app(open_path=path)


async def test_a_narrow_terminal_drops_the_title_not_the_save_state(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    app = titled(make_app, workspace, checklist, TITLE)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_assess(pilot)
        await pilot.pause()
        wide = status(screen)
        assert TITLE[:20] in wide and "✓ saved" in wide and "Tester" in wide
        await pilot.resize_terminal(80, 24)
        await pilot.press("1")
        await pilot.pause()
        narrow = status(screen)
        assert TITLE[:20] not in narrow and len(narrow) <= 80  # all of it on screen
        assert "unsaved" in narrow or "saved" in narrow, narrow
        await pilot.resize_terminal(44, 24)
        await pilot.pause()
        narrowest = status(screen)
        assert "saved" in narrowest and len(narrowest) <= 44  # country, period, state
        await pilot.press("ctrl+q")


async def test_a_phone_shows_which_group_this_is(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    """A workshop group on a phone (43 columns) saw "Exampleland (XX) · 2025 · ✓ saved",
    the same for every group: not which group's assessment it was scoring."""
    app = titled(make_app, workspace, checklist, "Group A")
    async with app.run_test(size=(43, 30)) as pilot:
        screen = await open_assess(pilot)
        await pilot.pause()
        shown = status(screen)
        assert "Group A" in shown and "XX" in shown and "2025" in shown, shown
        assert "✓ saved" in shown and len(shown) <= 43, shown
        await pilot.press("ctrl+q")
