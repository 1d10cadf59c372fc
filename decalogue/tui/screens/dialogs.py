"""Small modal dialogs: confirm, one line of text, a long text, a choice.

Each returns its result through `dismiss`; None means the user cancelled.
Every dialog follows one rule for escape (ESCAPE_RULE, also on the help
screen): what was typed is kept, or the user is asked before it is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from decalogue.tui.display import literal

if TYPE_CHECKING:
    from textual.widgets import TextArea

ResultT = TypeVar("ResultT")

ESCAPE_RULE = (
    "Escape closes a dialog and keeps what you typed: notes, a finding, an N/A reason, "
    "an evidence entry. A dialog that would start something (an import, a new file, "
    "an export) starts nothing, and asks first if you typed something that would be lost."
)

ESCAPE = Binding(
    "escape", "escape", "Close", id="dialog.escape", tooltip="Close, keeping what was typed"
)


class Dialog(ModalScreen[ResultT]):
    """A modal with the one escape rule: keep what was typed, or ask before dropping it."""

    BINDINGS: ClassVar[list[BindingType]] = [ESCAPE]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def keep(self) -> bool:
        """Close with what was typed, if it can be kept; True when dismissed."""
        return False

    def would_lose(self) -> bool:
        """Whether something typed would be lost by closing now."""
        return False

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_escape(self) -> None:
        if self.keep():
            return
        if not self.would_lose():
            self.action_cancel()
            return
        ask_to_discard(self, "Discard what you typed? It has not been kept.", self.action_cancel)


def ask_to_discard(screen: Screen[Any], question: str, discard: Callable[[], None]) -> None:
    """Escape with typed text that cannot be kept: ask; "Keep editing" is the safe default."""

    def answered(yes: bool | None) -> None:
        if yes:
            discard()

    screen.app.push_screen(ConfirmDialog(question, yes="Discard", no="Keep editing"), answered)


class DialogBox(VerticalScroll, can_focus=False):
    """A dialog's body: scrolls to the focused field when the terminal is too short."""


def buttons(*specs: tuple[str, str, bool]) -> Horizontal:
    """A row of compact buttons (label, id, primary): one line, so it fits 80x24."""
    return Horizontal(
        *(
            Button(label, id=ident, variant="primary" if primary else "default", compact=True)
            for label, ident, primary in specs
        ),
        classes="dialog-buttons",
    )


class ConfirmDialog(Dialog[bool]):
    """A yes/no question; enter or y confirms, escape or n says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", id="dialog.yes", tooltip="Confirm"),
        Binding("n", "cancel", "No", id="dialog.no", tooltip="Do not confirm", show=False),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with DialogBox(classes="dialog-box"):
            yield Static(literal(self.question), classes="dialog-text")
            yield buttons((self.yes, "yes", True), (self.no, "no", False))

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)


class TextPrompt(Dialog[str | None]):
    """One line of text, validated as it is typed; enter accepts when valid.

    `keeps`: escape accepts a valid, changed text (an answer's N/A reason); without
    it the prompt starts something (an import), so escape asks before dropping text.
    """

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        ok: str = "OK",
        keeps: bool = False,
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder
        self.check = check or (lambda text: None if text.strip() else "required")
        self.ok = ok
        self.keeps = keeps

    def compose(self) -> ComposeResult:
        with DialogBox(classes="dialog-box"):
            yield Static(literal(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input", compact=True)
            yield Static("", id="prompt-error", classes="field-error")
            yield buttons((self.ok, "ok", True), ("Cancel", "cancel", False))

    def on_mount(self) -> None:
        self._validate(self.value)
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._validate(event.value)

    def _validate(self, text: str) -> bool:
        problem = self.check(text)
        self.query_one("#prompt-error", Static).update(literal(f"✗ {problem}" if problem else ""))
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

    def would_lose(self) -> bool:
        return self.query_one(Input).value.strip() != self.value.strip()

    def keep(self) -> bool:
        text = self.typed()
        if self.keeps and self.would_lose() and text is not None:
            self.dismiss(text)
            return True
        return False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TextEditor(Dialog[str | None]):
    """A multi-line text; escape or ctrl+s keeps what was typed, ctrl+g discards it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Keep", id="editor.save", tooltip="Keep the text and close"),
        Binding("ctrl+g", "cancel", "Discard", id="editor.discard", tooltip="Discard the changes"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        # Imported here: TextArea (and its syntax themes) cost ~40 ms at every start, and
        # no first screen shows one (see benchmarks/, figure 1).
        from textual.widgets import TextArea

        with Vertical(classes="dialog-box editor-box"):
            yield Static(literal(self.title_text), classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=False)
            yield Static(
                literal("escape or ctrl+s: keep · ctrl+g: discard changes"), classes="dialog-hint"
            )

    def _area(self) -> TextArea:
        from textual.widgets import TextArea

        return self.query_one("#editor", TextArea)

    def on_mount(self) -> None:
        area = self._area()
        area.focus()
        area.move_cursor(area.document.end)

    def typed(self) -> str:
        """What closing would keep now."""
        return self._area().text

    def keep(self) -> bool:
        self.action_save()
        return True

    def action_save(self) -> None:
        self.dismiss(self.typed())


class ChoiceDialog(Dialog[str | None]):
    """Pick one option; returns its id. `keys` maps a key (e.g. a digit) to an option id."""

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        current: str | None = None,
        *,
        keys: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.options, self.current = title, options, current
        self.keys = dict(keys or {})

    def compose(self) -> ComposeResult:
        with DialogBox(classes="dialog-box"):
            yield Static(literal(self.title_text), classes="dialog-title")
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

    def on_key(self, event: Key) -> None:
        choice = self.keys.get(event.key)
        if choice is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(choice)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
