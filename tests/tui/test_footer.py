"""The footer shows the screen's keys as they change, and rebuilds nothing when they don't."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from decalogue.tui.widgets.footer import KeyFooter


class Keys(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "extra", "Extra"),
        Binding("f1", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.extra: bool | None = False
        """False: hidden; None: shown greyed out; True: shown."""

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.extra if action == "extra" else True

    def action_extra(self) -> None:
        pass

    def action_help(self) -> None:
        pass


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def _shown(app: App[None]) -> list[tuple[str, bool]]:
    return [(key.description, key.has_class("-disabled")) for key in app.screen.query(FooterKey)]


async def test_the_footer_follows_the_keys_a_screen_offers() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Keys)
        assert _shown(app) == [("Quit", False), ("Help", False)]
        keys = list(app.screen.query(FooterKey))
        screen.refresh_bindings()  # nothing changed: the same keys, not rebuilt
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == keys
        screen.extra = None
        screen.refresh_bindings()
        await pilot.pause()
        assert _shown(app) == [("Quit", False), ("Help", False), ("Extra", True)]
        screen.extra = True
        screen.refresh_bindings()
        await pilot.pause()
        assert _shown(app) == [("Quit", False), ("Help", False), ("Extra", False)]
        screen.extra = False
        screen.refresh_bindings()
        await pilot.pause()
        assert _shown(app) == [("Quit", False), ("Help", False)]
