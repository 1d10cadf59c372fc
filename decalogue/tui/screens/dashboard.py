"""The dashboard: scores as bars with their numbers, coverage, levels, gaps and flags.

One list, so every line that names an item or a group is one enter away from
the assess screen (a group opens at its first item). The figures are the
ScoreBoard's; nothing here computes a score.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from decalogue.model.assessment import STATUS_LABELS
from decalogue.model.readiness import carried_phrase
from decalogue.model.scoring import GroupScore
from decalogue.plural import counted
from decalogue.session import Session
from decalogue.tui.display import (
    BAR_FULL,
    GLYPH_CARRIED,
    GLYPH_FLAG,
    GLYPH_NA,
    GLYPH_UNANSWERED,
    assemble,
    bar,
    figure,
    literal,
    progress,
    shorten,
)
from decalogue.tui.widgets.footer import KeyFooter

BAR = 16


class DashboardScreen(Screen[str | None]):
    """Dismissed with the item id to show in the assess screen, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="dashboard.back", tooltip="Back to the items"),
        Binding(
            "d", "back", "Back", id="dashboard.back-d", tooltip="Back to the items", show=False
        ),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.name_width = 30

    def compose(self) -> ComposeResult:
        assessment = self.session.assessment
        yield Static(
            assemble(
                ("Dashboard", "bold"),
                " · ",
                f"{assessment.country.name} ({assessment.country.code}) · {assessment.period}",
                " · ",
                (STATUS_LABELS[assessment.status], "bold"),
            ),
            id="dashboard-title",
        )
        # Names get what the bars, the figures and a carried count (" ↻12") leave of the
        # width (80 columns and up), so that the count never wraps onto a line of its own.
        self.name_width = max(16, min(48, self.app.size.width - BAR - 29))
        yield OptionList(*self._options(), id="dashboard")
        yield KeyFooter()

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.focus()

    def _group_line(self, indent: str, group: GroupScore, bold: bool) -> Content:
        width = self.name_width
        name = indent + shorten(group.title, width - len(indent))
        carried = f" {GLYPH_CARRIED}{group.carried}" if group.carried else ""
        return assemble(
            (f"{name:<{width}} ", "bold" if bold else ""),
            bar(group.score, BAR),
            f" {figure(group.score):>5}",
            (f" {progress(group):>7}", "dim"),
            carried,
        )

    def _options(self) -> list[Option | None]:
        board = self.session.board
        checklist = self.session.checklist
        scale = checklist.scale
        overall = board.overall
        options: list[Option | None] = []

        def heading(text: str) -> None:
            options.append(Option(Content.styled(text, "bold underline"), disabled=True))

        done = overall.answered + overall.not_applicable
        target = (
            "target not set"
            if overall.target_score is None
            else f"{overall.below_target} below target"
        )
        summary = (
            f"Overall score {figure(overall.score)} · coverage {overall.coverage:.0f}% "
            f"({done}/{overall.total}: {overall.answered} scored, {overall.not_applicable} "
            f"{scale.not_applicable.label}, {overall.unanswered} unanswered) · "
            f"{overall.flagged} flagged · {target}"
        )
        options.append(Option(literal(summary), disabled=True))
        if overall.carried:
            assessment = self.session.assessment
            behind = (
                f": {overall.carried_scored} of the {counted(overall.answered, 'scored answer')}"
                " behind the overall score"
                if overall.answered
                else ""
            )
            carried = (
                f"{GLYPH_CARRIED} {counted(overall.carried, 'answer')} "
                f"{carried_phrase(assessment)}, not yet reviewed{behind} "
                "(c on an item confirms it)"
            )
            options.append(Option(literal(carried), disabled=True))
        options.append(None)
        options.extend(self._readiness(heading))
        options.append(None)
        heading(f"Scores by pillar and section (0-100), items answered, {GLYPH_CARRIED} carried")
        for pillar in checklist.pillars:
            first = pillar.sections[0].items[0].id
            options.append(
                Option(
                    self._group_line("", board.pillars[pillar.id], True),
                    id=f"pillar:{pillar.id}:{first}",
                )
            )
            for section in pillar.sections:
                options.append(
                    Option(
                        self._group_line("\u00a0\u00a0", board.sections[section.id], False),
                        id=f"section:{section.id}:{section.items[0].id}",
                    )
                )
        options.append(None)
        heading("Answers by level")
        counts = [
            (f"{level.value} {level.label}", overall.levels.get(level.value, 0))
            for level in scale.levels
        ]
        counts.append((f"{GLYPH_NA} {scale.not_applicable.label}", overall.not_applicable))
        counts.append((f"{GLYPH_UNANSWERED} unanswered", overall.unanswered))
        most = max((count for _, count in counts), default=0) or 1
        for label, count in counts:
            width = round(count / most * BAR)
            options.append(
                Option(
                    assemble(
                        f"{shorten(label, self.name_width):<{self.name_width}} ",
                        BAR_FULL * width,
                        f" {count}",
                    ),
                    disabled=True,
                )
            )
        options.append(None)
        heading("Top gaps to target (enter: go to the item)")
        gaps = board.top_gaps(10)
        if not gaps:
            none = (
                "Target not set: no gap to show. Set targets with t on the items."
                if overall.target_score is None
                else "No answered item is below its target."
            )
            options.append(Option(literal(none), disabled=True))
        for score in gaps:
            item = checklist.item_index[score.item_id]
            line = (
                f"{item.id} {shorten(item.title, self.name_width - len(item.id) - 1)}  "
                f"level {score.level} → target {score.target} (gap {score.gap})"
            )
            options.append(Option(literal(line), id=f"gap:{item.id}"))
        options.append(None)
        heading(f"{GLYPH_FLAG} Flagged for review")
        flagged = board.flagged()
        if not flagged:
            options.append(Option(literal("Nothing flagged: f flags an item."), disabled=True))
        for item_id in flagged:
            item = checklist.item_index[item_id]
            options.append(
                Option(literal(f"{GLYPH_FLAG} {item.id} {item.title}"), id=f"flag:{item_id}")
            )
        return options

    def _readiness(self, heading: Callable[[str], None]) -> list[Option | None]:
        """The core's readiness check: each open kind, enter goes to its first item."""
        check = self.session.readiness()
        heading(f"Ready for final? {'yes' if check.ready else 'not yet'}")
        options: list[Option | None] = []
        carried_forward = bool(self.session.assessment.carried_from)
        for point in check.points:
            if point.key == "carried" and not (point.items or carried_forward):
                continue  # never carried forward: nothing to say about carried answers
            mark = "✗" if point.items else "✓"
            line = f"{mark} {point.describe()}"
            if point.items:
                shown = ", ".join(point.items[:6]) + (" …" if point.count > 6 else "")
                line += f": {shown}"
                options.append(Option(literal(line), id=f"ready-{point.key}:{point.items[0]}"))
            else:
                options.append(Option(literal(line), disabled=True))
        return options

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        ident = event.option.id or ""
        if ":" in ident:
            self.dismiss(ident.rsplit(":", 1)[1])

    def action_back(self) -> None:
        self.dismiss(None)
