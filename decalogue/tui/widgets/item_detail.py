"""The right-hand pane of the assess screen: one item, its sources and its response.

Everything from the checklist and the user is added as plain text to a
Content, so brackets in a note never become markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from decalogue.model.assessment import Response
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ItemScore
from decalogue.tui.display import (
    GLYPH_CARRIED,
    GLYPH_FLAG,
    GLYPH_TARGET,
    answer_words,
    assemble,
    figure,
    literal,
    when,
)

HEADING = "bold underline"


class ItemDetail(VerticalScroll):
    """Shows one item; `show()` replaces the text, nothing else is rebuilt."""

    can_focus = True

    def __init__(self, checklist: Checklist, *, explore: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.checklist = checklist
        self.explore = explore
        self.item_id: str | None = None
        self._body = Static(Content(""), id="detail-body", expand=True)

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, item_id: str | None, response: Response | None, score: ItemScore | None) -> None:
        if item_id != self.item_id:
            self.scroll_home(animate=False)
        self.item_id = item_id
        self._body.update(self.render_item(item_id, response, score))

    def show_group(self, group_id: str) -> None:
        """A pillar's or section's title and summary, for the cursor on a group line."""
        self.scroll_home(animate=False)
        self.item_id = None
        self._body.update(self.render_group(group_id))

    def render_group(self, group_id: str) -> Content:
        for pillar in self.checklist.pillars:
            if pillar.id == group_id:
                items = sum(len(section.items) for section in pillar.sections)
                counts = f"pillar · {len(pillar.sections)} sections · {items} items"
                return self._group_content(pillar.id, pillar.title, counts, pillar.summary)
            for section in pillar.sections:
                if section.id == group_id:
                    where = f"{pillar.title} › section · {len(section.items)} items"
                    return self._group_content(section.id, section.title, where, section.summary)
        return literal("Highlight an item in the tree to see it here.")

    @staticmethod
    def _group_content(group_id: str, title: str, where: str, summary: str) -> Content:
        parts: list[str | Content | tuple[str, str]] = [
            (group_id, "bold"),
            "  ",
            (title, "bold"),
            "\n",
            (where, "dim"),
            "\n\n",
        ]
        if summary:
            parts += [summary, "\n"]
        return assemble(*parts)

    def render_item(
        self, item_id: str | None, response: Response | None, score: ItemScore | None
    ) -> Content:
        checklist = self.checklist
        if item_id is None:
            return literal("Highlight an item in the tree to see it here.")
        item = checklist.item_index[item_id]
        place = checklist.places[item_id]
        scale = checklist.scale
        parts: list[str | Content | tuple[str, str]] = [
            (item.id, "bold"),
            "  ",
            (item.title, "bold"),
            "\n",
            (f"{place.pillar.title} › {place.section.title}", "dim"),
            "\n",
        ]
        meta = [f"weight {item.weight:g}"]
        if item.tags:
            meta.append("tags: " + ", ".join(item.tags))
        parts += [(" · ".join(meta), "dim"), "\n\n"]
        if not self.explore:
            parts += [("Answer  ", "bold"), answer_words(scale, response)]
            if score is not None and score.score is not None:
                parts.append(f"  (score {figure(score.score)})")
            parts.append("\n")
            target = response.target if response else None
            parts += [("Target  ", "bold")]
            if target is None:
                parts.append("not set (t)")
            else:
                parts.append(f"{GLYPH_TARGET} {target} {scale.label(target)}")
                if score is not None and score.gap:
                    parts.append(f"  (gap {score.gap})")
            parts.append("\n")
            if response is not None and response.carried and response.answered:
                parts += [
                    (f"{GLYPH_CARRIED} carried forward, not yet confirmed", "bold"),
                    ("  (c: confirm it for this period, or change it)", "dim"),
                    "\n",
                ]
            if response is not None and response.flagged:
                parts += [(f"{GLYPH_FLAG} flagged for review", "bold"), "\n"]
            if response is not None and response.not_applicable:
                parts += [("N/A reason  ", "bold"), response.na_reason, "\n"]
            parts.append("\n")
        parts += [("Question", HEADING), "\n", item.question, "\n"]
        if item.guidance:
            parts += ["\n", ("Guidance", HEADING), "\n", item.guidance, "\n"]
        parts += ["\n", ("Levels", HEADING), "\n"]
        current = response.level if response is not None else None
        for level in scale.levels:
            marker = "▶ " if current == level.value else "  "
            parts += [(f"{marker}{level.value} {level.label}", "bold")]
            text = item.descriptors.get(level.value) or level.description
            if text:
                parts += [" — ", text]
            parts.append("\n")
        parts += [f"  {scale.not_applicable.label}: {scale.not_applicable.description}", "\n"]
        if item.refs:
            parts += ["\n", ("Sources", HEADING), ("  (s: open the first quote)", "dim"), "\n"]
            for ref in item.refs:
                source = checklist.source_index.get(ref.source)
                label = checklist.source_label(source) if source else ref.source
                if ref.quote:
                    parts += [f"“{ref.quote}”", "\n", ("  — " + label, "italic"), "\n"]
                else:
                    parts += [(label, "italic")]
                    if ref.locator:
                        parts.append(f", {ref.locator}")
                    parts.append("\n")
        if not self.explore:
            parts += ["\n", ("Notes", HEADING), ("  (e)", "dim"), "\n"]
            parts += [response.notes if response and response.notes else ("none", "dim"), "\n"]
            parts += ["\n", ("Evidence", HEADING), ("  (v)", "dim"), "\n"]
            if response and response.evidence:
                for evidence in response.evidence:
                    parts += ["• ", evidence.description]
                    for extra in (evidence.link, evidence.document):
                        if extra:
                            parts += [" — ", extra]
                    parts.append("\n")
            else:
                parts += [("none", "dim"), "\n"]
            parts += ["\n", ("Finding / recommendation", HEADING), ("  (g)", "dim"), "\n"]
            parts += [
                response.finding if response and response.finding else ("none", "dim"),
                "\n",
            ]
            if response is not None and response.changed_at is not None:
                who = response.changed_by or "unknown"
                parts += ["\n", (f"Last change {when(response.changed_at)} by {who}", "dim")]
        return assemble(*parts)
