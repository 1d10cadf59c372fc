"""Small modal dialogs: confirm, one line of text, a long text, a choice, evidence, conflict.

Each returns its result through `dismiss`; None means the user cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from decalogue.model.assessment import Evidence
from decalogue.tui.display import literal

CANCEL = Binding(
    "escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without changing anything"
)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; enter or y confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        CANCEL,
        Binding("y", "confirm", "Yes", id="dialog.yes", tooltip="Confirm"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__(classes="dialog")
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(literal(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)


class TextPrompt(ModalScreen[str | None]):
    """One line of text, validated as it is typed; enter accepts when valid."""

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        ok: str = "OK",
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.value, self.placeholder = title, value, placeholder
        self.check = check or (lambda text: None if text.strip() else "required")
        self.ok = ok

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Label("", id="prompt-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ok, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._validate(self.value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._validate(event.value)

    def _validate(self, text: str) -> bool:
        problem = self.check(text)
        self.query_one("#prompt-error", Label).update(literal(f"✗ {problem}" if problem else ""))
        self.query_one("#ok", Button).disabled = problem is not None
        return problem is None

    def typed(self) -> str | None:
        """What OK would give now: the text if it is valid, else None."""
        text = self.query_one(Input).value
        return text.strip() if self.check(text) is None else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _accept(self) -> None:
        if self._validate(self.query_one(Input).value):
            self.dismiss(self.typed())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TextEditor(ModalScreen[str | None]):
    """A multi-line text; closing with escape or ctrl+s keeps what was typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "save", "Save and close", id="editor.close", tooltip="Keep the text"),
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Keep the text"),
        Binding("ctrl+g", "cancel", "Discard", id="editor.discard", tooltip="Discard the changes"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box editor-box"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=False)
            yield Label(
                literal("escape or ctrl+s: keep · ctrl+g: discard changes"), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def typed(self) -> str:
        """What closing would keep now."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.typed())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one option; returns its id."""

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def __init__(
        self, title: str, options: Sequence[tuple[str, str]], current: str | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.options, self.current = title, options, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield OptionList(
                *(Option(literal(text), id=ident) for ident, text in self.options),
                id="choices",
            )

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        if self.current is not None:
            ids = [ident for ident, _ in self.options]
            if self.current in ids:
                choices.highlighted = ids.index(self.current)
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EvidenceDialog(ModalScreen[list[Evidence] | None]):
    """The item's evidence: add one (description, link, document), delete one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", "Done", id="evidence.done", tooltip="Keep the evidence"),
        Binding("delete", "remove", "Delete", id="evidence.remove", tooltip="Delete highlighted"),
    ]

    def __init__(self, evidence: Sequence[Evidence]) -> None:
        super().__init__(classes="dialog")
        self.evidence = list(evidence)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Evidence (delete removes the highlighted one)", classes="dialog-title")
            yield OptionList(id="evidence-list")
            yield Input(placeholder="What it is: a law, a decree, a statistic", id="ev-description")
            yield Input(placeholder="Link (optional)", id="ev-link")
            yield Input(placeholder="Document reference (optional)", id="ev-document")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Done", id="done")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#ev-description", Input).focus()

    def _show(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        for evidence in self.evidence:
            text = evidence.description
            for extra in (evidence.link, evidence.document):
                if extra:
                    text += f" — {extra}"
            listing.add_option(Option(literal("• " + text)))
        if not self.evidence:
            listing.add_option(Option(literal("none yet"), disabled=True))

    def _being_typed(self) -> Evidence | None:
        description = self.query_one("#ev-description", Input).value.strip()
        if not description:
            return None
        return Evidence(
            description=description,
            link=self.query_one("#ev-link", Input).value.strip(),
            document=self.query_one("#ev-document", Input).value.strip(),
        )

    def typed(self) -> list[Evidence]:
        """The evidence with the one being typed added (quitting keeps it)."""
        extra = self._being_typed()
        return [*self.evidence, extra] if extra is not None else list(self.evidence)

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        description = self.query_one("#ev-description", Input)
        evidence = self._being_typed()
        if evidence is None:
            self.notify("Describe the evidence first.", severity="warning")
            description.focus()
            return
        self.evidence.append(evidence)
        for field in self.query(Input):
            field.value = ""
        description.focus()
        self._show()

    def action_remove(self) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if listing.has_focus and index is not None and index < len(self.evidence):
            del self.evidence[index]
            self._show()

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        self.dismiss(self.evidence)
