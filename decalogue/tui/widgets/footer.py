"""The footer every screen uses: Quit and Help first, then the screen's keys, compact.

Textual's footer lists the focused widget's keys first and the app's last, so on
an 80-column terminal Quit and Help were cut off; here they lead, and the rest
follow in the order the screen declares them (most important first).
"""

from __future__ import annotations

from collections import defaultdict

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first on every screen, whatever has the focus.
FIRST = ("quit", "help")

#: One key as the footer shows it: key, display, description, action, enabled, tooltip.
Shown = tuple[str, str, str, str, bool, str]


class KeyFooter(Footer):
    """A compact footer with the app's Quit and Help before the screen's keys.

    Textual rebuilds a footer's keys whenever the screen's bindings may have changed
    (every focus move, every refresh of the bindings); here the keys are rebuilt only
    when what they show changed, which spares mounting and styling a row of widgets.
    """

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._shown: list[Shown] | None = None

    def _keys(self) -> list[Shown]:
        """What the footer shows, in order: key, its display, description, action, on, tip."""
        shown: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                shown[binding.action].append((binding, enabled, tooltip))
        first = [action for action in FIRST if action in shown]
        order = first + [action for action in shown if action not in first]
        keys = []
        for action in order:
            binding, enabled, tooltip = shown[action][0]
            display = self.app.get_key_display(binding)
            keys.append((binding.key, display, binding.description, action, enabled, tooltip))
        return keys

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = keys = self._keys()
        self.styles.grid_size_columns = len(keys)
        for key, display, description, action, enabled, tooltip in keys:
            # Compact from the start, as this footer always is: binding Textual's `compact`
            # to the footer's restyled every key twice as it was mounted (each screen's
            # first frame, and every rebuild of the keys).
            yield FooterKey(
                key,
                display,
                description,
                action,
                disabled=not enabled,
                tooltip=tooltip or description,
                classes="-compact",
            )

    def bindings_changed(self, screen: Screen[object]) -> None:
        attached = self._shown is not None and self.is_attached and screen is self.screen
        if attached and self._keys() == self._shown:
            return  # the same keys: nothing to rebuild
        super().bindings_changed(screen)
