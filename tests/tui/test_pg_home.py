"""The home screen on a PostgreSQL store, against a real server: carry forward and import
of an assessment file put a new assessment into the store (never a file in the
workspace folder), and delete and its undo are refused in one line saying why.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from decalogue.model.assessment import Answer, new_assessment
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from decalogue.tui.app import DecalogueApp, create_app
from decalogue.tui.screens.dialogs import ConfirmDialog, TextPrompt
from tests.helpers import home_rows, notes_of, open_assess, settle
from tests.postgres import checklist_text

SIZE = (120, 40)


def stored(url: str) -> str:
    """An Exampleland 2025 assessment with one answer, in the store; its id."""
    schema.migrate(url, create=True)
    assessment = new_assessment(
        load_checklist(), "XX", "2025", country_name="Exampleland", assessor="Tester"
    )
    assessment.apply("LF-01", "answer", Answer(level=3), "Tester")
    documents.push(url, assessment, checklist_text())
    return assessment.id


def window(tmp_path: Path, url: str) -> DecalogueApp:
    return create_app(tmp_path / "ws", store=url, user="Ana Example")


def no_files(tmp_path: Path) -> bool:
    """Nothing was written as a file in the workspace folder instead of the store."""
    folder = tmp_path / "ws"
    return not folder.exists() or not list(folder.glob("*.json"))


async def test_carry_forward_puts_the_next_period_into_the_store(
    pg_url: str, tmp_path: Path
) -> None:
    first = stored(pg_url)
    app = window(tmp_path, pg_url)
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value == "2026"
        await pilot.press("enter")
        screen = await open_assess(pilot)
        assert screen.session.path is None  # in the database, not a file
        assert screen.session.assessment.period == "2026"
        assert screen.session.assessment.responses["LF-01"].carried
    periods = {(row.country_code, row.period): row.id for row in documents.listing(pg_url)}
    assert set(periods) == {("XX", "2025"), ("XX", "2026")}
    carried, _, _ = location.load(pg_url, periods[("XX", "2026")])
    assert carried.responses["LF-01"].level == 3 and carried.responses["LF-01"].carried
    assert periods[("XX", "2025")] == first and no_files(tmp_path)


async def test_import_of_an_assessment_file_adds_it_to_the_store(
    pg_url: str, tmp_path: Path
) -> None:
    schema.migrate(pg_url, create=True)
    given = new_assessment(load_checklist(), "XZ", "2025", country_name="Farland")
    given.apply("LF-01", "answer", Answer(level=2), "Tester")
    source = tmp_path / "XZ-2025.json"
    store.create(source, given)
    app = window(tmp_path, pg_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one(Input).value = str(source)
        await pilot.pause()
        await pilot.press("enter")
        rows = await home_rows(pilot)
        assert len(rows) == 1 and rows[0][0] == "Farland (XZ)"
    (row,) = documents.listing(pg_url)
    assert row.id == given.id
    kept, _, _ = location.load(pg_url, given.id)
    assert kept.responses["LF-01"].level == 2
    assert source.exists() and no_files(tmp_path)


async def test_delete_and_undo_are_refused_in_one_line_and_nothing_is_removed(
    pg_url: str, tmp_path: Path
) -> None:
    ident = stored(pg_url)
    app = window(tmp_path, pg_url)
    async with app.run_test(size=SIZE) as pilot:
        assert len(await home_rows(pilot)) == 1
        said = notes_of(app)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.press("u")
        await settle(pilot)
        assert len(said) == 2 and all(len(line.splitlines()) == 1 for line in said)
        assert "not deleted from a window" in said[0]
        assert "an administrator of the database removes one there" in said[0]
        assert "no such file" not in " ".join(said)
        assert len(await home_rows(pilot)) == 1
    assert [row.id for row in documents.listing(pg_url)] == [ident]
