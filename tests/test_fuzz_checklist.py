"""Fuzzing the checklist loader: a checklist, or our own error with a place. Nothing else.

Random and mutated files are fed to the real loader: truncations, inserted bytes,
BOMs, CRLF line endings, NUL bytes, right-to-left and combining characters,
emoji, huge strings, deep nesting and wrong types in every field.
"""

from __future__ import annotations

import copy
from typing import Any

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decalogue.errors import ChecklistError
from decalogue.model.checklist import Checklist, checklist_from_data, parse_checklist
from tests.checklist_samples import TINY

TINY_BYTES = TINY.encode()
TINY_DATA = tomli.loads(TINY)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

nasty_text = st.sampled_from(
    [
        "\u202eevil\u202c",  # right-to-left override
        "e\u0301\u0301\u0301",  # combining accents
        "\U0001f600\U0001f3f3\ufe0f\u200d\U0001f308",  # emoji with ZWJ
        "\x00",
        "\ufeff",
        "\r\n",
        "[bold]x[/bold]",
        "\x1b[31mred",
        "x" * 100_000,
    ]
)


def load_or_our_error(data: bytes | str) -> Checklist | ChecklistError:
    try:
        return parse_checklist(data, origin="fuzz.toml")
    except ChecklistError as error:
        for problem in error.problems:
            assert problem.file == "fuzz.toml"
            assert "\n" not in str(problem)
        return error


@FUZZ
@given(
    cut=st.integers(0, len(TINY_BYTES)),
    insert=st.binary(max_size=40) | nasty_text.map(str.encode),
    at=st.integers(0, len(TINY_BYTES)),
)
def test_truncated_and_spliced_bytes(cut: int, insert: bytes, at: int) -> None:
    data = TINY_BYTES[:cut]
    data = data[:at] + insert + data[at:]
    load_or_our_error(data)


@FUZZ
@given(st.sampled_from(["bom", "crlf", "nul", "tabs"]), st.integers(0, len(TINY_BYTES)))
def test_encodings_and_line_endings(kind: str, at: int) -> None:
    data = {
        "bom": b"\xef\xbb\xbf" + TINY_BYTES,
        "crlf": TINY_BYTES.replace(b"\n", b"\r\n"),
        "nul": TINY_BYTES[:at] + b"\x00" + TINY_BYTES[at:],
        "tabs": TINY_BYTES.replace(b" = ", b"\t=\t"),
    }[kind]
    result = load_or_our_error(data)
    if kind in {"bom", "crlf", "tabs"}:
        assert isinstance(result, Checklist)


def test_deep_nesting_is_refused_with_our_error() -> None:
    deep = TINY + "\nextra = " + "[" * 5000 + "]" * 5000 + "\n"
    result = load_or_our_error(deep)
    assert isinstance(result, ChecklistError)
    assert "nested too deeply" in str(result)


leaf_values = st.recursive(
    st.none().map(lambda _: "")
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
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


ALL_PATHS = paths(TINY_DATA)


@FUZZ
@given(st.sampled_from(ALL_PATHS), leaf_values, st.booleans())
def test_one_field_broken_anywhere(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    data = copy.deepcopy(TINY_DATA)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    try:
        checklist_from_data(data, text=TINY, origin="fuzz.toml")
    except ChecklistError as error:
        assert error.problems
        assert all(p.field or p.line or p.owner for p in error.problems), error
