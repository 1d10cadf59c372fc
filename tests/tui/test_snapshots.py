"""SVG snapshots of every screen at 80x24 and 120x40 (baselines in __snapshots__/).

Regenerate with `.venv/bin/pytest tests/tui --snapshot-update` and look at the
report before committing new baselines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from decalogue.model.checklist import Checklist
from decalogue.tui.screens.explore import ExploreScreen
from tests.helpers import SIZES, Compare, steps
from tests.tui.conftest import CHECKLIST, AppFactory, write_assessment


@pytest.mark.parametrize("size", SIZES)
def test_home_empty(snap_compare: Compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("scored_file")
def test_home_with_files(
    snap_compare: Compare,
    make_app: AppFactory,
    workspace: Path,
    checklist: Checklist,
    size: tuple[int, int],
) -> None:
    write_assessment(workspace, checklist, code="XY", name="Otherland", period="2024")
    (workspace / "broken.json").write_text("{", encoding="utf-8")
    assert snap_compare(make_app(), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_new_assessment(snap_compare: Compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def fill(pilot: Pilot[None]) -> None:
        await steps("n")(pilot)
        await pilot.press("X", "X", "tab", *"Exampleland", "tab", *"2025-24")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_assess(
    snap_compare: Compare, make_app: AppFactory, scored_file: Path, size: tuple[int, int]
) -> None:
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=size, run_before=steps("down", assess=True))


def test_assess_light_theme(snap_compare: Compare, make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file, theme="textual-light")
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("down", assess=True))


def test_assess_narrow(snap_compare: Compare, make_app: AppFactory, scored_file: Path) -> None:
    """A phone's browser on a served link, about 45 columns: the detail below the tree."""
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=(45, 30), run_before=steps("down", assess=True))


def test_notes_editor_narrow(
    snap_compare: Compare, make_app: AppFactory, scored_file: Path
) -> None:
    """At 45 columns a dialog takes the whole width: its frame and hints all show."""
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=(45, 30), run_before=steps("e", assess=True))


def test_assess_filtered(snap_compare: Compare, make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)

    async def run(pilot: Pilot[None]) -> None:
        await steps("slash", assess=True)(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "tag:prosecution"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_source_viewer(
    snap_compare: Compare, make_app: AppFactory, scored_file: Path, size: tuple[int, int]
) -> None:
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=size, run_before=steps("j", "j", "s", assess=True))


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(
    snap_compare: Compare, make_app: AppFactory, scored_file: Path, size: tuple[int, int]
) -> None:
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=size, run_before=steps("d", assess=True))


@pytest.mark.parametrize("size", SIZES)
def test_export(
    snap_compare: Compare, make_app: AppFactory, scored_file: Path, size: tuple[int, int]
) -> None:
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=size, run_before=steps("x", assess=True))


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: Compare, make_app: AppFactory, scored_file: Path, size: tuple[int, int]
) -> None:
    app = make_app(open_path=scored_file)
    assert snap_compare(app, terminal_size=size, run_before=steps("f1", assess=True))


@pytest.mark.parametrize("size", SIZES)
def test_explore(snap_compare: Compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app(explore=CHECKLIST)

    async def run(pilot: Pilot[None]) -> None:
        await steps("j")(pilot)
        assert isinstance(pilot.app.screen, ExploreScreen)

    assert snap_compare(app, terminal_size=size, run_before=run)
