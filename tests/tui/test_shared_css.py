"""Apps in one process (served sessions forked from one helper) share the CSS they parsed,
and each still shows its own theme's colours."""

from __future__ import annotations

from textual.color import Color

from decalogue.tui import shared_css
from tests.tui.conftest import AppFactory


async def test_a_second_app_parses_no_css_and_each_keeps_its_theme(
    make_app: AppFactory,
) -> None:
    shown: list[tuple[Color, Color]] = []
    kept: list[int] = []
    for theme in ("textual-dark", "textual-light", "textual-dark"):
        app = make_app(theme=theme)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            expected = Color.parse(app.get_css_variables()["background"])
            shown.append((app.screen.styles.background, expected))
            kept.append(len(shared_css._PARSED))
    dark, light, dark_again = shown
    assert dark[0] == dark[1] and light[0] == light[1] and dark_again[0] == dark_again[1]
    assert dark[0] != light[0]
    assert kept[2] == kept[1]  # the third app (dark again) parsed nothing new
