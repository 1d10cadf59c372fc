"""The presenter view: one item at a time, large and plain, for the room's projector.

The question, the quote from its source (with the source's title and date),
each group's level, note, finding and evidence, the median and spread, and the
discussion timer: a count-down per item (5 minutes unless + and - change it;
past zero it counts the overrun with a minus) and the time since the view opened.
Items come in the workshop's divergence order. Presentation clickers send page
up / page down, so those keys move too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Static

from decalogue import clock
from decalogue.analysis.consensus import Decision, rule_decision
from decalogue.analysis.workshop import ItemSpread, Workshop
from decalogue.reports.workshop import answered_by
from decalogue.tui.display import Part, assemble
from decalogue.tui.screens.workshop_data import answer_lines, answer_words
from decalogue.tui.widgets.footer import KeyFooter

#: Discussion time per item, in seconds, until + or - changes it.
BUDGET = 5 * 60.0


def minutes(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class PresenterScreen(Screen[str | None]):
    """Dismissed with the id of the item shown last, so the workshop table follows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the scrolling body would take the arrows and page keys otherwise.
        Binding("right", "next", "Next", id="presenter.next", tooltip="Next item", priority=True),
        Binding(
            "left",
            "previous",
            "Previous",
            id="presenter.previous",
            tooltip="Previous item",
            priority=True,
        ),
        Binding(
            "space",
            "next",
            "Next",
            id="presenter.next-space",
            show=False,
            tooltip="Next item",
            priority=True,
        ),
        Binding(
            "pagedown",
            "next",
            "Next",
            id="presenter.next-page",
            show=False,
            tooltip="Next item (presentation clicker)",
            priority=True,
        ),
        Binding(
            "pageup",
            "previous",
            "Previous",
            id="presenter.previous-page",
            show=False,
            tooltip="Previous item (presentation clicker)",
            priority=True,
        ),
        Binding(
            "t",
            "restart_timer",
            "Restart timer",
            id="presenter.timer",
            tooltip="This item's count-down back to the full time",
        ),
        Binding(
            "plus,equals_sign",
            "budget(1)",
            "+1 min",
            id="presenter.more-time",
            tooltip="One more minute per item",
        ),
        Binding(
            "minus",
            "budget(-1)",
            "-1 min",
            id="presenter.less-time",
            tooltip="One minute less per item",
        ),
        Binding("escape", "back", "Back", id="presenter.back", tooltip="Back to the workshop"),
    ]

    def __init__(
        self,
        workshop: Workshop,
        index: int = 0,
        decision: Callable[[ItemSpread], Decision] = rule_decision,
    ) -> None:
        super().__init__()
        self.workshop = workshop
        self.order = workshop.ranking
        self.index = max(0, min(index, len(self.order) - 1))
        self.decision = decision
        self.spent: dict[str, float] = {}
        """Seconds spent on each item on earlier visits."""
        self._since = clock.monotonic()
        self._opened = self._since
        self.budget = BUDGET
        """Seconds of discussion per item, counted down."""
        self._ticker: Timer | None = None

    @property
    def item(self) -> ItemSpread:
        return self.order[self.index]

    def compose(self) -> ComposeResult:
        with Horizontal(id="presenter-head"):
            yield Static(Content(""), id="presenter-where")
            yield Digits("00:00", id="presenter-timer")
        yield Static(Content(""), id="presenter-clock")
        with VerticalScroll(id="presenter-body"):
            yield Static(Content(""), id="presenter-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()
        self.query_one("#presenter-body").focus()
        self._ticker = self.set_interval(1.0, self._tick)

    # -- showing

    def elapsed(self) -> float:
        return self.spent.get(self.item.item_id, 0.0) + clock.monotonic() - self._since

    def remaining(self) -> float:
        """Seconds left of this item's discussion time; negative past it."""
        return self.budget - self.elapsed()

    def timer_text(self) -> str:
        """The timer in words, beside the digits (never colour alone)."""
        left = self.remaining()
        now = (
            f"{minutes(left)} left of {minutes(self.budget)} for this item"
            if left >= 0
            else f"time is up: {minutes(-left)} over {minutes(self.budget)}"
        )
        return f"⏱ {now} · {minutes(clock.monotonic() - self._opened)} in all"

    def _tick(self) -> None:
        left = self.remaining()
        self.query_one("#presenter-timer", Digits).update(
            minutes(left) if left >= 0 else "-" + minutes(-left)
        )
        self.query_one("#presenter-clock", Static).update(Content(self.timer_text()))

    def _show(self) -> None:
        checklist = self.workshop.checklist
        item = checklist.item_index[self.item.item_id]
        place = checklist.places[item.id]
        spread = self.item
        scale = checklist.scale
        na = scale.not_applicable.label
        self.query_one("#presenter-where", Static).update(
            assemble(
                (f"{item.id}  {item.title}", "bold"),
                "\n",
                f"Item {self.index + 1} of {len(self.order)}, most disputed first",
                "\n",
                (f"{place.pillar.title} › {place.section.title}", "dim"),
            )
        )
        median = "–" if spread.median is None else f"{spread.median:g}"
        gap = "–" if spread.spread is None else str(spread.spread)
        status = "≠ conflict" if spread.conflict else "= within one level"
        if not spread.levels and not spread.not_applicable:
            status = "– no answers"
        elif not spread.conflict and answered_by(spread):
            status += f" ({answered_by(spread)})"
        # Where the room stands comes before the quote and the groups' notes, so a small
        # projector (80x24) shows it without scrolling.
        parts: list[Part] = [(item.question, "bold"), "\n", "\n"]
        parts += [("Median ", "bold"), median, ("   Spread ", "bold"), gap, "   ", status]
        decision = self.decision(spread)
        parts += ["\n", ("Consensus ", "bold"), _decision(decision, na, scale.label), "\n"]
        quoted = [ref for ref in item.refs if ref.quote]
        for ref in quoted:
            source = checklist.source_index.get(ref.source)
            label = checklist.source_label(source) if source else ref.source
            parts += ["\n", f"“{' '.join((ref.quote or '').split())}”", "\n"]
            parts += [(f"  — {label}", "italic"), "\n"]
        if not quoted:
            parts += ["\n", ("No quote from a source for this item.", "dim"), "\n"]
        parts += ["\n", ("The groups", "bold underline"), "\n"]
        width = max(len(g.name) for g in self.workshop.groups)
        for answer in spread.answers:
            words = answer_words(answer, scale)
            parts += [(f"{answer.group:<{width}}  {words}", "bold"), "\n"]
            parts += answer_lines(answer, width)
        self.query_one("#presenter-text", Static).update(assemble(*parts))
        self.query_one("#presenter-body", VerticalScroll).scroll_home(animate=False)
        self._tick()

    # -- moving

    def _move(self, step: int) -> None:
        target = self.index + step
        if not 0 <= target < len(self.order):
            self.notify("That was the last item." if step > 0 else "This is the first item.")
            return
        self.spent[self.item.item_id] = self.elapsed()
        self.index = target
        self._since = clock.monotonic()
        self._show()

    def action_next(self) -> None:
        self._move(1)

    def action_previous(self) -> None:
        self._move(-1)

    def action_budget(self, step: int) -> None:
        self.budget = max(60.0, min(60.0 * 60, self.budget + 60.0 * step))
        self._tick()

    def action_restart_timer(self) -> None:
        self.spent.pop(self.item.item_id, None)
        self._since = clock.monotonic()
        self._tick()

    def action_back(self) -> None:
        self.dismiss(self.item.item_id)


def _decision(decision: Decision, na: str, label: Callable[[int], str]) -> str:
    if decision.kind == "level" and decision.level is not None:
        return f"{decision.level} {label(decision.level)}"
    if decision.kind == "na":
        return na
    return "open (to be decided)"
