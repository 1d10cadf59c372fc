"""The evidence dialog: the item's entries, each editable in place; add, change, delete.

Done and escape both keep a filled-in entry (it is added, or the changed entry
saved) before closing; an entry with a link but no description cannot be kept,
so escape asks before dropping it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from decalogue.model.assessment import Evidence
from decalogue.tui.display import evidence_line, literal
from decalogue.tui.screens.dialogs import Dialog, DialogBox, buttons

FIELDS = ("ev-description", "ev-link", "ev-document")


class EvidenceDialog(Dialog[list[Evidence] | None]):
    """The item's evidence; dismissed with the whole list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "done", "Done", id="evidence.done", tooltip="Keep the evidence and close"
        ),
        Binding(
            "delete",
            "remove",
            "Delete",
            id="evidence.remove",
            tooltip="Delete the highlighted entry",
        ),
        Binding(
            "backspace",
            "remove",
            "Delete",
            id="evidence.remove-backspace",
            tooltip="Delete the highlighted entry",
            show=False,
        ),
    ]

    def __init__(self, evidence: Sequence[Evidence]) -> None:
        super().__init__()
        self.evidence = list(evidence)
        self.editing: int | None = None
        """The index of the entry loaded into the fields, or None for a new one."""

    def compose(self) -> ComposeResult:
        with DialogBox(classes="dialog-box"):
            yield Static(
                literal("Evidence · enter on an entry edits it · delete or backspace removes it"),
                classes="dialog-title",
            )
            yield OptionList(id="evidence-list")
            yield Static("Description (a law, a decree, a statistic)", classes="field-label")
            yield Input(placeholder="what it is", id="ev-description", compact=True)
            yield Static("Link (optional)", classes="field-label")
            yield Input(placeholder="https://…", id="ev-link", compact=True)
            yield Static("Document reference (optional)", classes="field-label")
            yield Input(placeholder="title, number or file name", id="ev-document", compact=True)
            yield buttons(("Add", "add", True), ("Done", "done", False))

    def on_mount(self) -> None:
        self._show()
        self.query_one("#ev-description", Input).focus()

    def _value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value.strip()

    def _show(self, highlight: int | None = None) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        for index, evidence in enumerate(self.evidence):
            mark = "✎ " if index == self.editing else "• "
            listing.add_option(Option(literal(mark + evidence_line(evidence))))
        if not self.evidence:
            listing.add_option(Option(literal("none yet"), disabled=True))
        elif highlight is not None:
            listing.highlighted = max(0, min(highlight, len(self.evidence) - 1))
        self.query_one("#add", Button).label = "Add" if self.editing is None else "Save entry"

    # -- the entry in the fields

    def _entry(self) -> Evidence | None:
        """The entry typed in the fields, or None when it has no description."""
        description = self._value("ev-description")
        if not description:
            return None
        return Evidence(
            description=description,
            link=self._value("ev-link"),
            document=self._value("ev-document"),
        )

    def _store_entry(self) -> bool:
        """Add (or save the edited) entry from the fields; False if there is none to store."""
        entry = self._entry()
        if entry is None:
            return False
        if self.editing is not None and self.editing < len(self.evidence):
            self.evidence[self.editing] = entry
        else:
            self.evidence.append(entry)
        self.editing = None
        for ident in FIELDS:
            self.query_one(f"#{ident}", Input).value = ""
        self._show()
        return True

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        if not self._store_entry():
            self.notify("Describe the evidence first.", severity="warning")
        self.query_one("#ev-description", Input).focus()

    @on(OptionList.OptionSelected, "#evidence-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        """Enter on an entry loads it into the fields (what was typed there is stored first)."""
        index = event.option_index
        if index >= len(self.evidence):
            return
        self._store_entry()
        entry = self.evidence[index]
        self.editing = index
        for ident, value in zip(
            FIELDS, (entry.description, entry.link, entry.document), strict=True
        ):
            self.query_one(f"#{ident}", Input).value = value
        self._show(index)
        self.query_one("#ev-description", Input).focus()

    def action_remove(self) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if not listing.has_focus or index is None or index >= len(self.evidence):
            return
        del self.evidence[index]
        if self.editing == index:
            self.editing = None
        elif self.editing is not None and self.editing > index:
            self.editing -= 1
        self._show(index)

    # -- closing

    def typed(self) -> list[Evidence]:
        """The evidence with the entry in the fields stored (what quitting keeps)."""
        evidence = list(self.evidence)
        entry = self._entry()
        if entry is not None and self.editing is not None and self.editing < len(evidence):
            evidence[self.editing] = entry
        elif entry is not None:
            evidence.append(entry)
        return evidence

    def would_lose(self) -> bool:
        return any(self._value(ident) for ident in FIELDS)

    def keep(self) -> bool:
        if self.would_lose() and self._entry() is None:
            return False  # a link without a description: ask before dropping it
        self.dismiss(self.typed())
        return True

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        if not self.keep():
            self.notify("Describe the evidence first, or clear the fields.", severity="warning")
            self.query_one("#ev-description", Input).focus()
