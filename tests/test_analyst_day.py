"""What an analyst and an official ran into in a day with the command line.

Each test is a slip a user makes (an export's -o onto another assessment, a
control character pasted into a name) or a figure read without what it rests on
(last period's answers in `show` and `fill`). Fictional countries only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from decalogue.cli import main
from decalogue.model.assessment import Answer, carry_forward, new_assessment
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def two_periods(tmp_path: Path) -> tuple[Path, Path]:
    """Exampleland 2024 (two answers, final) and 2025 carried forward from it."""
    checklist = load_checklist()
    first, second = checklist.items[0].id, checklist.items[1].id
    older = new_assessment(checklist, "XX", "2024", country_name="Exampleland")
    older.apply(first, "answer", Answer(level=2), "A. Analyst")
    older.apply(second, "answer", Answer(level=4), "A. Analyst")
    older.set_status("final", "B. Minister")
    newer = carry_forward(older, checklist, "2025", "A. Analyst")
    folder = tmp_path / "ws"
    folder.mkdir()
    paths = folder / "XX-2024.json", folder / "XX-2025.json"
    store.create(paths[0], older)
    store.create(paths[1], newer)
    return paths


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_an_export_never_replaces_another_assessment(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    older, newer = two_periods
    before = older.read_bytes()
    code, _out, err = run(capsys, "export", newer, "--format", fmt, "-o", older)
    assert code == 1
    assert older.read_bytes() == before
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "XX-2024.json" in lines[0]
    assert "is an assessment" in lines[0]
    assert "choose another -o file" in lines[0]


def test_an_export_still_replaces_an_older_export(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, newer = two_periods
    target = tmp_path / "scorecard.json"
    assert run(capsys, "export", newer, "--format", "json", "-o", target)[0] == 0
    first = target.read_bytes()
    target.write_bytes(first.replace(b'"scorecard_version"', b'"scorecard_version" '))
    assert run(capsys, "export", newer, "--format", "json", "-o", target)[0] == 0
    assert b'"scorecard_version" ' not in target.read_bytes()


def test_show_says_the_status_and_which_answers_are_last_periods(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, newer = two_periods
    code, out, err = run(capsys, "show", newer)
    assert code == 0, err
    assert "Status: Draft (not reviewed; the figures may still change)." in out
    overall = next(line for line in out.splitlines() if line.startswith("Overall:"))
    assert "2 of 2 answers carried forward from 2024, not yet confirmed" in overall
    code, out, err = run(capsys, "show", older)
    assert "Status: Final since " in out and ", by B. Minister; marked final although" in out
    assert "carried" not in next(line for line in out.splitlines() if line.startswith("Overall:"))


def test_show_of_an_item_says_its_answer_is_last_periods(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, newer = two_periods
    first = load_checklist().items[0].id
    code, out, err = run(capsys, "show", newer, first)
    assert code == 0, err
    assert "Answer: 2 Partial, carried forward from 2024, not yet confirmed." in out


def test_fill_confirms_a_carried_answer_with_c(
    two_periods: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, newer = two_periods
    first = load_checklist().items[0].id
    monkeypatch.setattr("sys.stdin", io.StringIO("c\nq\n"))
    code, out, err = run(capsys, "fill", "--user", "A. Analyst", newer, "--item", first)
    assert code == 0, err
    assert f"Saved. {first} Answer: 2 Partial." in out
    saved = store.read(newer).assessment
    assert not saved.responses[first].carried
    assert saved.responses[load_checklist().items[1].id].carried


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--country-name", "Example\x1b[31mland", "country name"),
        ("--country-name", "Example\nland", "country name"),
        ("--assessor", "A. Ana\x07lyst", "assessor"),
        ("--title", "Round\x1b]0;retitled\x07 1", "title"),
    ],
)
def test_new_refuses_a_name_with_a_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, field: str
) -> None:
    folder = tmp_path / "ws"
    args: list[str | Path] = ["--workspace", folder, "new", "--country", "XX", "--period", "2025"]
    args += ["--country-name", "Exampleland"] if option != "--country-name" else []
    code, out, err = run(capsys, *args, option, value)
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{field} ")
    assert "control character" in lines[0] and "without it" in lines[0]
    assert "\x1b" not in err and "\x07" not in err
    assert not list(folder.glob("*.json")) if folder.exists() else True


def test_carrying_forward_refuses_an_assessor_with_a_control_character(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, newer = two_periods
    args: list[str | Path] = [
        "new",
        "--from",
        newer,
        "--period",
        "2026",
        "--assessor",
        "B.\x1b[2J Focal",
    ]
    code, _out, err = run(capsys, *args)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and err.startswith("assessor ")
    assert not (newer.parent / "XX-2026.json").exists()


def test_compare_says_which_answers_are_last_periods_and_each_files_status(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, newer = two_periods
    first = load_checklist().items[0].id
    code, out, err = run(capsys, "compare", older, newer)
    assert code == 0, err
    head = out.split("\n\n")[0]
    assert "XX-2024.json); Final" in head
    assert "XX-2025.json); Draft; 2 of 2 answers carried forward from 2024, not yet" in head
    row = next(line for line in out.splitlines() if line.startswith(first))
    assert row.split()[-4:] == ["2", "2↻", "=", "unchanged"]
    assert "↻ = carried forward from the previous period, not yet confirmed" in out
    code, out, err = run(capsys, "compare", older, newer, "--format", "md")
    assert "Draft; 2 of 2 answers carried forward from 2024" in out and "2↻" in out
    code, out, err = run(capsys, "compare", older, newer, "--format", "json")
    document = json.loads(out)
    assert [s["status"] for s in document["assessments"]] == ["final", "draft"]
    assert document["assessments"][1]["carried"] == {"from_period": "2024", "count": 2}
    assert document["assessments"][0]["carried"] == {"from_period": None, "count": 0}
    answers = next(i for i in document["items"] if i["id"] == first)["answers"]
    assert [a["carried"] for a in answers] == [False, True]


def test_trend_says_which_periods_rest_on_carried_answers(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, newer = two_periods
    code, out, err = run(capsys, "trend", older, newer)
    assert code == 0, err
    assert "2025: " in out and "Draft; 2 of 2 answers carried forward from 2024" in out
    assert "2024: " in out and "XX-2024.json; Final" in out


def test_matrix_shows_each_rows_status_and_carried_answers(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, _newer = two_periods
    code, out, err = run(capsys, "matrix", older.parent)
    assert code == 0, err
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("COUNTRY"))
    assert "STATUS" in header and "CARRIED" in header
    row_2024 = next(line for line in lines if " 2024 " in line).split()
    row_2025 = next(line for line in lines if " 2025 " in line).split()
    assert "final" in row_2024 and "2/2" not in row_2024
    assert "draft" in row_2025 and "2/2" in row_2025
    assert any(line.startswith("CARRIED = ") for line in lines)
    code, out, err = run(capsys, "matrix", older.parent, "--format", "csv")
    head, first, second = out.splitlines()[:3]
    assert "status,carried,answers" in head
    assert ",final,0,2," in first and ",draft,2,2," in second
    code, out, err = run(capsys, "matrix", older.parent, "--format", "json")
    rows = json.loads(out)["rows"]
    assert [(r["status"], r["carried"], r["answers"]) for r in rows] == [
        ("final", 0, 2),
        ("draft", 2, 2),
    ]
    code, out, err = run(capsys, "matrix", older.parent, "--format", "md")
    assert "| Status | Carried |" in out and "| draft | 2/2 |" in out


def test_list_shows_each_files_status_and_carried_answers(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, _newer = two_periods
    code, out, err = run(capsys, "--workspace", older.parent, "list")
    assert code == 0, err
    header, *rows = out.splitlines()
    assert "STATUS" in header.split() and "CARRIED" in header.split()
    by_file = {row.split()[0]: row.split() for row in rows}
    assert "final" in by_file["XX-2024.json"]
    assert "draft" in by_file["XX-2025.json"] and "2/2" in by_file["XX-2025.json"]
    code, out, err = run(capsys, "--workspace", older.parent, "list", "--format", "json")
    entries = {e["file"]: e for e in json.loads(out)["assessments"]}
    assert (entries["XX-2025.json"]["status"], entries["XX-2025.json"]["carried"]) == ("draft", 2)
    assert (entries["XX-2024.json"]["status"], entries["XX-2024.json"]["carried"]) == ("final", 0)


def test_a_scorecard_compared_says_the_period_its_answers_were_carried_from(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    older, newer = two_periods
    card = tmp_path / "XX-2025-scorecard.json"
    assert run(capsys, "export", newer, "--format", "json", "-o", card)[0] == 0
    code, out, err = run(capsys, "compare", older, card)
    assert code == 0, err
    assert "Draft; 2 of 2 answers carried forward from 2024, not yet confirmed" in out


@pytest.mark.parametrize("period", ["2020", "2025", "2024-2025", "2025-01-01/2025-06-30"])
def test_carrying_forward_to_a_period_not_after_the_previous_one_is_refused(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], period: str
) -> None:
    _, newer = two_periods
    folder = newer.parent
    before = sorted(p.name for p in folder.iterdir())
    code, out, err = run(capsys, "new", "--from", newer, "--period", period, "--title", "typo")
    assert code == 1
    assert out == ""
    line = err.strip()
    assert "\n" not in line
    assert line.startswith(f"period {period!r}: not after 2025, the period of ")
    assert line.endswith("XX-2025.json; carrying forward goes to a later period, such as 2026")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_carrying_forward_to_the_next_half_year_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checklist = load_checklist()
    first = new_assessment(checklist, "XX", "2025-01-01/2025-06-30", country_name="Exampleland")
    path = tmp_path / "h1.json"
    store.create(path, first)
    out_path = tmp_path / "h2.json"
    args = ("new", "--from", path, "--period", "2025-07-01/2025-12-31", "-o", out_path)
    code, _out, err = run(capsys, *args)
    assert code == 0, err
    assert store.read(out_path).assessment.period == "2025-07-01/2025-12-31"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.json", "", "the file is empty; an assessment file holds one JSON object {...}"),
        ("notes.json", "Minutes of the meeting\n", "not JSON: an assessment file begins with {"),
        (
            "checklist.toml",
            '[meta]\nid = "x"\n',
            "a TOML file (a checklist?), not an assessment (.json); check a checklist "
            "with `decalogue validate",
        ),
    ],
)
def test_a_file_that_is_not_an_assessment_says_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    commands: list[list[str | Path]] = [["show", path], ["export", path, "--format", "md"]]
    for command in commands:
        code, out, err = run(capsys, *command)
        assert code == 1
        assert out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert name in lines[0] and message in lines[0]
    assert path.read_text(encoding="utf-8") == content


def test_carrying_forward_unconfirmed_answers_again_says_so(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, newer = two_periods
    items = load_checklist().items
    code, out, err = run(capsys, "new", "--from", newer, "--period", "2026")
    assert code == 0, err
    assert out.strip().endswith("XX-2026.json")
    assert err.strip() == (
        "note: 2 of these answers were never confirmed in 2025 (carried into it from 2024): "
        f"{items[0].id}, {items[1].id}"
    )


def test_show_says_a_final_was_marked_so_with_the_readiness_check_not_met(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, _newer = two_periods
    code, out, err = run(capsys, "show", older)
    assert code == 0, err
    status = next(line for line in out.splitlines() if line.startswith("Status:"))
    assert "; marked final although the readiness check was not met (" in status
    assert "items unanswered" in status


def test_trend_csv_and_json_count_the_carried_answers_behind_each_score(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, newer = two_periods
    code, out, err = run(capsys, "trend", older, newer, "--format", "csv")
    assert code == 0, err
    header, overall = out.splitlines()[:2]
    assert "2024,2024 coverage,2024 carried,2025,2025 coverage,2025 carried" in header
    cells = overall.split(",")
    assert cells[header.split(",").index("2025 carried")] == "2"
    assert cells[header.split(",").index("2024 carried")] == "0"
    code, out, err = run(capsys, "trend", older, newer, "--format", "json")
    assert json.loads(out)["scores"][0]["carried"] == [0, 2]


def test_compare_csv_says_per_file_whether_each_level_is_carried(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    older, newer = two_periods
    code, out, err = run(capsys, "compare", older, newer, "--format", "csv")
    assert code == 0, err
    first = next(csv.DictReader(io.StringIO(out)))
    labels = ("Exampleland 2024", "Exampleland 2025")
    assert [first[label] for label in labels] == ["2", "2"]
    assert [first[f"{label} carried"] for label in labels] == ["no", "yes"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_gap_to_target_is_not_read_as_no_gap_when_no_target_is_set(
    two_periods: tuple[Path, Path], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _, newer = two_periods
    code, out, err = run(capsys, "export", newer, "--format", fmt)
    assert code == 0, err
    assert "No target is set, so no gap to target can be shown." in out
    assert "No answered item is below its target" not in out
