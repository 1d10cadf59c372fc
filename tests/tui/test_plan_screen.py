"""Pilot tests of actions in the workbench: the actions dialog and the Plan screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, OptionList

from decalogue.model.actions import Action
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.tui.screens.actions import ActionsDialog
from decalogue.tui.screens.dialogs import ConfirmDialog
from decalogue.tui.screens.plan import PlanScreen
from tests.helpers import open_assess, settle
from tests.tui.conftest import AppFactory, write_assessment

SIZE = (120, 40)


async def _type(pilot: object, selector: str, text: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    field = app.screen.query_one(selector, Input)
    field.value = text


async def test_actions_added_in_the_dialog_are_saved_and_listed_by_deadline(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        item = screen.checklist_tree.current_item
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionsDialog)
        await _type(pilot, "#act-what", "Amend the health act")
        await _type(pilot, "#act-owner", "Ministry of Health")
        await _type(pilot, "#act-deadline", "2001-01-31")
        await pilot.click("#save")
        await settle(pilot)
        await _type(pilot, "#act-what", "Publish the by-laws")
        await _type(pilot, "#act-owner", "Ministry of Health")
        await _type(pilot, "#act-deadline", "2099-12-31")
        # Done with a filled-in form keeps that action too.
        await pilot.press("escape")
        await settle(pilot)
        back: object = app.screen
        assert back is screen
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        assert [row[0] for row in rows] == ["2001-01-31", "2099-12-31"]
        assert rows[0][1] == "planned, OVERDUE" and rows[1][1] == "planned"
        await pilot.press("enter")
        await settle(pilot)
        shown: object = app.screen
        assert shown is screen and screen.checklist_tree.current_item == item
        await pilot.press("ctrl+q")
        await settle(pilot)
    saved = store.read(scored_file).assessment.responses[item or ""].actions
    assert [a.what for a in saved] == ["Amend the health act", "Publish the by-laws"]
    assert saved[0].owner == "Ministry of Health"


async def test_a_bad_deadline_is_refused_and_nothing_is_lost(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("a")
        await settle(pilot)
        await _type(pilot, "#act-what", "Train judges")
        await _type(pilot, "#act-deadline", "31/12/2026")
        await pilot.press("escape")
        await settle(pilot)
        # the date is wrong, so the action cannot be kept: escape asks (the dialogs' rule)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, ActionsDialog)  # not closed, nothing lost
        assert app.screen.query_one("#act-what", Input).value == "Train judges"


async def test_saving_a_workshop_proposal_in_the_dialog_accepts_it(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    first = checklist.items[0].id
    proposal = Action(what="Train the hotline staff", proposed_by="Group A")
    path = write_assessment(workspace, checklist, fields={first: {"actions": [proposal]}})
    app = make_app(open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ActionsDialog)
        listing = dialog.query_one(OptionList)
        assert "proposed by Group A, not yet accepted" in str(listing.get_option_at_index(0).prompt)
        listing.focus()
        listing.highlighted = 0
        await pilot.press("enter")  # pick it: its words go into the form
        await settle(pilot)
        await pilot.click("#save")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    (saved,) = store.read(path).assessment.responses[first].actions
    assert (saved.what, saved.proposed_by) == ("Train the hotline staff", "")
