"""Workshops: the groups' answers side by side, and the consensus the trainer takes away."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decalogue.analysis.consensus import build_consensus, consensus_level
from decalogue.analysis.workshop import (
    Group,
    WorkshopError,
    aggregate,
    check_groups,
    group_name,
    make_groups,
    name_order,
)
from decalogue.model.assessment import Evidence
from decalogue.reports.workshop import workshop_document
from decalogue.storage import store
from tests.helpers import run
from tests.samples import MINI, assess, mini, mini_v2


def groups_of(*answers: Mapping[str, int | str]) -> list[Group]:
    checklist = mini()
    return make_groups(
        (assess(checklist, a, title=f"Group {chr(65 + n)}"), "", "") for n, a in enumerate(answers)
    )


def test_group_names_come_from_title_then_assessor_then_file() -> None:
    checklist = mini()
    assert group_name(assess(checklist, {}, title="Table 3", assessor="Ana"), "g.json") == "Table 3"
    assert group_name(assess(checklist, {}, assessor="Ana"), "g.json") == "Ana"
    assert group_name(assess(checklist, {}), "room/g7.json") == "g7"


def test_group_names_with_superscript_digits_sort_without_a_crash() -> None:
    assert sorted(["Table 1²", "Table 10", "Table 2"], key=name_order) == [
        "Table 1²",
        "Table 2",
        "Table 10",
    ]


def test_repeated_names_are_told_apart() -> None:
    checklist = mini()
    groups = make_groups(
        (assess(checklist, {}, assessor="Ana"), path, "") for path in ("x/one.json", "x/two.json")
    )
    assert [g.name for g in groups] == ["Ana (one)", "Ana (two)"]


def test_aggregate_median_spread_and_divergence_order() -> None:
    groups = groups_of(
        {"A-01": 0, "A-02": 1, "A-03": 2, "A-04": 3, "B-01": "none"},
        {"A-01": 3, "A-02": 1, "A-03": 2, "A-04": 3, "B-01": 2},
        {"A-01": 1, "A-02": 2, "A-03": 2, "A-04": 0},
        {"A-01": 3, "A-02": 1, "A-03": 2},
    )
    result = aggregate(groups, mini())
    a01 = result.items[0]
    assert a01.levels == (0, 1, 3, 3) and a01.median == 2.0 and a01.spread == 3
    a02 = result.items[1]
    assert (a02.median, a02.spread, a02.distinct) == (1.0, 1, 2)
    b01 = result.items[5]
    assert (b01.not_applicable, b01.unanswered, b01.mixed_na, b01.conflict) == (1, 2, True, True)
    # Ties on spread (A-01 and A-04: 3) are broken by the interquartile range:
    # A-01's levels 0,1,3,3 spread wider in the middle than A-04's 0,3,3.
    ranked = [i.item_id for i in result.ranking]
    assert ranked[:2] == ["A-01", "A-04"]
    assert a01.iqr is not None and result.items[3].iqr is not None
    assert a01.iqr > result.items[3].iqr
    # B-01 (N/A against a level) is a conflict: it ranks with the conflicts, before A-02,
    # whose groups agree within one level, although it has no spread of levels at all.
    assert ranked.index("A-04") < ranked.index("B-01") < ranked.index("A-02") < ranked.index("A-05")
    assert ranked[-2:] == ["A-05", "B-02"]
    every = result.items[4].answers
    assert [a.text() for a in every] == ["-", "-", "-", "-"]
    document = workshop_document(result)
    assert document["comparison_version"] == 1 and document["items"][0]["id"] == "A-01"


def test_consensus_takes_the_lower_median_where_groups_agree() -> None:
    groups = groups_of(
        {"A-01": 2, "A-02": 1, "A-03": 3, "A-04": 1},
        {"A-01": 3, "A-02": 2, "A-03": 3, "A-04": 1},
        {"A-01": 3, "A-02": 1, "A-03": 3},
        {"A-01": 3, "A-02": 2},
    )
    result = build_consensus(groups, mini(), title="Exampleland workshop", assessor="Trainer")
    responses = result.assessment.responses
    assert responses["A-01"].level == 3  # 2,3,3,3: the median is 3
    assert responses["A-02"].level == 1  # 1,1,2,2: an even split takes the lower level
    assert responses["A-03"].level == 3
    assert responses["A-04"].level == 1  # groups that did not answer are not counted
    assert result.conflicts == ()
    assert set(result.agreed) == {"A-01", "A-02", "A-03", "A-04"}
    assert set(result.unanswered) == {"A-05", "B-01", "B-02"}
    assessment = result.assessment
    assert assessment.title == "Exampleland workshop"
    assert assessment.assessors[0].name == "Trainer"
    assert (assessment.country.code, assessment.period) == ("XX", "2025")
    merge = assessment.history[-1]
    assert merge.field == "merge" and merge.by == "Trainer"
    assert [g["name"] for g in merge.new["groups"]] == ["Group A", "Group B", "Group C", "Group D"]


def test_conflicts_are_left_unanswered_flagged_and_listed() -> None:
    groups = groups_of(
        {"A-01": 0, "B-01": "no such body", "B-02": "not here"},
        {"A-01": 2, "B-01": 1, "B-02": "not relevant"},
        {"A-01": 1},
    )
    result = build_consensus(groups, mini())
    responses = result.assessment.responses
    assert [c.item_id for c in result.conflicts] == ["A-01", "B-01"]
    assert "more than one level apart" in result.conflicts[0].reason
    assert "N/A" in result.conflicts[1].reason
    for item_id in ("A-01", "B-01"):
        assert responses[item_id].level is None and not responses[item_id].not_applicable
        assert responses[item_id].flagged
    # Every answering group said N/A: the consensus is N/A with each reason attributed.
    assert responses["B-02"].not_applicable
    assert responses["B-02"].na_reason == "Group A: not here; Group B: not relevant"
    levels = [a.text() for a in result.conflicts[0].item.answers]
    assert levels == ["0", "2", "1"]


def test_notes_and_evidence_of_every_group_are_kept_attributed() -> None:
    groups = groups_of({"A-01": 1}, {"A-01": 1}, {"A-01": 2})
    groups[0].assessment.apply("A-01", "notes", "The law of 2020 covers it.", "a")
    groups[2].assessment.apply("A-01", "notes", "Only in the capital.", "c")
    law = Evidence(description="Law 12/2020")
    for group in groups[:2]:
        group.assessment.apply("A-01", "evidence", [law], "x")
    response = build_consensus(groups, mini()).assessment.responses["A-01"]
    assert response.notes == "Group A: The law of 2020 covers it.\n\nGroup C: Only in the capital."
    assert response.evidence == [law]
    assert response.level == 1 and not response.flagged


def test_duplicates_are_refused() -> None:
    checklist = mini()
    one = assess(checklist, {"A-01": 1}, title="Group A")
    twin = one.model_copy(deep=True)
    twin.title = "Group B"
    with pytest.raises(WorkshopError, match="same assessment") as error:
        check_groups(make_groups([(one, "a.json", "f1"), (twin, "b.json", "f2")]))
    assert "a.json" in str(error.value) and "b.json" in str(error.value)
    other = assess(checklist, {}, title="Group C")
    with pytest.raises(WorkshopError, match="identical bytes"):
        check_groups(make_groups([(one, "a.json", "same"), (other, "c.json", "same")]))


def test_different_checklist_versions_are_refused_naming_the_files() -> None:
    one = assess(mini(), {}, title="Group A")
    two = assess(mini_v2(), {}, title="Group B")
    groups = make_groups([(one, "a.json", ""), (two, "b.json", "")])
    with pytest.raises(WorkshopError, match="different checklists or versions") as error:
        aggregate(groups, mini())
    message = str(error.value)
    assert "mini 1.0: a.json" in message and "mini 2.0: b.json" in message
    assert "\n" not in message


def test_a_consensus_needs_one_country_and_period() -> None:
    checklist = mini()
    groups = make_groups(
        [
            (assess(checklist, {}, title="Group A"), "a.json", ""),
            (assess(checklist, {}, title="Group B", period="2024"), "b.json", ""),
        ]
    )
    with pytest.raises(WorkshopError, match="different periods"):
        build_consensus(groups, checklist)


@given(st.lists(st.integers(0, 3), min_size=1, max_size=30))
def test_consensus_level_is_between_the_groups_min_and_max(levels: list[int]) -> None:
    level = consensus_level(levels)
    if max(levels) - min(levels) <= 1:
        assert level is not None and min(levels) <= level <= max(levels)
    else:
        assert level is None


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2).flatmap(
        lambda low: st.lists(st.sampled_from([low, low + 1, None]), min_size=1, max_size=8)
    )
)
def test_agreeing_groups_get_a_consensus_within_their_range(levels: list[int | None]) -> None:
    groups = groups_of(*({} if level is None else {"A-01": level} for level in levels))
    result = build_consensus(groups, mini())
    given_levels = [level for level in levels if level is not None]
    response = result.assessment.responses.get("A-01")
    if given_levels:
        assert response is not None and response.level is not None
        assert min(given_levels) <= response.level <= max(given_levels)
        assert result.conflicts == ()
    else:
        assert response is None


# --------------------------------------------------------------------------- command line


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """A folder of three groups' files on mini.toml; mini.toml beside it."""
    (tmp_path / "mini.toml").write_text(MINI, encoding="utf-8")
    folder = tmp_path / "groups"
    folder.mkdir()
    checklist = mini()
    answers: list[dict[str, int | str]] = [
        {"A-01": 2, "A-02": 0, "B-01": "no such body"},
        {"A-01": 3, "A-02": 3, "B-01": "none here"},
        {"A-01": 2, "A-02": 1},
    ]
    for n, levels in enumerate(answers):
        group = assess(checklist, levels, title=f"Group {chr(65 + n)}")
        group.apply("A-01", "notes", f"note {n}", "x")
        store.create(folder / f"group-{n}.json", group)
    return tmp_path


def test_cli_merge_writes_the_consensus_and_reports_conflicts(room: Path) -> None:
    result = run("merge", "groups", "-o", "consensus.json", "--checklist", "mini.toml", cwd=room)
    assert result.returncode == 0, result.stderr
    assert "Merged 3 groups (Group A, Group B, Group C)" in result.stdout
    assert "1 conflict left unanswered" in result.stdout
    conflict = next(line for line in result.stdout.splitlines() if "A-02" in line)
    assert "Group A 0, Group B 3, Group C 1" in conflict
    written = store.read(room / "consensus.json").assessment
    assert written.responses["A-01"].level == 2
    assert written.responses["B-01"].not_applicable
    assert written.responses["A-02"].flagged and written.responses["A-02"].level is None
    assert "Group B: note 1" in written.responses["A-01"].notes
    check = run("validate", "consensus.json", cwd=room)
    assert check.returncode == 0, check.stdout + check.stderr


def test_one_group_is_counted_as_one_not_as_groups(room: Path) -> None:
    """A room of one: "Consensus of 1 group", never "1 groups" (nor "1 item(s)")."""
    result = run(
        "merge", "groups/group-0.json", "-o", "one.json", "--checklist", "mini.toml", cwd=room
    )
    assert result.returncode == 0, result.stderr
    assert "Merged 1 group (Group A)" in result.stdout
    assert "1 groups" not in result.stdout + result.stderr and "(s)" not in result.stdout
    assert store.read(room / "one.json").assessment.title == "Consensus of 1 group"
    listed = run("aggregate", "groups/group-0.json", "--checklist", "mini.toml", cwd=room)
    assert "1 group on " in listed.stdout and "1 groups" not in listed.stdout


def test_cli_merge_never_overwrites_without_force(room: Path) -> None:
    target = room / "consensus.json"
    target.write_text("keep me", encoding="utf-8")
    refused = run("merge", "groups", "-o", "consensus.json", "--checklist", "mini.toml", cwd=room)
    assert refused.returncode == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    forced = run(
        "merge", "groups", "-o", "consensus.json", "--checklist", "mini.toml", "--force", cwd=room
    )
    assert forced.returncode == 0, forced.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Consensus of 3 groups"
    assert (room / "consensus.json.bak").read_text(encoding="utf-8") == "keep me"


def test_cli_merge_force_keeps_the_consensus_id_as_the_workshop_screen_does(room: Path) -> None:
    """Writing a consensus again updates that assessment; it does not become another one."""
    merge = ["merge", "groups", "-o", "consensus.json", "--checklist", "mini.toml"]
    first = run(*merge, cwd=room)
    assert first.returncode == 0, first.stderr
    before = store.read(room / "consensus.json").assessment
    again = run(*merge, "--force", cwd=room)
    assert again.returncode == 0, again.stderr
    after = store.read(room / "consensus.json").assessment
    assert after.id == before.id
    other = store.create(room / "other.json", assess(mini(), {}, title="Not a consensus"))
    replaced = run(*merge[:3], "other.json", *merge[4:], "--force", cwd=room)
    assert replaced.returncode == 0, replaced.stderr
    assert store.read(room / "other.json").assessment.id != other.assessment.id


def test_cli_merge_output_inside_the_folder_is_not_a_group(room: Path) -> None:
    first = run(
        "merge", "groups", "-o", "groups/consensus.json", "--checklist", "mini.toml", cwd=room
    )
    assert first.returncode == 0, first.stderr
    again = run(
        "merge", "groups", "-o", "groups/consensus-2.json", "--checklist", "mini.toml", cwd=room
    )
    assert again.returncode == 0, again.stderr
    assert "Merged 3 groups" in again.stdout
    assert "consensus from an earlier merge, left out" in again.stderr


def test_cli_merge_refuses_duplicates_and_mixed_versions(room: Path) -> None:
    shutil.copy(room / "groups" / "group-0.json", room / "copy.json")
    duplicate = run(
        "merge", "groups", "copy.json", "-o", "c.json", "--checklist", "mini.toml", cwd=room
    )
    assert duplicate.returncode == 1
    assert duplicate.stderr.strip() == (
        "copy.json and groups/group-0.json are the same file (identical bytes); remove one"
    )
    twice = run("merge", "groups/group-1.json", "groups/group-1.json", "-o", "c.json", cwd=room)
    assert twice.returncode == 1 and "given twice" in twice.stderr
    store.create(room / "v2.json", assess(mini_v2(), {}, title="Group V"))
    mixed = run("merge", "groups", "v2.json", "-o", "c.json", "--checklist", "mini.toml", cwd=room)
    assert mixed.returncode == 1
    assert "mini 1.0: groups/group-0.json" in mixed.stderr and "mini 2.0: v2.json" in mixed.stderr
    assert len(mixed.stderr.strip().splitlines()) == 1
    assert not (room / "c.json").exists()


def test_cli_aggregate_lists_the_most_disputed_first(room: Path) -> None:
    result = run("aggregate", "groups", "--checklist", "mini.toml", cwd=room)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line[:3].strip().isdigit()]
    assert rows[0][:2] == ["1", "A-02"] and "conflict" in rows[0][-1]
    csv_out = run("aggregate", "groups", "--checklist", "mini.toml", "--format", "csv", cwd=room)
    assert csv_out.stdout.splitlines()[0] == (
        "rank,item,title,Group A,Group B,Group C,median,spread,conflict"
    )


def test_an_agreement_says_how_many_groups_it_rests_on(room: Path) -> None:
    """Unanswered groups are not counted by the rule, so "agreed" by one group of four must
    say so: in the aggregate table and in what merge prints."""
    late = assess(mini(), {"A-04": 1}, title="Group D")  # one answer, given by no other group
    store.create(room / "groups" / "group-3.json", late)
    result = run("aggregate", "groups", "--checklist", "mini.toml", cwd=room)
    assert result.returncode == 0, result.stderr
    status = {line.split()[1]: line.split("  ")[-1].strip() for line in result.stdout.splitlines()
              if line[:3].strip().isdigit()}  # fmt: skip
    assert status["A-04"] == "= agreed (1 of 4 answered)"
    assert status["A-01"] == "= agreed (3 of 4 answered)"
    assert status["B-01"] == "= agreed (2 of 4 answered)"  # N/A by two groups
    assert status["A-05"] == "- open"
    merged = run("merge", "groups", "-o", "c.json", "--checklist", "mini.toml", cwd=room)
    assert merged.returncode == 0, merged.stderr
    assert "1 of them rest on a single group's answer" in merged.stdout


def test_cli_merge_never_writes_over_a_group_file(room: Path) -> None:
    group = room / "groups" / "group-2.json"
    before = group.read_bytes()
    result = run(
        "merge",
        "groups",
        "-o",
        "groups/group-2.json",
        "--force",
        "--checklist",
        "mini.toml",
        cwd=room,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "groups/group-2.json: is one of the group files; write the consensus to another file (-o)"
    )
    assert group.read_bytes() == before
