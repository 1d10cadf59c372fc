"""The footer every screen uses: Quit and Help first, then the screen's keys, compact.

Textual's footer lists the focused widget's keys first and the app's last, so on
an 80-column terminal Quit and Help were cut off; here they lead, and the rest
follow in the order the screen declares them (most important first).
"""

from __future__ import annotations

from collections import defaultdict

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first on every screen, whatever has the focus.
FIRST = ("quit", "help")


class KeyFooter(Footer):
    """A compact footer with the app's Quit and Help before the screen's keys."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                shown[binding.action].append((binding, enabled, tooltip))
        first = [action for action in FIRST if action in shown]
        order = first + [action for action in shown if action not in first]
        self.styles.grid_size_columns = len(order)
        for action in order:
            binding, enabled, tooltip = shown[action][0]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.description,
            ).data_bind(compact=Footer.compact)
