"""Fixtures for the TUI tests: a fixed clock, no cursor blink, apps on tmp workspaces.

The tests use a small fictional checklist (tests/tui/data) so snapshots do not
change whenever the bundled checklist does; one test drives the bundled one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from decalogue.model.assessment import Answer, Assessment, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.resources import bundled_checklist_paths
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.tui.app import DecalogueApp, create_app

DATA = Path(__file__).parent / "data"
CHECKLIST = DATA / "exampleland.toml"
FIXED = datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No blinking cursors, a fixed clock, HOME in tmp (paths show as ~/ws/...)."""
    monkeypatch.setattr("textual.widgets._input.Input.cursor_blink", False)
    monkeypatch.setattr("textual.widgets._text_area.TextArea.cursor_blink", False)
    monkeypatch.setattr("decalogue.clock.now", lambda: FIXED)  # every module's clock
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DECALOGUE_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("DECALOGUE_STATE", str(tmp_path / "state"))
    monkeypatch.delenv("DECALOGUE_THEME", raising=False)
    # Each test its own profile: a theme or name one test saves never reaches another.
    monkeypatch.setenv("DECALOGUE_PROFILE", str(tmp_path / "profile.toml"))
    # The store finds the test checklist as it finds bundled ones (for listings, carry forward).
    bundled = bundled_checklist_paths
    monkeypatch.setattr(
        "decalogue.storage.checklists.bundled_checklist_paths", lambda: [CHECKLIST, *bundled()]
    )


@pytest.fixture
def checklist() -> Checklist:
    return load_checklist(CHECKLIST)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir(exist_ok=True)
    return root


AppFactory = Callable[..., DecalogueApp]


@pytest.fixture
def make_app(workspace: Path) -> AppFactory:
    """create_app on the tmp workspace with the test checklist."""

    def make(**options: Any) -> DecalogueApp:
        options.setdefault("checklist", CHECKLIST)
        options.setdefault("checklists", [CHECKLIST])
        options.setdefault("user", "Tester")
        return create_app(workspace, **options)

    return make


def write_assessment(
    workspace: Path,
    checklist: Checklist,
    *,
    code: str = "XX",
    name: str = "Exampleland",
    period: str = "2025",
    answers: dict[str, Answer] | None = None,
    fields: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """An assessment file with fixed timestamps, answered through Assessment.apply."""
    assessment: Assessment = new_assessment(
        checklist, code, period, country_name=name, assessor="Tester"
    )
    assessment.created = assessment.updated = FIXED
    for item_id, answer in (answers or {}).items():
        assessment.apply(item_id, "answer", answer, "Tester", at=FIXED)
    for item_id, values in (fields or {}).items():
        for field, value in values.items():
            assessment.apply(item_id, field, value, "Tester", at=FIXED)
    path = workspace / f"{code}-{period}.json"
    store.create(path, assessment)
    return path


@pytest.fixture
def scored_file(workspace: Path, checklist: Checklist) -> Path:
    """Exampleland 2025 with a few answers, a target, a flag and a note."""
    return write_assessment(
        workspace,
        checklist,
        answers={
            "PR-01": Answer(level=3),
            "PR-02": Answer(level=1),
            "PR-04": Answer(na_reason="No children's survey is planned in this period."),
            "JU-02": Answer(level=2),
        },
        fields={
            "PR-02": {"target": 3, "flagged": True, "notes": "Care depends on co-operation."},
            "JU-02": {"target": 4},
        },
    )


@pytest.fixture
def frozen_timer(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The presenter's clock stands still unless a test moves it (`frozen_timer[0] += 75`)."""
    now = [1000.0]
    monkeypatch.setattr("decalogue.clock.monotonic", lambda: now[0])
    return now
