"""The workshop screen: the groups' answers, most disputed first, and the room's consensus.

A trainer opens the groups' files (a folder, or files selected on the home
screen). `decalogue.analysis.workshop` sets the answers side by side and ranks the
items; this screen shows them with each group's level, the median and the
spread, and lets the trainer decide item by item: accept the proposed level,
pick another, mark N/A, or leave the item open. Undecided items follow the
consensus rule (`decalogue.analysis.consensus`: lower median where the groups are
within one level; conflicts left open and flagged). Saving writes the consensus
with `write_consensus`, as `decalogue merge` does (every group's notes kept,
attributed, the trainer's decisions in its history), never over another's file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from decalogue.analysis.consensus import (
    Decision,
    lower_median,
    rule_decision,
    write_consensus,
)
from decalogue.analysis.decisions import decisions_from
from decalogue.analysis.workshop import Group, ItemSpread, Workshop, aggregate
from decalogue.batch import Gathered, open_groups
from decalogue.errors import DecalogueError, display_path
from decalogue.storage.checklists import Checklists
from decalogue.tui.context import Context, app_context
from decalogue.tui.display import assemble, safe, safe_line, shorten
from decalogue.tui.screens.workshop_data import (
    answer_text,
    decision_text,
    detail_parts,
    facilitator_name,
)
from decalogue.tui.served import action_allowed, paths_fixed
from decalogue.tui.tables import fill_table
from decalogue.tui.widgets.footer import KeyFooter
from decalogue.tui.work import HandlesWork, run_blocking

TITLE = 44
NAME = 10


# --------------------------------------------------------------------------- screen


def _digit(n: int) -> Binding:
    return Binding(
        str(n),
        f"decide({n})",
        "Level",
        id=f"workshop.level-{n}",
        tooltip=f"Consensus level {n} for the highlighted item",
        show=n == 0,
        key_display="0-9" if n == 0 else None,
    )


class WorkshopScreen(HandlesWork, Screen[None]):
    """The groups' answers in divergence order, and the consensus builder."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "accept",
            "Accept",
            id="workshop.accept",
            tooltip="Accept the proposed level (lower median) for the highlighted item",
        ),
        *(_digit(n) for n in range(10)),
        Binding("n", "not_applicable", "N/A", id="workshop.na", tooltip="Consensus N/A (asks why)"),
        Binding(
            "l",
            "leave_open",
            "Leave",
            id="workshop.open",
            tooltip="Leave the highlighted item open (unanswered, flagged for review)",
        ),
        Binding(
            "u",
            "undo",
            "Rule",
            id="workshop.rule",
            show=False,
            tooltip="Undo the decision: back to the consensus rule",
        ),
        Binding(
            "p",
            "present",
            "Present",
            id="workshop.present",
            tooltip="Presenter view (projector) from the highlighted item",
        ),
        Binding(
            "w",
            "rationale",
            "Why",
            id="workshop.why",
            tooltip="Note why the room decided so (the rationale, kept with the decision)",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            id="workshop.reload",
            tooltip="Read the folder again: a group's file added since joins the table",
        ),
        Binding("s", "save", "Save", id="workshop.save", tooltip="Save the consensus assessment"),
        Binding("escape", "back", "Back", id="workshop.back", tooltip="Leave the workshop"),
    ]

    def __init__(self, paths: Sequence[Path]) -> None:
        super().__init__()
        self.paths = list(paths)
        self.workshop: Workshop | None = None
        self.groups: list[Group] = []
        self.notes: list[str] = []
        self.decisions: dict[str, Decision] = {}
        """The trainer's decisions; items absent follow the rule."""
        self.saved_path: Path | None = None
        self._fingerprint: str | None = None
        self._unsaved = False

    @property
    def context(self) -> Context:
        return app_context(self.app)

    def compose(self) -> ComposeResult:
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:

        if not action_allowed(self.context.served, "workshop", action):
            return False
        if action in {"back"}:
            return True
        return self.workshop is not None

    # -- loading

    def _load(self, paths: list[Path], checklists: Checklists) -> None:
        run_blocking(
            self,
            lambda: open_groups(paths, checklists, resume=True),
            self._ready,
            self._failed,
            group="workshop",
            exclusive=True,
        )

    def _failed(self, error: str) -> None:
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
            self.notify(
                f"Resumed {len(self.decisions)} decision(s) from {resume.path.name}; "
                "s saves to it.",
                markup=False,
            )
        if reloading:
            joined = [g.name for g in self.groups if g.name not in before]
            self.notify(
                safe(
                    f"{len(self.groups)} groups"
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
        conflicts = len(workshop.conflicts)
        state = (
            f"saved to {self.saved_path.name}" + (" (changed since)" if self._unsaved else "")
            if self.saved_path is not None
            else "not saved yet"
        )
        self.query_one("#workshop-title", Static).update(
            assemble(
                ("Workshop", "bold"),
                f" · {len(workshop.groups)} groups · {conflicts} conflict(s) · "
                f"{decided}/{len(workshop.items)} decided · ",
                state,
                f" · {meta.id} {meta.version}",
            )
        )

    def _fill(self) -> None:
        workshop = self.workshop
        if workshop is None:
            return
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        na = workshop.checklist.scale.not_applicable.label
        columns = [
            ("rank", "#"),
            ("item", "Item"),
            ("title", "Title"),
            *((f"g{index}", shorten(g.name, NAME)) for index, g in enumerate(workshop.groups)),
            ("median", "Med"),
            ("spread", "Spr"),
            ("consensus", "Consensus"),
        ]
        title = self._title_width()
        rows = [
            (
                item.item_id,
                [
                    Text(str(rank), justify="right"),
                    Text(safe_line(item.item_id)),
                    Text(shorten(item.title, title)),
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

    def _title_width(self) -> int:
        """What the screen leaves for titles once the other columns fit (80 columns and up)."""
        workshop = self.workshop
        assert workshop is not None
        ids = max(len(item.item_id) for item in workshop.items)
        groups = sum(max(len(shorten(g.name, NAME)), 5) + 2 for g in workshop.groups)
        fixed = len(str(len(workshop.items))) + 2 + ids + 2 + groups + 5 + 5 + 11 + 2
        return max(10, min(TITLE, self.size.width - fixed - 2))

    def on_resize(self) -> None:
        if self.workshop is not None:
            self._fill()

    def current(self) -> ItemSpread | None:
        workshop = self.workshop
        table = self.query_one(DataTable)
        if workshop is None or not table.row_count:
            return None
        return workshop.ranking[min(table.cursor_row, len(workshop.ranking) - 1)]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        workshop, item = self.workshop, self.current()
        if workshop is None or item is None:
            return
        parts = detail_parts(workshop, item, self.decision(item))
        self.query_one("#workshop-detail", Static).update(assemble(*parts))

    def _changed(self) -> None:
        self._unsaved = True
        self._fill()
        self._show_title()
        self._show_detail()

    # -- deciding

    def facilitator(self) -> str:
        """Who decides: the name given with --user (the teams identity), else the login."""
        return facilitator_name(self.context.user)

    def _decide(self, decision: Decision) -> None:
        item = self.current()
        if item is None:
            return
        previous = self.decisions.get(item.item_id)
        rationale = decision.rationale or (previous.rationale if previous else "")
        self.decisions[item.item_id] = replace(decision, by=self.facilitator(), rationale=rationale)
        self._changed()

    def action_rationale(self) -> None:
        item = self.current()
        if item is None:
            return
        from decalogue.tui.screens.dialogs import TextPrompt

        current = self.decision(item)

        def done(text: str | None) -> None:
            if text is None:
                return
            base = self.decisions.get(item.item_id) or replace(rule_decision(item), by_trainer=True)
            self.decisions[item.item_id] = replace(
                base, rationale=text.strip(), by=self.facilitator()
            )
            self._changed()

        self.app.push_screen(
            TextPrompt(
                f"{item.item_id}: why did the room decide so? (kept with the decision, with "
                f"your name, {self.facilitator()}; shown in the workshop report)",
                current.rationale,
                ok="Keep",
                check=lambda text: None,
            ),
            done,
        )

    def action_reload(self) -> None:
        self._load(self.paths, self.context.checklist_resolver)

    def action_decide(self, level: int) -> None:
        workshop = self.workshop
        if workshop is None:
            return
        if level not in workshop.checklist.scale.by_value:
            top = workshop.checklist.scale.max_level
            self.notify(f"Level {level} is not on the scale (0-{top}).", severity="warning")
            return
        self._decide(Decision("level", level, by_trainer=True))

    def action_accept(self) -> None:
        item = self.current()
        if item is None:
            return
        level = lower_median(item.levels)  # the rule's level, offered for a conflict too
        if level is not None:
            self._decide(Decision("level", level, by_trainer=True))
        elif item.not_applicable:
            self._decide(Decision("na", reason=rule_decision(item).reason, by_trainer=True))
        else:
            self.notify("No group answered this item: nothing to accept.", severity="warning")

    def action_not_applicable(self) -> None:
        item = self.current()
        if item is None:
            return
        from decalogue.tui.screens.dialogs import TextPrompt

        reasons = [
            f"{a.group}: {a.response.na_reason}"
            for a in item.answers
            if a.not_applicable and a.response is not None and a.response.na_reason
        ]

        def done(reason: str | None) -> None:
            if reason:
                self._decide(Decision("na", reason=reason, by_trainer=True))

        self.app.push_screen(
            TextPrompt(
                f"{item.item_id}: consensus N/A. Why does it not apply?",
                "; ".join(reasons),
                ok="Mark N/A",
                keeps=True,
            ),
            done,
        )

    def action_leave_open(self) -> None:
        self._decide(Decision("open", by_trainer=True))

    def action_undo(self) -> None:
        item = self.current()
        if item is None or item.item_id not in self.decisions:
            return
        del self.decisions[item.item_id]
        self._changed()

    # -- presenter

    def action_present(self) -> None:
        workshop, item = self.workshop, self.current()
        if workshop is None or item is None:
            return
        from decalogue.tui.screens.presenter import PresenterScreen

        def done(item_id: str | None) -> None:
            if item_id is None or self.workshop is None:
                return
            ids = [i.item_id for i in self.workshop.ranking]
            if item_id in ids:
                self.query_one(DataTable).move_cursor(row=ids.index(item_id))

        self.app.push_screen(
            PresenterScreen(workshop, workshop.ranking.index(item), self.decision), done
        )

    # -- saving

    def action_save(self) -> None:
        workshop = self.workshop
        if workshop is None:
            return
        if self.saved_path is not None:
            self._save(self.saved_path, self._fingerprint)
            return
        from decalogue.tui.screens.dialogs import TextPrompt

        root = self.context.workspace.root
        first = workshop.groups[0].assessment
        stem = f"{first.country.code}-{first.period}-consensus"
        suggestion = next(
            name
            for n in range(1, 1000)
            for name in [f"{stem}.json" if n == 1 else f"{stem}-{n}.json"]
            if not (root / name).exists()
        )

        def target(text: str) -> Path:
            path = Path(text.strip()).expanduser()
            return path if path.is_absolute() else root / path

        def check(text: str) -> str | None:
            if not text.strip():
                return "give a file name"
            if paths_fixed(self.context.served) and Path(text.strip()).name != text.strip():
                return "give a file name only: it is saved in the workspace"
            path = target(text)
            if path.suffix != ".json":
                return "the name must end in .json"
            if path.exists():
                return "a file of that name exists; choose another name"
            if not path.parent.is_dir():
                return "no such folder"
            return None

        def done(text: str | None) -> None:
            if text:
                self._save(target(text), None)

        self.app.push_screen(
            TextPrompt(
                f"Save the consensus (a new assessment file; relative names go to the "
                f"workspace {self.context.workspace_label})",
                suggestion,
                check=check,
                ok="Save",
            ),
            done,
        )

    def _save(self, path: Path, expected: str | None) -> None:
        workshop = self.workshop
        assert workshop is not None
        groups, decisions = self.groups, dict(self.decisions)

        def write() -> str:
            # Saving again: the core keeps the file's identity, so it stays one assessment.
            _, fingerprint = write_consensus(
                path,
                groups,
                workshop.checklist,
                replacing=expected,
                assessor=self.facilitator(),
                workshop=workshop,
                decisions=decisions,
            )
            return fingerprint

        def saved(fingerprint: str) -> None:
            self.saved_path, self._fingerprint, self._unsaved = path, fingerprint, False
            self._show_title()
            self.notify(
                f"Consensus saved to {display_path(path)}; it opens from the home screen.",
                markup=False,
            )

        run_blocking(self, write, saved, self._save_failed, group="workshop-save", exclusive=True)

    def _save_failed(self, error: str) -> None:
        self.notify(safe(error), title="Not saved", severity="error", timeout=10, markup=False)

    def action_back(self) -> None:
        if not self._unsaved:
            self.dismiss(None)
            return
        from decalogue.tui.screens.dialogs import ConfirmDialog

        def done(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "The consensus decisions are not saved (s saves them).\nLeave anyway?",
                yes="Leave without saving",
                no="Stay",
            ),
            done,
        )
