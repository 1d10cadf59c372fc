"""Ctrl+Q keeps what is being typed in any open editor: N/A reason, finding, evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from decalogue.model.assessment import Response
from decalogue.storage import store
from tests.helpers import SIZE, open_assess
from tests.tui.conftest import AppFactory


def evidence(response: Response) -> list[str]:
    return [e.description for e in response.evidence]


@pytest.mark.parametrize(
    ("keys", "kept", "expected"),
    [
        (["n", *"No such office"], lambda r: r.na_reason, "No such office"),
        (["r", *"Fund the shelters"], lambda r: r.finding, "Fund the shelters"),
        (["v", *"Law 1", "enter", *"Decree 7"], evidence, ["Law 1", "Decree 7"]),
        (["n"], lambda r: (r.level, r.not_applicable), (3, False)),  # no reason: nothing
    ],
    ids=["na-reason", "finding", "evidence", "empty-na-reason"],
)
async def test_quit_keeps_what_an_open_editor_holds(
    make_app: AppFactory, scored_file: Path, keys: list[str], kept: object, expected: object
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press(*keys, "ctrl+q")
    assert callable(kept)
    assert kept(store.read(scored_file).assessment.responses["PR-01"]) == expected
