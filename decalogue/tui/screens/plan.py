"""The Plan screen: every action of the assessment, overdue ones marked, enter jumps to the item.

The list, its order, its filter and what counts as overdue all come from
`analysis.plan`, the same as `decalogue plan` and the reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from decalogue import clock
from decalogue.analysis.plan import ORDERS, Order, PlanEntry, ordered, plan_entries, select
from decalogue.plural import counted
from decalogue.reports.plan import status_text
from decalogue.session import Session
from decalogue.tui.display import safe_line
from decalogue.tui.widgets.footer import KeyFooter


class PlanScreen(Screen[str | None]):
    """The action plan; dismisses with the item to jump to, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="plan.back", tooltip="Back to the assessment"),
        Binding(
            "o",
            "order",
            "Order",
            id="plan.order",
            tooltip="Order by deadline, institution, status or item",
        ),
        Binding(
            "i",
            "institution",
            "Institution",
            id="plan.institution",
            tooltip="Show one institution's actions",
        ),
        Binding("v", "overdue", "Overdue", id="plan.overdue", tooltip="Show only overdue actions"),
    ]

    def __init__(self, session: Session, today: Callable[[], date] | None = None) -> None:
        super().__init__()
        self.session = session
        self._today = today
        """The date the plan is read on; `clock.today` unless a test gives one."""
        self.order: Order = "deadline"
        self.owner = ""
        self.overdue_only = False
        self._rows: list[PlanEntry] = []

    def compose(self) -> ComposeResult:
        yield Static(id="plan-title", classes="screen-title")
        yield Input(placeholder="Institution (part of the name); enter to apply", id="plan-owner")
        yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#plan-owner", Input).display = False
        table = self.query_one(DataTable)
        table.add_columns("Deadline", "Status", "Item", "Institution", "Action")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        today = self._today() if self._today is not None else clock.today()
        entries = plan_entries(self.session.checklist, self.session.assessment, today)
        chosen = select(entries, owner=self.owner or None, overdue=self.overdue_only)
        self._rows = ordered(chosen, self.order)
        table = self.query_one(DataTable)
        table.clear()
        for entry in self._rows:
            action = entry.action
            style = "bold red" if entry.overdue else ""
            table.add_row(
                Text(action.deadline.isoformat() if action.deadline else "none", style=style),
                Text(status_text(entry), style=style),
                Text(entry.item_id),
                Text(safe_line(action.owner or "-")),
                Text(safe_line(action.what)),
                key=f"{entry.item_id}/{action.id}",
            )
        overdue = sum(1 for e in entries if e.overdue)
        shown = f"{len(self._rows)} of {counted(len(entries), 'action')}"
        filters = []
        if self.owner:
            filters.append(f"institution contains {self.owner!r}")
        if self.overdue_only:
            filters.append("overdue only")
        title = (
            f"Action plan · {shown} · {overdue} overdue on {today.isoformat()} · "
            f"ordered by {self.order}" + (f" · {', '.join(filters)}" if filters else "")
        )
        self.query_one("#plan-title", Static).update(Text(safe_line(title)))
        if not entries:
            self.query_one("#plan-title", Static).update(
                Text("Action plan · no actions yet: press a on an item to add one")
            )

    def action_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self._fill()

    def action_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self._fill()

    def action_institution(self) -> None:
        field = self.query_one("#plan-owner", Input)
        field.display = True
        field.value = self.owner
        field.focus()

    @on(Input.Submitted, "#plan-owner")
    def _owner_chosen(self, event: Input.Submitted) -> None:
        self.owner = event.value.strip()
        event.input.display = False
        self._fill()
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _jump(self, event: DataTable.RowSelected) -> None:
        if event.cursor_row < len(self._rows):
            self.dismiss(self._rows[event.cursor_row].item_id)

    def action_back(self) -> None:
        field = self.query_one("#plan-owner", Input)
        if field.has_focus:
            field.display = False
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)
