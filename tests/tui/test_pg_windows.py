"""Open windows on an assessment in a PostgreSQL store (issue 19), against a real server.

A save by another process reaches an open window through LISTEN/NOTIFY (the
window's polling is switched off, so only the database's notice can bring it);
edits made while the server is stopped wait in the window, the header says so,
a recovery copy is kept, and they land when the server is back; two real
windows on one stored assessment keep each other's answers, and the same field
changed in both is the per-item conflict view, as with files.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from textual.pilot import Pilot

from decalogue.errors import DecalogueError
from decalogue.model.assessment import new_assessment
from decalogue.roles import GroupOption, Role, Served
from decalogue.serve.room import check_groups
from decalogue.storage.assessment_file import parse_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from decalogue.storage.stores import PgStore
from decalogue.tui.app import DecalogueApp, create_app
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.dialogs import ConfirmDialog
from tests.helpers import home_rows, notes_of, open_assess, settle
from tests.postgres import Cluster, checklist_text
from tests.tui.conftest import AppFactory
from tests.tui.pty_app import drain, running, wait_until_shown

SIZE = (120, 40)
ITEMS = [item.id for item in load_checklist().items]


def stored_assessment(url: str) -> str:
    """An unanswered Exampleland assessment on the bundled checklist, in the store; its id."""
    schema.migrate(url, create=True)
    assessment = new_assessment(
        load_checklist(), "XX", "2025", country_name="Exampleland", assessor="Tester"
    )
    documents.push(url, assessment, checklist_text())
    return assessment.id


def levels(url: str, ident: str) -> dict[str, int | None]:
    assessment, _, _ = location.load(url, ident)
    return {item_id: r.level for item_id, r in assessment.responses.items()}


def kept(folder: Path) -> list[dict[str, int | None]]:
    """The answers of each recovery copy in `folder`."""
    return kept_in(sorted(folder.glob("*.json")))


def kept_in(copies: list[Path]) -> list[dict[str, int | None]]:
    """The answers of each of these recovery copies."""
    return [
        {i: r.level for i, r in parse_assessment(p.read_bytes(), p.name).responses.items()}
        for p in copies
    ]


def window(tmp_path: Path, url: str, ident: str, user: str = "Ana Example") -> DecalogueApp:
    return create_app(tmp_path / "ws", open_path=Path(ident), store=url, user=user)


async def until(pilot: Pilot[None], condition: Callable[[], bool], rounds: int = 1200) -> None:
    """Let the app run until `condition()` holds (a generous bound, not a timing claim)."""
    for _ in range(rounds):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("not seen")


async def assess_screen(pilot: Pilot[None]) -> AssessScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, AssessScreen))
    screen = pilot.app.screen
    assert isinstance(screen, AssessScreen)
    await until(pilot, lambda: pilot.app.focused is screen.checklist_tree)  # keys go to it
    return screen


def tree_line(screen: AssessScreen, item_id: str) -> str:
    return str(screen.checklist_tree._items[item_id].label)


def header(screen: AssessScreen) -> str:
    return str(screen.status.visual)


def listening(screen: AssessScreen) -> bool:
    watch = getattr(screen.session.place, "_watch", None)
    return watch is not None and watch.backend is not None


@pytest.fixture
def no_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the database's notice can tell the window (no look every few seconds)."""
    monkeypatch.setattr("decalogue.tui.screens.keeping.POLL", 3600.0)
    monkeypatch.setattr("decalogue.tui.screens.keeping.POLL_PUSHED", 3600.0)


async def test_a_save_by_another_process_reaches_the_open_window_by_notify(
    pg_url: str, tmp_path: Path, no_polling: None
) -> None:
    ident = stored_assessment(pg_url)
    app = window(tmp_path, pg_url, ident)
    async with app.run_test(size=SIZE) as pilot:
        screen = await assess_screen(pilot)
        await until(pilot, lambda: listening(screen))
        said = notes_of(app)
        command = ["fill", ident, "--store", pg_url, "--item", ITEMS[1]]
        other = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "decalogue", *command],
            input=b"2\nq\n",
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "DECALOGUE_USER": "Ben Example"},
        )
        assert other.returncode == 0, other.stderr
        await until(pilot, lambda: tree_line(screen, ITEMS[1]).startswith("● 2"))
        assert screen.session.assessment.responses[ITEMS[1]].level == 2
        assert any(f"Ben Example changed {ITEMS[1]}" in m for m in said)


@dataclass
class Away:
    """A server of the test's own (the test stops it) with one stored assessment."""

    server: Cluster
    url: str
    ident: str


@pytest.fixture
def away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Away]:
    monkeypatch.setenv("DECALOGUE_RECOVERY", str(tmp_path / "recovered"))
    server = Cluster()
    try:
        url = server.create_database("away")
        yield Away(server, url, stored_assessment(url))
    finally:
        server.remove()


def away_window(tmp_path: Path, away: Away) -> tuple[DecalogueApp, list[str]]:
    """A window on the assessment, and every message it shows."""
    app = window(tmp_path, away.url, away.ident)
    return app, notes_of(app)


async def first_edit_waits(pilot: Pilot[None], server: Cluster) -> AssessScreen:
    """The window open, its server stopped, the first item scored: the save waits."""
    screen = await assess_screen(pilot)
    server.stop()
    await pilot.press("3")  # the first item, saved a moment later: it cannot land
    await until(pilot, lambda: "waiting for the server" in header(screen))
    return screen


async def test_edits_wait_while_the_server_is_stopped_and_land_when_it_is_back(
    tmp_path: Path, away: Away
) -> None:
    app, said = away_window(tmp_path, away)
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_edit_waits(pilot, away.server)
        assert kept(tmp_path / "ws" / "recovery") == [{ITEMS[0]: 3}]  # where quitting puts it
        await pilot.press("j", "2")  # more typed while the server is away
        both = [{ITEMS[0]: 3, ITEMS[1]: 2}]
        await until(pilot, lambda: kept(tmp_path / "ws" / "recovery") == both)  # one, updated
        assert "waiting for the server" in header(screen)
        away.server.start()
        await until(pilot, lambda: "✓ saved" in header(screen))
        assert any("Your edits are kept in this window and in" in m for m in said)
        assert "The server is back: your edits are saved." in said
        assert list((tmp_path / "ws" / "recovery").glob("*.json")) == []  # it all landed
    assert levels(away.url, away.ident) == {ITEMS[0]: 3, ITEMS[1]: 2}


async def test_quitting_while_the_server_is_away_leaves_one_recovery_copy_with_every_edit(
    tmp_path: Path, away: Away
) -> None:
    app, said = away_window(tmp_path, away)
    async with app.run_test(size=SIZE) as pilot:
        await first_edit_waits(pilot, away.server)
        await pilot.press("j", "2", "ctrl+q")  # typed, then quit before it is kept
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")  # quit anyway
    copies = [*(tmp_path / "recovered").glob("*.json"), *(tmp_path / "ws").rglob("*.json")]
    assert kept_in(copies) == [{ITEMS[0]: 3, ITEMS[1]: 2}]  # one copy, with both edits
    assert copies[0].parent.name == "recovery"  # the workspace's: the home screen counts it
    assert len([m for m in said if copies[0].name in m]) == 1  # named once, while waiting
    away.server.start()
    again, told = away_window(tmp_path, away)
    async with again.run_test(size=SIZE) as pilot:
        await assess_screen(pilot)
        await until(pilot, lambda: any(copies[0].name in m for m in told))  # found again


def test_two_windows_on_one_stored_assessment_keep_both_and_show_a_real_conflict(
    pg_url: str, tmp_path: Path
) -> None:
    ident = stored_assessment(pg_url)
    workspace = tmp_path / "ws"
    screens = {"Ana": b"", "Ben": b""}
    with (
        running(Path(ident), workspace, user="Ana", store=pg_url) as ana,
        running(Path(ident), workspace, user="Ben", store=pg_url) as ben,
    ):
        wait_until_shown(ana)
        wait_until_shown(ben)
        ana.type(b"3")  # the first item
        ben.type(b"j2")  # the second item
        _watch(ana, ben, screens, lambda: levels(pg_url, ident) == {ITEMS[0]: 3, ITEMS[1]: 2})
        assert b"Conflict 1 of" not in screens["Ana"] + screens["Ben"]
        ben.type(b"k")  # both on the first item now
        _watch(ana, ben, screens, lambda: True)
        ben.type(b"1")  # changed differently in both windows before either is saved
        ana.type(b"4")
        _watch(ana, ben, screens, lambda: b"Conflict 1 of" in screens["Ana"] + screens["Ben"])
        for person in (ana, ben):
            person.type(b"\x1b")
            person.type(b"\x11")
            person.wait(timeout=60)
    history = location.load(pg_url, ident)[0].history
    first = {v for c in history if c.item == ITEMS[0] for v in (c.old, c.new)}
    assert {1, 4} <= first  # both values kept in the history
    assert levels(pg_url, ident)[ITEMS[1]] == 2


def _watch(ana: object, ben: object, screens: dict[str, bytes], done: Callable[[], bool]) -> None:
    """Read both windows until `done()` (a generous bound, not a timing claim)."""
    for _ in range(600):
        for name, person in (("Ana", ana), ("Ben", ben)):
            screens[name] += drain(person.leader)  # type: ignore[attr-defined]
        if done():
            return
        time.sleep(0.1)
    raise AssertionError("not seen")


async def test_a_served_groups_link_opens_its_stored_assessment_and_saves_there(
    pg_url: str, tmp_path: Path
) -> None:
    ident = stored_assessment(pg_url)
    group = Served(Role.GROUP, "Group A", ident)
    app = create_app(tmp_path / "ws", served=group, store=pg_url, user="Group A")
    async with app.run_test(size=SIZE) as pilot:
        screen = await assess_screen(pilot)
        assert screen.session.place.is_at(Path(ident))
        await pilot.press("3")
        await pilot.press("ctrl+q")
    assert levels(pg_url, ident) == {ITEMS[0]: 3}
    history = location.load(pg_url, ident)[0].history
    assert [(c.item, c.by) for c in history if c.item] == [(ITEMS[0], "Group A")]
    with psycopg.connect(pg_url) as connection:  # and the database login that wrote it
        roles = connection.execute(
            "SELECT DISTINCT db_role FROM history WHERE assessment_id = %s", (ident,)
        ).fetchall()
    assert roles == [("decalogue",)]


def test_serve_refuses_a_group_whose_id_is_not_in_the_store(pg_url: str, tmp_path: Path) -> None:
    ident = stored_assessment(pg_url)
    groups = [GroupOption("Group A", ident), GroupOption("Group B", "no-such-id")]
    refused = r"'Group B': .*no assessment 'no-such-id' in the store"
    with pytest.raises(DecalogueError, match=refused):
        check_groups(tmp_path, groups, pg_url)
    check_groups(tmp_path, groups[:1], pg_url)


async def test_the_home_screen_lists_the_store_and_a_new_assessment_goes_into_it(
    make_app: AppFactory, pg_url: str
) -> None:
    schema.migrate(pg_url, create=True)
    app = make_app(store=pg_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.context.workspace_label == PgStore(pg_url).label  # host/database
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("X", "X", "tab", *"Exampleland", "tab", *"2025", "ctrl+s")
        screen = await open_assess(pilot)
        assert screen.session.path is None  # in the database, not a file
        await pilot.press("3")
        assert screen.flush() is None
        await pilot.press("escape")
        rows = await home_rows(pilot)
        assert len(rows) == 1 and any("Exampleland" in cell for cell in rows[0])
    (row,) = documents.listing(pg_url)
    assert (row.country_code, row.period) == ("XX", "2025")
    assert levels(pg_url, row.id) == {"PR-01": 3}
