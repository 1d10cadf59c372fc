"""The right-hand pane of the assess screen: one item, its sources and its response.

Everything from the checklist and the user is added as plain text to a
Content, so brackets in a note never become markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from decalogue.model.assessment import Response
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ItemScore
from decalogue.plural import counted
from decalogue.tui.display import (
    GLYPH_ACTIONS,
    GLYPH_CARRIED,
    GLYPH_EVIDENCE,
    GLYPH_FLAG,
    GLYPH_NOTES,
    GLYPH_TARGET,
    Part,
    action_line,
    answer_words,
    assemble,
    evidence_line,
    figure,
    literal,
    when,
)

HEADING = "bold underline"


class ItemDetail(VerticalScroll):
    """Shows one item; `show()` replaces the text, nothing else is rebuilt."""

    can_focus = True

    def __init__(
        self,
        checklist: Checklist,
        *,
        explore: bool,
        keys: Mapping[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.checklist = checklist
        self.explore = explore
        self.keys: Mapping[str, str] = keys or {}
        """Action → its key, from the screen's bindings: every "(k)" shown comes from here."""
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
                counts = (
                    f"pillar · {counted(len(pillar.sections), 'section')} · "
                    f"{counted(items, 'item')}"
                )
                return self._group_content(pillar.id, pillar.title, counts, pillar.summary)
            for section in pillar.sections:
                if section.id == group_id:
                    where = f"{pillar.title} › section · {counted(len(section.items), 'item')}"
                    return self._group_content(section.id, section.title, where, section.summary)
        return literal("Highlight an item in the tree to see it here.")

    @staticmethod
    def _group_content(group_id: str, title: str, where: str, summary: str) -> Content:
        parts: list[Part] = [
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
        """The item: the answer block first (the user's own work), the reference below."""
        checklist = self.checklist
        if item_id is None:
            return literal("Highlight an item in the tree to see it here.")
        item = checklist.item_index[item_id]
        place = checklist.places[item_id]
        meta = [f"{place.pillar.title} › {place.section.title}", f"weight {item.weight:g}"]
        if item.tags:
            meta.append("tags: " + ", ".join(item.tags))
        parts: list[Part] = [
            (item.id, "bold"),
            "  ",
            (item.title, "bold"),
            "\n",
            (" · ".join(meta), "dim"),
            "\n\n",
        ]
        if not self.explore:
            parts += self._answer_block(response, score)
        parts += self._reference(item_id, response)
        return assemble(*parts)

    def _key(self, action: str) -> tuple[str, str]:
        """A dim "  (k)" naming the key bound to `action`."""
        return (f"  ({self.keys[action]})", "dim") if action in self.keys else ("", "dim")

    def _answer_block(self, response: Response | None, score: ItemScore | None) -> list[Part]:
        scale = self.checklist.scale
        parts: list[Part] = [("Answer  ", "bold"), answer_words(scale, response)]
        if score is not None and score.score is not None:
            parts.append(f"  (score {figure(score.score)})")
        if "score" in self.keys and "not_applicable" in self.keys:
            parts.append((f"  ({self.keys['score']}, {self.keys['not_applicable']})", "dim"))
        parts.append("\n")
        if response is not None and response.not_applicable:
            parts += [("N/A reason  ", "bold"), response.na_reason, "\n"]
        if response is not None and response.carried and response.answered:
            key = self.keys.get("confirm")
            hint = f"  ({key}: confirm it for this period, or change it)" if key else ""
            parts += [(f"{GLYPH_CARRIED} carried forward, not yet confirmed", "bold")]
            parts += [(hint, "dim"), "\n"]
        target = response.target if response else None
        parts.append(("Target  ", "bold"))
        if target is None:
            parts.append(("not set", "dim"))
        else:
            parts.append(f"{GLYPH_TARGET} {target} {scale.label(target)}")
            if score is not None and score.gap:
                parts.append(f"  (gap {score.gap})")
        parts += [self._key("target"), "\n"]
        if response is not None and response.flagged:
            parts += [(f"{GLYPH_FLAG} flagged for review", "bold"), self._key("flag"), "\n"]
        parts += self._text_field(
            "Notes", GLYPH_NOTES, response.notes if response else "", "edit_notes"
        )
        parts += [(f"{GLYPH_EVIDENCE} Evidence", "bold"), self._key("edit_evidence")]
        if response and response.evidence:
            parts.append("\n")
            for evidence in response.evidence:
                parts += ["• ", evidence_line(evidence), "\n"]
        else:
            parts += [("  none", "dim"), "\n"]
        parts += self._text_field(
            "Finding / recommendation", None, response.finding if response else "", "edit_finding"
        )
        parts += [(f"{GLYPH_ACTIONS} Actions", "bold"), self._key("edit_actions")]
        if response and response.actions:
            parts.append("\n")
            for action in response.actions:
                parts += ["• ", action_line(action), "\n"]
        else:
            parts += [("  none", "dim"), "\n"]
        if response is not None and response.changed_at is not None:
            who = response.changed_by or "unknown"
            parts += [(f"Last change {when(response.changed_at)} by {who}", "dim")]
            parts += [(" · history", "dim"), self._key("history"), "\n"]
        parts.append("\n")
        return parts

    def _text_field(self, title: str, glyph: str | None, text: str, action: str) -> list[Part]:
        heading = f"{glyph} {title}" if glyph else title
        if not text:
            return [(heading, "bold"), self._key(action), ("  none", "dim"), "\n"]
        return [(heading, "bold"), self._key(action), "\n", text, "\n"]

    def _reference(self, item_id: str, response: Response | None) -> list[Part]:
        """Question, guidance, the levels' descriptors and the sources."""
        checklist = self.checklist
        item = checklist.item_index[item_id]
        scale = checklist.scale
        parts: list[Part] = [("Question", HEADING), "\n", item.question, "\n"]
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
            hint = (
                f"  ({self.keys['source']}: open the first quote)" if "source" in self.keys else ""
            )
            parts += ["\n", ("Sources", HEADING), (hint, "dim"), "\n"]
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
        return parts
