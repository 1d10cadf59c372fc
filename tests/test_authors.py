"""A checklist author's own checklist, as they would use it from the command line.

The checklist in tests/data/author is fictional (Exampleland), written for these
tests with its own source text: two pillars, a 0-3 scale, and a version 1.1.0
that rewords one item, removes one, adds one and moves one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from decalogue.errors import ChecklistError, DecalogueError
from decalogue.model.assessment import Answer
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import Checklists, load_checklist
from tests.samples import ID, SOURCE, V1, V2


def run(*args: str, workspace: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DECALOGUE_WORKSPACE": str(workspace)}
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def registered(workspace: Path) -> Path:
    """Version 1.0.0 registered, and an assessment of it with three answers."""
    ok(run("checklists", "add", str(V1), workspace=workspace))
    created = ok(
        run(
            "new",
            "--checklist",
            ID,
            "--country",
            "XX",
            "--country-name",
            "Exampleland",
            "--period",
            "2025",
            workspace=workspace,
        )
    )
    path = Path(created.strip())
    session = Session.open(path, checklists=Checklists(workspace), user="Author")
    session.set_answer("SUP-01", Answer(level=3))
    session.set_answer("SUP-02", Answer(level=1))
    session.set_answer("SUP-03", Answer(level=2))
    session.save()
    return path


def test_register_create_list_with_a_score_export_and_validate_without_checklist(
    workspace: Path, registered: Path
) -> None:
    copy = workspace / "checklists" / f"{ID}@1.0.0"
    assert (copy / V1.name).is_file() and (copy / SOURCE.name).read_bytes() == SOURCE.read_bytes()
    listing = ok(run("checklists", workspace=workspace))
    assert any(
        line.split()[:5] == [ID, "1.0.0", "5", "registered", "Exampleland"]
        for line in listing.splitlines()
    ), listing
    rows = ok(run("list", workspace=workspace)).splitlines()
    row = next(line for line in rows if line.startswith(registered.name))
    # 3 of 5 answered; (3/3 + 1/3 + 2/3) / 3 of the SUP pillar, COOP unanswered -> 66.7%
    assert f"{ID} 1.0.0" in row and "3/5" in row and "66.7%" in row and "?" not in row
    card = json.loads(ok(run("export", str(registered), "--format", "json", workspace=workspace)))
    assert card["checklist"]["id"] == ID
    assert "ok, assessment XX 2025: 3/5 answered" in ok(
        run("validate", str(registered), workspace=workspace)
    )


def test_a_checklist_neither_bundled_nor_registered_has_one_message_naming_the_fix(
    workspace: Path, registered: Path, tmp_path: Path
) -> None:
    ok(run("checklists", "remove", ID, workspace=workspace))
    expected = f"checklist {ID} 1.0.0 is neither bundled nor registered"
    fix = "register it with `decalogue checklists add FILE.toml`"
    for args in (
        ["export", str(registered), "--format", "json"],
        ["compare", str(registered), str(registered)],
        ["trend", str(registered)],
        ["aggregate", str(registered)],
        ["new", "--from", str(registered)],
    ):
        result = run(*args, workspace=workspace)
        assert result.returncode == 1, args
        [line] = result.stderr.splitlines()
        assert expected in line and fix in line, (args, line)
    assert "? checklist exampleland-protocol 1.0.0 is neither bundled nor registered" in ok(
        run("list", workspace=workspace)
    )


def test_a_given_checklist_of_another_id_is_refused_in_one_line(
    workspace: Path, registered: Path
) -> None:
    before = registered.read_bytes()
    other = Path(__file__).parent / "tui" / "data" / "exampleland.toml"
    for args in (
        ["export", str(registered), "--format", "json", "--checklist", str(other)],
        ["compare", str(registered), str(registered), "--checklist", str(other)],
        ["validate", str(registered), "--checklist", str(other)],
        ["new", "--from", str(registered), "--checklist", str(other)],
    ):
        result = run(*args, workspace=workspace)
        assert result.returncode == 1, args
        output = (result.stderr or result.stdout).strip()
        assert "answers checklist exampleland-protocol, not the one given with --checklist" in (
            output
        ), (args, output)
        assert len(output.splitlines()) == 1
    assert registered.read_bytes() == before


def test_several_versions_are_registered_and_each_file_opens_with_its_own(
    workspace: Path, registered: Path
) -> None:
    ok(run("checklists", "add", str(V2), workspace=workspace))
    resolver = Checklists(workspace)
    assert [c.meta.version for c in resolver.versions(ID)] == ["1.0.0", "1.1.0"]
    assert Session.open(registered, checklists=resolver).checklist.meta.version == "1.0.0"
    assert resolver.load(ID).meta.version == "1.1.0"  # an id alone: the newest
    refused = run("checklists", "remove", ID, workspace=workspace)
    assert refused.returncode == 1 and "name one as ID@VERSION" in refused.stderr
    ok(run("checklists", "remove", f"{ID}@1.0.0", workspace=workspace))
    assert [c.meta.version for c in Checklists(workspace).versions(ID)] == ["1.1.0"]


# --------------------------------------------------------------------------- six mistakes


def _line_column(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


MISTAKES = {
    "misspelled key": (
        (
            'question = "Is medical care offered free of charge?"',
            'qestion = "Is medical care offered free of charge?"',
        ),
        "qestion =",
        1,
        "unknown field 'qestion': did you mean 'question'?",
    ),
    "quote not in the text": (
        ('quote = "medical care free of charge"', 'quote = "medical care without charge"'),
        'quote = "medical care without charge"',
        1,
        "quote not found word for word in exampleland-protocol.txt",
    ),
    "duplicate id": (
        ('id = "COOP-02"', 'id = "SUP-01"'),
        'id = "SUP-01"',
        2,
        "duplicate id 'SUP-01': already used by the item at line 38",
    ),
    "descriptor off the scale": (
        ('3 = "Every presumed victim', '4 = "Every presumed victim'),
        '4 = "Every presumed victim',
        1,
        "descriptor for level 4, which the scale does not have (levels 0-3)",
    ),
    "missing source file": (
        ('file = "exampleland-protocol.txt"', 'file = "exampleland-protocl.txt"'),
        'file = "exampleland-protocl.txt"',
        1,
        "source file 'exampleland-protocl.txt' not found",
    ),
    "TOML syntax error": (
        ('title = "Medical care"', 'title = "Medical care'),
        '"Medical care',
        1,
        "TOML syntax: unterminated string: the closing quote is missing on this line",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_reported_at_its_own_line_and_column(
    mistake: str, tmp_path: Path, workspace: Path
) -> None:
    (old, new), at, occurrence, message = MISTAKES[mistake]
    text = V1.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    shutil.copyfile(SOURCE, tmp_path / SOURCE.name)
    (tmp_path / "broken.toml").write_text(broken, encoding="utf-8")
    result = run("validate", "broken.toml", workspace=workspace, cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    row, column = _line_column(broken, at, occurrence)
    assert line.startswith(f"broken.toml:{row}:{column}: "), line
    assert message in line, line
    refused = run("checklists", "add", "broken.toml", workspace=workspace, cwd=tmp_path)
    assert refused.returncode == 1 and not (workspace / "checklists").exists()


def test_a_scale_gap_is_one_located_error_not_a_cascade(tmp_path: Path) -> None:
    text = V1.read_text(encoding="utf-8").replace(
        'value = 3\nlabel = "Fully"', 'value = 4\nlabel = "Fully"'
    )
    path = tmp_path / "gap.toml"
    path.write_text(text, encoding="utf-8")
    shutil.copyfile(SOURCE, tmp_path / SOURCE.name)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == _line_column(text, "value = 4")
    assert "3 is missing" in problem.message


def test_every_mistake_in_one_run_in_file_order(tmp_path: Path) -> None:
    text = V1.read_text(encoding="utf-8")
    for old, new in (
        ('question = "Is medical care offered free of charge?"', 'qestion = "Medical?"'),
        ('quote = "Labour inspectors shall be trained each year"', 'quote = "inspectors train"'),
        ('id = "COOP-02"', 'id = "SUP-01"'),
        ('3 = "Every presumed victim', '4 = "Every presumed victim'),
        ('title = "Interpreters"', 'title = "Interpreters"\nweight = "heavy"'),
    ):
        text = text.replace(old, new)
    path = tmp_path / "five.toml"
    path.write_text(text, encoding="utf-8")
    shutil.copyfile(SOURCE, tmp_path / SOURCE.name)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    problems = caught.value.problems
    assert len(problems) == 5, [str(p) for p in problems]
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    assert all(p.line and p.column for p in problems)


# --------------------------------------------------------------------------- versions


def test_diff_lists_added_removed_reworded_and_moved_in_three_formats(workspace: Path) -> None:
    text = ok(run("checklists", "diff", str(V1), str(V2), workspace=workspace))
    assert text.splitlines()[0] == (
        f"{ID} 1.0.0 → {ID} 1.1.0: 1 added, 1 removed, 1 reworded, 1 moved, 2 unchanged"
    )
    assert "  + COOP-03  Yearly figures" in text and "  - SUP-03  Interpreters" in text
    assert "    question: Is medical care offered free of charge?" in text
    assert "  > COOP-01  Labour inspectors: COOP / COOP-A → COOP / COOP-B" in text
    markdown = ok(
        run("checklists", "diff", str(V1), str(V2), "--format", "md", workspace=workspace)
    )
    assert "## Reworded" in markdown and "- **SUP-02** Medical care" in markdown
    document = json.loads(
        ok(run("checklists", "diff", str(V1), str(V2), "--format", "json", workspace=workspace))
    )
    assert [r["id"] for r in document["added"]] == ["COOP-03"]
    assert [r["id"] for r in document["removed"]] == ["SUP-03"]
    assert [(r["id"], [c["field"] for c in r["changes"]]) for r in document["reworded"]] == [
        ("SUP-02", ["question"])
    ]
    assert document["moved"] == [
        {"id": "COOP-01", "title": "Labour inspectors", "place": "COOP / COOP-B",
         "old_place": "COOP / COOP-A"}
    ]  # fmt: skip


def test_upgrade_dry_run_writes_nothing_then_upgrade_keeps_flags_and_lists(
    workspace: Path, registered: Path
) -> None:
    ok(run("checklists", "add", str(V2), workspace=workspace))
    before = registered.read_bytes()
    dry = ok(
        run("upgrade", str(registered), "--to", f"{ID}@1.1.0", "--dry-run", workspace=workspace)
    )
    assert registered.read_bytes() == before
    assert "1 answer to reworded items would be kept and flagged for review:" in dry
    assert "    ~ SUP-02  Medical care" in dry
    assert "would be kept in the file as orphans (not scored): SUP-03" in dry
    assert "+ COOP-03  Yearly figures" in dry and "Dry run: nothing was written." in dry
    done = ok(run("upgrade", str(registered), "--to", f"{ID}@1.1.0", workspace=workspace))
    assert "were kept and flagged for review" in done
    after = store.read(registered).assessment
    assert (after.checklist.id, after.checklist.version) == (ID, "1.1.0")
    assert after.responses["SUP-02"].flagged and after.responses["SUP-02"].level == 1
    assert not after.responses["SUP-01"].flagged and after.responses["SUP-01"].level == 3
    assert after.responses["SUP-03"].level == 2  # the orphan is kept in the file
    assert any(change.field == "checklist" for change in after.history)
    again = ok(run("upgrade", str(registered), "--to", f"{ID}@1.1.0", workspace=workspace))
    assert "already answers" in again
    back = run("upgrade", str(registered), "--to", f"{ID}@1.0.0", workspace=workspace)
    assert back.returncode == 1 and "only moves forward" in back.stderr


def test_an_older_checklist_never_rewrites_the_file_silently(
    workspace: Path, registered: Path
) -> None:
    ok(run("checklists", "add", str(V2), workspace=workspace))
    ok(run("upgrade", str(registered), "--to", f"{ID}@1.1.0", workspace=workspace))
    session = Session.open(registered, V1, checklists=Checklists(workspace))
    assert session.older and session.checklist.meta.version == "1.0.0"
    session.set_answer("SUP-01", Answer(level=2))
    session.save()
    assert store.read(registered).assessment.checklist.version == "1.1.0"


def test_carry_forward_to_a_new_version_lists_what_it_could_not_carry(
    workspace: Path, registered: Path
) -> None:
    ok(run("checklists", "add", str(V2), workspace=workspace))
    result = run(
        "new", "--from", str(registered), "--checklist", f"{ID}@1.1.0", workspace=workspace
    )
    assert result.returncode == 0, result.stderr
    assert f"not carried forward, not in {ID} 1.1.0 (1): SUP-03" in result.stderr
    carried = store.read(Path(result.stdout.strip())).assessment
    assert set(carried.responses) == {"SUP-01", "SUP-02"}


# --------------------------------------------------------------------------- validate, new


def test_validate_checks_levels_against_the_scale_and_types_as_the_schema_does(
    workspace: Path, registered: Path, tmp_path: Path
) -> None:
    data = json.loads(registered.read_text(encoding="utf-8"))
    data["responses"]["SUP-01"]["level"] = 7
    off = tmp_path / "off-scale.json"
    off.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run("validate", str(off), workspace=workspace)
    assert result.returncode == 1
    assert (
        "responses.SUP-01.level (item SUP-01): level 7 is not on the checklist's scale (0-3)"
        in (result.stdout)
    )
    data["responses"]["SUP-01"]["level"] = "3"
    text = tmp_path / "text-level.json"
    text.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run("validate", str(text), workspace=workspace)
    assert result.returncode == 1 and "Input should be a valid integer (got '3')" in result.stdout
    import jsonschema

    from decalogue.reports.schemas import json_schema

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema("assessment"))


def test_checklists_new_writes_a_valid_commented_start_with_the_schema_line(
    tmp_path: Path, workspace: Path
) -> None:
    ok(run("checklists", "new", "plan.toml", workspace=workspace, cwd=tmp_path))
    text = (tmp_path / "plan.toml").read_text(encoding="utf-8")
    assert text.startswith("#:schema ./checklist.schema.json\n")
    assert json.loads((tmp_path / "checklist.schema.json").read_text(encoding="utf-8"))
    assert "FICTIONAL" in text
    assert "ok, checklist plan 0.1.0" in ok(
        run("validate", "plan.toml", workspace=workspace, cwd=tmp_path)
    )
    again = run("checklists", "new", "plan.toml", workspace=workspace, cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_registering_refuses_a_source_outside_the_checklist_folder(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    shutil.copyfile(SOURCE, tmp_path / SOURCE.name)
    text = V1.read_text(encoding="utf-8").replace(
        'file = "exampleland-protocol.txt"', 'file = "../exampleland-protocol.txt"'
    )
    (inner / "c.toml").write_text(text, encoding="utf-8")
    from decalogue.storage import registry

    with pytest.raises(DecalogueError, match="outside the checklist's folder"):
        registry.add(inner / "c.toml", Checklists(tmp_path / "ws"))
