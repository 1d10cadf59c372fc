"""The workshop screen and the presenter view: three groups of Exampleland (XX), fictional.

Groups A, B and C scored the test checklist: they disagree widely on medical
care (1, 4, 2), two say the children's survey is N/A while one gave it a level,
they agree within one level elsewhere, and nobody answered the specialised
prosecutors. The trainer decides, presents, and saves the consensus.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits, Input, Static

from decalogue.cli import main
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.tui.app import DecalogueApp
from decalogue.tui.screens.dialogs import ConfirmDialog, TextPrompt
from decalogue.tui.screens.home import HomeScreen
from decalogue.tui.screens.presenter import PresenterScreen
from decalogue.tui.screens.workshop import WorkshopScreen
from tests.helpers import (
    SIZE,
    SIZES,
    go_to,
    on_top,
    open_workshop,
    row,
    settle,
    shown,
    write_groups,
)
from tests.tui.conftest import CHECKLIST, AppFactory

pytestmark = pytest.mark.usefixtures("frozen_timer")  # the presenter's timer


@pytest.fixture
def groups(tmp_path: Path, checklist: Checklist) -> list[Path]:
    return write_groups(tmp_path / "groups", checklist)


# --------------------------------------------------------------------------- the table


async def test_items_come_most_disputed_first_with_every_groups_level(
    make_app: AppFactory, groups: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [groups[0].parent])
        assert screen.workshop is not None
        order = [item.item_id for item in screen.workshop.ranking]
        table = screen.query_one(DataTable)
        assert [str(key.value) for key in table.rows] == order
        assert order[0] == "PR-02"  # levels 1, 4 and 2: the widest spread
        assert order[-1] == "JU-03"  # nobody answered
        headings = [str(column.label) for column in table.columns.values()]
        assert headings[3:6] == ["Group A", "Group B", "Group C"]
        assert row(screen, "PR-02") == ["1", "PR-02", "Medical care", "● 1", "● 4", "● 2", "2",
                                        "3", "≠ open"]  # fmt: skip
        assert row(screen, "PR-01")[-3:] == ["3", "1", "= 3"]  # agreed: lower median of 2,3,3
        assert row(screen, "JU-02")[-3:] == ["3.5", "1", "= 3"]  # 4 and 3: the lower one
        assert row(screen, "PR-04")[3:6] == ["⊘ N/A", "⊘ N/A", "● 1"]
        assert row(screen, "PR-04")[-1] == "≠ open"  # N/A against a level is a conflict
        assert row(screen, "JU-03")[-1] == "– open"
        title = shown(screen, "#workshop-title")
        assert "3 groups" in title and "2 conflicts" in title and "4/7 decided" in title
        detail = shown(screen, "#workshop-detail")
        assert "Do victims receive medical care without conditions?" in detail
        # A group's note is shown as written, brackets and all, attributed by position.
        assert "Care depends on co-operation with the police [bold]really[/]." in detail
        assert "≠ conflict: levels 1 to 4" in detail and "a accepts 2" in detail


async def test_home_selection_opens_the_workshop_on_the_selected_files(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    write_groups(workspace, checklist)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("space", "space")
        assert len(home.selected) == 2
        table = home.query_one(DataTable)
        marked = [str(table.get_row_at(index)[0]) for index in range(table.row_count)]
        assert sum(text.startswith("✔ ") for text in marked) == 2
        assert "2 selected" in str(home.query_one("#home-title", Static).visual)
        await pilot.press("space")
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        await settle(pilot)
        assert app.screen.workshop is not None
        assert [g.name for g in app.screen.workshop.groups] == ["Group A", "Group B", "Group C"]


async def test_workshop_without_a_selection_asks_for_the_folder(
    make_app: AppFactory, groups: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = str(groups[0].parent / "nowhere")
        await pilot.press("enter")
        assert isinstance(app.screen, TextPrompt)  # no such folder: not accepted
        app.screen.query_one(Input).value = str(groups[0].parent)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("copy", "same assessment"),
        ("version", "different checklists or versions"),
    ],
)
async def test_files_that_cannot_be_set_side_by_side_are_explained(
    make_app: AppFactory, groups: list[Path], change: str, message: str
) -> None:
    if change == "copy":
        shutil.copy(groups[0], groups[0].with_name("d.json"))
        store.save(  # a copy with one edit: not the same bytes, still the same assessment
            groups[0].with_name("d.json"),
            store.read(groups[0]).assessment.model_copy(update={"title": "Group D"}),
            store.read(groups[0]).fingerprint,
        )
    else:
        stored = store.read(groups[2])
        other = stored.assessment.model_copy(deep=True)
        other.checklist = other.checklist.model_copy(update={"version": "2.0.0"})
        store.save(groups[2], other, stored.fingerprint)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [groups[0].parent])
        assert screen.workshop is None
        assert not screen.query_one(DataTable).display
        text = shown(screen, "#workshop-detail")
        assert message in text and "⚠" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


# --------------------------------------------------------------------------- the consensus


async def test_trainer_decides_and_saves_the_consensus(
    make_app: AppFactory, groups: list[Path], workspace: Path
) -> None:
    before = {path: path.read_bytes() for path in groups}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, groups)
        await go_to(pilot, screen, "PR-02")
        await pilot.press("3")  # the room settles medical care at 3
        assert row(screen, "PR-02")[-1] == "✎ 3"
        await go_to(pilot, screen, "PR-04")
        await pilot.press("a")  # accept the proposal: the one level given
        assert row(screen, "PR-04")[-1] == "✎ 1"
        await go_to(pilot, screen, "PR-01")
        await pilot.press("l")  # agreed by the rule, but the trainer wants it discussed
        assert row(screen, "PR-01")[-1] == "✎ open"
        await go_to(pilot, screen, "JU-01")
        await pilot.press("9")  # not on the 0-4 scale
        assert row(screen, "JU-01")[-1] == "= 2"
        await pilot.press("4", "u")  # and back to the rule
        assert row(screen, "JU-01")[-1] == "= 2"
        assert "5/7 decided" in shown(screen, "#workshop-title")
        await pilot.press("s")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one(Input).value == "XX-2025-consensus.json"
        await pilot.press("enter")
        await settle(pilot)
        saved = workspace / "XX-2025-consensus.json"
        assert saved.exists()
        assert "saved to XX-2025-consensus.json" in shown(screen, "#workshop-title")

        consensus = store.read(saved).assessment
        responses = consensus.responses
        assert (responses["PR-02"].level, responses["PR-02"].flagged) == (3, False)
        assert (responses["PR-04"].level, responses["PR-04"].flagged) == (1, False)
        assert (responses["PR-01"].level, responses["PR-01"].flagged) == (None, True)
        assert responses["PR-03"].level == 2 and responses["JU-02"].level == 3
        assert "JU-03" not in responses or responses["JU-03"].level is None
        assert responses["PR-02"].notes == (
            "Group A: Care depends on co-operation with the police [bold]really[/].\n\n"
            "Group B: The law grants care to all identified victims."
        )
        assert (consensus.country.code, consensus.period) == ("XX", "2025")
        merge = consensus.history[0]
        assert merge.field == "merge" and merge.item is None
        trainer = [(c.item, c.by) for c in consensus.history[1:] if c.field == "answer"]
        assert sorted(trainer) == [("PR-01", "Tester"), ("PR-02", "Tester"), ("PR-04", "Tester")]

        # Saving again writes the same file, with the new decision.
        await go_to(pilot, screen, "PR-01")
        await pilot.press("a")
        assert "(changed since)" in shown(screen, "#workshop-title")
        await pilot.press("s")
        await settle(pilot)
        assert not isinstance(app.screen, TextPrompt)
        again = store.read(saved).assessment
        assert again.id == consensus.id and again.responses["PR-01"].level == 3
        assert sorted(p.name for p in workspace.glob("*.json")) == ["XX-2025-consensus.json"]
    assert {path: path.read_bytes() for path in groups} == before  # group files untouched


async def test_not_applicable_asks_why_and_keeps_the_groups_reasons(
    make_app: AppFactory, groups: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, groups)
        await go_to(pilot, screen, "PR-04")
        await pilot.press("n")
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one(Input).value == (
            "Group A: No survey is planned.; Group B: Not this period."
        )
        await pilot.press("enter")
        assert row(screen, "PR-04")[-1] == "✎ N/A"
        assert "decided by Tester" in shown(screen, "#workshop-detail")  # the facilitator


async def test_leaving_with_unsaved_decisions_asks_first(
    make_app: AppFactory, groups: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, groups)
        await pilot.press("2", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # stay
        assert on_top(app) is screen
        await pilot.press("escape")
        await pilot.press("y")
        assert isinstance(app.screen, HomeScreen)


def test_workshop_command_opens_the_screen(
    monkeypatch: pytest.MonkeyPatch, groups: list[Path], workspace: Path
) -> None:
    """`decalogue workshop FOLDER` on a headless app: the workshop screen is what shows."""
    seen: list[str] = []

    def run(self: DecalogueApp, *, auto_pilot: Any = None, **_: Any) -> None:
        async def drive(pilot: Pilot[Any]) -> None:
            await auto_pilot(pilot)
            await settle(pilot)
            await settle(pilot)
            seen.append(type(pilot.app.screen).__name__)
            if isinstance(pilot.app.screen, WorkshopScreen):
                seen.append(shown(pilot.app.screen, "#workshop-title"))
            pilot.app.exit()

        asyncio.run(self.run_async(headless=True, size=SIZE, auto_pilot=drive))

    monkeypatch.setattr(DecalogueApp, "run", run)
    code = main(
        ["workshop", str(groups[0].parent), "--checklist", str(CHECKLIST), "--workspace",
         str(workspace)]
    )  # fmt: skip
    assert code == 0
    assert seen[0] == "WorkshopScreen" and "3 groups" in seen[1]


def test_workshop_command_refuses_a_file_given_twice(
    groups: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["workshop", str(groups[0]), str(groups[0]), "--checklist", str(CHECKLIST)])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "given twice" in err[0]
    assert main(["workshop", str(groups[0].parent / "missing.json")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- presenter


async def test_presenter_shows_one_item_at_a_time_with_its_source_and_the_groups(
    make_app: AppFactory, groups: list[Path], frozen_timer: list[float]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        workshop = await open_workshop(pilot, groups)
        await pilot.press("p")
        await pilot.pause()
        presenter = app.screen
        assert isinstance(presenter, PresenterScreen)
        where = shown(presenter, "#presenter-where")
        text = shown(presenter, "#presenter-text")
        assert "PR-02  Medical care" in where and "Item 1 of 7" in where
        assert "Do victims receive medical care without conditions?" in text
        assert "“medical care without conditions”" in text
        assert "— Exampleland annual report press release (1 March 2025)" in text
        for line in ("Group A  ● 1 Initial", "Group B  ● 4 Full", "Group C  ● 2 Partial"):
            assert line in text
        assert "The law grants care to all identified victims." in text
        assert "Median 2   Spread 3   ≠ conflict" in text
        assert presenter.query_one(Digits).value == "05:00"  # the count-down per item

        frozen_timer[0] += 75
        presenter._tick()
        assert presenter.query_one(Digits).value == "03:45"
        await pilot.press("right")
        assert "Item 2 of 7" in shown(presenter, "#presenter-where")
        assert presenter.query_one(Digits).value == "05:00"
        await pilot.press("pagedown", "pagedown", "pageup")
        assert "Item 3 of 7" in shown(presenter, "#presenter-where")
        await pilot.press("left", "left")
        assert "Item 1 of 7" in shown(presenter, "#presenter-where")
        assert presenter.query_one(Digits).value == "03:45"  # time on an item adds up
        await pilot.press("t")
        assert presenter.query_one(Digits).value == "05:00"
        await pilot.press("left")  # already the first: stays
        assert "Item 1 of 7" in shown(presenter, "#presenter-where")
        await pilot.press("space", "space", "escape")
        await pilot.pause()
        assert app.screen is workshop
        assert workshop.current() is not None
        assert workshop.current().item_id == presenter.order[2].item_id  # type: ignore[union-attr]


async def test_presenter_shows_n_a_reasons_and_the_consensus(
    make_app: AppFactory, groups: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, groups)
        await go_to(pilot, screen, "PR-04")
        await pilot.press("a", "p")
        text = shown(app.screen, "#presenter-text")  # type: ignore[arg-type]
        assert "Group A  ⊘ N/A" in text and "No survey is planned." in text
        assert "A pilot survey ran in one region." in text
        assert "Consensus 1 Initial" in text


# --------------------------------------------------------------------------- snapshots

Compare = Callable[..., bool]


def _workshop_steps(groups: list[Path], *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await open_workshop(pilot, groups)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_workshop(
    snap_compare: Compare, make_app: AppFactory, groups: list[Path], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=_workshop_steps(groups, "3"))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_presenter(
    snap_compare: Compare, make_app: AppFactory, groups: list[Path], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=_workshop_steps(groups, "p"))


async def test_control_characters_in_group_files_are_shown_not_obeyed(
    make_app: AppFactory, groups: list[Path]
) -> None:
    stored = store.read(groups[0])
    hostile = stored.assessment.model_copy(deep=True)
    hostile.title = "Group\x07A"
    hostile.apply("PR-02", "notes", "Clear\x1b[2J the screen", "Group A")
    store.save(groups[0], hostile, stored.fingerprint)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, groups)
        headings = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert "Group␇A" in headings
        detail = shown(screen, "#workshop-detail")
        assert "Clear␛[2J the screen" in detail and "\x1b" not in detail and "\x07" not in detail
        await pilot.press("p")
        text = shown(app.screen, "#presenter-text")  # type: ignore[arg-type]
        assert "Group␇A" in text and "Clear␛[2J the screen" in text and "\x1b" not in text
