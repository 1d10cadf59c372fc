"""Command palette: every action bound on the current screen (the checklist screens add
their items: `browse.GoToItem`).

Built from the active bindings, so the palette, the footer and the help screen
never disagree about what a screen can do.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.binding import ActiveBinding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class ScreenActions(Provider):
    """The current screen's (and the app's) bound actions."""

    def _commands(self) -> Iterator[tuple[str, str, ActiveBinding]]:
        seen: set[tuple[int, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.id or not active.enabled or binding.system:
                continue
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            shown_key = binding.key_display or self.app.get_key_display(binding)
            if binding.key_display and binding.key_display != key:
                shown_key = key
            name = binding.tooltip or binding.description or binding.action
            yield name, f"key: {shown_key}", active

    def _run(self, active: ActiveBinding) -> partial[Any]:
        return partial(self.app.run_action, active.binding.action, active.node)

    async def discover(self) -> Hits:
        for name, help_text, active in self._commands():
            yield DiscoveryHit(Content(name), self._run(active), text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, active in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), self._run(active), text=name, help=help_text
                )
