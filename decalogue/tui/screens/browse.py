"""What the explore and the assess screens share: the checklist tree, the item, the filter.

`ChecklistScreen` browses a checklist: the tree on the left, the highlighted
item (or group) on the right, `/` to filter, `s` for the cited source, escape to
clear the filter or go back. The explore screen adds nothing that writes; the
assess screen adds the session, its scoring keys and saving.
"""

from __future__ import annotations

import gc
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input

from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import safe_line
from decalogue.tui.filtering import ItemFilter
from decalogue.tui.keys import action_keys
from decalogue.tui.widgets.checklist_tree import ChecklistTree
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.widgets.item_detail import ItemDetail
from decalogue.tui.widgets.status_line import StatusLine

#: A priority binding: it runs as the key is read, so the keys typed straight after it
#: (a fast typist, a paste) reach the filter; otherwise they went to the tree, where a
#: digit scored the item under the cursor.
FILTER = Binding(
    "slash",
    "filter",
    "Filter",
    id="assess.filter",
    tooltip="Filter the tree: words, unanswered, answered, carried, flagged, na, tag:X, pillar:X",
    priority=True,
)
SOURCE = Binding("s", "source", "Source", id="assess.source", tooltip="View the cited source")
BACK = Binding(
    "escape",
    "back",
    "Back",
    id="assess.back",
    tooltip="Clear the filter or go home",
    show=False,
)


class GoToItem(Provider):
    """The checklist's items, by id or by words of their title: "AP-05" goes to AP-05."""

    def _items(self) -> list[tuple[str, str]]:
        screen = self.screen
        if not isinstance(screen, ChecklistScreen):
            return []
        return [(item.id, f"{item.id} {safe_line(item.title)}") for item in screen.checklist.items]

    def _go(self, item_id: str) -> partial[None]:
        screen = self.screen
        assert isinstance(screen, ChecklistScreen)
        return partial(screen.go_to, item_id)

    async def search(self, query: str) -> Hits:
        needle = query.strip().casefold()
        if not needle:
            return
        matcher = self.matcher(query)
        for item_id, text in self._items():
            if item_id.casefold() == needle:
                score = 1.0  # the exact id first, above any fuzzy match
            elif item_id.casefold().startswith(needle):
                score = 0.95
            else:
                score = matcher.match(text) * 0.9
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), self._go(item_id), text=text, help="go to item"
                )


class ChecklistScreen(Screen[None]):
    """A checklist as a tree and the highlighted item; subclasses say what else is shown."""

    COMMANDS: ClassVar = {GoToItem}

    def __init__(self, checklist: Checklist, board: ScoreBoard | None) -> None:
        super().__init__()
        self.checklist = checklist
        self.checklist_tree = ChecklistTree(checklist, board, id="tree")
        self.detail = ItemDetail(checklist, explore=board is None, id="detail")
        self.status = StatusLine(id="status")
        self.filter_input = Input(
            placeholder="filter: words, unanswered, carried, flagged, na, tag:X, pillar:X",
            id="filter",
        )
        self.detail.keys = action_keys(self._all_bindings())

    def _all_bindings(self) -> list[Binding]:
        """This screen's bindings as they are now: the detail pane's "(k)" labels come from here."""
        return [b for group in self._bindings.key_to_bindings.values() for b in group]

    def first_item(self) -> str | None:
        """The item to highlight first (None: the checklist's first)."""
        return None

    @property
    def context(self) -> Context:
        return app_context(self.app)

    def compose(self) -> ComposeResult:
        yield self.status
        with Horizontal(id="assess-body"):
            with Vertical(id="tree-pane"):
                yield self.filter_input
                yield self.checklist_tree
            yield self.detail
        yield KeyFooter()

    def on_mount(self) -> None:
        self.filter_input.display = False
        self.checklist_tree.rebuild(keep=self.first_item())
        self.checklist_tree.focus()
        self._refresh_status()
        # The checklist, the answers and the widgets live as long as the screen: once
        # shown, the cycle collector need not walk them again (full collections of a
        # 1,000-item heap took up to 0.3 s, in the middle of keystrokes).
        self.call_after_refresh(gc.freeze)

    def on_unmount(self) -> None:
        gc.unfreeze()  # what this screen held can be collected again

    # -- what is shown (subclasses fill in the header and the item's answer)

    def _refresh_status(self) -> None:
        raise NotImplementedError

    def _show_detail(self, item_id: str | None) -> None:
        self.detail.show(item_id, None, None)

    @on(ChecklistTree.ItemHighlighted)
    def _highlighted(self) -> None:
        # The tree's cursor now, not the message's: after a rebuild or a jump a message
        # can be a step behind, and the pane must show the item a key would change.
        node = self.checklist_tree.cursor_node
        ref = node.data if node is not None else None
        if ref is not None and ref.kind != "item":
            # A pillar or section: its summary says what it is drawn from (and, for the
            # bundled Decalogue pillar, that its themes are not the official ten points).
            self.detail.show_group(ref.id)
            return
        self._show_detail(ref.id if ref is not None else None)

    def go_to(self, item_id: str) -> None:
        """Show an item (from the dashboard): clears a filter that hides it."""
        if not self.checklist_tree.shown(item_id):
            self.filter_input.value = ""
            self.filter_input.display = False
            self.checklist_tree.rebuild(ItemFilter(), keep=item_id)
        else:
            self.checklist_tree.select_item(item_id)
        self.checklist_tree.focus()
        self._show_detail(item_id)

    # -- filter, source, back

    def action_filter(self) -> None:
        if self.filter_input.has_focus:  # a "/" typed in the filter (the binding comes first)
            self.filter_input.insert_text_at_cursor("/")
            return
        self.filter_input.display = True
        # Focused at once (Widget.focus() waits until the keys already read have gone to
        # the old focus), so keys typed straight after go to the filter, not the tree.
        self.set_focus(self.filter_input)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        item_filter = ItemFilter.parse(event.value)
        if item_filter == self.checklist_tree.item_filter:
            return  # already shown (escape rebuilt the tree before this message came)
        self.checklist_tree.rebuild(item_filter, keep=self.checklist_tree.current_item)
        self._refresh_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        if not self.filter_input.value.strip():
            self.filter_input.display = False
        self.set_focus(self.checklist_tree)
        if self.checklist_tree.matched == 0:
            self.notify("No item matches this filter.", severity="warning")

    def action_back(self) -> None:
        if self.filter_input.display:
            keep = self.checklist_tree.current_item
            self.filter_input.value = ""
            self.filter_input.display = False
            self.checklist_tree.rebuild(ItemFilter(), keep=keep)
            self.set_focus(self.checklist_tree)
            return
        self.leave()

    def leave(self) -> None:
        """Back to the home screen, when there is one to go back to."""
        from decalogue.tui.screens.home import HomeScreen

        if any(isinstance(screen, HomeScreen) for screen in self.app.screen_stack):
            self.app.pop_screen()

    def action_source(self) -> None:
        item_id = self.checklist_tree.current_item
        if item_id is None:
            self.notify("Move to an item first (down or j).", severity="warning")
            return
        item = self.checklist.item_index[item_id]
        for ref in item.refs:
            document = self.checklist.document(ref.source)
            if ref.quote and document is not None:
                from decalogue.tui.screens.source import SourceScreen

                source = self.checklist.source_index[ref.source]
                self.app.push_screen(
                    SourceScreen(self.checklist.source_label(source), document, ref.quote)
                )
                return
        self.notify("This item cites no source text to show.", severity="warning")
