"""The workshop screen on a PostgreSQL store, against a real server: the groups selected
on the home screen are read from the store by id, the consensus is kept in the store as a
new assessment, and saving again replaces that one, unless a colleague changed it in the
store meanwhile; selected with its groups, a stored consensus is resumed (no file is
written anywhere).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from decalogue.tui.app import DecalogueApp, create_app
from decalogue.tui.screens.home import HomeScreen
from decalogue.tui.screens.workshop import WorkshopScreen
from tests.helpers import home_rows, notes_of, settle, shown, write_groups
from tests.postgres import checklist_text

SIZE = (120, 40)


def window(tmp_path: Path, url: str) -> DecalogueApp:
    return create_app(tmp_path / "ws", store=url, user="Ana Example")


@pytest.fixture
def groups(pg_url: str, tmp_path: Path) -> list[str]:
    """The three groups of tests/helpers.py in the store (their files removed); their ids."""
    url = pg_url
    schema.migrate(url, create=True)
    groups = []
    for path in write_groups(tmp_path / "groups", load_checklist()):
        assessment = store.read(path).assessment
        documents.push(url, assessment, checklist_text())
        groups.append(assessment.id)
        path.unlink()
    return groups


async def saved_twice(
    app: DecalogueApp, pilot: Pilot[Any], url: str, groups: list[str]
) -> tuple[WorkshopScreen, str, str]:
    """All three groups selected on the home screen, W, s, then level 1 for the first item
    and s again: the screen, the consensus's id in the store and that item's id."""
    assert len(await home_rows(pilot)) == 3
    said = notes_of(app)
    await pilot.press("W")  # nothing selected: no folder to ask for in a store, a hint
    await settle(pilot)
    assert isinstance(app.screen, HomeScreen)
    assert said == ["Select the groups' assessments with space first, then press W."]
    await pilot.press("space", "space", "space", "W")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, WorkshopScreen)
    await pilot.press("s")
    await settle(pilot)
    (made,) = {row.id for row in documents.listing(url)} - set(groups)
    workshop = screen.workshop
    assert workshop is not None
    first = workshop.ranking[0].item_id
    await pilot.press("1", "s")  # the most disputed item decided, saved again
    await settle(pilot)
    return screen, made, first


async def test_stored_groups_give_a_consensus_kept_in_the_store_and_resumed(
    pg_url: str, tmp_path: Path, groups: list[str]
) -> None:
    app = window(tmp_path, pg_url)
    async with app.run_test(size=SIZE) as pilot:
        screen, made, first = await saved_twice(app, pilot, pg_url, groups)
        assert screen.workshop is not None
        assert [g.name for g in screen.workshop.groups] == ["Group A", "Group B", "Group C"]
        assert not screen._unsaved
        title = shown(screen, "#workshop-title")  # named as the home screen names it
        assert f"saved as Consensus of 3 groups ({made[:8]})" in title and made not in title
        assert len(documents.listing(pg_url)) == 4  # saved again: the same one, replaced
        kept, _, _ = location.load(pg_url, made)
        assert kept.title == "Consensus of 3 groups" and kept.responses[first].level == 1
        assert [c.by for c in kept.history if c.field == "decision"] == ["Ana Example"]
        kept.title = "Renamed by a colleague"  # in the store, between two saves
        location.save_merged(pg_url, made, None, lambda _: dumps(kept))
        said = notes_of(app)
        await pilot.press("2", "s")
        await settle(pilot)
        assert screen._unsaved
        assert any("changed in the store since the consensus was saved" in n for n in said)
    theirs, _, _ = location.load(pg_url, made)
    assert theirs.title == "Renamed by a colleague" and theirs.responses[first].level == 1
    # Selected with its groups in a new window, the stored consensus is resumed and replaced.
    again = window(tmp_path, pg_url)
    async with again.run_test(size=SIZE) as pilot:
        assert len(await home_rows(pilot)) == 4
        told = notes_of(again)
        await pilot.press("space", "space", "space", "space", "W")
        await settle(pilot)
        resumed = again.screen
        assert isinstance(resumed, WorkshopScreen) and resumed.workshop is not None
        name = f"Renamed by a colleague ({made[:8]})"
        assert f"Resumed 1 decision from {name}; s saves to it." in told
        assert f"saved as {name}" in shown(resumed, "#workshop-title")
        assert not any(made in n for n in told)
        assert len(resumed.workshop.groups) == 3
        assert resumed.decisions[first].level == 1
        await pilot.press("2", "s")
        await settle(pilot)
        assert not resumed._unsaved
    assert len(documents.listing(pg_url)) == 4
    kept, _, _ = location.load(pg_url, made)
    assert kept.responses[first].level == 2
    assert not list(tmp_path.glob("**/*.json"))
