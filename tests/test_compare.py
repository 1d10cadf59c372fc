"""Comparing assessments and following a trend: what an analyst reads off the results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from decalogue.analysis.compare import (
    ChangeKind,
    ComparisonError,
    Subject,
    compare,
)
from decalogue.analysis.trend import period_key, trend
from decalogue.model.checklist import parse_checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.reports.comparison import (
    COMPARISON_VERSION,
    comparison_document,
    render_comparison,
    render_trend,
)
from decalogue.storage import store
from tests.helpers import run
from tests.samples import GAMMA, MINI, THETA, assess, mini, mini_v2

Levels = dict[str, "int | str | None"]


BEFORE: dict[str, int | str] = {"A-01": 1, "A-02": 2, "A-04": 2, "A-05": 2, "B-01": "no such body"}
AFTER: dict[str, int | str] = {
    "A-01": 2,
    "A-02": 1,
    "A-03": 3,
    "A-05": 2,
    "B-01": 1,
    "B-02": "not here",
}


def test_each_kind_of_change_is_named() -> None:
    checklist = mini()
    result = compare(
        [
            Subject(assess(checklist, BEFORE), checklist),
            Subject(assess(checklist, AFTER), checklist),
        ]
    )
    kinds = {c.item_id: c.kind for c in result.items}
    assert kinds == {
        "A-01": ChangeKind.IMPROVED,
        "A-02": ChangeKind.REGRESSED,
        "A-03": ChangeKind.NEWLY_ANSWERED,
        "A-04": ChangeKind.NO_LONGER_ANSWERED,
        "A-05": ChangeKind.UNCHANGED,
        "B-01": ChangeKind.NO_LONGER_NA,
        "B-02": ChangeKind.NOW_NA,
    }
    assert {c.item_id: c.delta for c in result.items if c.delta is not None} == {
        "A-01": 1,
        "A-02": -1,
        "A-05": 0,
    }
    assert result.counts[ChangeKind.IMPROVED] == 1
    assert [c.item_id for c in result.top_improvements] == ["A-01"]
    assert [c.item_id for c in result.top_regressions] == ["A-02"]
    assert result.unshared == ()
    assert all(sign for sign in (kind.sign for kind in ChangeKind))


def test_group_changes_are_the_scoreboards_figures() -> None:
    checklist = mini()
    before, after = assess(checklist, BEFORE), assess(checklist, AFTER)
    result = compare([Subject(before, checklist), Subject(after, checklist)])
    old = ScoreBoard(checklist, before.responses)
    new = ScoreBoard(checklist, after.responses)
    by_id = {g.id: g for g in result.groups}
    assert [g.id for g in result.groups] == ["overall", "P1", "S1", "S2", "P2", "S3"]
    assert old.overall.score is not None and new.overall.score is not None
    # Round once, then subtract: the change is the difference of the scores as shown.
    shown = by_id["overall"].values
    assert shown == (round(old.overall.score, 1), round(new.overall.score, 1))
    assert by_id["overall"].delta == round(shown[1] - shown[0], 1)
    s1_old, s1_new = old.sections["S1"].score, new.sections["S1"].score
    assert s1_old is not None and s1_new is not None
    assert by_id["S1"].delta == round(round(s1_new, 1) - round(s1_old, 1), 1)
    # S3 had nothing scored before (B-01 was N/A): no score, so no change, never zero.
    assert by_id["S3"].values[0] is None and by_id["S3"].delta is None
    assert all(g.same_items for g in result.groups)


def test_three_assessments_keep_each_step() -> None:
    checklist = mini()
    subjects = [
        Subject(assess(checklist, {"A-01": 0}, period="2023"), checklist),
        Subject(assess(checklist, {"A-01": 3}, period="2024"), checklist),
        Subject(assess(checklist, {"A-01": 1}, period="2025"), checklist),
    ]
    item = compare(subjects).items[0]
    assert item.kind is ChangeKind.IMPROVED
    assert item.steps == (ChangeKind.IMPROVED, ChangeKind.REGRESSED)
    assert [a.level for a in item.answers if a is not None] == [0, 3, 1]


def test_different_versions_compare_shared_items_and_list_the_rest() -> None:
    v1, v2 = mini(), mini_v2()
    before = assess(v1, {"A-01": 1, "A-03": 2, "B-01": 1})
    after = assess(v2, {"A-01": 3, "B-01": 1, "B-03": 2})
    result = compare([Subject(before, v1), Subject(after, v2)])
    assert result.mixed_versions and result.versions == ("1.0", "2.0")
    assert "A-03" not in {c.item_id for c in result.items}
    assert {c.item_id: c.present_in for c in result.unshared} == {"A-03": (0,), "B-03": (1,)}
    assert all(c.kind is None for c in result.unshared)
    same = {g.id: g.same_items for g in result.groups}
    assert same == {
        "overall": False,
        "P1": False,
        "S1": False,
        "S2": True,
        "P2": False,
        "S3": False,
    }
    document = comparison_document(result)
    assert [i["id"] for i in document["items_not_in_every_version"]] == ["A-03", "B-03"]


def test_assessments_of_different_checklists_are_refused() -> None:
    checklist = mini()
    other = parse_checklist(MINI.replace('id = "mini"', 'id = "other"'), origin="other")
    with pytest.raises(ComparisonError, match="different checklists") as error:
        compare(
            [
                Subject(assess(checklist, {}), checklist, path="a.json"),
                Subject(assess(other, {}), other, path="b.json"),
            ]
        )
    assert "a.json" in str(error.value) and "b.json" in str(error.value)
    assert "\n" not in str(error.value)


def test_labels_tell_repeated_titles_apart() -> None:
    checklist = mini()
    subjects = [
        Subject(assess(checklist, {}), checklist, path="one.json"),
        Subject(assess(checklist, {}), checklist, path="two.json"),
    ]
    assert compare(subjects).labels == ("Exampleland 2025 (one)", "Exampleland 2025 (two)")


def test_trend_is_sorted_by_period() -> None:
    checklist = mini()
    subjects = [
        Subject(assess(checklist, {"A-01": 3}, period="2025"), checklist),
        Subject(assess(checklist, {"A-01": 1}, period="2023"), checklist),
        Subject(assess(checklist, {"A-01": 2}, period="2024"), checklist),
    ]
    result = trend(subjects)
    assert result.periods == ("2023", "2024", "2025")
    assert result.overall.values == (33.3, 66.7, 100.0)  # as shown, rounded once
    assert result.overall.coverage == (14.3, 14.3, 14.3)  # 1 of 7 items
    assert result.overall.change == 66.7  # 100.0 - 33.3, what a reader subtracts
    assert {row.kind for row in result.rows} == {"overall", "pillar", "section"}


def test_trend_refuses_two_countries() -> None:
    checklist = mini()
    with pytest.raises(ComparisonError, match="different countries"):
        trend(
            [
                Subject(assess(checklist, {}), checklist),
                Subject(assess(checklist, {}, code="XY", name="Otherland"), checklist),
            ]
        )


def test_period_forms_sort_in_time_order() -> None:
    periods = ["2025", "2024-01-01/2024-06-30", "2023-2024", "2024"]
    assert sorted(periods, key=period_key) == ["2023-2024", "2024-01-01/2024-06-30", "2024", "2025"]


def test_json_document_is_versioned_and_serialisable() -> None:
    checklist = mini()
    result = compare(
        [
            Subject(assess(checklist, BEFORE), checklist),
            Subject(assess(checklist, AFTER), checklist),
        ]
    )
    document = json.loads(json.dumps(comparison_document(result)))
    assert document["comparison_version"] == COMPARISON_VERSION == 1
    a04 = next(i for i in document["items"] if i["id"] == "A-04")
    assert a04["change"] == "no longer answered"
    assert a04["answers"][1] == {
        "state": "unanswered",
        "level": None,
        "label": None,
        "carried": False,
    }
    assert document["summary"]["top_regressions"] == ["A-02"]


# --------------------------------------------------------------------------- command line


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """mini.toml, mini-v2.toml and assessments of Exampleland in 2024 and 2025 (and v2)."""
    (tmp_path / "mini.toml").write_text(MINI, encoding="utf-8")
    v2 = MINI.replace('version = "1.0"', 'version = "2.0"').replace(GAMMA, "\n") + THETA
    (tmp_path / "mini-v2.toml").write_text(v2, encoding="utf-8")
    checklist = mini()
    paths = {"toml": tmp_path / "mini.toml", "toml2": tmp_path / "mini-v2.toml"}
    for name, period, answers in (("a", "2024", BEFORE), ("b", "2025", AFTER)):
        paths[name] = tmp_path / f"{name}.json"
        store.create(paths[name], assess(checklist, answers, period=period))
    paths["c"] = tmp_path / "c.json"
    store.create(paths["c"], assess(mini_v2(), {"A-01": 3, "B-03": 1}, period="2026"))
    return paths


def test_cli_compare_table(files: dict[str, Path], tmp_path: Path) -> None:
    result = run("compare", "a.json", "b.json", "--checklist", "mini.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "▲ improved +1" in out and "▼ regressed -1" in out
    assert "~ now N/A" in out and "+ newly answered" in out and "= unchanged" in out
    assert "Top improvements: A-01 Alpha (1 → 2)" in out
    row = next(line for line in out.splitlines() if line.startswith("A-04"))
    assert "- no longer answered" in row


def test_cli_compare_csv_has_one_row_per_item(files: dict[str, Path], tmp_path: Path) -> None:
    result = run(
        "compare", "a.json", "b.json", "--checklist", "mini.toml", "--format", "csv", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["item"] for r in rows] == ["A-01", "A-02", "A-03", "A-04", "A-05", "B-01", "B-02"]
    b01 = rows[5]
    assert (b01["Exampleland 2024"], b01["Exampleland 2025"], b01["change"]) == (
        "N/A",
        "1",
        "no longer N/A",
    )


def test_cli_compare_md_and_json(files: dict[str, Path], tmp_path: Path) -> None:
    md = run(
        "compare", "a.json", "b.json", "--checklist", "mini.toml", "--format", "md", cwd=tmp_path
    )
    assert md.returncode == 0, md.stderr
    assert "| A-01 | Alpha | 1 | 2 | ▲ improved +1 |" in md.stdout
    js = run(
        "compare", "a.json", "b.json", "--checklist", "mini.toml", "--format", "json", cwd=tmp_path
    )
    assert json.loads(js.stdout)["comparison_version"] == 1


def test_cli_compare_two_versions_lists_unshared_items(
    files: dict[str, Path], tmp_path: Path
) -> None:
    result = run(
        "compare",
        "b.json",
        "c.json",
        "--checklist",
        "mini.toml",
        "--checklist",
        "mini-v2.toml",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Checklist versions differ" in result.stdout
    tail = result.stdout.split("Items not in every checklist version")[1]
    assert "A-03" in tail and "B-03" in tail


def test_cli_compare_errors_are_one_line(files: dict[str, Path], tmp_path: Path) -> None:
    missing = run("compare", "a.json", "nope.json", "--checklist", "mini.toml", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "nope.json: no such file"
    unknown = run("compare", "a.json", "b.json", cwd=tmp_path)
    assert unknown.returncode == 1
    assert "--checklist" in unknown.stderr and len(unknown.stderr.strip().splitlines()) == 1
    single = run("compare", "a.json", "--checklist", "mini.toml", cwd=tmp_path)
    assert single.returncode == 1 and "at least two" in single.stderr


def test_cli_trend(files: dict[str, Path], tmp_path: Path) -> None:
    result = run(
        "trend", "b.json", "a.json", "--checklist", "mini.toml", "--format", "csv", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        *("id", "kind", "title", "2024", "2024 coverage", "2024 carried"),
        *("2025", "2025 coverage", "2025 carried"),
        *("change", "note"),
    ]
    assert [r[0] for r in rows[1:]] == ["overall", "P1", "S1", "S2", "P2", "S3"]
    table = run("trend", "b.json", "a.json", "--checklist", "mini.toml", cwd=tmp_path)
    assert table.returncode == 0 and "Trend of Exampleland (XX)" in table.stdout


# --------------------------------------------------------------------------- coverage beside scores


def coverage_only_trend() -> tuple[Subject, Subject]:
    """One more item answered in 2026, no answer changed: 58.33… → 54.16… overall.

    Unrounded, the change is -4.17 (shown as -4.2); the values as shown are 58.3 and 54.2,
    so the change a reader can check is -4.1.
    """
    checklist = mini()
    before = {"A-03": 3, "A-05": 2, "B-01": 1}
    return (
        Subject(assess(checklist, before, period="2025"), checklist),
        Subject(assess(checklist, {**before, "A-01": 2}, period="2026"), checklist),
    )


@pytest.mark.parametrize("fmt", ["table", "md", "json", "csv"])
def test_a_trend_where_only_coverage_changed_says_so_in_every_format(fmt: str) -> None:
    result = trend(list(coverage_only_trend()))
    overall = result.overall
    assert overall.values == (58.3, 54.2) and overall.coverage == (42.9, 57.1)
    assert overall.change == -4.1  # round once, then subtract
    note = "coverage only (1 more answered); no answer changed"
    assert overall.note == note
    text = render_trend(result, fmt)
    if fmt == "json":
        row = json.loads(text)["scores"][0]
        assert (row["values"], row["coverage"], row["change"]) == ([58.3, 54.2], [42.9, 57.1], -4.1)
        assert row["note"] == note and row["cause"]["answers_changed"] == 0
    elif fmt == "csv":
        first = next(csv.DictReader(io.StringIO(text)))
        assert (first["2025"], first["2025 coverage"], first["2026"], first["2026 coverage"]) == (
            "58.3",
            "42.9",
            "54.2",
            "57.1",
        )
        assert (first["change"], first["note"]) == ("-4.1", note)
    else:
        line = next(line for line in text.splitlines() if "Overall" in line)
        assert "58.3 (43%)" in line and "54.2 (57%)" in line
        assert "▼ -4.1" in line and note in line


@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_compare_shows_coverage_beside_scores_and_why_they_moved(fmt: str) -> None:
    result = compare(list(coverage_only_trend()))
    text = render_comparison(result, fmt)
    if fmt == "json":
        overall = json.loads(text)["scores"][0]
        assert (overall["scores"], overall["coverage"], overall["change"]) == (
            [58.3, 54.2],
            [42.9, 57.1],
            -4.1,
        )
        assert overall["note"].startswith("coverage only")
        return
    line = next(line for line in text.splitlines() if "Overall" in line)
    assert "58.3 (43%)" in line and "54.2 (57%)" in line and "▼ -4.1" in line
    assert "coverage only (1 more answered); no answer changed" in line


def test_a_changed_answer_is_not_called_coverage() -> None:
    checklist = mini()
    before = assess(checklist, {"A-01": 1, "A-02": 2}, period="2025")
    after = assess(checklist, {"A-01": 3, "A-02": 2, "A-03": 1}, period="2026")
    row = trend([Subject(before, checklist), Subject(after, checklist)]).overall
    assert row.cause.answers_changed == 1 and row.cause.newly_answered == 1
    assert row.note == "1 answer changed; 1 more answered"
    same = assess(checklist, {"A-01": 3, "A-02": 2, "A-03": 1}, period="2027")
    unchanged = trend([Subject(after, checklist), Subject(same, checklist)]).overall
    assert unchanged.change == 0.0 and unchanged.note == ""
