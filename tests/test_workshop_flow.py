"""A workshop from set-up to report: groups apart by title, decisions that last, flags kept.

Exampleland (XX) is fictional; every level here is made up.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from decalogue.analysis.consensus import DECISION, Decision, apply_decisions, build_consensus
from decalogue.analysis.decisions import decisions_from
from decalogue.analysis.workshop import aggregate, make_groups, name_order
from decalogue.cli import main
from decalogue.model.assessment import Answer, new_assessment
from decalogue.roles import parse_group
from decalogue.serve.auth import make_links
from decalogue.serve.room import check_groups
from decalogue.storage import store
from tests.helpers import run
from tests.samples import MINI, assess, mini


def test_groups_read_in_name_order_whatever_the_file_order() -> None:
    checklist = mini()
    names = ["Group C", "Group A", "Group 10", "group b", "Group 2"]
    groups = make_groups((assess(checklist, {}, title=n), f"{n}.json", "") for n in names)
    assert [g.name for g in groups] == ["Group 2", "Group 10", "Group A", "group b", "Group C"]
    assert name_order("Group 9") < name_order("Group 10")


def test_merge_keeps_the_groups_flags() -> None:
    checklist = mini()
    a = assess(checklist, {"A-01": 2, "A-03": 1}, title="Group A")
    b = assess(checklist, {"A-01": 2, "A-03": 1}, title="Group B")
    b.apply("A-01", "flagged", True, "b")
    a.apply("A-04", "flagged", True, "a")  # flagged without an answer
    result = build_consensus(make_groups([(a, "", ""), (b, "", "")]), checklist)
    responses = result.assessment.responses
    assert responses["A-01"].flagged and responses["A-01"].level == 2
    assert responses["A-04"].flagged
    assert not responses["A-03"].flagged
    merge = result.assessment.history[0].new
    assert merge["flagged_by_groups"] == {"A-01": ["Group B"], "A-04": ["Group A"]}


def test_decisions_carry_rationale_and_facilitator_and_resume_from_the_file() -> None:
    checklist = mini()
    groups = make_groups(
        (assess(checklist, answers, title=f"Group {n}"), "", "")
        for n, answers in (("A", {"A-01": 0, "A-02": 2}), ("B", {"A-01": 3, "A-02": 2}))
    )
    workshop = aggregate(groups, checklist)
    decisions = {
        "A-01": Decision(
            "level", 2, by_trainer=True, rationale="the room agreed on 2", by="Ana Facilitator"
        ),
        "A-02": Decision("open", by_trainer=True, by="Ana Facilitator"),
    }
    consensus = build_consensus(groups, checklist, assessor="login").assessment
    apply_decisions(consensus, workshop, decisions, "login")
    recorded = [c for c in consensus.history if c.field == DECISION]
    assert [(c.item, c.by) for c in recorded] == [
        ("A-01", "Ana Facilitator"),
        ("A-02", "Ana Facilitator"),
    ]
    assert consensus.responses["A-01"].changed_by == "Ana Facilitator"
    resumed = decisions_from(consensus, workshop)
    assert resumed == decisions
    # A consensus saved before decisions were recorded: its answers against the rule.
    consensus.history = [c for c in consensus.history if c.field != DECISION]
    older = decisions_from(consensus, workshop)
    assert older["A-01"].level == 2 and older["A-01"].by_trainer and not older["A-01"].rationale
    assert older["A-02"].kind == "open"


# --------------------------------------------------------------------------- commands


def test_setup_makes_one_titled_file_per_group_and_says_how_to_serve(tmp_path: Path) -> None:
    result = run(
        "--user", "Ana Trainer",
        "workshop", "setup", "room", "--groups", "Group B, Group A ,Group C", "--country", "XX",
        "--country-name", "Exampleland", "--period", "2025", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "room").glob("*.json"))
    assert [f.name for f in files] == [
        "XX-2025-group-a.json",
        "XX-2025-group-b.json",
        "XX-2025-group-c.json",
    ]
    titles = sorted(store.read(f).assessment.title for f in files)
    assert titles == ["Group A", "Group B", "Group C"]
    # The printed command and links are serve's: its token rules, its group checks.
    command = next(line for line in result.stdout.splitlines() if "decalogue serve" in line)
    words = shlex.split(command)
    master = words[words.index("--token") + 1]
    options = [parse_group(words[i + 1]) for i, w in enumerate(words) if w == "--group"]
    assert [(o.name, o.file) for o in options] == [
        ("Group B", "XX-2025-group-b.json"),
        ("Group A", "XX-2025-group-a.json"),
        ("Group C", "XX-2025-group-c.json"),
    ]
    check_groups(Path(words[words.index("--workspace") + 1]), options)
    # The trainer's name goes with it: the facilitator's link records it, not "facilitator".
    assert words[words.index("--user") + 1] == "Ana Trainer"
    for link in make_links(master, [(o.name, o.file) for o in options]):
        assert f"/?token={link.token}" in result.stdout
    # A file of that name which is not this workshop's group is never replaced.
    store.create(tmp_path / "room" / "XX-2025-group-d.json", new_assessment(
        mini(), "XX", "2025", country_name="Exampleland", title="Somebody else"))  # fmt: skip
    again = run(
        "workshop", "setup", "room", "--groups", "Group A,Group D", "--country", "XX",
        "--country-name", "Exampleland", "--period", "2025", cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 1 and "never replaces a file" in again.stderr
    assert "is not this workshop's 'Group D'" in again.stderr and "remove" not in again.stderr
    twice = run(
        "workshop", "setup", "other", "--groups", "A,a", "--country", "XX",
        "--country-name", "Exampleland", "--period", "2025", cwd=tmp_path,
    )  # fmt: skip
    assert twice.returncode == 1 and "given twice" in twice.stderr
    assert not (tmp_path / "other").exists()


def test_setup_run_again_keeps_the_groups_work_adds_a_late_group_and_repeats_the_links(
    tmp_path: Path,
) -> None:
    """The trainer lost the printed links, and a fifth table formed: setup again with the
    serve command's token keeps every group's file as it is and prints the same links."""
    setup = ["workshop", "setup", "room", "--country", "XX", "--country-name", "Exampleland",
             "--period", "2025"]  # fmt: skip
    first = run(*setup, "--groups", "Group A,Group B", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    words = shlex.split(next(x for x in first.stdout.splitlines() if "decalogue serve" in x))
    token = words[words.index("--token") + 1]
    group_a = tmp_path / "room" / "XX-2025-group-a.json"
    stored = store.read(group_a)
    answered = stored.assessment.model_copy(deep=True)
    answered.apply("LF-01", "answer", Answer(level=3), "Group A")
    store.save(group_a, answered, stored.fingerprint)
    before = group_a.read_bytes()
    again = run(*setup, "--groups", "Group A,Group B,Group C", "--token", token, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert group_a.read_bytes() == before  # the group's answers, untouched
    assert "Group A: XX-2025-group-a.json (set up before: kept as it is)" in again.stdout
    assert (tmp_path / "room" / "XX-2025-group-c.json").exists()
    links = [line for line in first.stdout.splitlines() if "/?token=" in line]
    assert links and all(line in again.stdout for line in links)  # the links handed out
    assert "Group C=XX-2025-group-c.json" in again.stdout
    bad = run(*setup, "--groups", "Group D", "--token", "short", cwd=tmp_path)
    assert bad.returncode == 1 and "--token" in bad.stderr
    assert not (tmp_path / "room" / "XX-2025-group-d.json").exists()


def test_report_shows_levels_decisions_who_and_why(tmp_path: Path) -> None:
    (tmp_path / "mini.toml").write_text(MINI, encoding="utf-8")
    folder = tmp_path / "room"
    folder.mkdir()
    checklist = mini()
    groups = []
    for name, answers in (("Group B", {"A-01": 3, "A-02": 1}), ("Group A", {"A-01": 0, "A-02": 1})):
        assessment = assess(checklist, answers, title=name)
        store.create(folder / f"{name[-1].lower()}.json", assessment)
        groups.append(assessment)
    made = make_groups((g, "", "") for g in groups)
    workshop = aggregate(made, checklist)
    consensus = build_consensus(made, checklist).assessment
    decided = Decision("level", 2, by_trainer=True, rationale="<b>evidence</b> | shown", by="Bo")
    apply_decisions(consensus, workshop, {"A-01": decided}, "x")
    store.create(folder / "consensus.json", consensus)

    result = run("workshop", "report", "room", "--checklist", "mini.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "| Item | Title | Group A | Group B | Decision | Decided by | Rationale |" in text
    a01 = next(line for line in text.splitlines() if line.startswith("| A-01 "))
    assert "| 0 | 3 | 2 | Bo | \\<b\\>evidence\\</b\\> \\| shown |" in a01
    a02 = next(line for line in text.splitlines() if line.startswith("| A-02 "))
    assert "| 1 | 1 | 1 | the rule |" in a02
    assert "## Still open" in text and "- A-03 " in text
    # The consensus the decisions come from is not "left out": only an older one is.
    assert "Decisions: the consensus saved in consensus.json" in text
    assert "left out" not in result.stderr, result.stderr
    html = run(
        "workshop", "report", "room", "--checklist", "mini.toml", "--format", "html", "-o",
        "report.html", cwd=tmp_path,
    )  # fmt: skip
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;evidence&lt;/b&gt;" in page and "<b>evidence</b>" not in page
    assert "Bo" in page


def test_new_asks_for_a_title_for_a_second_assessment_of_the_same_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--workspace", str(tmp_path), "new", "--country", "XX", "--country-name", "Exampleland"]
    assert main([*base, "--period", "2025"]) == 0
    capsys.readouterr()
    assert main([*base, "--period", "2025"]) == 1
    assert "give --title to tell them apart" in capsys.readouterr().err
    assert main([*base, "--period", "2025", "--title", "Group B"]) == 0
    assert main([*base, "--period", "2025", "--title", "group b"]) == 1
    assert "give another --title" in capsys.readouterr().err
    assert main([*base, "--period", "2026"]) == 0  # another period is another assessment
    capsys.readouterr()
    listed = json.loads(
        _out(capsys, main(["--workspace", str(tmp_path), "list", "--format", "json"]))
    )
    assert sorted(e["title"] for e in listed["assessments"]) == ["", "", "Group B"]
    assert len(list(tmp_path.glob("*.json"))) == 3  # the refused ones wrote nothing


def _out(capsys: pytest.CaptureFixture[str], code: int) -> str:
    assert code == 0
    return capsys.readouterr().out


def test_setup_gives_groups_named_in_other_scripts_their_own_files(tmp_path: Path) -> None:
    """A room in Cyrillic and Arabic: every name made "group", so two such groups were
    refused, and a lone one got a file whose name said nothing of the group."""
    names = ["Группа Г", "Группа Д", "مجموعة هـ", "Groupe É", "Group A"]
    result = run(
        "workshop", "setup", "room", "--groups", ",".join(names), "--country", "XX",
        "--country-name", "Exampleland", "--period", "2025", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = {store.read(f).assessment.title: f.name for f in (tmp_path / "room").glob("*.json")}
    assert files == {
        "Группа Г": "XX-2025-группа-г.json",
        "Группа Д": "XX-2025-группа-д.json",
        "مجموعة هـ": "XX-2025-مجموعة-هـ.json",
        "Groupe É": "XX-2025-groupe-é.json",
        "Group A": "XX-2025-group-a.json",
    }
    command = next(line for line in result.stdout.splitlines() if "decalogue serve" in line)
    words = shlex.split(command)
    options = [parse_group(words[i + 1]) for i, w in enumerate(words) if w == "--group"]
    assert [(o.name, o.file) for o in options] == [(name, files[name]) for name in names]
    check_groups(tmp_path / "room", options)
    # Names that still come to one file name are refused by name, and nothing is made.
    clash = run(
        "workshop", "setup", "other", "--groups", "Group 1,Group-1", "--country", "XX",
        "--country-name", "Exampleland", "--period", "2025", cwd=tmp_path,
    )  # fmt: skip
    assert clash.returncode == 1
    assert "'Group 1' and 'Group-1'" in clash.stderr and "XX-2025-group-1.json" in clash.stderr
    assert not (tmp_path / "other").exists()
