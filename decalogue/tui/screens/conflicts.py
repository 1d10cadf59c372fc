"""Conflicts, one field of one item at a time: mine beside theirs, who and when; m or t.

A conflict is the same field of the same item changed differently here (not
yet saved) and by someone else (saved). Until the person chooses, the session
shows their value and keeps both in the history; nothing is dropped. Escape
leaves the choice for later (the header keeps counting the conflicts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from decalogue.model.assessment import Answer, Change, Evidence
from decalogue.model.checklist import Checklist
from decalogue.model.merge import Conflict
from decalogue.session import Session
from decalogue.tui.display import assemble, literal, safe_line, when


def value_text(checklist: Checklist, field: str, value: Any) -> str:
    """A field's value as a person reads it, for the two sides of a conflict."""
    if isinstance(value, Answer):
        if value.na_reason is not None:
            return f"{checklist.scale.not_applicable.label}: {value.na_reason}"
        if value.level is None:
            return "unanswered"
        level = checklist.scale.by_value.get(value.level)
        return f"{value.level} {level.label}" if level is not None else str(value.level)
    if field == "flagged":
        return "flagged for review" if value else "not flagged"
    if field == "target":
        return "no target" if value is None else f"target {value}"
    if field == "evidence":
        items = [e if isinstance(e, Evidence) else Evidence.model_validate(e) for e in value]
        return "\n".join(f"• {e.description}" for e in items) or "no evidence"
    return str(value) if value not in (None, "") else "(empty)"


def changed_items(changes: list[Change]) -> str:
    """ "A. Official changed AP-03, LF-01; B. Focal changed JU-01": who changed what."""
    by_person: dict[str, list[str]] = {}
    for change in changes:
        if change.item is None:
            continue
        items = by_person.setdefault(change.by or "Someone", [])
        if change.item not in items:
            items.append(change.item)
    return "; ".join(f"{who} changed {', '.join(items)}" for who, items in by_person.items())


class ConflictScreen(ModalScreen[None]):
    """The session's open conflicts, shown and settled one by one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "keep('mine')", "Keep mine", id="conflict.mine", tooltip="Keep my value"),
        Binding(
            "t", "keep('theirs')", "Keep theirs", id="conflict.theirs", tooltip="Keep their value"
        ),
        Binding("n", "next", "Next", id="conflict.next", tooltip="The next conflict"),
        Binding(
            "escape", "close", "Later", id="conflict.later", tooltip="Choose later (kept open)"
        ),
    ]

    def __init__(self, session: Session, resolved: Callable[[Change | None, str], None]) -> None:
        super().__init__(classes="dialog")
        self.session = session
        self.resolved = resolved
        """Told of each choice (the change it made, the item) so the screen below repaints."""
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box conflict-box"):
            yield Label("", id="conflict-title", classes="dialog-title")
            with Horizontal(id="conflict-sides"):
                yield Static("", id="conflict-mine", classes="conflict-side")
                yield Static("", id="conflict-theirs", classes="conflict-side")
            yield Label(
                literal(
                    "Until you choose, their value is shown and both are kept in the history.\n"
                    "m: keep mine · t: keep theirs · n: next · escape: later"
                ),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._show()

    @property
    def current(self) -> Conflict | None:
        conflicts = self.session.conflicts
        if not conflicts:
            return None
        return conflicts[self.index % len(conflicts)]

    def _show(self) -> None:
        conflict = self.current
        if conflict is None:
            self.dismiss(None)
            return
        count = len(self.session.conflicts)
        item = self.session.checklist.item_index.get(conflict.item_id)
        title = item.title if item is not None else ""
        self.query_one("#conflict-title", Label).update(
            literal(
                f"Conflict {self.index % count + 1} of {count}: {conflict.item_id} "
                f"{safe_line(title)} · {conflict.field}"
            )
        )
        checklist = self.session.checklist
        self.query_one("#conflict-mine", Static).update(
            self._side(
                f"Mine ({self.session.user}, not saved)"
                if conflict.mine_at is None
                else f"Set aside ({conflict.mine_by}, {when(conflict.mine_at)})",
                value_text(checklist, conflict.field, conflict.mine),
            )
        )
        their_when = when(conflict.their_at) if conflict.their_at else "saved"
        self.query_one("#conflict-theirs", Static).update(
            self._side(
                f"Theirs ({conflict.their_by or 'someone else'}, {their_when})",
                value_text(checklist, conflict.field, conflict.theirs),
            )
        )

    @staticmethod
    def _side(heading: str, text: str) -> Content:
        return assemble((heading, "bold underline"), "\n\n", text)

    def action_keep(self, which: Literal["mine", "theirs"]) -> None:
        conflict = self.current
        if conflict is None:
            self.dismiss(None)
            return
        change = self.session.resolve(conflict.item_id, conflict.field, which)
        self.resolved(change, conflict.item_id)
        self._show()

    def action_next(self) -> None:
        self.index += 1
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)
