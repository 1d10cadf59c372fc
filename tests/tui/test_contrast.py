"""The high-contrast theme: every text/background pair on real screens is at least 4.5:1.

The screens are rendered by the real app; every segment of visible text is
checked with the WCAG 2 contrast ratio of its foreground and background colours.
The same measure run on the default dark theme finds pairs below 4.5:1, which
shows the check can fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.color import Color
from textual.app import App

from decalogue.tui.app import DecalogueApp
from decalogue.tui.themes import HIGH_CONTRAST
from tests.tui.conftest import AppFactory

AA = 4.5
GRAPHICS = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: tuple[int, int, int]) -> float:
    r, g, b = (_channel(v) for v in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rgb(color: Color | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return default
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def low_pairs(app: App[Any]) -> list[tuple[float, str]]:
    """(ratio, text) of every visible text segment below AA on the current screen."""
    variables = app.get_css_variables()
    background = _rgb(Color.parse(variables["background"]), (0, 0, 0))
    foreground = _rgb(Color.parse(variables["foreground"]), (255, 255, 255))
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            text = segment.text.strip()
            at, x = x, x + segment.cell_length
            if not text or segment.style is None:
                continue
            if app.screen.get_widget_at(at, y)[0].disabled:
                continue  # inactive controls are exempt (WCAG 1.4.3)
            style = segment.style
            fg = _rgb(style.color, foreground)
            bg = _rgb(style.bgcolor, background)
            if style.reverse:
                fg, bg = bg, fg
            ratio = contrast(fg, bg)
            # Lines and bars are graphics (WCAG 1.4.11: 3:1); everything else is text (4.5:1).
            graphic = all(0x2500 <= ord(char) <= 0x259F or char.isspace() for char in text)
            if graphic and fg == bg:
                continue  # a line drawn in its background's colour is not there
            if ratio < (GRAPHICS if graphic else AA):
                found.append((round(ratio, 2), text[:30]))
    return found


async def _screens(
    app: DecalogueApp, keys: list[list[str]]
) -> list[tuple[str, list[tuple[float, str]]]]:
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        results.append(("home", low_pairs(app)))
        for sequence in keys:
            await pilot.press(*sequence)
            await pilot.pause()
            await pilot.pause()
            results.append((" ".join(sequence), low_pairs(app)))
    return results


#: From the home screen: open the assessment, help, dashboard, the notes editor, the target
#: picker, the source viewer, the export dialog; back home, the new-assessment form.
SEQUENCES = [
    ["enter"],
    ["f1"],
    ["escape"],
    ["d"],
    ["escape"],
    ["e"],
    ["escape"],
    ["t"],
    ["escape"],
    ["s"],
    ["escape"],
    ["x"],
    ["escape"],
    ["escape"],
    ["n"],
]


async def test_every_text_on_the_main_screens_meets_aa_in_high_contrast(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(theme=HIGH_CONTRAST.name)
    results = await _screens(app, SEQUENCES)
    assert len(results) == len(SEQUENCES) + 1
    assert {name: pairs for name, pairs in results if pairs} == {}


async def test_the_measure_finds_low_contrast_in_the_default_theme(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(theme="textual-dark")
    results = await _screens(app, SEQUENCES)
    assert any(pairs for _, pairs in results)


async def test_the_chosen_theme_is_remembered_for_the_next_start(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        while app.theme != HIGH_CONTRAST.name:
            app.action_toggle_theme()
            await pilot.pause()
    again = make_app()
    async with again.run_test(size=(80, 24)):
        assert again.theme == HIGH_CONTRAST.name
