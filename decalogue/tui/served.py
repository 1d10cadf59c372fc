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
from decalogue.session import Session

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


#: The screens each role may see besides the facilitator (who sees all), Textual's own
#: (the command palette) and ServedNotice, by class: a screen is allowed when it is one of
#: these or derives from one. Named, not imported, so this module needs none of the screens.
_SCREENS = "decalogue.tui.screens"
COMMON = frozenset(
    {
        f"{_SCREENS}.dashboard.DashboardScreen",
        f"{_SCREENS}.help.HelpScreen",
        f"{_SCREENS}.source.SourceScreen",
        f"{_SCREENS}.dialogs.ChoiceDialog",
        f"{_SCREENS}.dialogs.ConfirmDialog",
    }
)
#: A group's assessment screen, allowed on the group's own file only.
GROUP_ASSESS = f"{_SCREENS}.assess.AssessScreen"
ALLOWED: dict[Role, frozenset[str]] = {
    Role.GROUP: COMMON
    | {
        f"{_SCREENS}.export.ExportScreen",
        f"{_SCREENS}.dialogs.TextPrompt",
        f"{_SCREENS}.dialogs.TextEditor",
        f"{_SCREENS}.evidence.EvidenceDialog",
        f"{_SCREENS}.history.HistoryDialog",
        # Two members on one group link answer one item differently: they choose here.
        f"{_SCREENS}.conflicts.ConflictScreen",
    },
    Role.VIEWER: COMMON
    | {
        f"{_SCREENS}.home.HomeScreen",
        f"{_SCREENS}.compare.CompareScreen",
        f"{_SCREENS}.workshop.WorkshopScreen",
        f"{_SCREENS}.presenter.PresenterScreen",
        f"{_SCREENS}.explore.ExploreScreen",
    },
}


def kinds(screen: Screen[object]) -> set[str]:
    """The screen's class and every class it derives from, as module.Name."""
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(screen).__mro__}


def screen_allowed(served: Served | None, screen: Screen[object], group_file: Path | None) -> bool:
    """May this role see this screen? Textual's own (command palette) always."""
    if served is None or served.role is Role.FACILITATOR:
        return True
    if type(screen).__module__.startswith("textual.") or isinstance(screen, ServedNotice):
        return True
    found = kinds(screen)
    if served.role is Role.GROUP and GROUP_ASSESS in found:
        session = getattr(screen, "session", None)
        return (
            group_file is not None
            and isinstance(session, Session)
            and session.place.is_at(group_file)
        )
    return bool(found & ALLOWED[served.role])


class ServedNotice(Screen[None]):
    """A served session with nothing it may show (its file cannot be opened): says why."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        from decalogue.tui.display import literal

        yield Static(literal(self.text), id="served-notice")
