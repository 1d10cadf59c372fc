"""The assess screen: the checklist tree and the highlighted item, scored in a session.

A keystroke changes the session in memory, relabels three tree nodes, the
detail pane and the header, and (re)starts the autosave timer; the save itself
runs in a thread worker that only posts messages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from decalogue.errors import DecalogueError
from decalogue.model.actions import Action
from decalogue.model.assessment import Answer, Change, Evidence, Response
from decalogue.session import Session
from decalogue.tui.display import GLYPH_TARGET
from decalogue.tui.external_editor import edit_in_editor
from decalogue.tui.keys import action_keys
from decalogue.tui.resume import Resume
from decalogue.tui.screens.browse import BACK, FILTER, SOURCE
from decalogue.tui.screens.dialogs import ChoiceDialog, TextEditor, TextPrompt
from decalogue.tui.screens.evidence import EvidenceDialog
from decalogue.tui.screens.keeping import SessionScreen
from decalogue.tui.served import action_allowed
from decalogue.tui.widgets.checklist_tree import ChecklistTree

T = TypeVar("T")


#: `_change` without an editor's `shown` value (None is a value: no target).
_NOT_SHOWN = object()


def _digit(n: int) -> Binding:
    return Binding(
        str(n),
        f"score({n})",
        "Score",
        id=f"assess.score-{n}",
        tooltip=f"Set the highlighted item's level to {n}",
        show=n == 0,
        key_display="0-9" if n == 0 else None,
    )


class AssessScreen(SessionScreen):
    """Score a checklist item by item; every change is saved."""

    #: In the order the footer shows them: the most used first (Quit and Help lead).
    BINDINGS: ClassVar[list[BindingType]] = [
        *(_digit(n) for n in range(10)),
        Binding("n", "not_applicable", "N/A", id="assess.na", tooltip="Mark N/A (asks why)"),
        Binding("t", "target", "Target", id="assess.target", tooltip="Set the target level"),
        Binding("e", "edit_notes", "Notes", id="assess.notes", tooltip="Edit the notes"),
        Binding(
            "v",
            "edit_evidence",
            "Evidence",
            id="assess.evidence",
            tooltip="Add, edit or delete evidence",
        ),
        Binding(
            "r",
            "edit_finding",
            "Finding",
            id="assess.finding",
            tooltip="Edit the finding / recommendation",
        ),
        Binding("f", "flag", "Flag", id="assess.flag", tooltip="Toggle the review flag"),
        Binding(
            "c",
            "confirm",
            "Confirm",
            id="assess.confirm",
            tooltip="Confirm a carried-forward answer as this period's",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "next_unanswered",
            "Next ○",
            id="assess.next",
            tooltip="Jump to the next unanswered item",
            key_display="]",
        ),
        FILTER,
        Binding(
            "a",
            "edit_actions",
            "Actions",
            id="assess.actions",
            tooltip="Add or change the item's actions (action plan)",
        ),
        SOURCE,
        Binding(
            "h",
            "history",
            "History",
            id="assess.history",
            tooltip="Who changed the highlighted item, when, from what",
        ),
        Binding("d", "dashboard", "Dashboard", id="assess.dashboard", tooltip="Scores and gaps"),
        Binding(
            "p",
            "plan",
            "Plan",
            id="assess.plan",
            tooltip="The action plan: every action by deadline",
        ),
        Binding("x", "export", "Export", id="assess.export", tooltip="Export the assessment"),
        Binding(
            "left_square_bracket",
            "previous_unanswered",
            "Prev ○",
            id="assess.prev",
            tooltip="Jump to the previous unanswered item",
            key_display="[",
            show=False,
        ),
        Binding(
            "backspace",
            "clear",
            "Clear",
            id="assess.clear",
            tooltip="Clear the answer",
            show=False,
        ),
        Binding(
            "ctrl+e",
            "edit_notes_external",
            "$EDITOR",
            id="assess.editor",
            tooltip="Edit the notes in $EDITOR",
            show=False,
        ),
        Binding(
            "ctrl+z", "undo", "Undo", id="assess.undo", tooltip="Undo my last change", show=False
        ),
        Binding(
            "ctrl+y", "redo", "Redo", id="assess.redo", tooltip="Redo what I undid", show=False
        ),
        Binding(
            "C",
            "conflicts",
            "Conflicts",
            id="assess.conflicts",
            tooltip="Choose between my value and a colleague's",
            show=False,
        ),
        BACK,
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._show_scale_in_footer()
        self.checklist_tree.response_of = self._response
        self.detail.keys = action_keys(self._all_bindings())
        self.resume = Resume(self, session.assessment.id, session.user)
        self._commit: Callable[[], None] | None = None

    def _show_scale_in_footer(self) -> None:
        """The footer says "0-4" for a 0-4 scale: one entry for all the digit keys."""
        highest = min(self.checklist.scale.max_level, 9)
        self._bindings = self._bindings.copy()
        self._bindings.key_to_bindings["0"] = [
            dataclasses.replace(binding, key_display=f"0-{highest}")
            for binding in self._bindings.key_to_bindings.get("0", [])
        ]

    def _response(self, item_id: str) -> Response | None:
        return self.session.assessment.responses.get(item_id)

    def first_item(self) -> str | None:
        """Where the user left off in this assessment, if known."""
        return self.resume.last()

    def on_mount(self) -> None:
        # No super().on_mount(): Textual calls each class's handler itself (the base
        # classes' after this one); calling it again built the tree three times.
        ref, meta = self.session.assessment.checklist, self.checklist.meta
        if self.session.older:
            self.notify(
                f"These answers were given against {ref.id} {ref.version}; this is the "
                f"older {meta.version}. The file keeps {ref.version}.",
                title="Older checklist",
                severity="warning",
                markup=False,
            )
        elif self.session.drift:
            self.notify(
                "The checklist has changed since these answers were given "
                f"({ref.version} → {meta.version}); answers to items it still has are "
                "kept, and the file will record the new version. To see what changed: "
                f"decalogue upgrade FILE --to {meta.id}@{meta.version} --dry-run",
                title="Checklist changed",
                severity="warning",
                markup=False,
            )
        if self.session.orphaned:
            self.notify(
                f"{len(self.session.orphaned)} answered items are no longer in the checklist "
                f"({', '.join(self.session.orphaned[:5])}); they are kept in the file.",
                severity="warning",
                markup=False,
            )

    # -- what is shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not action_allowed(self.context.served, "assess", action):
            return False
        if action == "score" and parameters:
            level = parameters[0]
            return isinstance(level, int) and level in self.checklist.scale.by_value
        return True

    def on_key(self, event: events.Key) -> None:
        """A digit beyond the scale (7 on a 0-4 scale) says so instead of doing nothing."""
        key = event.character or ""
        if len(key) != 1 or key not in "0123456789" or self.focused is not self.checklist_tree:
            return
        if int(key) not in self.checklist.scale.by_value:
            top = self.checklist.scale.max_level
            self.notify(f"{key} is not a level: the scale is 0-{top}.", severity="warning")

    def on_unmount(self) -> None:  # the base classes' handlers follow (Textual)
        self.resume.flush()

    def _show_detail(self, item_id: str | None) -> None:
        if item_id is not None:
            self.resume.note(item_id)  # reopened, the assessment starts here
        super()._show_detail(item_id)

    @on(ChecklistTree.ItemChosen)
    def _chosen(self) -> None:
        self.action_edit_notes()

    # -- editing

    def _editable(self) -> bool:
        """False, and says why, when the assessment is final: an editor opened on it would
        only lose what is typed there."""
        try:
            self.session.check_not_final()
        except DecalogueError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        return True

    def _current(self) -> str | None:
        item_id = self.checklist_tree.current_item
        if item_id is None:
            self.notify("Move to an item first (down or j).", severity="warning")
        return item_id

    def _change(
        self, item_id: str, field: str, value: object, *, shown: object = _NOT_SHOWN
    ) -> None:
        """Every edit goes through here: session, three tree labels, detail, header, timer.

        `shown` is what an editor or dialog showed when it opened (`_shown`): a colleague's
        value taken in while it was open becomes a conflict to choose, not an overwrite.
        """
        conflicts = len(self.session.conflicts)
        try:
            if shown is not _NOT_SHOWN:
                change = self.session.edit_since(item_id, field, value, shown)
            elif field == "answer":
                assert isinstance(value, Answer)
                change = self.session.set_answer(item_id, value)
            else:
                change = self.session.set_field(item_id, field, value)
        except DecalogueError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if change is not None:
            self.changed(item_id)
        if len(self.session.conflicts) > conflicts:
            self.action_conflicts()

    def _shown(self, item_id: str, field: str) -> object:
        """The field's value as an editor opening now shows it (see `_change`)."""
        return self.session.value(item_id, field)

    def action_score(self, level: int) -> None:
        item_id = self._current()
        if item_id is not None:
            self._change(item_id, "answer", Answer(level=level))

    def action_clear(self) -> None:
        item_id = self._current()
        if item_id is not None:
            self._change(item_id, "answer", Answer())

    def action_flag(self) -> None:
        item_id = self._current()
        if item_id is not None:
            response = self.session.assessment.responses.get(item_id)
            self._change(item_id, "flagged", not (response and response.flagged))

    def action_confirm(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        if response is None or not response.carried:
            self.notify(f"{item_id} is not a carried-forward answer.", severity="warning")
            return
        self._change(item_id, "carried", False)

    def action_not_applicable(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        label = self.checklist.scale.not_applicable.label
        shown = self._shown(item_id, "answer")

        def done(reason: str | None) -> None:
            if reason:
                self._change(item_id, "answer", Answer(na_reason=reason), shown=shown)

        prompt = TextPrompt(
            f"{item_id}: why does it not apply? ({label})",
            response.na_reason if response else "",
            placeholder="the reason, e.g. no such institution exists in this country",
            ok=f"Mark {label}",
            keeps=True,
        )
        self._open_editor(prompt, prompt.typed, done)

    def action_target(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        options = [
            (str(level.value), f"{GLYPH_TARGET} {level.value} {level.label}")
            for level in self.checklist.scale.levels
        ]
        options.append(("none", "no target (backspace)"))
        keys = {str(level.value): str(level.value) for level in self.checklist.scale.levels}
        keys["backspace"] = "none"
        current = str(response.target) if response and response.target is not None else "none"
        shown = self._shown(item_id, "target")
        if not self._editable():
            return

        def done(choice: str | None) -> None:
            if choice is not None:
                target = None if choice == "none" else int(choice)
                self._change(item_id, "target", target, shown=shown)

        title = f"{item_id}: target level (a digit picks it)"
        self.app.push_screen(ChoiceDialog(title, options, current, keys=keys), done)

    def _edit_text(self, field: str, title: str) -> None:
        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        text = str(getattr(response, field)) if response else ""
        shown = self._shown(item_id, field)

        def done(new: str | None) -> None:
            if new is not None:
                self._change(item_id, field, new, shown=shown)

        editor = TextEditor(f"{item_id}: {title}", text)
        self._open_editor(editor, editor.typed, done)

    def action_edit_notes(self) -> None:
        self._edit_text("notes", "notes")

    def action_edit_finding(self) -> None:
        self._edit_text("finding", "finding / recommendation")

    def action_edit_evidence(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        shown = self._shown(item_id, "evidence")

        def done(evidence: list[Evidence] | None) -> None:
            if evidence is not None:
                self._change(item_id, "evidence", evidence, shown=shown)

        dialog = EvidenceDialog(response.evidence if response else [])
        self._open_editor(dialog, dialog.typed, done)

    def _open_editor(
        self,
        dialog: ModalScreen[T | None],
        typed: Callable[[], T | None],
        done: Callable[[T | None], None],
    ) -> None:
        """Show a dialog in which text is typed; `commit_editor` keeps that text on exit."""
        if not self._editable():
            return

        def finish(value: T | None) -> None:
            self._commit = None
            done(value)

        self._commit = lambda: finish(typed())
        self.app.push_screen(dialog, finish)

    def commit_editor(self) -> None:
        """Keep what an open editor holds, as if it were closed now (quit, lost terminal)."""
        if self._commit is not None:
            self._commit()

    def action_history(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        from decalogue.tui.screens.history import HistoryDialog

        title = f"{item_id}: history (newest first)"
        history = self.session.assessment.history
        self.app.push_screen(HistoryDialog(title, self.checklist.scale, item_id, history))

    def action_edit_notes_external(self) -> None:
        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        shown = self._shown(item_id, "notes")
        if not self._editable():
            return
        text = edit_in_editor(self.app, f"{item_id}-notes.md", response.notes if response else "")
        if text is None:
            return
        self._change(item_id, "notes", text.rstrip("\n"), shown=shown)

    # -- navigation

    def _jump(self, step: int) -> None:
        current = self.checklist_tree.current_item
        start = self.checklist.places[current].index if current else -1
        for item_id in self.session.board.unanswered_after(start, step):
            if self.checklist_tree.shown(item_id):
                self.checklist_tree.select_item(item_id)
                return
        self.notify(
            "No unanswered item left"
            + (" in this filter." if self.checklist_tree.item_filter.active else ".")
        )

    def action_next_unanswered(self) -> None:
        self._jump(1)

    def action_previous_unanswered(self) -> None:
        self._jump(-1)

    def action_undo(self) -> None:
        self._step_back_or_forth(self.session.undo(), "Nothing of mine to undo.", "Undone")

    def action_redo(self) -> None:
        self._step_back_or_forth(self.session.redo(), "Nothing to redo.", "Redone")

    def _step_back_or_forth(self, change: Change | None, nothing: str, done: str) -> None:
        if change is None or change.item is None:
            self.notify(nothing)
            return
        self.go_to(change.item)  # the change is shown where it happened
        self.changed(change.item)
        self.notify(f"{done}: {change.item} {change.field}", markup=False)

    def leave(self) -> None:
        self.context.leave_assess(self)

    def action_edit_actions(self) -> None:
        from decalogue.analysis.plan import owners
        from decalogue.tui.screens.actions import ActionsDialog

        item_id = self._current()
        if item_id is None:
            return
        response = self.session.assessment.responses.get(item_id)
        shown = self._shown(item_id, "actions")

        def done(actions: list[Action] | None) -> None:
            if actions is not None:
                self._change(item_id, "actions", actions, shown=shown)

        dialog = ActionsDialog(
            item_id,
            response.actions if response else [],
            owners(self.session.assessment),
            level=None if response is None or response.not_applicable else response.level,
            target=response.target if response else None,
        )
        self._open_editor(dialog, dialog.typed, done)

    def action_plan(self) -> None:
        from decalogue.tui.screens.plan import PlanScreen

        def done(item_id: str | None) -> None:
            if item_id:
                self.go_to(item_id)

        self.app.push_screen(PlanScreen(self.session), done)

    def action_dashboard(self) -> None:
        from decalogue.tui.screens.dashboard import DashboardScreen

        def done(item_id: str | None) -> None:
            if item_id:
                self.go_to(item_id)

        self.app.push_screen(DashboardScreen(self.session), done)

    def action_export(self) -> None:
        from decalogue.tui.screens.export import ExportScreen

        root = self.context.workspace.root
        # what is exported is the file as it is on disk then, with my unsaved changes
        self.app.push_screen(ExportScreen(self.session, root, take_in=self.take_in_now))
