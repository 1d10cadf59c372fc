"""The compare screen: selected on the home screen, every kind of change, scores, and a trend.

Exampleland (XX) in 2024 and 2025 is built so that each of its seven items
changes in a different way; Otherland (XY) stands beside it for a comparison of
two countries, where no trend applies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TabbedContent

from decalogue.model.assessment import Answer
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.tui.screens.compare import CompareScreen, spark
from decalogue.tui.screens.home import HomeScreen
from tests.helpers import on_top, settle
from tests.tui.conftest import AppFactory, write_assessment

SIZE = (120, 40)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

NA = Answer(na_reason="Out of scope in this period.")
#: 2024 → 2025, one kind of change per item.
BEFORE = {
    "PR-01": Answer(level=1),
    "PR-02": Answer(level=3),
    "PR-03": Answer(level=2),
    "JU-01": Answer(level=2),
    "JU-02": Answer(level=2),
    "JU-03": NA,
}
AFTER = {
    "PR-01": Answer(level=3),  # improved +2
    "PR-02": Answer(level=1),  # regressed -2
    "PR-03": Answer(level=2),  # unchanged
    "PR-04": Answer(level=2),  # newly answered
    "JU-02": NA,  # now N/A; JU-01 no longer answered
    "JU-03": Answer(level=1),  # no longer N/A
}


@pytest.fixture
def two_years(workspace: Path, checklist: Checklist) -> list[Path]:
    return [
        write_assessment(workspace, checklist, period="2024", answers=BEFORE),
        write_assessment(workspace, checklist, period="2025", answers=AFTER),
    ]


async def open_compare(pilot: Pilot[Any], paths: list[Path]) -> CompareScreen:
    await settle(pilot)
    screen = CompareScreen(paths)
    await pilot.app.push_screen(screen)
    for _ in range(50):
        await settle(pilot)
        if screen.comparison is not None or "cannot" in text(screen, "#compare-title"):
            return screen
    raise AssertionError("the comparison did not load")


def text(screen: CompareScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


def cells(screen: CompareScreen, table: str, key: str) -> list[str]:
    row = screen.query_one(table, DataTable).get_row(key)
    return [str(getattr(cell, "plain", cell)) for cell in row]


async def test_every_kind_of_change_reads_as_a_sign_and_a_word(
    make_app: AppFactory, two_years: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot, two_years)
        expected = {
            "PR-01": ["1", "3", "▲ improved +2"],
            "PR-02": ["3", "1", "▼ regressed -2"],
            "PR-03": ["2", "2", "= unchanged"],
            "PR-04": ["–", "2", "+ newly answered"],
            "JU-01": ["2", "–", "- no longer answered"],
            "JU-02": ["2", "N/A", "~ now N/A"],
            "JU-03": ["N/A", "1", "~ no longer N/A"],
        }
        for item_id, tail in expected.items():
            assert cells(screen, "#compare-items", item_id)[2:] == tail, item_id
        columns = screen.query_one("#compare-items", DataTable).columns.values()
        assert [str(c.label) for c in columns] == ["Item", "Title", "2024", "2025", "Change"]

        summary = text(screen, "#compare-summary")
        assert "Compare · 2 assessments · Exampleland (XX) 2024 → 2025" in text(
            screen, "#compare-title"
        )
        for count in ("▲ 1 improved", "▼ 1 regressed", "= 1 unchanged", "+ 1 newly answered"):
            assert count in summary
        improvements = summary.split("Top improvements")[1].split("Top regressions")[0]
        regressions = summary.split("Top regressions")[1]
        assert "▲ PR-01 Shelter  1 → 3 (+2)" in improvements and "PR-02" not in improvements
        assert "▼ PR-02 Medical care  3 → 1 (-2)" in regressions
        # Scores: the board's figures, with the change signed.
        overall = cells(screen, "#compare-scores", "overall:overall")
        assert overall[0] == "Overall" and overall[3].startswith(("▲", "▼", "="))
        protection = cells(screen, "#compare-scores", "pillar:PR")
        assert protection[0] == "  PR Protection"
        # (1+3+2)/3 and (3+1+2+2)/4 of 4, each with its coverage beside it
        assert protection[1:4] == ["50.0 (75%)", "50.0 (100%)", "= 0.0"]
        assert cells(screen, "#compare-scores", "section:PR-B")[1:4] == [
            "- (0%)",
            "50.0 (100%)",
            "–",
        ]
        # One country in two periods: the trend tab is there.
        await pilot.press("4")
        assert screen.query_one(TabbedContent).active == "trend"
        trend = text(screen, "#compare-trend")
        assert "Trend of Exampleland (XX) · 2 periods, 2024 to 2025" in trend


async def test_changed_only_hides_unchanged_items(
    make_app: AppFactory, two_years: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot, two_years)
        table = screen.query_one("#compare-items", DataTable)
        assert table.row_count == 7
        await pilot.press("f")
        assert screen.query_one(TabbedContent).active == "items"
        assert [str(k.value) for k in table.rows] == [
            "PR-01", "PR-02", "PR-04", "JU-01", "JU-02", "JU-03"
        ]  # fmt: skip
        await pilot.press("f")
        assert table.row_count == 7


async def test_two_countries_side_by_side_have_no_trend(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    paths = [
        write_assessment(workspace, checklist, answers={"PR-01": Answer(level=2)}),
        write_assessment(
            workspace, checklist, code="XY", name="Otherland", answers={"PR-01": Answer(level=4)}
        ),
    ]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot, paths)
        columns = screen.query_one("#compare-items", DataTable).columns.values()
        assert [str(c.label) for c in columns][2:4] == ["XX", "XY"]
        assert cells(screen, "#compare-items", "PR-01")[2:] == [
            "2",
            "4",
            "▲ higher +2",
        ]  # a difference
        assert screen.trend is None
        await pilot.press("4")
        assert screen.query_one(TabbedContent).active == "summary"
        assert "XX → XY" in text(screen, "#compare-title")


async def test_trend_over_three_periods_draws_a_chart_per_pillar(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    paths = [
        write_assessment(workspace, checklist, period=period, answers={"PR-01": Answer(level=lv)})
        for period, lv in (("2025", 4), ("2023", 0), ("2024", 2))
    ]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot, paths)
        assert screen.trend is not None
        assert screen.trend.periods == ("2023", "2024", "2025")  # in time order
        await pilot.press("4")
        chart = text(screen, "#compare-trend")
        assert f"Overall  {spark([0.0, 50.0, 100.0])}  0.0 → 100.0  ▲ +100.0" in chart
        assert "PR Protection  ▁▅█" in chart
        assert "  2024  ██████████░░░░░░░░░░  50.0" in chart
        assert "JU Justice  ···  no scores  –" in chart


async def test_home_selection_opens_the_comparison(
    make_app: AppFactory, two_years: list[Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = app.screen
        assert isinstance(shown, HomeScreen)
        home: HomeScreen = shown
        await pilot.press("C")  # nothing selected yet: a hint, no screen
        assert on_top(app) is home
        await pilot.press("space")
        assert len(home.selected) == 1
        await pilot.press("C")
        assert on_top(app) is home
        await pilot.press("space")
        assert home.selected == set(two_years)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.paths == two_years  # oldest period first, whatever the table order
        await settle(pilot)
        await pilot.press("escape")
        assert on_top(app) is home
        assert home.selected == set(two_years)  # the selection survives the round trip


async def test_the_palette_offers_compare_selected(
    make_app: AppFactory, two_years: list[Path]
) -> None:
    from decalogue.tui.commands import ScreenActions

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = ScreenActions(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Compare selected" in names
        assert any(name.startswith("Workshop") for name in names)
        assert any(name.startswith("Select or unselect") for name in names)


async def test_an_assessment_of_another_checklist_is_explained(
    make_app: AppFactory, two_years: list[Path], workspace: Path
) -> None:
    stored = store.read(two_years[1])
    other = stored.assessment.model_copy(deep=True)
    other.checklist = other.checklist.model_copy(update={"id": "another-checklist"})
    store.save(two_years[1], other, stored.fingerprint)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(pilot, two_years)
        assert screen.comparison is None
        assert "another-checklist" in text(screen, "#compare-summary")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


# --------------------------------------------------------------------------- snapshots

Compare = Callable[..., bool]


def _compare_steps(paths: list[Path], *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await open_compare(pilot, paths)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_summary(
    snap_compare: Compare, make_app: AppFactory, two_years: list[Path], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=_compare_steps(two_years))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_items(
    snap_compare: Compare, make_app: AppFactory, two_years: list[Path], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=_compare_steps(two_years, "2"))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_trend(
    snap_compare: Compare,
    make_app: AppFactory,
    workspace: Path,
    checklist: Checklist,
    size: tuple[int, int],
) -> None:
    paths = [
        write_assessment(workspace, checklist, period=period, answers=answers)
        for period, answers in (("2023", {"PR-01": Answer(level=0)}), ("2024", BEFORE),
                                ("2025", AFTER))
    ]  # fmt: skip
    assert snap_compare(make_app(), terminal_size=size, run_before=_compare_steps(paths, "4"))
