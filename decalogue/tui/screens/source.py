"""The source viewer: a cited document in full, the quote selected and scrolled into view.

The quote is also framed by ▶▶ … ◀◀ markers, so it stands out without colour.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from decalogue.model.sources import Document
from decalogue.tui.display import assemble, safe
from decalogue.tui.widgets.footer import KeyFooter

OPEN, CLOSE = "▶▶ ", " ◀◀"


class SourceScreen(Screen[None]):
    """Read-only document; escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="source.back", tooltip="Back to the item"),
        Binding("q", "back", "Back", id="source.back-q", tooltip="Back to the item", show=False),
        Binding(
            "n",
            "show_quote",
            "Quote",
            id="source.quote",
            tooltip="Scroll back to the cited quote",
        ),
    ]

    def __init__(self, label: str, document: Document, quote: str) -> None:
        super().__init__()
        self.label, self.document, self.quote = label, document, quote
        span = document.find_quote(quote)
        text = safe(document.text)  # one character for one: the quote's span still fits
        self.found = span is not None
        if span is not None:
            start, end = span
            text = text[:start] + OPEN + text[start:end] + CLOSE + text[end:]
            self.span = (start, end + len(OPEN) + len(CLOSE))
        else:
            self.span = (0, 0)
        self.text = text

    def compose(self) -> ComposeResult:
        heading = assemble(("Source", "bold"), " · ", self.label)
        if not self.found:
            heading = heading.append(" · the quote was not found in this text")
        yield Static(heading, id="source-title")
        yield TextArea(
            self.text,
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            id="source-text",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        self.call_after_refresh(self.action_show_quote)

    def _location(self, offset: int) -> tuple[int, int]:
        before = self.text[:offset]
        row = before.count("\n")
        return row, offset - (before.rfind("\n") + 1)

    def action_show_quote(self) -> None:
        if not self.found:
            return
        area = self.query_one(TextArea)
        start, end = (self._location(offset) for offset in self.span)
        # The cursor (a selection's `end`) at the quote's start keeps its first line in view.
        area.selection = Selection(end, start)
        area.scroll_cursor_visible(center=True, animate=False)

    def action_back(self) -> None:
        self.dismiss(None)
