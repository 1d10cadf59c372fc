"""In a browser the app keeps the focus it started with until the page itself speaks.

Textual's web driver says "blur" as it starts, before the page has said anything;
the app used to restyle and redraw its whole first screen for it (and take the
focus from the home screen's table), in every session of a room joining at
once. The page's own focus and blur still count, and a terminal's blur counts
at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import DataTable

from decalogue.roles import Role, Served
from tests.helpers import SIZE, settle
from tests.tui.conftest import AppFactory

FACILITATOR = Served(Role.FACILITATOR, "facilitator")


async def test_in_a_browser_the_drivers_first_blur_leaves_the_table_focused(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HeadlessDriver, "is_web", property(lambda _: True))
    app = make_app(served=FACILITATOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert app.focused is table
        app.post_message(events.AppBlur())  # what the web driver sends as it starts
        await settle(pilot)
        assert app.app_focus and app.focused is table
        app.post_message(events.AppFocus())  # the page: its terminal was clicked...
        await settle(pilot)
        app.post_message(events.AppBlur())  # ...and left
        await settle(pilot)
        assert not app.app_focus and app.focused is None


async def test_in_a_terminal_a_blur_counts_at_once(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one(DataTable)
        app.post_message(events.AppBlur())
        await settle(pilot)
        assert not app.app_focus and app.focused is None
