"""Help: the keys (from the bindings themselves), the scale, and the scoring rules in words."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from decalogue.model.checklist import Checklist
from decalogue.tui.display import (
    GLYPH_ACTIONS,
    GLYPH_ANSWERED,
    GLYPH_CARRIED,
    GLYPH_EVIDENCE,
    GLYPH_FLAG,
    GLYPH_NA,
    GLYPH_NOTES,
    GLYPH_TARGET,
    GLYPH_UNANSWERED,
    assemble,
)
from decalogue.tui.keys import shown_key
from decalogue.tui.screens.dialogs import ESCAPE_RULE
from decalogue.tui.widgets.footer import KeyFooter

RULES = f"""\
• An answered item scores its level divided by the highest level, times 100.
• A section's score is the weighted average of its answered items; a pillar's, of its
  scored sections; the overall score, of the scored pillars.
• {GLYPH_NA} N/A (with a reason) leaves an item out of the average: it neither raises nor
  lowers a score.
• {GLYPH_UNANSWERED} Unanswered items do not count as zero either: they show as coverage, the
  share of items answered (a level or N/A). A group with nothing scored has no score (–).
• {GLYPH_TARGET} The gap to target is the target level minus the level; the dashboard ranks the
  biggest gaps (weight × gap) first.
• {GLYPH_FLAG} A flag marks an item for a colleague's review; it does not change any score.
• Every change is saved automatically a moment after you make it; the header shows
  saved / saving / unsaved / error. Quitting saves first."""

GLYPHS = (
    f"{GLYPH_ANSWERED} 3 answered at level 3   {GLYPH_NA} N/A   {GLYPH_UNANSWERED} unanswered\n"
    f"  {GLYPH_CARRIED} 3 carried forward from the previous period, not yet confirmed (c)\n"
    f"  after the answer: {GLYPH_FLAG} flagged  {GLYPH_NOTES} has notes  "
    f"{GLYPH_EVIDENCE} has evidence  {GLYPH_TARGET} has a target  {GLYPH_ACTIONS} has actions"
)


def _keys(bindings: list[BindingType], highest: int = 9) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for binding in bindings:
        if not isinstance(binding, Binding) or not (binding.tooltip or binding.description):
            continue
        if binding.action.startswith("score("):
            if "score" in seen:
                continue
            seen.add("score")
            rows.append((f"0-{highest}", "Set the highlighted item's level (the scale's levels)"))
            continue
        rows.append((shown_key(binding), binding.tooltip or binding.description))
    return rows


class HelpScreen(Screen[None]):
    """What the keys do, what the levels mean, how scores are made."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="help.back", tooltip="Close the help"),
    ]

    def __init__(self, checklist: Checklist | None) -> None:
        super().__init__()
        self.checklist = checklist

    def compose(self) -> ComposeResult:
        from decalogue.tui.screens.assess import AssessScreen
        from decalogue.tui.screens.home import HomeScreen

        parts: list[str | Content | tuple[str, str]] = [("Help", "bold"), "\n\n"]

        # What a key does goes on under its own column when it wraps (80 columns and up).
        room = max(30, self.app.size.width - 22)

        def table(title: str, rows: list[tuple[str, str]]) -> None:
            parts.extend([(title, "bold underline"), "\n"])
            for key, text in rows:
                for number, line in enumerate(textwrap.wrap(text, room) or [""]):
                    parts.extend([(f"  {'' if number else key:<12}", "bold"), line, "\n"])
            parts.append("\n")

        highest = min(self.checklist.scale.max_level, 9) if self.checklist else 9
        table(
            "Assess screen",
            [*_keys(AssessScreen.BINDINGS, highest), ("enter", "Edit the notes")],
        )
        table(
            "Home screen",
            [("enter", "Open the highlighted assessment"), *_keys(HomeScreen.BINDINGS)],
        )
        table(
            "Everywhere",
            [
                *_keys(self.app.BINDINGS),
                ("ctrl+p", "Command palette: every action by name; on the assess screen also"),
                ("", "every item by id or title words (type AP-05 and press enter)"),
            ],
        )
        parts.extend([("Dialogs", "bold underline"), "\n", ESCAPE_RULE, "\n\n"])
        parts.extend([("Status glyphs", "bold underline"), "\n  ", GLYPHS, "\n\n"])
        if self.checklist is not None:
            scale = self.checklist.scale
            parts.extend([(f"The scale of {self.checklist.meta.title}", "bold underline"), "\n"])
            for level in scale.levels:
                parts.extend([(f"  {level.value} {level.label}", "bold")])
                if level.description:
                    parts.extend([" — ", level.description])
                parts.append("\n")
            parts.extend(
                [
                    (f"  {scale.not_applicable.label}", "bold"),
                    " — ",
                    scale.not_applicable.description,
                    "\n\n",
                ]
            )
        parts.extend([("How scores are made", "bold underline"), "\n", RULES])
        with VerticalScroll(id="help"):
            yield Static(assemble(*parts), id="help-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_back(self) -> None:
        self.dismiss(None)
