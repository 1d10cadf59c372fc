"""The Textual app and its one factory, `create_app`, shared by the CLI and the tests."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.screen import Screen

from decalogue.errors import DecalogueError, display_path
from decalogue.model.checklist import Checklist
from decalogue.roles import Role, Served, workspace_file
from decalogue.session import Session
from decalogue.storage.checklists import Checklists, load_checklist
from decalogue.storage.profile import (
    current_identity,
    profile_theme,
    save_profile_name,
    save_profile_theme,
)
from decalogue.storage.stores import PgStore, Store
from decalogue.storage.workspace import Workspace
from decalogue.tui.commands import ScreenActions
from decalogue.tui.context import Context, Unsaved
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.browse import ChecklistScreen
from decalogue.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextPrompt
from decalogue.tui.screens.explore import ExploreScreen
from decalogue.tui.screens.home import HomeScreen
from decalogue.tui.served import NOT_HERE, ServedNotice, screen_allowed
from decalogue.tui.shared_css import SharedStylesheet
from decalogue.tui.terminal import lost, safe_driver
from decalogue.tui.themes import HIGH_CONTRAST, THEMES
from decalogue.tui.typeahead import TypeAhead
from decalogue.tui.work import HandlesWork, run_blocking

#: Seconds between two looks at whether the terminal is still there.
TERMINAL_CHECK = 0.5


class DecalogueApp(HandlesWork, TypeAhead):
    """Home, assess, explore: which screen comes first depends on how it was started."""

    CSS_PATH = "app.tcss"
    TITLE = "decalogue"
    #: Below 70 columns (a phone's browser on a served link, a split terminal) every
    #: screen has the class -narrow: panes stack and dialogs take the whole width.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]  # noqa: RUF012  (Textual declares it so)
    COMMANDS: ClassVar = App.COMMANDS | {ScreenActions}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Save and quit",
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys, scale and scoring rules"),
        Binding(
            "question_mark",
            "help",
            "Help",
            id="app.help-key",
            key_display="?",
            tooltip="Keys, scale and scoring rules",
        ),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Theme",
            id="app.theme",
            show=False,
            tooltip="Switch between the dark, the light and the high-contrast theme",
        ),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        user: str | None = None,
        checklist: Checklist | None = None,
        checklists: Sequence[Path] | None = None,
        resolver: Checklists | None = None,
        open_path: Path | None = None,
        explore: Checklist | None = None,
        theme: str | None = None,
        served: Served | None = None,
        force: bool = False,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.stylesheet = SharedStylesheet(variables=self.get_css_variables())
        resolver = resolver or Checklists(
            workspace.root, [checklist] if checklist is not None else []
        )
        self.context = Context(
            workspace=workspace,
            user=user,
            checklist_override=checklist,
            checklist_force=force,
            checklist_resolver=resolver,
            checklists=(
                list(checklists)
                if checklists is not None
                else [entry.path for entry in resolver.entries()]
            ),
            load_checklist=self.load_cached,
            open_session=self.open_session,
            leave_assess=self.leave_assess,
            explore=self.explore,
            served=served,
            store=store,
        )
        """What the screens use of this app (they never import it)."""
        self.served = served
        """The role of a session served to a browser (`decalogue serve`); None in a terminal."""
        self.group_file: Path | None = None
        """A group link's assessment: its file in the workspace, or its id in a database."""
        if served is not None and served.role is Role.GROUP and served.file:
            in_files = self.context.in_files
            self.group_file = workspace_file(workspace.root, served.file) if in_files else None
            self.group_file = self.group_file or Path(served.file)
        self._open_path = open_path
        self._explore_only = explore
        self._loaded: dict[Path, Checklist] = {}
        self.register_theme(HIGH_CONTRAST)
        self.theme = theme or os.environ.get("DECALOGUE_THEME") or _saved_theme() or THEMES[0]
        self.stop_signals: tuple[signal.Signals, ...] = ()
        """Signals that save open work and quit (set by the CLI; tests leave them alone)."""
        self._stopping = False
        self.kept_elsewhere: list[str] = []
        """Work that could not be saved, and where it went: the CLI says it on the way out."""
        self._page_focused = False
        """A browser's page has said it has the focus (a served session)."""

    def get_driver_class(self) -> type[Driver]:
        return safe_driver(super().get_driver_class())

    def on_app_focus(self) -> None:
        self._page_focused = True

    def on_app_blur(self, event: events.AppBlur) -> None:
        """In a browser, the blur Textual's web driver sends as it starts is not the page's.

        The page says "focus" when its terminal is clicked and "blur" when it is left; the
        driver says "blur" at once, which restyled and redrew the whole first screen (and
        took the focus from its table, which the listing gave back) in every session of a
        room joining at once. The app stays as it started until the page speaks.
        """
        if self.is_web and not self._page_focused:
            event.prevent_default()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for stop in self.stop_signals:
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(stop, self._stop_on_signal)
        if hasattr(self._driver, "lost"):
            self.set_interval(TERMINAL_CHECK, self._check_terminal, name="terminal-check")
        if self._explore_only is not None:
            self.push_screen(ExploreScreen(self._explore_only))
            return
        if self.group_file is not None:
            self._open_group(self.group_file)
            return
        home = HomeScreen()
        self.push_screen(home)
        if current_identity(self.context.user).name is None and not self.is_web:
            # The first use: no --user, DECALOGUE_USER or profile. (In `serve` the server's
            # profile is not the participant's, and the name comes with the session.)
            self._ask_name(home)
        elif self._open_path is not None:
            home.open_path(self._open_path)

    def _ask_name(self, home: HomeScreen) -> None:
        """Ask once for the name the history records; kept in the profile for next time."""

        def done(name: str | None) -> None:
            if name:
                self.context.user = name
                try:
                    where = save_profile_name(name)
                except DecalogueError as error:
                    self.notify(str(error), severity="warning", markup=False)
                else:
                    self.notify(f"Saved in {display_path(where)}; change it there.", markup=False)
            if self._open_path is not None:
                home.open_path(self._open_path)

        self.push_screen(
            TextPrompt(
                "Your name, recorded with each change you make (asked once)",
                placeholder="e.g. A. Official, Ministry of the Interior",
                ok="Save my name",
            ),
            done,
        )

    # -- screens

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Every screen, however asked for, passes the served role's check first."""
        if isinstance(screen, Screen) and not screen_allowed(self.served, screen, self.group_file):
            self.notify(NOT_HERE, severity="warning")
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done
        return super().push_screen(screen, *args, **kwargs)

    def open_session(self, session: Session) -> None:
        if self.served is not None and self.served.role is Role.VIEWER:
            from decalogue.tui.screens.dashboard import DashboardScreen

            self.push_screen(DashboardScreen(session))
            return
        self.push_screen(AssessScreen(session))

    def _open_group(self, path: Path) -> None:
        """A group's link: its one assessment, and no home screen behind it."""
        context = self.context
        run_blocking(
            self,
            lambda: context.open_assessment(path),
            self.open_session,
            self._group_failed,
            group="load",
        )

    def _group_failed(self, error: str) -> None:
        self.push_screen(
            ServedNotice(
                f"This link's assessment cannot be opened; tell the facilitator.\n\n{error}"
            )
        )

    def leave_assess(self, screen: Unsaved) -> None:
        """Back from an assessment: saved first; asks before dropping unsaved work."""
        if not any(isinstance(s, HomeScreen) for s in self.screen_stack):
            return
        error = screen.flush()
        if error is None:
            self.pop_screen()
            return

        def done(leave: bool | None) -> None:
            if leave:
                self._kept(screen.keep_for_exit(self.context.workspace.recovery))
                self.pop_screen()

        self.push_screen(ConfirmDialog(_not_saved(error, "Leave"), yes="Leave", no="Stay"), done)

    def explore(self) -> None:
        """Browse a bundled checklist (asks which when there are several)."""
        paths = self.context.checklists
        if not paths:
            self.notify("No checklist is bundled.", severity="error")
            return
        if len(paths) == 1:
            self._load_checklist(paths[0])
            return
        options = [(str(i), label) for i, (label, _) in enumerate(self.context.checklist_choices())]

        def done(choice: str | None) -> None:
            if choice is not None:
                self._load_checklist(paths[int(choice)])

        self.push_screen(ChoiceDialog("Explore which checklist?", options), done)

    def load_cached(self, path: Path) -> Checklist:
        """Load a checklist once per run (called from workers)."""
        if path not in self._loaded:
            self._loaded[path] = load_checklist(path)
        return self._loaded[path]

    def _load_checklist(self, path: Path) -> None:
        run_blocking(
            self,
            lambda: self.load_cached(path),
            self._checklist_loaded,
            self._load_failed,
            group="load",
        )

    def _checklist_loaded(self, checklist: Checklist) -> None:
        self.push_screen(ExploreScreen(checklist))

    def _load_failed(self, error: str) -> None:
        self.notify(error, title="Error", severity="error", timeout=10, markup=False)

    # -- app-wide actions

    def action_help(self) -> None:
        from decalogue.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        checklist = self.screen.checklist if isinstance(self.screen, ChecklistScreen) else None
        self.push_screen(HelpScreen(checklist))

    def action_toggle_theme(self) -> None:
        position = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(position + 1) % len(THEMES)]
        try:
            save_profile_theme(self.theme)
        except DecalogueError as error:
            self.notify(str(error), severity="warning", markup=False)

    def _check_terminal(self) -> None:
        if lost(self._driver):
            self._stop_on_signal()

    def _save_all(self) -> list[str]:
        """Keep the text of open editors, then save every open assessment and a workshop's
        decisions; the errors."""
        screens = [screen for screen in self.screen_stack if isinstance(screen, AssessScreen)]
        for screen in screens:
            screen.commit_editor()
        errors = [error for screen in screens for error in [screen.flush()] if error is not None]
        return errors + self._keep_decisions()

    def _keep_decisions(self) -> list[str]:
        """A workshop screen's unsaved decisions, saved (found by its method, so this module
        need not import the workshop screens at start)."""
        keeps = [getattr(screen, "keep_decisions_for_exit", None) for screen in self.screen_stack]
        return [error for keep in keeps if keep is not None for error in [keep()] if error]

    def _keep_all_for_exit(self) -> None:
        """Save each open assessment, else write a recovery copy in the workspace's folder;
        and a workshop's decisions."""
        for screen in self.screen_stack:
            if isinstance(screen, AssessScreen):
                self._kept(screen.keep_for_exit(self.context.workspace.recovery))
        self._keep_decisions()

    def _kept(self, elsewhere: str | None) -> None:
        if elsewhere is not None:
            self.kept_elsewhere.append(elsewhere)

    def _stop_on_signal(self) -> None:
        """A closed terminal or a shutdown: no one is there to answer a dialog, so save and go.

        What cannot be saved (the file changed meanwhile, the disk refused) goes to a
        recovery copy in the workspace's recovery folder, which the home screen shows.
        """
        if self._stopping:
            return
        self._stopping = True
        for screen in self.screen_stack:
            if isinstance(screen, AssessScreen):
                screen.commit_editor()
        self._keep_all_for_exit()
        self.exit()

    async def action_quit(self) -> None:
        """Save every open assessment first; ask before quitting with unsaved work."""
        errors = self._save_all()
        if not errors:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog):
            return

        def done(leave: bool | None) -> None:
            if leave:
                self._keep_all_for_exit()
                self.exit()

        self.push_screen(ConfirmDialog(_not_saved(errors[0], "Quit"), yes="Quit", no="Stay"), done)


def _not_saved(error: str, verb: str) -> str:
    return (
        f"Not saved: {error}\n{verb} anyway? Your changes since the last save are then "
        "written to a recovery copy, and the next start says where it is."
    )


def _saved_theme() -> str | None:
    """The theme the user chose last time, if it still exists."""
    theme = profile_theme()
    return theme if theme in THEMES else None


def create_app(
    workspace: Path | None = None,
    *,
    open_path: Path | None = None,
    checklist: str | Path | Checklist | None = None,
    explore: str | Path | Checklist | None = None,
    explore_mode: bool = False,
    user: str | None = None,
    checklists: Sequence[Path] | None = None,
    theme: str | None = None,
    served: Served | None = None,
    force: bool = False,
    store: str | None = None,
) -> DecalogueApp:
    """The app for the CLI and the tests.

    `open_path` opens an assessment at once; `explore_mode` (with `explore`, a checklist
    id, path or None for the default) browses a checklist without an assessment;
    `checklist` forces the checklist assessments are opened with; `served` restricts the
    app to what a browser link's role may do (`decalogue serve`); `store`, a PostgreSQL
    address, lists and opens the assessments of that database (`open_path` is then an
    id). Raises DecalogueError
    (one line per problem) before anything is shown when a checklist cannot be loaded.
    """
    ws = Workspace.resolve(workspace)
    resolver = Checklists(ws.root)
    forced = _checklist(checklist, resolver) if checklist is not None else None
    browse = None
    if explore_mode or explore is not None:
        browse = _checklist(explore, resolver) if explore is not None else forced or resolver.load()
    return DecalogueApp(
        ws,
        user=user,
        checklist=forced,
        checklists=checklists,
        resolver=Checklists(ws.root, [forced] if forced is not None else []),
        open_path=open_path,
        explore=browse,
        theme=theme,
        served=served,
        force=force,
        store=PgStore(store) if store is not None else None,
    )


def _checklist(ref: str | Path | Checklist, resolver: Checklists) -> Checklist:
    return ref if isinstance(ref, Checklist) else resolver.load(ref)
