"""The checklist loader: a validated checklist, or every problem with its place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import tomli

from decalogue.errors import ChecklistError
from decalogue.model.checklist import parse_checklist
from decalogue.reports.schemas import json_schema
from decalogue.storage.checklists import load_checklist
from tests.checklist_samples import TINY


def write(tmp_path: Path, text: str, name: str = "list.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    return [str(problem) for problem in caught.value.problems]


def test_tiny_checklist_loads_with_its_structure(tmp_path: Path) -> None:
    checklist = load_checklist(write(tmp_path, TINY))
    assert [item.id for item in checklist.items] == ["I-01", "I-02"]
    assert checklist.scale.max_level == 2
    assert checklist.places["I-02"].section.id == "S1"
    assert checklist.items[1].descriptors == {0: "No shelter", 2: "Shelter for every victim"}
    document = checklist.document("world-day")
    assert document is not None
    start, end = document.find_quote("access to healthcare") or (0, 0)
    assert document.text[start:end] == "access to healthcare"
    assert checklist.document("action-plan") is None


def test_typographic_quotes_and_whitespace_are_forgiven_but_words_are_not(tmp_path: Path) -> None:
    spaced = TINY.replace('quote = "access to healthcare"', 'quote = "access  to\\nhealthcare"')
    assert load_checklist(write(tmp_path, spaced)).items[0].refs[0].quote
    straight = TINY.replace("\\u201cTrafficking", '\\"Trafficking')
    assert load_checklist(write(tmp_path, straight, "b.toml"))
    reworded = TINY.replace('quote = "access to healthcare"', 'quote = "access to health care"')
    [problem] = problems_of(write(tmp_path, reworded, "c.toml"))
    assert "I-01" in problem and "quote not found" in problem and "c.toml:" in problem


def test_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    broken = TINY.replace('title = "Housing"', 'title = "Housing')
    [problem] = problems_of(write(tmp_path, broken))
    line = broken.splitlines().index('title = "Housing') + 1
    assert problem.startswith(f"list.toml:{line}:") or f"list.toml:{line}:" in problem
    assert "TOML syntax" in problem


def test_schema_errors_name_field_path_and_item(tmp_path: Path) -> None:
    broken = TINY.replace("weight = 2.0", 'weight = "heavy"').replace(
        'title = "Housing"', 'title = "Housing"\nwieght = 3'
    )
    problems = problems_of(write(tmp_path, broken))
    assert len(problems) == 2
    weight = next(p for p in problems if ".weight" in p)
    assert "pillars[0].sections[0].items[0].weight (item I-01)" in weight
    assert "'heavy'" in weight
    line = broken.splitlines().index('weight = "heavy"') + 1
    assert weight.split(":")[1:3] == [str(line), "1"]  # the key's own line and column
    typo = next(p for p in problems if "wieght" in p)
    assert "unknown field 'wieght'" in typo and "(item I-02)" in typo


def test_missing_required_field(tmp_path: Path) -> None:
    broken = TINY.replace('question = "Is housing guaranteed?"\n', "")
    [problem] = problems_of(write(tmp_path, broken))
    assert "items[1].question (item I-02): required field is missing" in problem


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('id = "I-02"', 'id = "I-01"'), "duplicate id 'I-01': already used by the item at line"),
        (('source = "action-plan"', 'source = "greta"'), "unknown source 'greta'"),
        (("value = 2", "value = 3"), "levels must run 0, 1, 2"),
        (('{ 0 = "No shelter"', '{ 7 = "No shelter"'), "descriptor for level 7"),
        (('seed = "world-day-victims-rights"', 'seed = "nowhere"'), "no bundled seed 'nowhere'"),
        (
            ('locator = "chapter on protection and assistance"', 'quote = "protection"'),
            "has no text to check a quote against",
        ),
    ],
)
def test_meaning_errors(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in TINY
    problems = problems_of(write(tmp_path, TINY.replace(*change)))
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    broken = TINY.replace('quote = "access to healthcare"', 'quote = "no such words"').replace(
        'source = "action-plan"', 'source = "greta"'
    )
    problems = problems_of(write(tmp_path, broken))
    assert len(problems) == 2
    assert "(item I-01)" in problems[0] and "(item I-02)" in problems[1]


def test_empty_section_is_refused(tmp_path: Path) -> None:
    text = TINY + '\n[[pillars.sections]]\nid = "S2"\ntitle = "Nothing here"\n'
    [problem] = problems_of(write(tmp_path, text))
    assert "(section S2)" in problem and "no items" in problem


def test_unreadable_files(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "missing.toml") == [f"{tmp_path / 'missing.toml'}: no such file"]
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(TINY.encode().replace(b"Healthcare", b"Sant\xe9"))
    [problem] = problems_of(bad)
    assert "not valid UTF-8" in problem and ":" in problem.split("latin1.toml")[1]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.replace("\n", "\r\n").encode())
    assert len(load_checklist(path).items) == 2


def test_content_hash_ignores_formatting_but_not_content(tmp_path: Path) -> None:
    original = parse_checklist(TINY, origin="a")
    reformatted = TINY.replace("weight = 2.0", "weight   =   2.0  # heavier").replace(
        '[[pillars]]\nid = "P1"', '\n\n[[pillars]]\nid = "P1"\nweight = 1.0'
    )
    assert parse_checklist(reformatted, origin="b").content_hash == original.content_hash
    changed = TINY.replace("weight = 2.0", "weight = 3.0")
    assert parse_checklist(changed, origin="c").content_hash != original.content_hash


def test_checklist_json_schema_accepts_tiny_and_rejects_a_typo() -> None:
    schema = json_schema("checklist")
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(tomli.loads(TINY))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(tomli.loads(TINY.replace("weight = 2.0", "wieght = 2.0")))


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_cli_validate_reports_every_error_and_exits_1(tmp_path: Path) -> None:
    good = write(tmp_path, TINY, "good.toml")
    bad = write(
        tmp_path,
        TINY.replace("weight = 2.0", "weight = -1").replace("value = 2", "value = 5"),
        "bad.toml",
    )
    result = run_cli("validate", "good.toml", "bad.toml", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "good.toml: ok, checklist tiny 1.0: 1 pillar, 1 section, 2 items"
    # Both problems in one run: the scale at its value, the weight at its key.
    assert len(lines) == 3 and all(line.startswith("bad.toml:") for line in lines[1:])
    assert "Traceback" not in result.stderr + result.stdout
    assert run_cli("validate", str(good)).returncode == 0
    assert bad.read_text(encoding="utf-8").count("weight = -1") == 1


def test_cli_schema_version_and_help() -> None:
    schema = json.loads(run_cli("schema", "checklist").stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "pillars" in schema["properties"]
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("decalogue ")
    helped = run_cli("--help")
    assert "validate" in helped.stdout and "checklists" in helped.stdout


def test_an_assessment_given_where_a_checklist_goes_says_what_it_is(tmp_path: Path) -> None:
    assessment = Path(__file__).parent / "fixtures" / "assessment-v2.json"
    (tmp_path / "fixture.json").write_bytes(assessment.read_bytes())
    for args in (["explore", "fixture.json"], ["checklists", "add", "fixture.json"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "an assessment or a scorecard (JSON), not a checklist" in result.stderr, args
        assert "decalogue open FILE.json" in result.stderr
