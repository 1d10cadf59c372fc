"""Ctrl+Q keeps what is being typed in any open editor: N/A reason, finding, evidence."""

from __future__ import annotations

from pathlib import Path

from decalogue.storage import store
from tests.tui.conftest import AppFactory
from tests.tui.test_assess import SIZE, open_assess


async def test_quit_keeps_an_na_reason_being_typed(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("n", *"No such office", "ctrl+q")
    assert store.read(scored_file).assessment.responses["PR-01"].na_reason == "No such office"


async def test_quit_keeps_a_finding_being_typed(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("r", *"Fund the shelters", "ctrl+q")
    assert store.read(scored_file).assessment.responses["PR-01"].finding == "Fund the shelters"


async def test_quit_keeps_evidence_being_typed(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("v", *"Law 1", "enter", *"Decree 7", "ctrl+q")
    evidence = store.read(scored_file).assessment.responses["PR-01"].evidence
    assert [e.description for e in evidence] == ["Law 1", "Decree 7"]


async def test_an_empty_na_reason_is_not_kept(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("n", "ctrl+q")
    response = store.read(scored_file).assessment.responses["PR-01"]
    assert response.level == 3 and not response.not_applicable
