"""An item's history on screen: who changed what, when, from what to what (newest first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from decalogue.model.assessment import TEXT_FIELDS, Change
from decalogue.model.checklist import Scale
from decalogue.model.history import with_texts
from decalogue.plural import counted
from decalogue.tui.display import GLYPH_NA, GLYPH_TARGET, Part, assemble, shorten, when
from decalogue.tui.screens.dialogs import Dialog, buttons

FIELD_NAMES = {
    "answer": "answer",
    "target": "target",
    "notes": "notes",
    "evidence": "evidence",
    "flagged": "flag",
    "finding": "finding",
}


def value_words(scale: Scale, field: str, value: Any) -> str:
    """A recorded old or new value as a person reads it."""
    if value is None or value in ("", []):
        return {"answer": "unanswered", "target": "no target"}.get(field, "empty")
    if field == "answer":
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value} {scale.label(value)}" if value in scale.by_value else str(value)
        return f"{GLYPH_NA} {shorten(str(value), 60)}"
    if field == "target" and isinstance(value, int):
        return (
            f"{GLYPH_TARGET} {value} {scale.label(value)}"
            if value in scale.by_value
            else str(value)
        )
    if field == "flagged":
        return "flagged" if value else "not flagged"
    if field == "evidence" and isinstance(value, list):
        return counted(len(value), "entry", "entries")
    return f"“{shorten(str(value), 60)}”"


def history_content(scale: Scale, item_id: str, changes: Sequence[Change]) -> list[Part]:
    """Newest first; a text's new version in full (a note replaced by a colleague's is
    found again here), its old one shortened (it is the entry below's new one)."""
    mine = [change for change in changes if change.item == item_id]
    if not mine:
        return [("No change to this item is recorded yet.", "dim")]
    parts: list[Part] = []
    for change, (old, new) in reversed(list(zip(mine, with_texts(mine), strict=True))):
        field = FIELD_NAMES.get(change.field, change.field)
        if change.edit is not None and new is None:
            values = ["edited (the text before is no longer in this history)"]
        else:
            whole = change.field in TEXT_FIELDS and isinstance(new, str) and new != ""
            after = f"“{new}”" if whole else value_words(scale, change.field, new)
            values = [value_words(scale, change.field, old), " → ", after]
        remark = [("  ", ""), (f"({change.remark})", "dim")] if change.remark else []
        parts += [
            (when(change.at), "bold"),
            "  ",
            change.by or "unknown",
            *remark,
            "\n  ",
            (field, "bold"),
            ": ",
            *values,
            "\n",
        ]
    return parts


class HistoryDialog(Dialog[None]):
    """The changes recorded for one item; escape closes."""

    def __init__(self, title: str, scale: Scale, item_id: str, changes: Sequence[Change]) -> None:
        super().__init__()
        self.title_text = title
        self.body = history_content(scale, item_id, changes)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box history-box", id="history"):
            yield Static(assemble((self.title_text, "bold")), classes="dialog-title")
            yield Static(assemble(*self.body), id="history-text")
            yield buttons(("Close", "close", True))

    def on_mount(self) -> None:
        self.query_one("#history").focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
