"""The assessment file format: parsing errors, the bytes written, schema versions, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from decalogue.errors import AssessmentError
from decalogue.model.assessment import SCHEMA_VERSION, Assessment
from decalogue.storage import assessment_file, store
from decalogue.storage.assessment_file import dumps, parse_assessment

FIXTURES = Path(__file__).parent / "fixtures"
CURRENT = FIXTURES / "assessment-v2.json"  # the current format


def fixture_json() -> dict[str, object]:
    data: dict[str, object] = json.loads(CURRENT.read_text(encoding="utf-8"))
    return data


def problems(data: bytes) -> list[str]:
    with pytest.raises(AssessmentError) as caught:
        parse_assessment(data, "a.json")
    return [str(problem) for problem in caught.value.problems]


def test_invalid_utf8_is_located_by_line_and_column() -> None:
    assert problems(b'{\n  "title": "caf\xe9"\n}') == [
        "a.json:2:16: not valid UTF-8 text; save the file as UTF-8"
    ]


def test_json_syntax_errors_give_file_line_column_and_message() -> None:
    assert problems(b'{\n  "schema_version": 1,\n  "title": "x",\n}') == [
        "a.json:4:1: JSON syntax: Expecting property name enclosed in double quotes"
    ]
    assert problems(b"[1, 2]") == [
        "a.json: not an assessment: the file must hold one JSON object {...}"
    ]
    assert problems(b'{"schema_version": 1, "x": NaN}') == [
        "a.json:1:28: JSON syntax: NaN is not a number JSON allows"
    ]


def test_schema_errors_name_the_field_path_the_item_and_its_line() -> None:
    raw = fixture_json()
    responses = raw["responses"]
    assert isinstance(responses, dict)
    responses["A-02"]["level"] = "high"
    responses["A-03"]["na_reason"] = ""
    responses["B-01"]["colour"] = "red"
    raw["period"] = "last year"
    text = json.dumps(raw, indent=2)
    found = problems(text.encode())

    def line_of(key: str, after: str = "") -> int:
        return text[: text.index(f'"{key}"', text.index(after))].count("\n") + 1

    level_line = line_of("level", after='"A-02"')
    assert (
        f"a.json:{level_line}:7: responses.A-02.level (item A-02): "
        "Input should be a valid integer (got 'high')"
    ) in found
    assert (
        f"a.json:{line_of('A-03')}:5: responses.A-03 (item A-03): N/A needs a reason (na_reason)"
    ) in found
    assert any("responses.B-01.colour (item B-01): unknown field 'colour'" in p for p in found)
    assert any(p.startswith(f"a.json:{line_of('period')}:3: period: period must be") for p in found)
    assert len(found) == 4


def test_reading_answer_by_answer_gives_what_validating_the_whole_file_gives() -> None:
    # The reader validates one answer and one history entry at a time (to hold less).
    data = CURRENT.read_bytes()
    whole = Assessment.model_validate(json.loads(data))
    read = parse_assessment(data, "a.json")
    assert read == whole and dumps(read) == dumps(whole)
    assert read.responses and read.history
    assert list(read.responses) == list(whole.responses)  # the file's order
    for key, response in read.responses.items():
        assert response.model_fields_set == whole.responses[key].model_fields_set
    assert read.model_fields_set == whole.model_fields_set


def test_a_bad_answer_key_or_history_entry_is_named_as_in_the_whole_file() -> None:
    raw = fixture_json()
    responses, history = raw["responses"], raw["history"]
    assert isinstance(responses, dict) and isinstance(history, list)
    responses["not an id!"] = {}
    history[0]["when"] = "yesterday"
    found = problems(json.dumps(raw, indent=2).encode())
    assert any("responses.not an id!" in p for p in found), found
    assert any("history[0].when" in p and "unknown field" in p for p in found), found
    assert len(found) == 2


def test_a_newer_schema_version_is_refused_and_the_file_left_untouched(tmp_path: Path) -> None:
    raw = fixture_json()
    raw["schema_version"] = SCHEMA_VERSION + 1
    raw["something_new"] = True
    path = tmp_path / "future.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(AssessmentError) as caught:
        store.read(path)
    assert f"written by a newer decalogue (schema {SCHEMA_VERSION + 1}" in str(caught.value)
    assert "upgrade decalogue to open it" in str(caught.value)
    assert path.read_bytes() == before


def test_unknown_or_missing_schema_versions_are_errors() -> None:
    raw = fixture_json()
    raw["schema_version"] = -3
    assert (
        "schema_version -3 is not one decalogue ever wrote" in problems(json.dumps(raw).encode())[0]
    )
    del raw["schema_version"]
    assert "whole-number schema_version" in problems(json.dumps(raw).encode())[0]


def test_version_0_is_upgraded_in_memory() -> None:
    assessment = parse_assessment((FIXTURES / "assessment-v0.json").read_bytes(), "v0.json")
    assert assessment.schema_version == SCHEMA_VERSION
    assert assessment.country.name == "Exampleland"
    a03 = assessment.responses["A-03"]
    assert a03.not_applicable and a03.level is None and a03.na_reason
    assert assessment.history[-1].field == "schema_version"


def test_a_version_1_file_opens_as_a_draft() -> None:
    assessment = parse_assessment((FIXTURES / "assessment-v1.json").read_bytes(), "v1.json")
    assert (assessment.schema_version, assessment.status) == (SCHEMA_VERSION, "draft")
    assert assessment.carried_items() == []  # not carried forward: nothing marked carried


def test_a_version_1_carried_file_marks_its_unchanged_answers_carried() -> None:
    """Schema 1 flagged every carried answer; schema 2 marks them carried instead.

    A-01 was answered again after the carry (its history says so): it is this period's own.
    The review flags are kept as they were, since the file cannot tell which were real.
    """
    data = (FIXTURES / "assessment-v1-carried.json").read_bytes()
    assessment = parse_assessment(data, "v1-carried.json")
    assert assessment.carried_items() == ["A-02", "A-03", "B-01"]
    assert assessment.carried_from_period == "2025"
    assert all(r.flagged for r in assessment.responses.values())


def test_oversized_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assessment_file, "MAX_ASSESSMENT_BYTES", 100)
    with pytest.raises(AssessmentError, match="assessments are limited to 100 bytes"):
        store.read(CURRENT)


def test_dumps_is_stable_indented_utf8_with_a_trailing_newline() -> None:
    assessment = parse_assessment(CURRENT.read_bytes(), "v1.json")
    data = dumps(assessment)
    assert data == CURRENT.read_bytes()  # the committed fixture is exactly what dumps writes
    assert data.endswith(b"}\n") and data.startswith(b'{\n  "schema_version": 2,')
    assessment.apply("A-00", "notes", "Ünïcode stays readable", "tester")
    again = dumps(assessment)
    assert "Ünïcode stays readable".encode() in again
    keys = list(json.loads(again)["responses"])
    assert keys == sorted(keys)  # by item id, whatever the order of edits
    assert parse_assessment(again, "x") == assessment


def test_the_published_json_schema_accepts_written_files_and_rejects_bad_ones() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "decalogue", "schema", "assessment"],
        capture_output=True,
        text=True,
        check=True,
    )
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(fixture_json(), schema)
    bad = fixture_json()
    bad["country"] = {"code": "xx", "name": "Exampleland"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


# --------------------------------------------------------------------------- CLI


def run(*args: str, workspace: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DECALOGUE_WORKSPACE": str(workspace)}
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=cwd,
    )


def test_cli_new_list_and_validate(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    empty = run("list", workspace=workspace, cwd=tmp_path)
    assert empty.returncode == 0
    assert len(empty.stdout.splitlines()) == 2 and "decalogue new" in empty.stdout

    made = run(
        "new",
        "--country",
        "XX",
        "--country-name",
        "Exampleland",
        "--period",
        "2025",
        "--assessor",
        "Example Assessor",
        workspace=workspace,
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    first = Path(made.stdout.strip())
    assert first == workspace / "XX-2025.json" and first.is_file()

    elsewhere = run(
        "new", "--country", "at", "--period", "2024-2025", "-o", "at.json",
        "--workspace", str(tmp_path / "unused"), workspace=workspace, cwd=tmp_path,
    )  # fmt: skip
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (tmp_path / "at.json").is_file() and not (tmp_path / "unused").exists()

    carried = run("new", "--from", str(first), workspace=workspace, cwd=tmp_path)
    assert carried.returncode == 0, carried.stderr
    assert Path(carried.stdout.strip()).name == "XX-2026.json"

    (workspace / "broken.json").write_text("{", encoding="utf-8")
    listed = run("list", workspace=workspace, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:4] == ["FILE", "TITLE", "COUNTRY", "PERIOD"]
    assert lines[1].split()[:5] == [
        "XX-2025.json",
        "XX",
        "Exampleland",
        "2025",
        "osce-national-action",
    ]
    assert lines[2].startswith("XX-2026.json")
    assert lines[3].startswith("broken.json: unreadable: ") and ":1:2: JSON syntax" in lines[3]

    other = run("list", "--workspace", str(tmp_path / "other"), workspace=workspace, cwd=tmp_path)
    assert "No assessments in" in other.stdout

    valid = run("validate", str(first), "at.json", workspace=workspace, cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert valid.stdout.splitlines()[1].startswith("at.json: ok, assessment AT 2024-2025: 0/")
    assert "answered, no score yet" in valid.stdout

    invalid = run("validate", str(workspace / "broken.json"), workspace=workspace, cwd=tmp_path)
    assert invalid.returncode == 1
    assert invalid.stdout.strip().endswith("broken.json:1:2: JSON syntax: Expecting property "
                                           "name enclosed in double quotes: the file ends in the "
                                           "middle (cut off by a copy, a download or an editor?); "
                                           "a .bak copy beside it, where there is one, keeps the "
                                           "version before the last save")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["new", "--country", "XX", "--period", "2025"], "needs a name (--country-name"),
        (["new", "--country", "ZQ", "--period", "2025"], "not an ISO 3166-1 alpha-2 code"),
        (["new", "--country", "AT", "--period", "25"], "period '25': period must be a year"),
        (["new", "--period", "2025"], "--country required"),
        (
            ["new", "--country", "AT", "--period", "2025", "--checklist", "nope"],
            "checklist nope is neither bundled nor registered",
        ),
        (["new", "--from", "missing.json"], "missing.json: no such file"),
        (
            ["new", "--from", "fixture.json"],
            "fixture.json: checklist: checklist mini 1.0 is neither bundled nor registered",
        ),
        (["new", "--country", "AT", "--period", "2025", "-o", "fixture.json"], "already exists"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_1(
    tmp_path: Path, args: list[str], says: str
) -> None:
    shutil.copyfile(CURRENT, tmp_path / "fixture.json")
    before = (tmp_path / "fixture.json").read_bytes()
    result = run(*args, workspace=tmp_path / "ws", cwd=tmp_path)
    assert result.returncode == 1
    assert says in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert (tmp_path / "fixture.json").read_bytes() == before


@pytest.mark.parametrize("data", [b"0", b'"text"', b"null", b"true"])
def test_a_bare_json_value_is_not_an_assessment(data: bytes) -> None:
    assert problems(data) == ["a.json: not an assessment: the file must hold one JSON object {...}"]


def test_history_entries_read_keep_the_fields_each_was_given() -> None:
    """Entries given the same fields share one set of their names (memory at 10,000
    answers); each still reports its own, and a copy changed later gets its own set."""
    data = fixture_json()
    history = data["history"]
    assert isinstance(history, list) and len(history) >= 3
    history[1] = {**history[1], "account": "official", "remark": "conflict"}
    history[2] = {k: v for k, v in history[2].items() if k not in ("old", "new")}
    assessment = parse_assessment(json.dumps(data).encode(), "a.json")
    given = [set(entry) for entry in history]
    assert [entry.model_fields_set for entry in assessment.history] == given
    copy = assessment.history[0].model_copy(update={"remark": "undo"})
    assert "remark" in copy.model_fields_set
    assert [entry.model_fields_set for entry in assessment.history] == given


def test_a_file_cut_off_says_so_and_points_to_its_backup() -> None:
    data = CURRENT.read_bytes()
    for cut in (len(data) // 2, len(data) - 5):
        (said,) = problems(data[:cut])
        assert "the file ends in the middle" in said and ".bak" in said, said


def test_answers_read_keep_the_fields_each_was_given_and_stay_as_read() -> None:
    """Answers given the same fields share one set of their names (3.5 MB at 5,000
    answers): an answer is never changed in place, only replaced by an edit."""
    data = fixture_json()
    responses = data["responses"]
    assert isinstance(responses, dict) and len(responses) >= 3
    first, second, third = list(responses)[:3]
    responses[first] = {**responses[first], "flagged": True}
    responses[second] = {"level": 1}
    assessment = parse_assessment(json.dumps(data).encode(), "a.json")
    given = {key: set(value) for key, value in responses.items()}
    assert {k: r.model_fields_set for k, r in assessment.responses.items()} == given
    sets = {id(response.model_fields_set) for response in assessment.responses.values()}
    assert len(sets) == len({frozenset(names) for names in given.values()})
    with pytest.raises(ValidationError, match="frozen"):
        setattr(assessment.responses[third], "notes", "in place")  # noqa: B010 (read-only)
    assessment.apply(second, "notes", "a note", by="Ana")
    assert assessment.responses[second].notes == "a note"
    assert {k: r.model_fields_set for k, r in assessment.responses.items() if k != second} == {
        k: v for k, v in given.items() if k != second
    }
