"""A workshop that lasts: resumed decisions, a late group, the room's reasons, the timer.

Exampleland (XX) and its groups are fictional; the levels are made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Digits, Input, Static

from decalogue.analysis.consensus import (
    DECISION,
    Decision,
    apply_decisions,
    build_consensus,
    write_consensus,
)
from decalogue.analysis.workshop import aggregate, make_groups
from decalogue.model.assessment import Answer, Evidence, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.tui.screens.dialogs import TextPrompt
from decalogue.tui.screens.home import HomeScreen
from decalogue.tui.screens.presenter import PresenterScreen
from decalogue.tui.screens.workshop import WorkshopScreen
from tests.helpers import (
    SIZE,
    go_to,
    open_new_form,
    open_workshop,
    row,
    settle,
    shown,
    write_groups,
)
from tests.tui.conftest import AppFactory

pytestmark = pytest.mark.usefixtures("frozen_timer")  # the presenter's timer


@pytest.fixture
def three_groups(tmp_path: Path, checklist: Checklist) -> list[Path]:
    return write_groups(tmp_path / "groups", checklist)


@pytest.fixture
def room(tmp_path: Path, checklist: Checklist) -> Path:
    """A workshop's folder (not the workspace) holding the three groups' files."""
    write_groups(tmp_path / "room", checklist)
    return tmp_path / "room"


def save_consensus(folder: Path, checklist: Checklist, decisions: dict[str, Decision]) -> Path:
    """A consensus saved in the groups' folder, as the screen or `merge` would."""
    entries = [(store.read(p).assessment, p.name, "") for p in sorted(folder.glob("*.json"))]
    made = make_groups(entries)
    consensus = build_consensus(made, checklist).assessment
    apply_decisions(consensus, aggregate(made, checklist), decisions, "someone")
    path = folder / "XX-2025-consensus.json"
    store.create(path, consensus)
    return path


async def test_the_workshop_resumes_the_saved_decisions_with_who_and_why(
    make_app: AppFactory, tmp_path: Path, checklist: Checklist
) -> None:
    folder = tmp_path / "room"
    write_groups(folder, checklist)
    saved = save_consensus(
        folder,
        checklist,
        {"PR-02": Decision("level", 3, by_trainer=True, rationale="law and practice", by="Ana")},
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        assert [g.name for g in screen.groups] == ["Group A", "Group B", "Group C"]
        assert row(screen, "PR-02")[-1] == "✎ 3"
        assert "saved to XX-2025-consensus.json" in shown(screen, "#workshop-title")
        await go_to(pilot, screen, "PR-02")
        detail = shown(screen, "#workshop-detail")
        assert "decided by Ana" in detail and "why: law and practice" in detail
        await go_to(pilot, screen, "PR-01")
        await pilot.press("2", "s")  # saves to the same file, no prompt
        await settle(pilot)
        assert not isinstance(app.screen, TextPrompt)
        again = store.read(saved).assessment
        assert again.responses["PR-02"].level == 3 and again.responses["PR-01"].level == 2
        kept = [c for c in again.history if c.field == DECISION and c.item == "PR-02"]
        assert kept and kept[-1].by == "Ana" and kept[-1].new["rationale"] == "law and practice"


async def test_a_consensus_saved_from_a_folder_is_kept_in_that_folder(
    make_app: AppFactory, room: Path, workspace: Path
) -> None:
    """`decalogue workshop room1` (as `workshop setup` prints it): the consensus goes into
    room1, where reopening the workshop resumes it and `workshop report room1` reads it,
    not into the workspace, where neither looks."""
    folder = room
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        await go_to(pilot, screen, "PR-02")
        await pilot.press("3", "s")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert "the workshop's folder" in prompt.title_text
        await pilot.press("enter")
        await settle(pilot)
    assert (folder / "XX-2025-consensus.json").exists()
    assert list(workspace.glob("*.json")) == []
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        assert row(screen, "PR-02")[-1] == "✎ 3"  # resumed
        assert "saved to XX-2025-consensus.json" in shown(screen, "#workshop-title")


async def test_four_groups_on_an_80_column_projector_keep_the_consensus_and_save_state(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """At 80x24 with four groups (one has scored nothing), the Consensus column is on
    screen without scrolling sideways, and the title always says whether the decisions
    are saved (the checklist's name gives way first)."""
    folder = tmp_path / "room"
    folder.mkdir()
    bundled = load_checklist(None)  # 43 items: the table scrolls, its scrollbar takes room
    for letter, level in zip("ABCD", (3, 1, 2, None), strict=True):
        group = new_assessment(
            bundled, "XX", "2025", country_name="Exampleland", title=f"Group {letter}"
        )
        if level is not None:  # Group D has scored nothing
            group.apply("LF-01", "answer", Answer(level=level), f"Group {letter}")
        store.create(folder / f"{letter.lower()}.json", group)
    app = make_app(checklist=None, checklists=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_workshop(pilot, [folder])
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][-1] == "Consensus"
        assert table.max_scroll_x == 0  # nothing cut at the right
        assert row(screen, "LF-01")[-1] == "≠ open"
        room = screen.query_one("#workshop-title", Static).size.width  # 78: padding aside
        for keys, state in ((("3",), "not saved yet"), (("s", "enter"), "saved to XX-2025"),
                            (("2",), "changes not saved")):  # fmt: skip
            await pilot.press(*keys)
            await settle(pilot)
            text = shown(screen, "#workshop-title")
            assert state in text and len(text) <= room, text
        assert (folder / "XX-2025-consensus.json").exists()


async def test_six_groups_on_an_80_column_projector_narrow_their_columns_not_the_consensus(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """Six agencies at 80x24: their columns show the start of each name (the detail
    names them in full), so median, spread and consensus stay on screen."""
    folder = tmp_path / "room"
    folder.mkdir()
    bundled = load_checklist(None)
    names = ("Police", "Prosecutors", "Labour inspectorate", "NGO shelter", "Border guards",
             "Social services")  # fmt: skip
    for index, name in enumerate(names):
        group = new_assessment(bundled, "XX", "2025", country_name="Exampleland", title=name)
        group.apply("LF-01", "answer", Answer(level=index % 5), name)
        store.create(folder / f"g{index}.json", group)
    app = make_app(checklist=None, checklists=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_workshop(pilot, [folder])
        table = screen.query_one(DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[-3:] == ["Med", "Spr", "Consensus"]
        assert table.max_scroll_x == 0  # nothing cut at the right
        headers = sorted(labels[2:-3])
        assert len(headers) == len(names)
        for header, name in zip(headers, sorted(names), strict=True):
            assert name.startswith(header.rstrip("…")), (header, name)
        assert row(screen, "LF-01")[-3:] == ["1.5", "4", "≠ open"]  # levels 0 1 2 3 4 0
        await go_to(pilot, screen, "LF-01")
        assert "Labour inspectorate" in shown(screen, "#workshop-detail")


async def test_the_table_follows_the_groups_saves_and_keeps_the_cursor_on_its_item(
    make_app: AppFactory, room: Path
) -> None:
    """The projector shows where the room stands without anyone pressing r: two groups
    save, the item they disagree on moves up the ranking, and the trainer's cursor stays
    on the item being discussed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [room])
        assert screen.workshop is not None
        ranking = [item.item_id for item in screen.workshop.ranking]
        discussed, quiet = ranking[2], ranking[-1]
        await go_to(pilot, screen, discussed)
        for letter, level in (("a", 0), ("b", 4)):  # two groups now disagree on `quiet`
            path = room / f"{letter}.json"
            stored = store.read(path)
            stored.assessment.apply(quiet, "answer", Answer(level=level), f"Group {letter}")
            store.save(path, stored.assessment, stored.fingerprint)
        for _ in range(200):  # the watch looks every few seconds
            await pilot.pause(0.05)
            if "● 4" in row(screen, quiet) and "● 0" in row(screen, quiet):
                break
        assert "● 4" in row(screen, quiet) and "● 0" in row(screen, quiet), row(screen, quiet)
        assert (
            screen.workshop.ranking.index(
                next(i for i in screen.workshop.ranking if i.item_id == quiet)
            )
            < len(ranking) - 1
        )  # moved up
        current = screen.current()
        assert current is not None and current.item_id == discussed


async def test_the_rules_verdict_says_how_many_groups_answered(
    make_app: AppFactory, three_groups: list[Path]
) -> None:
    """JU-02: Group A 4, Group B 3, Group C nothing: agreed by two of the three groups."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, three_groups)
        await go_to(pilot, screen, "JU-02")
        detail = shown(screen, "#workshop-detail")
        assert "= agreed within one level: 3 Substantial (2 of 3 groups answered)" in detail
        await go_to(pilot, screen, "PR-01")  # every group answered: nothing to add
        assert "groups answered" not in shown(screen, "#workshop-detail")
        await go_to(pilot, screen, "JU-02")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresenterScreen)
        assert "= within one level (2 of 3 groups answered)" in shown(app.screen, "#presenter-text")


async def test_the_presenter_at_80x24_shows_median_spread_and_consensus_without_scrolling(
    make_app: AppFactory, tmp_path: Path, checklist: Checklist
) -> None:
    """On a small projector the groups' notes run below the fold; where the room stands
    (median, spread, conflict, the consensus) must not."""
    folder = tmp_path / "room"
    paths = write_groups(folder, checklist)
    for path in paths:
        stored = store.read(path)
        group = stored.assessment.model_copy(deep=True)
        group.apply("PR-02", "notes", "Care is refused in two regions unless the victim " * 3, "x")
        group.apply("PR-02", "finding", "Make care unconditional in the health law.", "x")
        store.save(path, group, stored.fingerprint)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_workshop(pilot, [folder])
        await go_to(pilot, screen, "PR-02")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresenterScreen)
        app.clear_notifications()
        await pilot.pause()
        visible = app.export_screenshot().replace("&#160;", " ")
        assert "Median" in visible and "≠ conflict" in visible and "Consensus" in visible


async def test_a_consensus_selected_with_the_groups_is_resumed_not_counted_as_a_group(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    """On the home screen the trainer selects every row, the saved consensus too: it is
    the consensus to resume, not a fourth group whose levels count in the median."""
    write_groups(workspace, checklist)
    save_consensus(workspace, checklist, {"PR-02": Decision("level", 3, by_trainer=True, by="Ana")})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press(*["space"] * 4)
        assert len(home.selected) == 4
        await pilot.press("W")
        for _ in range(50):
            await settle(pilot)
            if getattr(app.screen, "workshop", None) is not None:
                break
        screen = app.screen
        assert isinstance(screen, WorkshopScreen) and screen.workshop is not None
        assert [g.name for g in screen.workshop.groups] == ["Group A", "Group B", "Group C"]
        assert row(screen, "PR-02")[-1] == "✎ 3"  # the saved decision, resumed
        assert "saved to XX-2025-consensus.json" in shown(screen, "#workshop-title")


async def test_the_projectors_workshop_takes_the_trainers_saved_decisions_on_reload(
    make_app: AppFactory, room: Path, checklist: Checklist
) -> None:
    """The projector (a viewer's window) shows the workshop while the trainer decides in
    another and saves: `r` shows the decisions saved since, not the rule's."""
    folder = room
    saved = save_consensus(folder, checklist, {"PR-02": Decision("level", 3, by_trainer=True)})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        assert row(screen, "PR-04")[-1] == "≠ open"
        # The trainer's window decides PR-04 and saves the same consensus file, as its `s`.
        made = list(screen.groups)
        decided = {
            "PR-02": Decision("level", 3, by_trainer=True, by="Ana"),
            "PR-04": Decision("na", reason="no survey", by_trainer=True, by="Ana"),
        }
        write_consensus(
            saved,
            made,
            checklist,
            replacing=store.read(saved).fingerprint,
            assessor="Ana",
            workshop=aggregate(made, checklist),
            decisions=decided,
        )
        await pilot.press("r")
        await settle(pilot)
        assert row(screen, "PR-04")[-1] == "✎ N/A"
        assert row(screen, "PR-02")[-1] == "✎ 3"
        assert "(changed since)" not in shown(screen, "#workshop-title")


async def test_quitting_with_decisions_not_saved_saves_them(
    make_app: AppFactory, room: Path
) -> None:
    """ctrl+q on the workshop screen (escape asks; quitting did not, and the room's
    decisions were gone): they are saved as s would, then resumed by the next workshop."""
    folder = room
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        await go_to(pilot, screen, "PR-02")
        await pilot.press("3", "ctrl+q")
        await settle(pilot)
    saved = store.read(folder / "XX-2025-consensus.json").assessment
    assert saved.responses["PR-02"].level == 3
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        assert row(screen, "PR-02")[-1] == "✎ 3"
        await go_to(pilot, screen, "PR-04")
        await pilot.press("a")
        app._stop_on_signal()  # a closed browser tab, or the server stopping
        await settle(pilot)
    again = store.read(folder / "XX-2025-consensus.json").assessment
    assert again.id == saved.id and again.responses["PR-04"].level == 1
    assert sorted(p.name for p in folder.glob("*consensus*.json")) == ["XX-2025-consensus.json"]
    # Another window saves the consensus meanwhile: these decisions go to a new file beside
    # it (the next workshop resumes the newest), never over the other window's.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        await go_to(pilot, screen, "JU-01")
        await pilot.press("0")
        other = store.read(folder / "XX-2025-consensus.json")
        other.assessment.title = "Consensus, as the other window saved it"
        store.save(folder / "XX-2025-consensus.json", other.assessment, other.fingerprint)
        app._stop_on_signal()
        await settle(pilot)
    kept = store.read(folder / "XX-2025-consensus.json").assessment
    assert kept.title == "Consensus, as the other window saved it"
    beside = store.read(folder / "XX-2025-consensus-2.json").assessment
    assert beside.responses["JU-01"].level == 0 and beside.responses["PR-04"].level == 1


async def test_a_late_group_joins_on_reload_and_columns_follow_group_names(
    make_app: AppFactory, tmp_path: Path, checklist: Checklist
) -> None:
    folder = tmp_path / "room"
    paths = write_groups(folder, checklist)
    paths[0].rename(folder / "z.json")  # Group A's file sorts last by name: the column does not
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        await go_to(pilot, screen, "PR-02")
        await pilot.press("3")
        labels = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert labels[3:6] == ["Group A", "Group B", "Group C"]
        late = new_assessment(checklist, "XX", "2025", country_name="Exampleland", title="Group D")
        late.apply("PR-02", "answer", Answer(level=0), "D")
        store.create(folder / "d-late.json", late)
        await pilot.press("r")
        await settle(pilot)
        labels = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert labels[3:7] == ["Group A", "Group B", "Group C", "Group D"]
        assert row(screen, "PR-02")[6] == "● 0"
        assert row(screen, "PR-02")[-1] == "✎ 3"  # the room's decision survives the reload


async def test_the_room_says_why_and_the_facilitator_is_named(
    make_app: AppFactory, three_groups: list[Path], workspace: Path
) -> None:
    app = make_app(user="Bo Facilitator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, three_groups)
        await go_to(pilot, screen, "PR-02")
        await pilot.press("3", "w")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one(Input).value = "The law covers every identified victim."
        await pilot.press("enter")
        await settle(pilot)
        assert "why: The law covers every identified victim." in shown(screen, "#workshop-detail")
        assert "decided by Bo Facilitator" in shown(screen, "#workshop-detail")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        consensus = store.read(workspace / "XX-2025-consensus.json").assessment
        decided = [c for c in consensus.history if c.field == DECISION]
        assert [(c.item, c.by, c.new["rationale"]) for c in decided] == [
            ("PR-02", "Bo Facilitator", "The law covers every identified victim.")
        ]


async def test_group_findings_and_evidence_show_in_workshop_and_presenter(
    make_app: AppFactory, tmp_path: Path, checklist: Checklist
) -> None:
    folder = tmp_path / "room"
    paths = write_groups(folder, checklist)
    group_b = store.read(paths[1])
    assessment = group_b.assessment
    assessment.apply("PR-02", "finding", "Extend care to unidentified victims.", "B")
    assessment.apply("PR-02", "evidence", [Evidence(description="Health Act s. 12", link="")], "B")
    assessment.apply("PR-02", "flagged", True, "B")
    store.save(paths[1], assessment, group_b.fingerprint)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_workshop(pilot, [folder])
        await go_to(pilot, screen, "PR-02")
        for text in (shown(screen, "#workshop-detail"),):
            assert "finding: Extend care to unidentified victims." in text
            assert "evidence: Health Act s. 12" in text and "⚑ flagged for review" in text
        await pilot.press("p")
        await pilot.pause()
        text = shown(app.screen, "#presenter-text")  # type: ignore[arg-type]
        assert "finding: Extend care to unidentified victims." in text
        assert "evidence: Health Act s. 12" in text


async def test_presenter_counts_down_each_item_and_the_time_in_all(
    make_app: AppFactory, three_groups: list[Path], frozen_timer: list[float]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_workshop(pilot, three_groups)
        await pilot.press("p")
        await pilot.pause()
        presenter = app.screen
        assert isinstance(presenter, PresenterScreen)
        assert presenter.query_one(Digits).value == "05:00"
        frozen_timer[0] += 75
        presenter._tick()
        assert presenter.query_one(Digits).value == "03:45"
        assert "03:45 left of 05:00 for this item · 01:15 in all" in shown(
            presenter, "#presenter-clock"
        )
        await pilot.press("right")
        assert presenter.query_one(Digits).value == "05:00"  # a fresh count-down per item
        frozen_timer[0] += 320
        presenter._tick()
        assert presenter.query_one(Digits).value == "-00:20"
        assert "time is up: 00:20 over 05:00" in shown(presenter, "#presenter-clock")
        assert "06:35 in all" in shown(presenter, "#presenter-clock")
        await pilot.press("plus")
        assert presenter.query_one(Digits).value == "00:40"
        await pilot.press("minus", "minus")
        assert presenter.budget == 240.0


async def test_a_long_prompt_wraps_inside_its_dialog(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("W")  # nothing selected: asks for the folder, with the space hint
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        title = prompt.query_one(".dialog-title", Static)
        assert title.size.height >= 2  # wrapped, not cut at the border
        lines = [str(strip.text) for strip in title.render_lines(title.region.reset_offset)]
        assert "select files with space first" in " ".join(" ".join(lines).split())


async def test_home_and_assess_header_show_the_groups_titles(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    write_groups(workspace, checklist)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one(DataTable)
        assert "Title" in [str(c.label).split()[0] for c in table.columns.values()]
        titles = sorted(str(table.get_row_at(i)[3].plain) for i in range(table.row_count))
        assert titles == ["Group A", "Group B", "Group C"]
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        header = str(app.screen.query_one("#status", Static).visual)
        assert "Exampleland (XX) · 2025 · Group" in header


async def test_a_second_assessment_of_one_country_and_period_asks_for_a_title(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    first = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    store.create(workspace / "XX-2025.json", first)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
        await pilot.press("X", "X", "tab", *"Exampleland", "tab", *"2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not created
        assert app.focused is form.query_one("#title", Input)
        assert sorted(p.name for p in workspace.glob("*.json")) == ["XX-2025.json"]
        form.query_one("#title", Input).value = "Group B"
        await pilot.press("ctrl+s")
        await settle(pilot)
    titles = sorted(store.read(p).assessment.title for p in workspace.glob("*.json"))
    assert titles == ["", "Group B"]
