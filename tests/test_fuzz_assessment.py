"""Fuzzing the assessment loader: an Assessment, or our own located error. Nothing else.

A real assessment (levels, N/A, targets, notes, evidence, flags, findings,
assessors, history) is serialised exactly as the store writes it, then broken
one way at a time: any field replaced by a wrong type, a huge string or deep
nesting, any key deleted, bytes cut off or spliced in, a BOM, CRLF, NUL bytes,
invalid UTF-8, right-to-left and combining characters, emoji, duplicate keys.
The loader must either return a model or raise AssessmentError whose every
problem names the file and a place, on one line, without control characters
(the CLI prints it to a terminal as is).

`EXAMPLES` counts the inputs fed to the loader in this module; the last test
prints it (run with -s to see it).
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decalogue.errors import AssessmentError
from decalogue.model.assessment import (
    MAX_TEXT,
    Answer,
    Assessment,
    Assessor,
    Evidence,
    new_assessment,
)
from decalogue.storage.assessment_file import dumps, parse_assessment
from decalogue.storage.checklists import load_checklist

ORIGIN = "fuzz.json"
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLES = {"count": 0}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _real_assessment() -> Assessment:
    checklist = load_checklist(None)
    assessment = new_assessment(
        checklist, "XX", "2024-2025", country_name="Exampleland", assessor="A. Official"
    )
    assessment.assessors.append(Assessor(name="B. Colleague", organisation="Ministry", role="x"))
    at = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
    first, second, third = (item.id for item in checklist.items[:3])
    assessment.apply(first, "answer", Answer(level=2), "A. Official", at)
    assessment.apply(first, "target", 4, "A. Official", at)
    assessment.apply(first, "notes", "Law 12/2020, art. 5", "A. Official", at)
    evidence = [Evidence(description="Decree", link="https://example.org/d", document="D-1")]
    assessment.apply(first, "evidence", evidence, "A. Official", at)
    assessment.apply(second, "answer", Answer(na_reason="No coastline"), "A. Official", at)
    assessment.apply(third, "flagged", True, "B. Colleague", at)
    assessment.apply(third, "finding", "Review the shelter budget.", "B. Colleague", at)
    return assessment


REAL = _real_assessment()
REAL_BYTES = dumps(REAL)
REAL_DATA: dict[str, Any] = json.loads(REAL_BYTES)


def load_or_our_error(data: bytes) -> Assessment | AssessmentError:
    EXAMPLES["count"] += 1
    try:
        return parse_assessment(data, ORIGIN)
    except AssessmentError as error:
        assert error.problems
        for problem in error.problems:
            shown = str(problem)
            assert problem.file == ORIGIN
            assert shown.startswith(ORIGIN + ":")
            assert not CONTROL.search(shown), repr(shown)
        return error


def located(error: AssessmentError) -> bool:
    return all(p.line is not None or p.field for p in error.problems)


def test_the_real_assessment_loads() -> None:
    loaded = load_or_our_error(REAL_BYTES)
    assert isinstance(loaded, Assessment)
    assert dumps(loaded) == REAL_BYTES


nasty_text = st.sampled_from(
    [
        "\u202eevil\u202c",  # right-to-left override
        "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # Hebrew and Arabic
        "e\u0301\u0301\u0301\u0301",  # combining accents
        "\U0001f600\U0001f3f3\ufe0f\u200d\U0001f308",  # emoji with ZWJ
        "\x00",
        "\ufeff",
        "\r\n",
        "\x1b[31mred\x1b[0m\x07",
        "[bold]x[/bold][@click=app.quit]q[/]",
        '=HYPERLINK("https://x")',
        "\ud800",  # a lone surrogate: JSON can hold it, UTF-8 cannot
        "x" * (MAX_TEXT + 1),
        "y" * MAX_TEXT,
    ]
)

leaf_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=50)
    | nasty_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


ALL_PATHS = paths(REAL_DATA)


def _encode(data: Any) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _broken(path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    data = copy.deepcopy(REAL_DATA)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


def test_every_path_is_fuzzed() -> None:
    """The fixture really has the parts the fuzzer is meant to break."""
    keys = {part for path in ALL_PATHS for part in path if isinstance(part, str)}
    assert {"level", "not_applicable", "na_reason", "target", "notes", "evidence"} <= keys
    assert {"flagged", "finding", "assessors", "history", "schema_version", "country"} <= keys
    assert len(ALL_PATHS) > 60


@FUZZ
@given(st.sampled_from(ALL_PATHS), leaf_values, st.booleans())
def test_one_field_broken_anywhere(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    result = load_or_our_error(_encode(_broken(path, value, delete)))
    if isinstance(result, AssessmentError):
        assert located(result), result


@FUZZ
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["str", "int", "list", "dict", "null", "huge"]))
def test_wrong_types_everywhere(path: tuple[Any, ...], kind: str) -> None:
    value = {
        "str": "not this",
        "int": 7,
        "list": [1, "two"],
        "dict": {"a": 1},
        "null": None,
        "huge": "z" * (MAX_TEXT * 2),
    }[kind]
    result = load_or_our_error(_encode(_broken(path, value, False)))
    if isinstance(result, AssessmentError):
        assert located(result), result


@FUZZ
@given(
    cut=st.integers(0, len(REAL_BYTES)),
    insert=st.binary(max_size=40) | nasty_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    at=st.integers(0, len(REAL_BYTES)),
)
def test_truncated_and_spliced_bytes(cut: int, insert: bytes, at: int) -> None:
    data = REAL_BYTES[:cut]
    load_or_our_error(data)
    load_or_our_error(data[:at] + insert + data[at:])


def test_every_truncation_is_refused_with_a_place() -> None:
    for cut in range(len(REAL_BYTES.rstrip())):
        result = load_or_our_error(REAL_BYTES[:cut])
        assert isinstance(result, AssessmentError)
        assert all(p.line is not None for p in result.problems) or cut == 0, (cut, result)


@FUZZ
@given(st.sampled_from(["bom", "crlf", "nul", "latin1", "utf16"]), st.integers(0, len(REAL_BYTES)))
def test_encodings_and_line_endings(kind: str, at: int) -> None:
    data = {
        "bom": b"\xef\xbb\xbf" + REAL_BYTES,
        "crlf": REAL_BYTES.replace(b"\n", b"\r\n"),
        "nul": REAL_BYTES[:at] + b"\x00" + REAL_BYTES[at:],
        "latin1": REAL_BYTES[:at] + "\u00e9".encode("latin-1") + REAL_BYTES[at:],
        "utf16": REAL_BYTES.decode().encode("utf-16"),
    }[kind]
    result = load_or_our_error(data)
    if kind in {"bom", "crlf"}:
        assert isinstance(result, Assessment)
        assert result == REAL
    if kind in {"nul", "latin1"} and isinstance(result, AssessmentError):
        assert all(p.line is not None for p in result.problems), result
    if kind == "utf16":
        assert isinstance(result, AssessmentError)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
@pytest.mark.parametrize("depth", [900, 5_000, 100_000])
def test_deep_nesting_anywhere_is_refused_with_our_error(opener: str, depth: int) -> None:
    closer = "]" if opener == "[" else "}"
    deep = opener * depth + "1" + closer * depth
    for path in [("history", 0, "old"), ("responses",), ("title",), ()]:
        if path:
            text = _encode(_broken(path, "@@DEEP@@", False)).decode()
            text = text.replace('"@@DEEP@@"', deep)
        else:
            text = deep
        result = load_or_our_error(text.encode())
        if isinstance(result, Assessment):
            # What loads must also save: the store writes it back the same way.
            parse_assessment(dumps(result), ORIGIN)
        else:
            assert isinstance(result, AssessmentError)


def test_nesting_deeper_than_the_limit_says_so() -> None:
    text = _encode(_broken(("history", 0, "old"), "@@DEEP@@", False)).decode()
    result = load_or_our_error(text.replace('"@@DEEP@@"', "[" * 100_000 + "]" * 100_000).encode())
    assert isinstance(result, AssessmentError)
    assert "nested too deeply" in str(result)


@FUZZ
@given(
    st.sampled_from(
        [path for path in ALL_PATHS if isinstance(path[-1], str) and len(path) > 1]
        + [("schema_version",), ("country",), ("responses",), ("period",)]
    ),
    st.booleans(),
)
def test_duplicate_keys_are_refused_with_their_line(path: tuple[Any, ...], same: bool) -> None:
    """A key written twice (a pasted block) would silently lose one value; refuse it."""
    key = path[-1]
    marker = "@@DUP@@"
    data = _broken(path, marker, False)
    text = _encode(data).decode()
    original = json.dumps(_value_at(REAL_DATA, path), ensure_ascii=False)
    twin = original if same else json.dumps("other")
    quoted = json.dumps(key, ensure_ascii=False)
    pair = f"{quoted}: {twin}, {quoted}: {original}"
    text = text.replace(f"{quoted}: {json.dumps(marker)}", pair)
    second = text.index(pair) + len(f"{quoted}: {twin}, ")
    line = text[:second].count("\n") + 1
    column = second - (text.rfind("\n", 0, second) + 1) + 1
    result = load_or_our_error(text.encode())
    assert isinstance(result, AssessmentError), text
    assert "duplicate" in str(result)
    assert (result.problems[0].line, result.problems[0].column) == (line, column)


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "9" * 5_000])
def test_numbers_json_does_not_allow_are_refused_with_their_place(bad: str) -> None:
    data = _broken(("responses", "LF-01", "level"), "@@BAD@@", False)
    data["title"] = f"a title that mentions [1, {bad}]"  # inside a string: not the problem
    text = _encode(data).decode().replace('"@@BAD@@"', bad)
    result = load_or_our_error(text.encode())
    assert isinstance(result, AssessmentError)
    offset = text.index(f"{bad},")
    line = text[:offset].count("\n") + 1
    assert (result.problems[0].line, result.problems[0].column) == (
        line,
        offset - text.rfind("\n", 0, offset),
    )
    assert "set_int_max_str_digits" not in str(result)


def test_many_broken_items_are_reported_briefly() -> None:
    """A file with thousands of bad answers gives a short report, and gives it quickly."""
    data = copy.deepcopy(REAL_DATA)
    data["responses"] = {f"I-{n:05}": {"level": "high"} for n in range(20_000)}
    result = load_or_our_error(_encode(data))
    assert isinstance(result, AssessmentError)
    assert len(result.problems) <= 51
    assert "more" in str(result.problems[-1])


def test_hostile_keys_do_not_reach_the_terminal() -> None:
    data = copy.deepcopy(REAL_DATA)
    data["responses"]["\x1b]0;pwned\x07\x1b[2J"] = {"level": 1}
    data["country"]["\x1b[31m"] = "x"
    result = load_or_our_error(_encode(data))
    assert isinstance(result, AssessmentError)
    assert len(result.problems) == 2


def test_zz_examples_run() -> None:
    """Last in the module: how many inputs the loader was fed (printed; visible with -s)."""
    if EXAMPLES["count"] == 0:
        pytest.skip("counts the examples of the other tests; run the whole module")
    print(f"\nassessment loader fuzz: {EXAMPLES['count']} examples run")
    assert EXAMPLES["count"] > 1000
