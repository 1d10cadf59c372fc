"""SVG snapshots of every dialog at 80x24 (issue 20): fields and buttons on screen.

Regenerate with `.venv/bin/pytest tests/tui/test_dialog_snapshots.py --snapshot-update`
and look at each new baseline before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from decalogue.model.assessment import Answer, Evidence
from decalogue.model.checklist import Checklist
from tests.helpers import Compare, edited_csv, steps
from tests.tui.conftest import AppFactory, write_assessment

SMALL = (80, 24)

ASSESS_DIALOGS = {
    "notes": ("j", "e"),
    "not_applicable": ("j", "j", "n", *"No regions"),
    "target": ("j", "t"),
    "evidence": ("j", "v", *"Statistics 2024", "tab", *"https://example.org/stats"),
    "history": ("j", "h"),
    "actions": ("j", "a"),
    "palette_go_to": ("ctrl+p", *"JU-02"),
}


@pytest.fixture
def evidence_file(workspace: Path, checklist: Checklist) -> Path:
    """Exampleland 2024 with a flag, a target, a note and an evidence entry on PR-02."""
    return write_assessment(
        workspace,
        checklist,
        answers={"PR-02": Answer(level=1)},
        fields={
            "PR-02": {
                "target": 3,
                "flagged": True,
                "notes": "Care depends on co-operation.",
                "evidence": [Evidence(description="Health law", link="https://example.org/law")],
            }
        },
        period="2024",
    )


@pytest.mark.parametrize("name", list(ASSESS_DIALOGS))
def test_assess_dialog(
    snap_compare: Compare, make_app: AppFactory, evidence_file: Path, name: str
) -> None:
    app = make_app(open_path=evidence_file)
    assert snap_compare(
        app, terminal_size=SMALL, run_before=steps(*ASSESS_DIALOGS[name], assess=True)
    )


HOME_DIALOGS = {
    "import": ("i", *"~/edited.csv"),
    "carry_forward": ("c",),
    "delete": ("d",),
}


@pytest.mark.parametrize("name", list(HOME_DIALOGS))
@pytest.mark.usefixtures("scored_file")
def test_home_dialog(snap_compare: Compare, make_app: AppFactory, name: str) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps(*HOME_DIALOGS[name]))


def test_csv_import_dialog(
    snap_compare: Compare,
    make_app: AppFactory,
    scored_file: Path,
    checklist: Checklist,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dry run's summary, as the CLI prints it (paths relative to the folder)."""

    folder = scored_file.parent.parent
    monkeypatch.chdir(folder)
    edited = edited_csv(scored_file, checklist, folder, {"PR-03": "2", "JU-01": "1"})

    async def run(pilot: Pilot[None]) -> None:
        await steps("i")(pilot)
        await pilot.press(*str(edited), "enter")
        await steps()(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run)
