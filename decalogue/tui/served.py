"""What an app served to a browser may reach: the screens and actions of its link's role.

`decalogue serve` starts the app with its role in the environment
(`decalogue.roles`). Two checks keep to it: `screen_allowed`, which the
app consults before any screen is pushed (keys, the command palette or code),
and `action_allowed`, which the screens' `check_action` consult, so a refused
action is neither shown in the footer and palette nor run. In every served
session no free-text path is asked for and nothing is written outside the
workspace (the export and workshop screens ask `paths_fixed`).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from decalogue.roles import Role, Served

#: Actions refused per role, as "screen.action" (the screens' own names).
REFUSED: dict[Role, frozenset[str]] = {
    Role.FACILITATOR: frozenset({"home.import", "assess.edit_notes_external"}),
    # The list for a group (levels, notes, evidence, flags, targets, export) has no
    # action plan: refused until decided otherwise.
    Role.GROUP: frozenset({"assess.edit_notes_external", "assess.edit_actions", "assess.plan"}),
    Role.VIEWER: frozenset(
        {
            "home.new",
            "home.carry_forward",
            "home.import",
            "home.delete",
            "home.undo_delete",
            "workshop.accept",
            "workshop.decide",
            "workshop.not_applicable",
            "workshop.leave_open",
            "workshop.undo",
            "workshop.save",
            "workshop.rationale",
        }
    ),
}

#: Said when a refused action is asked for by name.
NOT_HERE = "Not available from this link."


def action_allowed(served: Served | None, screen: str, action: str) -> bool:
    return served is None or f"{screen}.{action}" not in REFUSED[served.role]


def paths_fixed(served: Served | None) -> bool:
    """True in every served session: files are named by the app, never typed as paths."""
    return served is not None


def screen_allowed(served: Served | None, screen: Screen[object], group_file: Path | None) -> bool:
    """May this role see this screen? Textual's own (command palette) always."""
    if served is None or served.role is Role.FACILITATOR:
        return True
    if type(screen).__module__.startswith("textual.") or isinstance(screen, ServedNotice):
        return True
    from decalogue.tui.screens import dialogs
    from decalogue.tui.screens.assess import AssessScreen
    from decalogue.tui.screens.dashboard import DashboardScreen
    from decalogue.tui.screens.help import HelpScreen
    from decalogue.tui.screens.source import SourceScreen

    common = (
        DashboardScreen,
        HelpScreen,
        SourceScreen,
        dialogs.ChoiceDialog,
        dialogs.ConfirmDialog,
    )
    if isinstance(screen, common):
        return True
    if served.role is Role.GROUP:
        from decalogue.tui.screens.evidence import EvidenceDialog
        from decalogue.tui.screens.export import ExportScreen
        from decalogue.tui.screens.history import HistoryDialog

        if isinstance(screen, AssessScreen):
            return group_file is not None and screen.session.place.is_at(group_file)
        editors = (dialogs.TextPrompt, dialogs.TextEditor, EvidenceDialog, HistoryDialog)
        return isinstance(screen, (ExportScreen, *editors))
    from decalogue.tui.screens.compare import CompareScreen
    from decalogue.tui.screens.explore import ExploreScreen
    from decalogue.tui.screens.home import HomeScreen
    from decalogue.tui.screens.presenter import PresenterScreen
    from decalogue.tui.screens.workshop import WorkshopScreen

    return isinstance(
        screen, (HomeScreen, CompareScreen, WorkshopScreen, PresenterScreen, ExploreScreen)
    )


class ServedNotice(Screen[None]):
    """A served session with nothing it may show (its file cannot be opened): says why."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        from decalogue.tui.display import literal

        yield Static(literal(self.text), id="served-notice")
