"""A served app keeps to its link's role: what a group, a viewer and a facilitator can reach.

`decalogue serve` starts the app with its role in the environment; here the
app is built with the same `Served` value and driven with keys, the command
palette's route (`run_action`) and direct pushes, as a participant could try.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from decalogue.model.assessment import Answer
from decalogue.model.checklist import Checklist
from decalogue.roles import Role, Served
from decalogue.session import Session
from decalogue.storage import store
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.conflicts import ConflictScreen
from decalogue.tui.screens.dashboard import DashboardScreen
from decalogue.tui.screens.dialogs import ConfirmDialog, TextPrompt
from decalogue.tui.screens.explore import ExploreScreen
from decalogue.tui.screens.export import ExportScreen
from decalogue.tui.screens.home import HomeScreen
from decalogue.tui.screens.new import NewAssessmentScreen
from decalogue.tui.screens.workshop import WorkshopScreen
from decalogue.tui.served import ALLOWED, GROUP_ASSESS
from tests.helpers import SIZE, home_rows, notes_of, on_top, open_assess, settle, shown
from tests.tui.conftest import AppFactory, write_assessment

GROUP = Served(Role.GROUP, "Group A", "XX-2025.json")
VIEWER = Served(Role.VIEWER, "viewer")
FACILITATOR = Served(Role.FACILITATOR, "facilitator")


def others(workspace: Path, checklist: Checklist) -> Path:
    return write_assessment(workspace, checklist, code="XY", name="Otherland")


async def test_a_group_member_is_told_who_else_has_the_file_but_not_the_servers_login(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    """Two members on one group link: the second hears of the first by name; the login and
    computer the server runs as (the same for every session) stay off the page."""
    first = Session.open(scored_file, checklist, user="Group A (Ana)")
    first.announce()
    try:
        app = make_app(served=GROUP, user="Group A")
        said = notes_of(app)
        async with app.run_test(size=SIZE) as pilot:
            await open_assess(pilot)
    finally:
        first.close()
    notice = next(text for text in said if "has this file open since" in text)
    assert notice.startswith("Group A (Ana) has this file open since"), notice
    assert "@" not in notice, notice


async def test_a_group_reaches_its_one_assessment_and_nothing_else(
    make_app: AppFactory, workspace: Path, checklist: Checklist, scored_file: Path
) -> None:
    other = others(workspace, checklist)
    app = make_app(served=GROUP, user="Group A")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert screen.session is not None and screen.session.path == scored_file
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await pilot.press("escape", "escape")  # "go home", by key
        await settle(pilot)
        assert app.screen is screen
        # Whatever asks for them (a key, the palette, code), other screens are refused.
        app.push_screen(HomeScreen())
        app.push_screen(NewAssessmentScreen())
        app.push_screen(WorkshopScreen([other]))
        app.push_screen(AssessScreen(Session.open(other, checklist)))
        app.push_screen(ExploreScreen(checklist))  # exploring another checklist
        await settle(pilot)
        assert app.screen is screen
        assert await app.run_action("edit_notes_external", screen) is False
        assert not screen.check_action("edit_notes_external", ())
        for action in ("edit_actions", "plan"):
            assert not screen.check_action(action, ())
        await pilot.press("a", "p")
        await settle(pilot)
        assert app.screen is screen
        # Its own work goes on: a level, recorded under the group's name.
        await pilot.press("1")
        assert screen.flush() is None
    saved = store.read(scored_file).assessment
    assert saved.responses["PR-01"].level == 1
    assert saved.history[-1].by == "Group A"
    assert store.read(other).assessment.history == []  # untouched


async def test_a_group_exports_as_a_download_never_to_a_path(
    make_app: AppFactory, workspace: Path, scored_file: Path
) -> None:
    app = make_app(served=GROUP, user="Group A")
    delivered: list[dict[str, Any]] = []

    def deliver(file: Any, **options: Any) -> str:
        delivered.append({"text": file.read(), **options})
        return "key"

    app.deliver_text = deliver  # type: ignore[method-assign, assignment]
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert not app.screen.query(Input), "a served export has no path field"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [d["save_filename"] for d in delivered] == ["XX-2025-scorecard.json"]
        assert json.loads(delivered[0]["text"])["overall"]["score"] == 50.0
        app.screen.query_one("#where", Select).value = "workspace"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert (workspace / "exports" / "XX-2025-scorecard.json").is_file()


async def test_a_group_whose_file_is_gone_is_told_so_and_sees_nothing_else(
    make_app: AppFactory, workspace: Path, scored_file: Path
) -> None:
    scored_file.unlink()
    app = make_app(served=GROUP, user="Group A")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "cannot be opened" in str(app.screen.query_one("#served-notice").visual)  # type: ignore[attr-defined]
        assert not any(isinstance(s, (HomeScreen, AssessScreen)) for s in app.screen_stack)


async def test_a_viewer_reads_but_changes_nothing(
    make_app: AppFactory, workspace: Path, checklist: Checklist, scored_file: Path
) -> None:
    app = make_app(served=VIEWER, user="viewer")
    before = scored_file.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        for key in ("d", "n", "i", "c", "u"):  # delete, new, import, carry forward, undo
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), key
        for action in ("delete", "new", "import", "carry_forward"):
            assert await app.run_action(action, app.screen) is False
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)  # not the assess screen
        assert not any(isinstance(s, AssessScreen) for s in app.screen_stack)
        await pilot.press("escape")
        await pilot.press("space", "W")  # the workshop table: present, never decide or save
        await settle(pilot)
        workshop = app.screen
        assert isinstance(workshop, WorkshopScreen)
        for action in ("accept", "decide", "save", "not_applicable", "leave_open"):
            assert not workshop.check_action(action, ())
        detail = shown(workshop, "#workshop-detail")  # the projector offers no key it refuses
        assert "Median" in detail and "a accepts" not in detail, detail
        await pilot.press("a", "3", "s")
        await settle(pilot)
        assert app.screen is workshop and not workshop.decisions
    assert scored_file.read_bytes() == before
    assert sorted(p.name for p in workspace.glob("*.json")) == ["XX-2025.json"]


async def test_a_facilitator_has_no_path_field_for_import_export_or_workshop(
    make_app: AppFactory, workspace: Path, checklist: Checklist, scored_file: Path
) -> None:
    app = make_app(served=FACILITATOR, user="facilitator")
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("i")  # import: refused (files reach the workspace on the server)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("W")  # workshop without a selection: no folder prompt
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("d")  # the facilitator may delete (into the workspace's trash)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.press("enter")
        screen = await open_assess(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and not app.screen.query(Input)
        await pilot.press("escape")
        assert not screen.check_action("edit_notes_external", ())


async def test_a_served_consensus_is_saved_by_name_in_the_workspace_only(
    make_app: AppFactory, workspace: Path, checklist: Checklist, tmp_path: Path
) -> None:
    write_assessment(workspace, checklist, answers={"PR-01": Answer(level=2)})
    write_assessment(
        workspace, checklist, code="XX", period="2024", answers={"PR-01": Answer(level=3)}
    )
    app = make_app(served=FACILITATOR, user="facilitator")
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("space", "space", "W")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        await pilot.press("s")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        for name in (str(tmp_path / "out.json"), "../out.json", "sub/out.json"):
            prompt.query_one(Input).value = name
            await pilot.pause()
            assert "file name only" in str(prompt.query_one("#prompt-error", Static).visual)


async def test_answers_that_cannot_be_saved_as_the_session_ends_go_to_a_recovery_copy(
    make_app: AppFactory, workspace: Path, checklist: Checklist, scored_file: Path
) -> None:
    app = make_app(served=GROUP, user="Group A")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        # Another program leaves the file unreadable: a save cannot land (a save merges
        # with what someone else saved, so only a failure like this one can stop it).
        broken = b'{"schema_version": 2, "half a file'
        scored_file.write_bytes(broken)
        await pilot.press("1")
        app._stop_on_signal()  # the browser went away: SIGTERM after ctrl+q did not end it
        await settle(pilot)
    assert screen.session is not None and screen.session.dirty
    [copy] = (workspace / "recovery").glob("XX-2025-*.json")
    assert store.read(copy).assessment.responses["PR-01"].level == 1
    assert scored_file.read_bytes() == broken  # never written over
    facilitator = make_app(served=FACILITATOR, user="facilitator")
    async with facilitator.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        title = str(facilitator.screen.query_one("#home-title").visual)  # type: ignore[attr-defined]
        assert "1 recovery copy in recovery/" in title


async def test_two_members_of_a_group_who_answer_one_item_differently_choose_between_them(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two tabs on one group link: the second answer to the same item is a conflict, and
    its side-by-side view opens in the group's browser (it was refused as another screen,
    leaving "1 conflict" that the group could not resolve)."""
    monkeypatch.setattr("decalogue.tui.screens.keeping.POLL", 0.1)
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 30)  # mine unsaved
    app = make_app(served=GROUP, user="Group A")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("2")  # PR-01 in this tab
        other = store.read(scored_file)  # the other tab saves PR-01 first
        other.assessment.apply("PR-01", "answer", Answer(level=4), "Group A")
        store.save(scored_file, other.assessment, other.fingerprint)
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ConflictScreen):
                break
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("m")  # keep mine
        await settle(pilot)
        assert on_top(app) is screen
        assert screen.flush() is None
    assert store.read(scored_file).assessment.responses["PR-01"].level == 2


def test_every_screen_a_role_may_see_is_named_as_it_is_defined() -> None:
    """The roles name their screens (served.py imports none): a renamed or moved screen
    would silently be refused to every browser, so each name must lead to its class."""
    names = {GROUP_ASSESS}.union(*ALLOWED.values())
    for name in sorted(names):
        module, _, cls = name.rpartition(".")
        found = getattr(importlib.import_module(module), cls, None)
        assert isinstance(found, type) and found.__qualname__ == cls, name
