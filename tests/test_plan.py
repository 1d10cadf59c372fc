"""The action plan: actions on items, `decalogue plan` and its CSV, reports, carry forward."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import jsonschema
import pytest

from decalogue.analysis.plan import ordered, plan_entries, progress_between, select
from decalogue.model.actions import Action, parse_deadline
from decalogue.model.assessment import Answer, carry_forward, new_assessment
from decalogue.model.scoring import ScoreBoard
from decalogue.reports import render
from decalogue.reports.schemas import json_schema
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

TODAY = date(2026, 3, 1)

ACTIONS = {
    "LF-01": [
        Action(
            id="a1",
            what="Amend the health act",
            owner="Ministry of Health",
            deadline=date(2026, 1, 31),
            from_level=2,
            to_level=4,
        ),
        Action(id="a2", what="Fund psychological care", owner="Ministry of Health", status="done"),
    ],
    "LF-02": [
        Action(
            id="a3",
            what="Open two shelters",
            owner="Social Affairs Agency",
            deadline=date(2026, 6, 30),
            status="in_progress",
        ),
        Action(id="a4", what="Old idea", owner="NGO Example", status="dropped"),
    ],
    "DT-01": [
        Action(
            id="a5", what="Publish a national plan", owner="Co-ordinator", deadline=date(2026, 2, 1)
        )
    ],
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "DECALOGUE_USER": "Ana Example"},
    )


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    checklist = load_checklist()
    assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    assessment.apply("LF-01", "answer", Answer(level=2), "Ana")
    assessment.apply("LF-01", "target", 4, "Ana")
    for item_id, actions in ACTIONS.items():
        assessment.apply(item_id, "actions", actions, "Ana")
    path = tmp_path / "XX-2025.json"
    store.create(path, assessment)
    return path


def test_the_plan_is_ordered_by_deadline_with_overdue_marked(planned: Path) -> None:
    checklist = load_checklist()
    assessment = store.read(planned).assessment
    entries = ordered(plan_entries(checklist, assessment, TODAY), "deadline")
    assert [e.action.id for e in entries] == ["a1", "a5", "a3", "a2", "a4"]
    assert [e.action.id for e in entries if e.overdue] == ["a1", "a5"]
    only = select(entries, owner="health", overdue=True)
    assert [e.action.id for e in only] == ["a1"]
    table = run("plan", str(planned), "--as-of", TODAY.isoformat())
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[2].startswith("2026-01-31") and "planned, OVERDUE" in lines[2]
    assert "5 actions; 2 overdue on 2026-03-01." in table.stdout
    markdown = run("plan", str(planned), "--format", "md", "--as-of", TODAY.isoformat()).stdout
    assert "## By institution" in markdown and "| Ministry of Health | 2 | 1 | 1 | 1 |" in markdown


def test_a_plan_csv_with_one_bad_row_changes_nothing(planned: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "plan.csv"
    assert run("plan", str(planned), "--format", "csv", "-o", str(csv_path)).returncode == 0
    before = planned.read_bytes()
    text = csv_path.read_text(encoding="utf-8")
    text = text.replace("Amend the health act", "Amend the health act and its by-laws")
    text = text.replace("2026-02-01", "01/02/2026")  # what a spreadsheet does to a date
    text += "LF-03,,Train legal counsellors,Bar Association,2026-09-30,planned,,,,\n"
    csv_path.write_text(text, encoding="utf-8")
    refused = run("plan", str(planned), "--csv", str(csv_path))
    assert refused.returncode == 1
    assert "deadline (item DT-01): '01/02/2026' is not a date; write it as YYYY-MM-DD" in (
        refused.stderr
    )
    assert planned.read_bytes() == before


def test_a_superscript_level_in_a_plan_csv_is_reported_not_a_crash(
    planned: Path, tmp_path: Path
) -> None:
    csv_path = tmp_path / "plan.csv"
    assert run("plan", str(planned), "--format", "csv", "-o", str(csv_path)).returncode == 0
    text = csv_path.read_text(encoding="utf-8")
    text += "LF-03,,Train legal counsellors,Bar Association,2026-09-30,planned,,,1,²\n"
    csv_path.write_text(text, encoding="utf-8")
    refused = run("plan", str(planned), "--csv", str(csv_path))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "'²' is not a level of the scale" in refused.stderr


def test_a_plan_csv_adds_and_updates_actions_through_the_history(
    planned: Path, tmp_path: Path
) -> None:
    csv_path = tmp_path / "plan.csv"
    run("plan", str(planned), "--format", "csv", "-o", str(csv_path))
    text = csv_path.read_text(encoding="utf-8").replace(
        ",a3,Open two shelters,", ",a3,Open three shelters,"
    )
    text += "LF-03,,Train legal counsellors,Bar Association,2026-09-30,planned,,,,\n"
    csv_path.write_text(text, encoding="utf-8")
    dry = run("plan", str(planned), "--csv", str(csv_path), "--dry-run")
    assert "LF-02: a3: what Open two shelters → Open three shelters" in dry.stdout
    assert "LF-03: added: Train legal counsellors" in dry.stdout
    assert "nothing was written" in dry.stdout
    done = run("plan", str(planned), "--csv", str(csv_path))
    assert done.returncode == 0, done.stderr
    assessment = store.read(planned).assessment
    assert [a.what for a in assessment.responses["LF-03"].actions] == ["Train legal counsellors"]
    assert assessment.responses["LF-02"].actions[0].what == "Open three shelters"
    last = assessment.history[-1]
    assert (last.item, last.field, last.by) == ("LF-03", "actions", "Ana Example")


def test_every_report_carries_the_plan_and_the_scorecard_validates(planned: Path) -> None:
    checklist = load_checklist()
    assessment = store.read(planned).assessment
    board = ScoreBoard(checklist, assessment.responses)
    at = datetime(2026, 3, 1, tzinfo=timezone.utc)
    card = json.loads(render("json", checklist, assessment, board, at))
    jsonschema.validate(card, json_schema("scorecard"))
    assert card["scorecard_version"] == 2
    assert card["action_plan"]["overdue"] == 2
    lf01 = next(item for item in card["items"] if item["id"] == "LF-01")
    assert [a["overdue"] for a in lf01["actions"]] == [True, False]
    markdown = render("md", checklist, assessment, board, at)
    assert "## Action plan" in markdown and "Publish a national plan" in markdown
    html = render("html", checklist, assessment, board, at)
    assert 'id="action-plan"' in html and "Open two shelters" in html


def test_carry_forward_keeps_open_and_done_actions_and_says_where_they_came_from(
    planned: Path,
) -> None:
    checklist = load_checklist()
    previous = store.read(planned).assessment
    following = carry_forward(previous, checklist, "2026", "Ana")
    carried = {a.id: a for r in following.responses.values() for a in r.actions}
    assert sorted(carried) == ["a1", "a2", "a3", "a5"]  # the dropped one ends
    assert {a.carried_from for a in carried.values()} == {"2025"}
    following.apply(
        "LF-01",
        "actions",
        [a.model_copy(update={"status": "done"}) for a in following.responses["LF-01"].actions],
        "Ana",
    )
    following.apply("LF-01", "answer", Answer(level=4), "Ana")
    progress = progress_between(previous, following)
    assert [action.id for _, action in progress.completed] == ["a1"]
    assert progress.gaps_closed == ["LF-01"]


def test_compare_and_trend_say_which_actions_were_completed_and_gaps_closed(
    planned: Path, tmp_path: Path
) -> None:
    checklist = load_checklist()
    previous = store.read(planned).assessment
    following = carry_forward(previous, checklist, "2026", "Ana")
    done = [a.model_copy(update={"status": "done"}) for a in following.responses["LF-01"].actions]
    following.apply("LF-01", "actions", done, "Ana")
    following.apply("LF-01", "answer", Answer(level=4), "Ana")
    later = tmp_path / "XX-2026.json"
    store.create(later, following)
    compared = run("compare", str(planned), str(later))
    assert compared.returncode == 0, compared.stderr
    assert "Action plan, " in compared.stdout
    assert "1 action completed (LF-01 Amend the health act)" in compared.stdout
    assert "1 gap to target closed (LF-01)" in compared.stdout
    trend = json.loads(run("trend", str(planned), str(later), "--format", "json").stdout)
    assert trend["action_plan"] == {
        "completed": [{"item": "LF-01", "action": "a1", "what": "Amend the health act"}],
        "gaps_closed": ["LF-01"],
    }


def test_groups_propose_actions_and_the_consensus_keeps_them_until_the_room_accepts() -> None:
    from decalogue.analysis.consensus import build_consensus
    from decalogue.analysis.workshop import make_groups

    checklist = load_checklist()
    groups = []
    for name, what in (("Group A", "Amend the health act"), ("Group B", "amend the  health act")):
        assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
        assessment.title = name
        assessment.apply("LF-01", "answer", Answer(level=2), name)
        proposal = Action(what=what, owner="Ministry of Health", deadline=date(2001, 1, 1))
        assessment.apply("LF-01", "actions", [proposal], name)
        groups.append((assessment, f"{name}.json", ""))
    groups[1][0].apply("LF-02", "actions", [Action(what="Open a shelter")], "Group B")
    consensus = build_consensus(make_groups(groups), checklist, assessor="Facilitator")
    proposals = consensus.assessment.responses["LF-01"].actions
    assert [(a.what, a.proposed_by) for a in proposals] == [
        ("Amend the health act", "Group A, Group B")
    ]
    entries = plan_entries(checklist, consensus.assessment, TODAY)
    assert not any(e.overdue for e in entries)  # a proposal is not yet a commitment
    from decalogue.reports.plan import status_text

    assert status_text(entries[0]) == "proposed by Group A, Group B, not yet accepted"
    accepted = proposals[0].model_copy(update={"proposed_by": ""})
    assert accepted.overdue(TODAY) and "proposed_by" not in accepted.model_dump()


def test_a_deadline_on_a_day_the_calendar_lacks_says_so(planned: Path, tmp_path: Path) -> None:
    """'2026-02-30' is written as YYYY-MM-DD: telling the person to write it so misleads."""
    csv_path = tmp_path / "plan.csv"
    assert run("plan", str(planned), "--format", "csv", "-o", str(csv_path)).returncode == 0
    text = csv_path.read_text(encoding="utf-8").replace("2026-02-01", "2026-02-30")
    csv_path.write_text(text, encoding="utf-8")
    refused = run("plan", str(planned), "--csv", str(csv_path))
    assert refused.returncode == 1
    assert "'2026-02-30' is not a day of the calendar (check the day and the month)" in (
        refused.stderr
    )
    assert "write it as YYYY-MM-DD" not in refused.stderr
    with pytest.raises(ValueError, match="not a day of the calendar"):
        parse_deadline("2026-02-30")
    assert parse_deadline(" 2026-02-28 ") == date(2026, 2, 28) and parse_deadline("") is None


def test_an_as_of_day_that_is_not_a_date_says_how_to_write_it(planned: Path) -> None:
    for typed, said in (
        ("yesterday", "'yesterday' is not a date; write it as YYYY-MM-DD"),
        ("2026-02-30", "'2026-02-30' is not a day of the calendar"),
    ):
        refused = run("plan", str(planned), "--as-of", typed)
        assert refused.returncode == 2 and said in refused.stderr, refused.stderr
        assert "fromisoformat" not in refused.stderr
