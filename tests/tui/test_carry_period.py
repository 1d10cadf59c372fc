"""Carrying forward from the home screen: a period typed that is not after the file's."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Static

from decalogue.tui.screens.dialogs import TextPrompt
from tests.helpers import SIZE, home_rows
from tests.tui.conftest import AppFactory


async def test_an_earlier_period_is_refused_under_the_field(
    make_app: AppFactory, workspace: Path, scored_file: Path
) -> None:
    before = sorted(p.name for p in workspace.glob("*.json"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("c")
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one(Input).value = "2020"
        await pilot.pause()
        error = str(prompt.query_one("#prompt-error", Static).render())
        assert "not after 2025" in error and "such as 2026" in error
        assert prompt.query_one("#ok", Button).disabled
        await pilot.press("enter")
        assert app.screen is prompt
    assert sorted(p.name for p in workspace.glob("*.json")) == before
