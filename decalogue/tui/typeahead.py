"""Keys typed ahead of a screen change go to the screen that is on top when they are used.

A terminal read can hold several keys: `e` then `abc`, typed fast or pasted. Textual
hands each key to the focused widget at once, and runs the binding of `e` (open the
notes editor) only when `e` comes back up to the app, by which time `abc` have been
handed to the tree as well: they came back to an app showing the editor, and were
lost. Here a key that comes back to the app after the screen it was handed to has
been covered (or closed) is given again, to the screen on top; and every key that
arrives while that screen is still opening (no widget of it has the focus yet)
waits, in order, until it is mounted and focused.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen

#: Keys remembered with the screen they were handed to; more are never in flight.
_IN_FLIGHT = 64


class TypeAhead(App[None]):
    """Mixin for the app: each key reaches the screen that is on top when it is used."""

    def __init__(self) -> None:
        super().__init__()
        self._opening: Screen[Any] | None = None
        """The screen that keys wait for; None when keys go straight on."""
        self._held: list[events.Key | events.Paste] = []
        self._handed: dict[events.Key, Screen[Any]] = {}
        """Keys handed to a widget, not yet back: the screen on top when they were."""

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().push_screen(screen, *args, **kwargs)
        opening = self.screen
        if opening is not self._opening and not opening.is_mounted:
            self._opening = opening
            # The screen's queue runs its compose and mount first (its on_mount asks for
            # the focus, through the app's queue); then this asks the app, whose queue
            # by then holds that focus, to give the held keys after it.
            opening.call_later(self.call_later, self._release, opening)
        return result

    def _release(self, screen: Screen[Any]) -> None:
        if self._opening is screen:
            self._replay()

    def _replay(self) -> None:
        self._opening = None
        held, self._held = self._held, []
        for event in held:
            self.post_message(_fresh(event))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.is_forwarded:
            handed_to = self._handed.pop(event, None)
            if handed_to is not None and handed_to is not self.screen:
                event.stop()  # its screen is gone: give it to the one on top instead
                await self.on_event(_fresh(event))
                return
        elif isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._opening is not None:
                self._held.append(event)
                if self._opening is not self.screen:  # it closed, or was covered, unready
                    self._replay()
                return
            if isinstance(event, events.Key):
                self._handed[event] = self.screen
                while len(self._handed) > _IN_FLIGHT:
                    del self._handed[next(iter(self._handed))]
        await super().on_event(event)


def _fresh(event: events.Key | events.Paste) -> events.Key | events.Paste:
    """The same key or paste as a new event (the old one has been through a dispatch)."""
    if isinstance(event, events.Key):
        return events.Key(event.key, event.character)
    return events.Paste(event.text)
