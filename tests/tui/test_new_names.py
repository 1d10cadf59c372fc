"""The new-assessment form: a name pasted with a control character is refused as typed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Label

from decalogue.tui.screens.new import NewAssessmentScreen
from tests.helpers import SIZE, settle
from tests.tui.conftest import AppFactory


async def test_a_country_name_with_an_escape_is_refused_under_the_field(
    make_app: AppFactory, workspace: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewAssessmentScreen)
        await pilot.press("X", "X")
        form.query_one("#country-name", Input).value = "Example\x1b[2Jland"
        form.query_one("#period", Input).value = "2025"
        await pilot.pause()
        error = str(form.query_one("#name-error", Label).visual)
        assert "control character (U+001B)" in error and "\x1b" not in error
        assert form.query_one("#create", Button).disabled
        form.query_one("#country-name", Input).value = "Exampleland"
        await pilot.pause()
        assert not form.query_one("#create", Button).disabled
    assert not list(workspace.glob("*.json"))
