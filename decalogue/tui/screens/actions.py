"""An item's actions: add one, pick one to change it, delete one.

What an official types is never dropped: Done (or Escape) with a filled-in form
keeps that action too, and quitting the app with the dialog open keeps it
(`typed`). The institution field suggests the institutions already named in
this assessment, so one ministry is not spelt three ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from decalogue.model.actions import STATUS_WORDS, STATUSES, Action, Status, parse_deadline
from decalogue.tui.display import action_line, literal
from decalogue.tui.screens.dialogs import Dialog, DialogBox, buttons


class ActionsDialog(Dialog[list[Action] | None]):
    """The actions of one item; returns the new list (None: nothing changed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete", "remove", "Delete", id="actions.remove", tooltip="Delete highlighted"),
        Binding(
            "backspace",
            "remove",
            "Delete",
            id="actions.remove-backspace",
            show=False,
            tooltip="Delete highlighted",
        ),
    ]

    def __init__(
        self,
        item_id: str,
        actions: Sequence[Action],
        owners: Sequence[str],
        *,
        level: int | None = None,
        target: int | None = None,
    ) -> None:
        super().__init__()
        self.item_id = item_id
        self.actions = list(actions)
        self._original = list(actions)
        self._owners = list(owners)
        self._level, self._target = level, target
        self._editing: int | None = None

    def compose(self) -> ComposeResult:
        with DialogBox(classes="dialog-box"):
            yield Static(
                f"Actions of {self.item_id}: pick one to change it (saving a proposal accepts it); "
                "delete removes it",
                classes="dialog-title",
            )
            yield OptionList(id="action-list")
            yield Input(placeholder="What will be done", id="act-what", compact=True)
            yield Input(
                placeholder="Responsible institution (ministry, agency, NGO)",
                id="act-owner",
                compact=True,
                suggester=SuggestFromList(self._owners, case_sensitive=False),
            )
            yield Input(
                placeholder="Deadline YYYY-MM-DD (optional)", id="act-deadline", compact=True
            )
            yield Select(
                [(STATUS_WORDS[s], s) for s in STATUSES],
                value="planned",
                allow_blank=False,
                id="act-status",
                compact=True,
            )
            yield Input(placeholder="Progress notes (optional)", id="act-progress", compact=True)
            yield Input(placeholder="Budget line (optional)", id="act-budget", compact=True)
            yield buttons(
                ("Save action", "save", True), ("New", "new", False), ("Done", "done", False)
            )

    def on_mount(self) -> None:
        self._show()
        self.query_one("#act-what", Input).focus()

    def _show(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        for action in self.actions:
            listing.add_option(Option(literal(action_line(action))))
        if not self.actions:
            listing.add_option(Option(literal("no actions yet"), disabled=True))

    def _field(self, name: str) -> str:
        return self.query_one(f"#act-{name}", Input).value.strip()

    def _being_typed(self) -> Action | None:
        """The action in the form, or None when nothing is typed; raises ValueError if invalid."""
        what = self._field("what")
        if not what:
            return None
        try:
            deadline = parse_deadline(self._field("deadline"))
        except ValueError as error:
            raise ValueError(f"deadline: {error}") from None
        status: Status = self.query_one("#act-status", Select).value  # type: ignore[assignment]
        base = self.actions[self._editing] if self._editing is not None else None
        values = {
            "what": what,
            "owner": self._field("owner"),
            "deadline": deadline,
            "status": status,
            "progress": self._field("progress"),
            "budget": self._field("budget"),
            "proposed_by": "",  # saved in the dialog: the room accepted it
        }
        try:
            if base is not None:
                return Action.model_validate({**base.model_dump(), **values})
            gap = {"from_level": self._level, "to_level": self._target}
            if self._level is None or self._target is None or self._target < self._level:
                gap = {}
            return Action.model_validate({**values, **gap})
        except ValidationError as error:
            detail = error.errors(include_url=False)[0]
            raise ValueError(str(detail["msg"]).removeprefix("Value error, ")) from None

    def typed(self) -> list[Action]:
        """The actions with the one in the form kept (quitting keeps it if it is valid)."""
        try:
            extra = self._being_typed()
        except ValueError:
            extra = None
        return self._with(extra)

    def _with(self, action: Action | None) -> list[Action]:
        actions = list(self.actions)
        if action is None:
            return actions
        if self._editing is not None:
            actions[self._editing] = action
        else:
            actions.append(action)
        return actions

    def _clear(self) -> None:
        for field in self.query(Input):
            field.value = ""
        self.query_one("#act-status", Select).value = "planned"
        self._editing = None
        self.query_one("#act-what", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        try:
            action = self._being_typed()
        except ValueError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if action is None:
            self.notify("Say what will be done first.", severity="warning")
            self.query_one("#act-what", Input).focus()
            return
        self.actions = self._with(action)
        self._clear()
        self._show()

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        self._clear()

    @on(OptionList.OptionSelected, "#action-list")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        if index >= len(self.actions):
            return
        action = self.actions[index]
        self._editing = index
        self.query_one("#act-what", Input).value = action.what
        self.query_one("#act-owner", Input).value = action.owner
        self.query_one("#act-deadline", Input).value = (
            action.deadline.isoformat() if action.deadline else ""
        )
        self.query_one("#act-status", Select).value = action.status
        self.query_one("#act-progress", Input).value = action.progress
        self.query_one("#act-budget", Input).value = action.budget
        self.query_one("#act-what", Input).focus()

    def action_remove(self) -> None:
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if listing.has_focus and index is not None and index < len(self.actions):
            del self.actions[index]
            if self._editing == index:
                self._clear()
            self._show()
            listing.focus()

    def would_lose(self) -> bool:
        return any(field.value.strip() for field in self.query(Input))

    def keep(self) -> bool:
        """Escape keeps the actions and a valid form; a form that is not valid is asked about."""
        try:
            extra = self._being_typed()
        except ValueError:
            return False
        actions = self._with(extra)
        self.dismiss(None if actions == self._original else actions)
        return True

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        try:
            extra = self._being_typed()
        except ValueError as error:
            self.notify(f"{error}; fix it, or clear the form to close", severity="error")
            return
        actions = self._with(extra)
        self.dismiss(None if actions == self._original else actions)
