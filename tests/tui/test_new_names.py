"""The new-assessment form: a name pasted with a control character is refused as typed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Label

from tests.helpers import SIZE, open_new_form
from tests.tui.conftest import AppFactory


async def test_a_country_name_with_an_escape_is_refused_under_the_field(
    make_app: AppFactory, workspace: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
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
