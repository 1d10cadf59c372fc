"""The assessment file format: bytes on disk <-> Assessment, with located errors.

Parsing names every problem with its line, column and field path; `dumps`
(`storage.canonical`) writes the one canonical form (sorted responses, indented UTF-8
JSON) so diffs stay small.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from decalogue import clock
from decalogue.errors import (
    AssessmentError,
    Problem,
    decode_utf8,
    display_path,
    field_path,
    shown_key,
    validation_message,
)
from decalogue.model.assessment import SCHEMA_VERSION, Assessment, Change
from decalogue.model.checklist import Checklist
from decalogue.storage import migrations
from decalogue.storage.canonical import dumps as dumps  # noqa: PLC0414 (re-exported)
from decalogue.storage.piecewise import validated_piecewise

#: Larger files are refused before reading: 10,000 answered items with notes
#: and evidence come to a few MB, so this leaves ample room.
MAX_ASSESSMENT_BYTES = 64 * 1024 * 1024

#: The key that tells a scorecard from an assessment file (`storage.scorecard_input`
#: reads one back; it is imported only then: its models cost ~10 ms at every start).
SCORECARD_MARKER = "scorecard_version"

#: Deeper JSON is refused: a real assessment nests 6 levels, the JSON parser gives up near
#: 1,000 and values nested much deeper than this could be read but not written back.
MAX_DEPTH = 64


# --------------------------------------------------------------------------- parsing


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_assessment(data: bytes, origin: str) -> Assessment:
    """Bytes of an assessment file -> Assessment, or AssessmentError naming every problem.

    A scorecard is refused with a line that says what it is: it is an output.
    """
    raw = _load(data, origin)
    if is_scorecard(raw):
        raise AssessmentError(
            [
                Problem(
                    origin,
                    "a scorecard (an export, read-only): open or change the assessment file it "
                    "was exported from; compare, trend, matrix, list and validate read scorecards",
                )
            ]
        )
    return _validate(raw, data, origin)


def parse_input(data: bytes, origin: str) -> tuple[Assessment, bool]:
    """An assessment file or a scorecard, for reading only: (assessment, is it a scorecard)."""
    raw = _load(data, origin)
    if is_scorecard(raw):
        from decalogue.storage.scorecard_input import assessment_from_scorecard

        return assessment_from_scorecard(raw, origin), True
    return _validate(raw, data, origin), False


def _not_json(text: str, origin: str) -> str:
    """What a file that is not JSON is instead: empty, TOML, text ("" for broken JSON)."""
    start = text.lstrip("\ufeff \t\r\n")
    if origin.lower().endswith(".toml"):
        return (
            "a TOML file (a checklist?), not an assessment (.json); check a checklist "
            "with `decalogue validate FILE.toml`, or give the assessment's .json file"
        )
    if not start:
        return (
            "the file is empty; an assessment file holds one JSON object {...} "
            "(if it was one, its .bak copy beside it keeps the previous version)"
        )
    if start[0] not in "{[":
        return "not JSON: an assessment file begins with { (give the assessment's .json file)"
    return ""


def _cut_off(text: str) -> bool:
    """Whether the JSON text stops inside a string, an object or a list (a file cut short)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


def is_scorecard(raw: Any) -> bool:
    return isinstance(raw, dict) and SCORECARD_MARKER in raw


def _load(data: bytes, origin: str) -> Any:
    """The parsed JSON object, or AssessmentError at the place of the fault.

    The text is let go before the values are validated (it is decoded again to place a
    problem): at 10,000 answers it was a tenth of the memory the reading peaked at.
    """
    text = decode_utf8(data, origin, AssessmentError)
    try:
        raw = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        not_json = _not_json(text, origin)
        if not_json:
            place = (1, 1) if not_json.startswith("not JSON") else (None, None)
            raise AssessmentError([Problem(origin, not_json, *place)]) from None
        said = error.msg
        if _cut_off(text):
            said += (
                ": the file ends in the middle (cut off by a copy, a download or an editor?); "
                "a .bak copy beside it, where there is one, keeps the version before the last save"
            )
        raise AssessmentError(
            [Problem(origin, f"JSON syntax: {said}", error.lineno, error.colno)]
        ) from None
    except _DuplicateKey as error:
        offset, key = _first_duplicate(text) or (None, error.key)
        raise AssessmentError(
            [
                Problem(
                    origin,
                    f"duplicate key {shown_key(key)!r}: given twice in one object; keep one "
                    "(the other value would be lost)",
                    *_line_column(text, offset),
                )
            ]
        ) from None
    except ValueError as error:
        where = _line_column(text, _first_bad_number(text))
        reason = error if isinstance(error, _NotJson) else "a number too long to read"
        raise AssessmentError([Problem(origin, f"JSON syntax: {reason}", *where)]) from None
    except RecursionError:
        raise AssessmentError([_too_deep_problem(origin)]) from None
    deep = _too_deep(raw)
    if deep is not None:
        raise AssessmentError([_too_deep_problem(origin, text, deep[:3])])
    if not isinstance(raw, dict):
        raise AssessmentError(
            [Problem(origin, "not an assessment: the file must hold one JSON object {...}")]
        )
    return raw


def _validate(raw: dict[str, Any], data: bytes, origin: str) -> Assessment:
    """The assessment of valid JSON `raw`; `data`, the file's bytes, places problems."""

    def text() -> str:
        return decode_utf8(data, origin, AssessmentError)

    version = raw.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise AssessmentError(
            [
                Problem(
                    origin,
                    "missing or invalid: an assessment file has a whole-number schema_version",
                    *_locate(text(), ("schema_version",)),
                    field="schema_version",
                )
            ]
        )
    if version > SCHEMA_VERSION:
        raise AssessmentError(
            [
                Problem(
                    origin,
                    f"written by a newer decalogue (schema {version}; this one reads up to "
                    f"{SCHEMA_VERSION}); upgrade decalogue to open it",
                    *_locate(text(), ("schema_version",)),
                    field="schema_version",
                )
            ]
        )
    if version < SCHEMA_VERSION:
        raw = migrations.upgrade(raw, version, origin)
    try:
        assessment = validated_piecewise(raw)
    except ValidationError:
        # `raw` was taken apart on the way: read the file again, whole, so every problem
        # is named at its place (as when the file is validated in one go).
        raw = _load(data, origin)
        if version < SCHEMA_VERSION:
            raw = migrations.upgrade(raw, version, origin)
        try:
            assessment = Assessment.model_validate(raw)
        except ValidationError as error:
            raise AssessmentError(_schema_problems(error, text(), origin)) from None
    return assessment


def _too_deep(raw: Any) -> tuple[int | str, ...] | None:
    """The path to a value nested deeper than MAX_DEPTH, if any (iterative: no recursion).

    Only containers are stacked, each with a link to its parent's, so a large file costs
    little more than one pass over its values.
    """
    if not isinstance(raw, (dict, list)):
        return None  # a bare number or string: refused as "not an assessment" next
    Link = tuple[Any, int | str] | None  # (parent's link, key) back to the root
    stack: list[tuple[Any, int, Link]] = [(raw, 0, None)]
    while stack:
        node, depth, link = stack.pop()
        if depth > MAX_DEPTH:
            path: list[int | str] = []
            while link is not None:
                link, key = link
                path.append(key)
            return tuple(reversed(path))
        pairs = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in pairs:
            if isinstance(value, (dict, list)):
                stack.append((value, depth + 1, (link, key)))
    return None


def _too_deep_problem(origin: str, text: str = "", loc: tuple[int | str, ...] = ()) -> Problem:
    message = f"JSON nested too deeply (over {MAX_DEPTH} levels); an assessment needs about 6"
    return Problem(origin, message, *_locate(text, loc), field=field_path(loc) or None)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects as dicts, refusing a key given twice: a pasted block would lose a value."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


_STRINGS = json.JSONDecoder()
_TOKEN = re.compile(r'[ \t\n\r]*(?:([{\[])|([}\]])|(")|(,)|(:)|([^ \t\n\r{}\[\]",:]+))')


def _first_duplicate(text: str) -> tuple[int, str] | None:
    """Offset and key of the first key given twice in one object, in reading order.

    Called only after `json.loads` found one, so the text is valid JSON up to there; the
    walk is iterative, so it copes with any nesting.
    """
    keys: list[set[str] | None] = []  # per open object its keys so far; None for arrays
    expect_key = False
    position = 0
    while (match := _TOKEN.match(text, position)) is not None and match.end() > position:
        opener, closer, quote, comma, _colon, _word = match.groups()
        position = match.end()
        if opener:
            keys.append(set() if opener == "{" else None)
            expect_key = opener == "{"
        elif closer:
            if keys:
                keys.pop()
            expect_key = False
        elif comma:
            expect_key = bool(keys) and keys[-1] is not None
        elif quote:
            start = position - 1
            try:
                value, position = _STRINGS.raw_decode(text, start)
            except ValueError:
                return None
            seen = keys[-1] if keys else None
            if expect_key and seen is not None:
                if value in seen:
                    return start, value
                seen.add(value)
            expect_key = False
    return None


def _first_bad_number(text: str) -> int | None:
    """Offset of the first NaN, Infinity or number too long to read, which `json.loads` refused."""
    position = 0
    while (match := _TOKEN.match(text, position)) is not None and match.end() > position:
        position = match.end()
        try:
            if match.group(3):
                _, position = _STRINGS.raw_decode(text, position - 1)
            elif match.group(6):
                json.loads(match.group(6), parse_constant=_reject_constant)
        except ValueError:
            return match.start(6) if match.group(6) else None
    return None


def _line_column(text: str, offset: int | None) -> tuple[int | None, int | None]:
    if offset is None:
        return None, None
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class _NotJson(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a number JSON allows")


_OWNERS = {"responses": "item", "assessors": "assessor", "history": "history entry"}


#: A file with more problems reports only the first ones (locating each one scans the file).
MAX_PROBLEMS = 50


def _schema_problems(error: ValidationError, text: str, origin: str) -> list[Problem]:
    problems = []
    details = error.errors(include_url=False)
    for detail in details[:MAX_PROBLEMS]:
        loc = tuple(detail["loc"])
        message = validation_message(detail)
        owner = None
        if len(loc) > 1 and loc[0] in _OWNERS:
            ident = loc[1]
            shown_id = ident + 1 if isinstance(ident, int) else shown_key(ident)
            owner = f"{_OWNERS[str(loc[0])]} {shown_id}"
        line, column = _locate(text, loc)
        problems.append(Problem(origin, message, line, column, field=field_path(loc), owner=owner))
    if len(details) > MAX_PROBLEMS:
        more = len(details) - MAX_PROBLEMS
        problems.append(Problem(origin, f"and {more:,} more problems; fix these first"))
    return problems


def _locate(text: str, loc: tuple[int | str, ...]) -> tuple[int | None, int | None]:
    """The line and column of the innermost key of `loc` that can be found by its name."""
    position, found = 0, None
    for part in loc:
        if isinstance(part, int):
            break  # list entries have no key to search for
        key = json.dumps(part, ensure_ascii=False)
        match = re.compile(re.escape(key) + r"\s*:").search(text, position)
        if match is None:
            break
        position = found = match.start()
    if found is None:
        return None, None
    line_start = text.rfind("\n", 0, found) + 1
    return text.count("\n", 0, found) + 1, found - line_start + 1


def trim_history(assessment: Assessment, by: str, account: str = "") -> int:
    """Drop the oldest history entries so the file comes to about half MAX_ASSESSMENT_BYTES.

    A person must never be trapped by a full file: rather than refusing every save, the
    oldest entries go (the .bak of that save still has them) and an entry at the start
    says how many and from when. The answers themselves are never trimmed. Returns how
    many entries were dropped.
    """
    history = assessment.history
    excess = len(dumps(assessment)) - MAX_ASSESSMENT_BYTES // 2
    dropped, freed = 0, 0
    while dropped < len(history) and freed < excess:
        # Indented in the file: about 1.5 times its compact size.
        freed += len(history[dropped].model_dump_json()) * 3 // 2
        dropped += 1
    if dropped == 0:
        return 0
    first, last = history[0].at, history[dropped - 1].at
    note = Change(
        at=clock.now(),
        by=by,
        account=account,
        field="history",
        old=dropped,
        remark=(
            f"history trimmed: the {dropped:,} oldest entries ({first:%Y-%m-%d} to "
            f"{last:%Y-%m-%d}) were removed to keep the file under its size limit; "
            "the .bak of that save still had them"
        ),
    )
    assessment.history = [note, *history[dropped:]]
    return dropped


def check_against(assessment: Assessment, checklist: Checklist, origin: str) -> list[Problem]:
    """Levels and targets the checklist's scale does not have (they would break the scores)."""
    problems = []
    scale = checklist.scale.by_value
    top = checklist.scale.max_level
    for item_id, response in assessment.responses.items():
        if item_id not in checklist.item_index:
            continue
        for name in ("level", "target"):
            value = getattr(response, name)
            if value is not None and value not in scale:
                problems.append(
                    Problem(
                        origin,
                        f"level {value} is not on the checklist's scale (0-{top})",
                        field=f"responses.{item_id}.{name}",
                        owner=f"item {item_id}",
                    )
                )
    return problems


def read_bytes(path: Path) -> bytes:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ASSESSMENT_BYTES:
            raise AssessmentError(
                [
                    Problem(
                        shown,
                        f"file is {size:,} bytes; assessments are limited to "
                        f"{MAX_ASSESSMENT_BYTES:,} bytes",
                    )
                ]
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise AssessmentError([Problem(shown, "no such file")]) from None
    except IsADirectoryError:
        raise AssessmentError([Problem(shown, "is a folder, not an assessment file")]) from None
    except OSError as error:
        raise AssessmentError([Problem(shown, f"cannot read: {error.strerror}")]) from None
