"""The workshop screen: the groups' answers, most disputed first, and the room's consensus.

A trainer opens the groups' files (a folder, or files selected on the home
screen). `decalogue.analysis.workshop` sets the answers side by side and ranks the
items; this screen shows them with each group's level, the median and the
spread, and lets the trainer decide item by item: accept the proposed level,
pick another, mark N/A, or leave the item open. Undecided items follow the
consensus rule (`decalogue.analysis.consensus`: lower median where the groups are
within one level; conflicts left open and flagged). Saving writes the consensus
with `write_consensus`, as `decalogue merge` does (every group's notes kept,
attributed, the trainer's decisions in its history), never over another's file; on a
database store (`--store`) the groups are read by id and the consensus is kept there
(`keep_consensus`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from decalogue.analysis.consensus import (
    Decision,
    keep_consensus,
    lower_median,
    rule_decision,
    write_consensus,
)
from decalogue.errors import DecalogueError, display_path
from decalogue.tui.display import safe
from decalogue.tui.screens.workshop_data import (
    facilitator_name,
)
from decalogue.tui.screens.workshop_table import WorkshopTable, stored_name
from decalogue.tui.served import action_allowed, paths_fixed
from decalogue.tui.work import run_blocking

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


class WorkshopScreen(WorkshopTable):
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:

        if not action_allowed(self.context.served, "workshop", action):
            return False
        if action in {"back"}:
            return True
        return self.workshop is not None

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
        if not self.context.in_files:
            self._keep()
            return
        if self.saved_path is not None:
            self._save(self.saved_path, self._fingerprint)
            return
        from decalogue.tui.screens.dialogs import TextPrompt

        root, where = self._save_folder()
        suggestion = self._offered_name(root)

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
                f"Save the consensus (a new assessment file; relative names go to {where})",
                suggestion,
                check=check,
                ok="Save",
            ),
            done,
        )

    def _offered_name(self, root: Path) -> str:
        """XX-2025-consensus.json, or -2, -3 ... when taken: a new file, never over one."""
        assert self.workshop is not None
        first = self.workshop.groups[0].assessment
        stem = f"{first.country.code}-{first.period}-consensus"
        return next(
            name
            for n in range(1, 1000)
            for name in [f"{stem}.json" if n == 1 else f"{stem}-{n}.json"]
            if not (root / name).exists()
        )

    def keep_decisions_for_exit(self) -> str | None:
        """The app is quitting (ctrl+q, a closed browser tab, the server stopping) with
        decisions not saved: they are saved as `s` would, to the consensus saved before,
        else as a new file under the offered name (resuming finds it). The error, if any.
        On a database store, and for a link that may not save, nothing is written."""
        workshop = self.workshop
        if workshop is None or not self._unsaved or not self.context.in_files:
            return None
        if not action_allowed(self.context.served, "workshop", "save"):
            return None
        if self.saved_path is None and not self.decisions:
            return None  # only a group joined: no decision of the room's to keep
        root, _ = self._save_folder()
        # The consensus saved before; if another window saved it since (or it cannot be
        # written), a new file beside it, which resuming takes as the newest.
        targets = [(self.saved_path, self._fingerprint)] if self.saved_path else []
        problem = ""
        for path, expected in [*targets, (root / self._offered_name(root), None)]:
            try:
                _, fingerprint = write_consensus(
                    path,
                    self.groups,
                    workshop.checklist,
                    replacing=expected,
                    assessor=self.facilitator(),
                    workshop=workshop,
                    decisions=dict(self.decisions),
                )
            except DecalogueError as error:
                problem = str(error)
                continue
            self.saved_path, self._fingerprint, self._unsaved = path, fingerprint, False
            return None
        return f"the workshop's decisions: {problem}"

    def _save_folder(self) -> tuple[Path, str]:
        """Where a new consensus goes, and its words: opened on one folder, that folder
        (where resuming and `workshop report FOLDER` look for it); else the workspace."""
        if len(self.paths) == 1 and self.paths[0].is_dir() and not paths_fixed(self.context.served):
            folder = self.paths[0]
            return folder, f"the workshop's folder {display_path(folder)}"
        return self.context.workspace.root, f"the workspace {self.context.workspace_label}"

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
            self.saved_name = path.name
            self._show_title()
            listed = path.parent.resolve() == self.context.workspace.root.resolve()
            self.notify(
                f"Consensus saved to {display_path(path)}"
                + ("; it opens from the home screen." if listed else "."),
                markup=False,
            )

        run_blocking(self, write, saved, self._save_failed, group="workshop-save", exclusive=True)

    def _keep(self) -> None:
        """On a database store: a new stored assessment, replaced by each later save."""
        workshop, kept = self.workshop, self.context.store
        assert workshop is not None and kept is not None
        groups, decisions = self.groups, dict(self.decisions)
        ref = None if self.saved_path is None else str(self.saved_path)
        expected = self._fingerprint

        def write() -> tuple[str, str, str]:
            made, fingerprint, result = keep_consensus(
                kept,
                groups,
                workshop.checklist,
                ref=ref,
                expected=expected,
                assessor=self.facilitator(),
                workshop=workshop,
                decisions=decisions,
            )
            return made, fingerprint, stored_name(result.assessment)

        def saved(done: tuple[str, str, str]) -> None:
            self.saved_path, self._fingerprint, self._unsaved = Path(done[0]), done[1], False
            self.saved_name = done[2]
            self._show_title()
            self.notify(
                f"Consensus saved in {kept.label} as {done[2]}; it opens from the home screen.",
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
