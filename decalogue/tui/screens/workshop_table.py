"""The workshop screen's view: the groups' files read in a worker, their answers side by
side, most disputed first, with the detail of the highlighted item and the decision
that holds for each (the trainer's, or the consensus rule's). What the trainer does
(decide, present, save) is the screen's, in `workshop.WorkshopScreen`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from decalogue.analysis.consensus import (
    Decision,
    rule_decision,
)
from decalogue.analysis.decisions import decisions_from
from decalogue.analysis.workshop import Group, ItemSpread, Workshop, aggregate
from decalogue.batch import Gathered, open_groups, open_stored_groups
from decalogue.errors import DecalogueError
from decalogue.model.assessment import Assessment
from decalogue.plural import counted
from decalogue.storage.checklists import Checklists
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import assemble, safe, safe_line, shorten
from decalogue.tui.screens.workshop_data import (
    answer_text,
    decision_text,
    detail_parts,
)
from decalogue.tui.tables import fill_table
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.work import HandlesWork, run_blocking

TITLE = 44
#: Seconds between two looks at the groups' files: the projector follows the room.
WATCH = 3.0
NAME = 10
#: The fewest characters of a group's name a column shows ("● 2" needs three).
MIN_NAME = 3


def stored_name(assessment: Assessment) -> str:
    """A stored assessment as the home screen shows it (its title, else country and
    period), with the start of its id that commands take."""
    return f"{assessment.display_title()} ({assessment.id[:8]})"


class WorkshopTable(HandlesWork, Screen[None]):
    """The groups' answers, most disputed first, and the highlighted item's detail."""

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = list(paths)
        self.workshop: Workshop | None = None
        self.groups: list[Group] = []
        self.notes: list[str] = []
        self.decisions: dict[str, Decision] = {}
        """The trainer's decisions; items absent follow the rule."""
        self.saved_path: Path | None = None
        self.saved_name: str | None = None
        """What the title calls the saved consensus: its file's name, or in a store its
        title and the start of its id (`stored_name`), as the home screen lists it."""
        self._fingerprint: str | None = None
        self._unsaved = False
        self._cursor_item: str | None = None
        """The item under the cursor, kept there when a reload ranks the items anew."""
        self._seen: tuple[tuple[str, int, int], ...] = ()
        """The groups' files as last read (name, size, time): a change is a group's save."""
        self._quiet = False
        """The reload under way is the watch's: it says something only if a group joined."""

    @property
    def context(self) -> Context:
        return app_context(self.app)

    @property
    def in_store(self) -> bool:
        """The groups are assessments in a database store, named by id (not files)."""
        return self.context.store is not None and not self.context.in_files

    def compose(self) -> ComposeResult:
        if self.in_store:
            shown = ", ".join(str(p)[:8] for p in self.paths)  # ids: their starts suffice
        else:
            shown = ", ".join(p.name or str(p) for p in self.paths)
        yield Static(
            assemble(("Workshop", "bold"), " · reading ", shorten(shown, 60), "…"),
            id="workshop-title",
        )
        yield DataTable(id="workshop-items", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="workshop-detail-scroll"):
            yield Static(Content(""), id="workshop-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load(self.paths, self.context.checklist_resolver)
        if not self.in_store:
            self.set_interval(WATCH, self._watch, name="workshop-watch")

    def _files(self) -> tuple[tuple[str, int, int], ...]:
        """The groups' files (a folder: its *.json, the consensus among them) as they are."""
        found = []
        for path in self.paths:
            for file in sorted(path.glob("*.json")) if path.is_dir() else [path]:
                try:
                    stat = file.stat()
                except OSError:
                    continue
                found.append((str(file), stat.st_size, stat.st_mtime_ns))
        return tuple(found)

    def _watch(self) -> None:
        """A group saved (or joined, or the consensus was saved from another window): the
        table is read again, as `r` does, so the projector shows where the room stands."""
        if self.workshop is not None and self._files() != self._seen:
            self._quiet = True
            self._load(self.paths, self.context.checklist_resolver)

    # -- loading

    def _load(self, paths: list[Path], checklists: Checklists) -> None:
        """The groups' files, or on a database store the stored groups by id (`saved_path`
        is then a consensus's id, as the home screen lists it)."""
        if not self.in_store:
            self._seen = self._files()  # before reading: a save meanwhile is seen next time
        kept = self.context.store
        if kept is not None and self.in_store:
            refs = [str(path) for path in paths]

            def gather() -> Gathered:
                return open_stored_groups(kept, refs, resume=True)
        else:

            def gather() -> Gathered:
                return open_groups(paths, checklists, resume=True)

        run_blocking(
            self,
            gather,
            self._ready,
            self._failed,
            group="workshop",
            exclusive=True,
        )

    def _failed(self, error: str) -> None:
        if self._quiet and self.workshop is not None:
            # The watch's reload: the table read last stays; the notice says what went wrong.
            self._quiet = False
            self.notify(f"Not read again: {error}", severity="warning", markup=False)
            return
        self.query_one("#workshop-title", Static).update(
            assemble(("Workshop", "bold"), " · these files cannot be set side by side")
        )
        self.query_one(DataTable).display = False
        self.query_one("#workshop-detail", Static).update(
            assemble(("⚠ ", "bold"), error, "\n\nPress escape to go back.")
        )

    def _ready(self, gathered: Gathered) -> None:
        before = {g.name for g in self.groups}
        reloading = self.workshop is not None
        self.groups, self.notes = gathered.groups, gathered.notes
        try:
            self.workshop = aggregate(gathered.groups, gathered.checklist)
        except DecalogueError as error:
            self._failed(str(error))
            return
        resume = gathered.resume
        if resume is not None and self.saved_path is None:
            self.decisions = decisions_from(resume.assessment, self.workshop)
            self.saved_path, self._fingerprint = resume.path, resume.fingerprint
            named = stored_name(resume.assessment) if self.in_store else resume.path.name
            self.saved_name = named
            self.notify(
                f"Resumed {counted(len(self.decisions), 'decision')} from {self.saved_name}; "
                "s saves to it.",
                markup=False,
            )
        elif (
            resume is not None
            and resume.path == self.saved_path
            and resume.fingerprint != self._fingerprint
            and not self._unsaved
        ):
            # Saved since from another window (the trainer's, while this is the projector's):
            # nothing here is unsaved, so the saved decisions are the ones to show.
            self.decisions = decisions_from(resume.assessment, self.workshop)
            self._fingerprint = resume.fingerprint
            self.notify(
                f"{self.saved_name} was saved since: {counted(len(self.decisions), 'decision')} "
                "shown.",
                markup=False,
            )
        quiet, self._quiet = self._quiet, False
        if reloading:
            joined = [g.name for g in self.groups if g.name not in before]
            if joined or not quiet:
                self.notify(
                    safe(
                        counted(len(self.groups), "group")
                        + (f"; joined: {', '.join(joined)}" if joined else "; no new group")
                    ),
                    markup=False,
                )
            if joined:
                self._unsaved = True
        self._fill()
        self._show_title()
        table = self.query_one(DataTable)
        table.focus()
        self._show_detail()
        self.refresh_bindings()
        for note in self.notes:
            self.notify(safe(note), severity="warning", markup=False)

    # -- showing

    def decision(self, item: ItemSpread) -> Decision:
        return self.decisions.get(item.item_id) or rule_decision(item)

    def _show_title(self) -> None:
        workshop = self.workshop
        if workshop is None:
            return
        meta = workshop.checklist.meta
        decided = sum(1 for item in workshop.items if self.decision(item).kind != "open")
        conflicts = counted(len(workshop.conflicts), "conflict")
        counts = f"{conflicts} · {decided}/{len(workshop.items)} decided"
        groups = counted(len(workshop.groups), "group")
        changed = " (changed since)" if self._unsaved else ""
        if self.saved_name is None:
            state = short = "not saved yet"
        else:
            to = "as" if self.in_store else "to"
            state = f"saved {to} {self.saved_name}{changed}"
            short = "changes not saved" if self._unsaved else "saved"
        # The save state matters most (the projector may be 80 columns): the checklist,
        # then the count of groups, then the consensus's name give way first.
        lines = [
            f" · {groups} · {counts} · {state} · {meta.id} {meta.version}",
            f" · {groups} · {counts} · {state}",
            f" · {counts} · {state}",
            f" · {counts} · {short}",
        ]
        room = self.size.width - len("Workshop") - 2
        line = next((text for text in lines if cell_len(safe(text)) <= room), lines[-1])
        self.query_one("#workshop-title", Static).update(assemble(("Workshop", "bold"), line))

    def _fill(self) -> None:
        workshop = self.workshop
        if workshop is None:
            return
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        ranked = [item.item_id for item in workshop.ranking]
        if self._cursor_item in ranked:  # a reload ranks anew: the cursor stays on its item
            keep = ranked.index(self._cursor_item)
        na = workshop.checklist.scale.not_applicable.label
        name = self._name_width()
        title = self._title_width(name)
        columns = [
            ("rank", "#"),
            ("item", "Item"),
            *([("title", "Title")] if title else []),
            *((f"g{index}", shorten(g.name, name)) for index, g in enumerate(workshop.groups)),
            ("median", "Med"),
            ("spread", "Spr"),
            ("consensus", "Consensus"),
        ]
        rows = [
            (
                item.item_id,
                [
                    Text(str(rank), justify="right"),
                    Text(safe_line(item.item_id)),
                    *([Text(shorten(item.title, title))] if title else []),
                    *(
                        Text(answer_text(a.level, a.not_applicable, na), justify="right")
                        for a in item.answers
                    ),
                    Text("–" if item.median is None else f"{item.median:g}", justify="right"),
                    Text("–" if item.spread is None else str(item.spread), justify="right"),
                    Text(decision_text(self.decision(item), na)),
                ],
            )
            for rank, item in enumerate(workshop.ranking, start=1)
        ]
        fill_table(table, columns, rows)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def _fixed_width(self) -> int:
        """The columns besides the groups' and the title: rank, item, median, spread,
        consensus (each with its padding), and the scrollbar."""
        workshop = self.workshop
        assert workshop is not None
        ids = max(len(item.item_id) for item in workshop.items)
        return len(str(len(workshop.items))) + 2 + ids + 2 + 5 + 5 + 11 + 2 + 2

    def _name_width(self) -> int:
        """How much of each group's name its column shows: up to NAME, less when the
        groups would push the consensus off the screen (six groups at 80 columns), down
        to MIN_NAME; the detail below names every group in full."""
        workshop = self.workshop
        assert workshop is not None
        each = (self.size.width - self._fixed_width()) // max(1, len(workshop.groups)) - 2
        return max(MIN_NAME, min(NAME, each))

    def _title_width(self, name: int) -> int:
        """What the screen leaves for titles once the other columns fit; 0 (no Title column:
        the detail below names the item) when fewer than 6 columns are left, so the
        consensus, at the right, stays on screen (80 columns and four groups)."""
        workshop = self.workshop
        assert workshop is not None
        groups = sum(max(len(shorten(g.name, name)), 5) + 2 for g in workshop.groups)
        room = min(TITLE, self.size.width - self._fixed_width() - groups)
        return room if room >= 6 else 0

    def on_resize(self) -> None:
        if self.workshop is not None:
            self._fill()
            self._show_title()

    def current(self) -> ItemSpread | None:
        workshop = self.workshop
        table = self.query_one(DataTable)
        if workshop is None or not table.row_count:
            return None
        return workshop.ranking[min(table.cursor_row, len(workshop.ranking) - 1)]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        item = self.current()
        self._cursor_item = item.item_id if item is not None else None
        self._show_detail()

    def _show_detail(self) -> None:
        workshop, item = self.workshop, self.current()
        if workshop is None or item is None:
            return
        offer = bool(self.check_action("accept", ()))  # not on a viewer's projector
        parts = detail_parts(workshop, item, self.decision(item), offer=offer)
        self.query_one("#workshop-detail", Static).update(assemble(*parts))

    def _changed(self) -> None:
        self._unsaved = True
        self._fill()
        self._show_title()
        self._show_detail()
