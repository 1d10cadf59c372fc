"""The checklist as a tree: pillars, sections, items, each with its answer and progress.

A scoring keystroke relabels three nodes (the item, its section, its pillar);
the tree is rebuilt only when the filter changes. Above EAGER_LIMIT items the
sections start collapsed and get their item nodes when first expanded; the
section after the cursor's is opened once the frame is out, so that `]` or the
down key into it only moves the cursor. Once the frame is out, too, the page
below the view is rendered, so that a jump that scrolls a page only draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from decalogue.model.assessment import Response
from decalogue.model.checklist import Checklist, Section
from decalogue.model.scoring import ScoreBoard
from decalogue.tui.display import answer_short, figure, markers, progress, safe_line
from decalogue.tui.filtering import ItemFilter

#: Up to this many items the whole tree is built at once; beyond, sections fill on expand.
EAGER_LIMIT = 1500

#: Lines kept in view before an item a jump scrolls to (the section's title, the item before).
CONTEXT = 2

Kind = Literal["pillar", "section", "item"]


@dataclass(frozen=True)
class NodeRef:
    kind: Kind
    id: str


class ChecklistTree(Tree[NodeRef]):
    """Pillars → sections → items; posts which item is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="tree.down", tooltip="Next line", show=False),
        Binding("k", "cursor_up", "Up", id="tree.up", tooltip="Previous line", show=False),
    ]

    @dataclass
    class ItemHighlighted(Message):
        """The cursor is on an item, or on a pillar or section (item_id None, group_id set)."""

        item_id: str | None
        group_id: str | None = None

    @dataclass
    class ItemChosen(Message):
        """Enter or a click on an item."""

        item_id: str

    def __init__(
        self, checklist: Checklist, board: ScoreBoard | None, *, id: str | None = None
    ) -> None:
        self._pass_style: Style | None = None
        """The widget's style while its lines are drawn: see render_lines."""
        self._label_widths: dict[int, tuple[object, bool, int]] = {}
        """Node id -> (its label, expandable, width): see get_label_width."""
        super().__init__("checklist", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.checklist = checklist
        self.board = board
        self.response_of: Callable[[str], Response | None] = lambda item_id: None
        """Where the markers read an item's response (set by the assess screen)."""
        self.item_filter = ItemFilter()
        self._items: dict[str, TreeNode[NodeRef]] = {}
        self._sections: dict[str, TreeNode[NodeRef]] = {}
        self._pillars: dict[str, TreeNode[NodeRef]] = {}
        self._pending: dict[str, list[str]] = {}
        """Sections whose item nodes are not built yet: their matching item ids."""
        self._following: dict[str, str] = {}
        """Each section shown -> the next one shown."""
        self.matched = 0
        self._section_index = {s.id: s for p in checklist.pillars for s in p.sections}
        self._pillar_index = {p.id: p for p in checklist.pillars}

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """A label's width, computed once per label.

        Every rebuild of the lines (a section opened, e.g. by `]`) measures every
        visible line by rendering its label; with thousands of items open that was
        most of the key's time. A new label is a new object, so it is measured again.
        """
        label, expandable = node._label, node._allow_expand
        cached = self._label_widths.get(node._id)
        if cached is not None and cached[0] is label and cached[1] == expandable:
            return cached[2]
        width = super().get_label_width(node)
        self._label_widths[node._id] = (label, expandable, width)
        return width

    # -- rendering

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines asked for, reading the widget's style once, not once a line.

        Textual's tree reads `rich_style` (a walk up the DOM, combining every
        ancestor's style) for each line it draws; after a scroll, that was about half
        the cost of drawing a line whose rendering the tree had kept.
        """
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        """Textual's own line, with the style read once per render_lines."""
        style = self._pass_style if self._pass_style is not None else self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    # -- building

    def rebuild(self, item_filter: ItemFilter | None = None, keep: str | None = None) -> None:
        """Build the tree for a filter (the only full rebuild), keeping `keep` highlighted."""
        if item_filter is not None:
            self.item_filter = item_filter
        self.clear()
        # clear() keeps the old cursor node, so the next build put the cursor back on
        # the old *row* (another item) without saying so: start from no cursor.
        self.move_cursor(None)
        self._items.clear()
        self._sections.clear()
        self._pillars.clear()
        self._pending.clear()
        self._following.clear()
        checklist, board, flt = self.checklist, self.board, self.item_filter
        plan: list[tuple[str, list[tuple[Section, list[str]]]]] = []
        count = 0
        for pillar in checklist.pillars:
            sections = []
            for section in pillar.sections:
                ids = (
                    [
                        item.id
                        for item in section.items
                        if flt.matches(checklist, item, board.items[item.id] if board else None)
                    ]
                    if flt.active
                    else [item.id for item in section.items]
                )
                if ids:
                    sections.append((section, ids))
                    count += len(ids)
            if sections:
                plan.append((pillar.id, sections))
        self.matched = count
        eager = count <= EAGER_LIMIT
        shown = [section.id for _, sections in plan for section, _ in sections]
        self._following = dict(pairwise(shown))
        first = True
        for pillar_id, sections in plan:
            pillar_node = self.root.add(
                self._pillar_label(pillar_id), NodeRef("pillar", pillar_id), expand=True
            )
            self._pillars[pillar_id] = pillar_node
            for section, ids in sections:
                expand = eager or first
                node = pillar_node.add(
                    self._section_label(section.id), NodeRef("section", section.id), expand=expand
                )
                self._sections[section.id] = node
                if expand:
                    self._fill(node, ids)
                else:
                    self._pending[section.id] = ids
                first = False
        target = keep if keep in self._items else None
        if target is None and self._items:
            target = next(iter(self._items))
        # At once, not after the next frame: a key pressed meanwhile must find the cursor
        # on the item the detail pane is about to show.
        if target is None or not self.select_item(target):
            self.post_message(self.ItemHighlighted(None))
        else:
            self.call_after_refresh(self._show_cursor)

    def _show_cursor(self) -> None:
        """Once the view has its size: the cursor in view, with the lines above it.

        (The cursor moved before the tree had a size sits on the top line, which hid
        the first item's pillar and section headings each time an assessment opened.)
        """
        if self.cursor_node is None:
            return
        line, top = self.cursor_node._line, self.scroll_offset.y
        context = min(CONTEXT, self.scrollable_content_region.height // 3)
        if line - top < context:  # moving the cursor, unsized, put it on the top line
            self.scroll_to(y=max(0, line - context), animate=False)
        else:
            self._scroll_ahead(line)

    def _fill(self, section_node: TreeNode[NodeRef], ids: list[str]) -> None:
        for item_id in ids:
            self._items[item_id] = section_node.add_leaf(
                self._item_label(item_id), NodeRef("item", item_id)
            )

    def _open_ahead(self, section_id: str) -> None:
        """Fill and open the section after this one, if it is still closed and unbuilt.

        Called once the frame that shows the cursor is out: opening a section renders
        every visible line again (at 10,000 items, four times what a move costs), and
        the key that reaches the section then only moves the cursor.
        """
        following = self._following.get(section_id)
        if following is None or following not in self._pending:
            return
        node = self._sections[following]
        self._fill(node, self._pending.pop(following))
        node.expand()

    def _render_ahead(self) -> None:
        """Render the page below the view into the tree's kept lines, while no key waits.

        A jump past the bottom edge scrolls a page (see _scroll_ahead), and every line
        of the new page was rendered in that key's frame: three times what a jump that
        only moves the cursor costs. Called once the frame is out (after _open_ahead,
        whose new lines it then sees), so the key that scrolls finds those lines kept.
        The lines are kept under the same keys Textual's Tree uses when it draws them
        (line, width, the nodes' update counts, the pseudo-classes): a test checks that
        the scrolling jump then renders at most the cursor's lines.
        """
        height = self.scrollable_content_region.height
        if height <= 0 or not self.is_mounted:
            return
        top = self.scroll_offset.y
        end = min(len(self._tree_lines), top + 2 * height + CONTEXT)
        width, style = self.size.width, self.rich_style
        self._pseudo_class_state = self.get_pseudo_class_state()  # as render_lines sets it
        for line in range(top + height, end):
            self._render_line(line, 0, width, style)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "section" and ref.id in self._pending:
            self._fill(event.node, self._pending.pop(ref.id))

    # -- labels

    def _item_label(self, item_id: str) -> Text:
        """ "● 3  ⚑✎§◎→ LF-01 Title": answer and markers first, so a narrow pane never hides them.

        The markers: flagged, has notes, evidence, a target, actions (a space when not).
        """
        item = self.checklist.item_index[item_id]
        label = Text(no_wrap=True, overflow="ellipsis")
        if self.board is not None:
            score = self.board.items[item_id]
            state = answer_short(score, self.checklist.scale.not_applicable.label)
            style = "bold" if score.answered and not score.not_applicable else "italic"
            label.append(f"{state:<5} ", style=style if score.answered else "dim")
            label.append(markers(self.response_of(item_id)) + " ", style="bold")
        label.append(item.id, style="bold")
        label.append(" ")
        label.append(safe_line(item.title))
        return label

    def _section_label(self, section_id: str) -> Text:
        section = self._section_index[section_id]
        label = Text(no_wrap=True, overflow="ellipsis")
        if self.board is not None:
            label.append(f"{progress(self.board.sections[section_id])} ", style="dim")
        else:
            label.append(f"{len(section.items)} ", style="dim")
        label.append(safe_line(section.title))
        return label

    def _pillar_label(self, pillar_id: str) -> Text:
        pillar = self._pillar_index[pillar_id]
        label = Text(no_wrap=True, overflow="ellipsis")
        if self.board is not None:
            group = self.board.pillars[pillar_id]
            label.append(f"{progress(group)} · {figure(group.score)} ", style="dim")
        label.append(safe_line(pillar.title), style="bold")
        return label

    def refresh_item(self, item_id: str) -> None:
        """Relabel an item and the groups above it: all a keystroke needs."""
        node = self._items.get(item_id)
        if node is not None:
            node.set_label(self._item_label(item_id))
        place = self.checklist.places[item_id]
        section = self._sections.get(place.section.id)
        if section is not None:
            self._relabel_group(section, self._section_label(place.section.id))
        pillar = self._pillars.get(place.pillar.id)
        if pillar is not None:
            self._relabel_group(pillar, self._pillar_label(place.pillar.id))

    def _relabel_group(self, node: TreeNode[NodeRef], label: Text) -> None:
        """Repaint only the group's own line, and forget only that line's rendering.

        `set_label` repaints every visible line below a pillar or section, and so does
        `TreeNode.refresh` at the next scroll: the tree keeps each rendered line under
        the update counts of the nodes above it, so counting an update of a pillar
        rendered its thousands of lines again (most of the time of `]` after a score).
        The label is on one line: only that line's kept rendering is dropped.
        """
        node._label = self.process_label(label)
        line = node._line
        cache = self._line_cache
        for key in [key for key in cache.keys() if key[0] == line]:  # noqa: SIM118 (no __iter__)
            cache.discard(key)
        self._refresh_line(line)

    # -- navigation

    @property
    def current_item(self) -> str | None:
        node = self.cursor_node
        if node is None or node.data is None or node.data.kind != "item":
            return None
        return node.data.id

    def shown(self, item_id: str) -> bool:
        """Whether the item passes the filter (is in the tree, built or pending)."""
        if item_id in self._items:
            return True
        section_id = self.checklist.places[item_id].section.id
        return item_id in self._pending.get(section_id, ())

    def select_item(self, item_id: str) -> bool:
        """Move the cursor to an item, expanding (and filling) its section."""
        place = self.checklist.places.get(item_id)
        if place is None:
            return False
        section = self._sections.get(place.section.id)
        if section is None:
            return False
        if place.section.id in self._pending:
            self._fill(section, self._pending.pop(place.section.id))
        node = self._items.get(item_id)
        if node is None:
            return False
        # expand() rebuilds every line of the tree, even when already expanded.
        for group in (self._pillars[place.pillar.id], section):
            if not group.is_expanded:
                group.expand()
        # A node added or uncovered just now has no line number until the lines are
        # rebuilt (reading last_line does it); without this the cursor went to line 0.
        _ = self.last_line
        self._scroll_ahead(node._line)  # first: moving the cursor scrolls only to the edge
        self.move_cursor(node, animate=False)
        return True

    def _scroll_ahead(self, line: int) -> None:
        """Show `line`; when it is below (above) the view, near the top (bottom) of it.

        Scrolling repaints every line of the tree (three times the cost of a move), and
        a cursor kept at the edge scrolled again at the next jump; a page at a time, the
        next jumps the same way land in view. CONTEXT lines stay visible before it.
        """
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if height <= 0 or top <= line < top + height:
            return
        context = min(CONTEXT, height // 3)
        if line >= top + height:
            self.scroll_to(y=max(0, line - context), animate=False)
        else:
            self.scroll_to(y=max(0, line - height + 1 + context), animate=False)

    def action_cursor_down(self) -> None:
        """Down goes to the next item, opening (and filling) a collapsed section on the way."""
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        line = self.cursor_line
        while 0 <= line + step <= self.last_line:
            line += step
            node = self.get_node_at_line(line)
            if node is None or node.data is None:
                return
            if node.data.kind == "item":
                self.move_cursor(node, animate=False)
                return
            if node.data.kind == "section" and not node.is_expanded:
                if node.data.id in self._pending:
                    self._fill(node, self._pending.pop(node.data.id))
                node.expand()
                if step < 0 and node.children:
                    self.move_cursor(node.children[-1], animate=False)
                    return
        if self.cursor_node is None or self.cursor_node.data is None:
            return
        if self.cursor_node.data.kind != "item":
            super().action_cursor_down() if step > 0 else super().action_cursor_up()

    def _on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        event.stop()
        ref = event.node.data
        if ref is not None and ref.kind == "item":
            self.post_message(self.ItemHighlighted(ref.id))
            section_id = self.checklist.places[ref.id].section.id
            if self._following.get(section_id) in self._pending:
                self.call_after_refresh(self._open_ahead, section_id)
            self.call_after_refresh(self._render_ahead)
        else:
            self.post_message(self.ItemHighlighted(None, ref.id if ref is not None else None))

    def _on_tree_node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "item":
            event.stop()
            self.post_message(self.ItemChosen(ref.id))
