"""The assessment files on disk: the only code that reads or writes them.

An assessment is days of an official's work, so every write is atomic (a
temporary file in the same folder, fsync, rename), keeps the previous version
as `<name>.bak`, is readable only by its owner, and is refused when the file
on disk is no longer the version that was loaded: two windows or two programs
never silently overwrite each other. A file that cannot be parsed is never
written over.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from decalogue import migrations
from decalogue.assessment import (
    SCHEMA_VERSION,
    Assessment,
    Assessor,
    Change,
    ChecklistRef,
    CountryRef,
    checklist_ref,
    next_period,
    now,
    validate_period,
)
from decalogue.checklist import Checklist, load_checklist
from decalogue.countries import is_user_assigned, lookup
from decalogue.errors import (
    AssessmentError,
    ChecklistError,
    DecalogueError,
    Problem,
    decode_utf8,
    display_path,
)
from decalogue.paths import default_workspace
from decalogue.resources import bundled_checklist_paths
from decalogue.scoring import ScoreBoard

#: Larger files are refused before reading: 10,000 answered items with notes
#: and evidence come to a few MB, so this leaves ample room.
MAX_ASSESSMENT_BYTES = 64 * 1024 * 1024

#: Deeper JSON is refused: a real assessment nests 6 levels, the JSON parser gives up near
#: 1,000 and values nested much deeper than this could be read but not written back.
MAX_DEPTH = 64

#: How long a save waits for another program's save of the same file.
LOCK_TIMEOUT = 10.0

TRASH = ".trash"


class SaveError(DecalogueError):
    """A write failed (disk full, permission, read-only folder); the old file is intact."""


class ConflictError(DecalogueError):
    """The file on disk is not the version that was loaded; nothing was written."""


# --------------------------------------------------------------------------- parsing


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_assessment(data: bytes, origin: str) -> Assessment:
    """Bytes of an assessment file -> Assessment, or AssessmentError naming every problem."""
    text = decode_utf8(data, origin, AssessmentError)
    try:
        raw = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise AssessmentError(
            [Problem(origin, f"JSON syntax: {error.msg}", error.lineno, error.colno)]
        ) from None
    except _DuplicateKey as error:
        offset, key = _first_duplicate(text) or (None, error.key)
        raise AssessmentError(
            [
                Problem(
                    origin,
                    f"duplicate key {_shown_key(key)!r}: given twice in one object; keep one "
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
    version = raw.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise AssessmentError(
            [
                Problem(
                    origin,
                    "missing or invalid: an assessment file has a whole-number schema_version",
                    *_locate(text, ("schema_version",)),
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
                    *_locate(text, ("schema_version",)),
                    field="schema_version",
                )
            ]
        )
    if version < SCHEMA_VERSION:
        raw = migrations.upgrade(raw, version, origin)
    try:
        return Assessment.model_validate(raw)
    except ValidationError as error:
        raise AssessmentError(_schema_problems(error, text, origin)) from None


def _too_deep(raw: Any) -> tuple[int | str, ...] | None:
    """The path to a value nested deeper than MAX_DEPTH, if any (iterative: no recursion).

    Only containers are stacked, each with a link to its parent's, so a large file costs
    little more than one pass over its values.
    """
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
    return Problem(origin, message, *_locate(text, loc), field=_field_path(loc) or None)


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
        if detail["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}; check its spelling"
        elif detail["type"] == "missing":
            message = "required field is missing"
        else:
            message = detail["msg"].removeprefix("Value error, ")
            value = detail.get("input")
            if isinstance(value, (str, int, float, bool)) and not isinstance(value, dict):
                shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
                message += f" (got {shown})"
        owner = None
        if len(loc) > 1 and loc[0] in _OWNERS:
            ident = loc[1]
            shown_id = ident + 1 if isinstance(ident, int) else _shown_key(ident)
            owner = f"{_OWNERS[str(loc[0])]} {shown_id}"
        line, column = _locate(text, loc)
        problems.append(Problem(origin, message, line, column, field=_field_path(loc), owner=owner))
    if len(details) > MAX_PROBLEMS:
        more = len(details) - MAX_PROBLEMS
        problems.append(Problem(origin, f"and {more:,} more problems; fix these first"))
    return problems


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{_shown_key(part)}" if path else _shown_key(part)
    return path


def _shown_key(key: str) -> str:
    """A key as a message may show it: a hand-edited file's keys can hold terminal escapes."""
    shown = key if key.isprintable() else repr(key)[1:-1]
    return shown if len(shown) <= 60 else shown[:57] + "..."


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


def dumps(assessment: Assessment) -> bytes:
    """The file's bytes: UTF-8 JSON, indented, responses by item id, so diffs stay small.

    Pydantic's serialiser writes the same bytes as `json.dumps(indent=2,
    ensure_ascii=False)` of `model_dump(mode="json")`, five times faster (the
    stdlib's indented encoder is pure Python): most of an autosave's time.
    """
    ordered = assessment.model_copy(
        update={"responses": dict(sorted(assessment.responses.items()))}
    )
    return (ordered.model_dump_json(indent=2) + "\n").encode("utf-8")


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


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class Stored:
    """An assessment as loaded, with the fingerprint that later saves check against."""

    path: Path
    assessment: Assessment
    fingerprint: str
    """sha256 of the bytes on disk."""


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


def read(path: Path) -> Stored:
    data = read_bytes(path)
    return Stored(path, parse_assessment(data, display_path(path)), fingerprint(data))


def create(path: Path, assessment: Assessment) -> Stored:
    """Write a new file; never overwrites an existing one (ConflictError)."""
    return Stored(path, assessment, save(path, assessment, None))


def save(path: Path, assessment: Assessment, expected: str | None) -> str:
    """Write `assessment` to `path` if the file is still the version `expected`; new fingerprint.

    `expected` is None only for a file that must not exist yet.
    """
    return save_bytes(path, dumps(assessment), expected)


def save_bytes(path: Path, data: bytes, expected: str | None) -> str:
    """`save` for bytes already produced by `dumps` (a session serialises under its lock)."""
    shown = display_path(path)
    if len(data) > MAX_ASSESSMENT_BYTES:
        raise SaveError(
            f"{shown}: not saved: the assessment would be {len(data):,} bytes, over the "
            f"limit of {MAX_ASSESSMENT_BYTES:,}; the file on disk is unchanged"
        )
    if _special(path):
        # Reading it could block (a pipe, a terminal) and the rename would replace it (as
        # root, -o /dev/stdout would replace the device for everyone).
        raise SaveError(
            f"{shown}: not saved: not a regular file (a device or pipe); save to a file"
        )
    try:
        with file_lock(path):
            _remove_leftovers(path)
            current = _current_bytes(path)
            if expected is None and current is not None:
                raise ConflictError(
                    f"{shown}: already exists; nothing was written (choose another file name)"
                )
            if expected is not None and current is not None and fingerprint(current) != expected:
                raise ConflictError(
                    f"{shown}: changed on disk since it was opened (another window or program "
                    "saved it); nothing was written: reload to take that version, or "
                    "overwrite it with yours"
                )
            # A file deleted since it was opened is written again: the user's edits are the
            # only copy left, and there is nothing on disk to overwrite.
            # The new version goes to disk before the backup is touched: a full disk fails
            # here, and the previous .bak survives.
            temp = _write_temp(path, data)
            try:
                if current is not None:
                    _keep_backup(path, current)
            except BaseException:
                with suppress(OSError):
                    temp.unlink()
                raise
            _move_into_place(temp, path)
    except OSError as error:
        raise SaveError(
            f"{shown}: not saved: {_why(error)}; the file on disk is unchanged"
        ) from None
    return fingerprint(data)


def _special(path: Path) -> bool:
    """A device, pipe or socket (after following links); folders are reported elsewhere."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _remove_leftovers(path: Path) -> None:
    """Delete temp files of earlier saves of `path` that a crash or kill left behind.

    Called under the file's lock: no other save of this file is running, so every
    such temp file is an orphan.
    """
    pattern = f".{glob.escape(path.name)}.*.tmp"
    for leftover in path.parent.glob(pattern):
        with suppress(OSError):
            leftover.unlink()


def _keep_backup(path: Path, current: bytes) -> None:
    """Make the version on disk the `.bak`: a second name (hard link) for the same file.

    Nothing is copied or flushed: the file's data is already on disk, and the rename
    becomes durable with the folder's fsync after the new version is moved in. That
    halves the fsyncs of a save (an autosave). File systems without hard links get a copy.
    """
    link = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        os.link(path, link)
    except OSError:
        _atomic_write(backup_path(path), current)
        return
    try:
        link.replace(backup_path(path))
    except BaseException:
        with suppress(OSError):
            link.unlink()
        raise


def _atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder (created 0600), fsync, rename over the target."""
    _move_into_place(_write_temp(path, data), path)


def _write_temp(path: Path, data: bytes) -> Path:
    """`data` in a new temp file beside `path` (created 0600), flushed to disk."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with suppress(OSError):
            Path(temp).unlink()
        raise
    return Path(temp)


def _move_into_place(temp: Path, path: Path) -> None:
    try:
        temp.replace(path)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; some file systems cannot, and the file is in place anyway."""
    if os.name == "nt":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _why(error: OSError) -> str:
    import errno

    reasons = {
        errno.ENOSPC: "the disk is full (free some space and save again)",
        errno.EACCES: "permission denied (check the folder's permissions or save elsewhere)",
        errno.EPERM: "permission denied (check the folder's permissions or save elsewhere)",
        errno.EROFS: "the folder is on a read-only file system (save elsewhere)",
        errno.ENOENT: "the folder does not exist",
        errno.EDQUOT: "the disk quota is exceeded (free some space and save again)",
    }
    return reasons.get(error.errno or 0) or (error.strerror or str(error))


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on the sidecar `.<name>.lock`, shared by every decalogue process."""
    lock = lock_path(path)
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise SaveError(
                    f"{display_path(path)}: another program is saving this file "
                    f"(lock {lock.name} is held); nothing was written, try again"
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        with suppress(OSError):
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- checklists


def find_checklist(ref: ChecklistRef) -> Checklist | None:
    """The bundled checklist with this id (any version; drift is the session's business)."""
    paths = bundled_checklist_paths()
    ordered = sorted(paths, key=lambda p: p.stem != ref.id)  # the likely file first
    for path in ordered:
        try:
            checklist = _bundled(path, path.stat().st_mtime_ns)
        except ChecklistError:
            if path.stem == ref.id:
                raise
            continue  # another broken checklist is not this one's problem
        if checklist.meta.id == ref.id:
            return checklist
    return None


_BUNDLED: dict[tuple[Path, int], Checklist] = {}


def _bundled(path: Path, mtime: int) -> Checklist:
    key = (path, mtime)
    if key not in _BUNDLED:
        _BUNDLED[key] = load_checklist(path)
    return _BUNDLED[key]


# --------------------------------------------------------------------------- new assessments


def country(code: str, name: str | None = None) -> CountryRef:
    code = code.strip().upper()
    known = lookup(code) if len(code) == 2 else None
    if known is not None:
        return CountryRef(code=code, name=(name or "").strip() or known.name)
    if len(code) == 2 and code.isalpha() and is_user_assigned(code):
        if not (name or "").strip():
            raise DecalogueError(
                f"country {code}: a user-assigned code (for an example or training country) "
                "needs a name (--country-name on the command line), e.g. Exampleland"
            )
        return CountryRef(code=code, name=(name or "").strip())
    raise DecalogueError(
        f"country {code!r}: not an ISO 3166-1 alpha-2 code (e.g. AT, FR, XX for an example country)"
    )


def _period(value: str) -> str:
    try:
        return validate_period(value)
    except ValueError as error:
        raise DecalogueError(f"period {value!r}: {error}") from None


def new_assessment(
    checklist: Checklist,
    country_code: str,
    period: str,
    *,
    country_name: str | None = None,
    assessor: str | None = None,
    title: str = "",
) -> Assessment:
    assessors = [Assessor(name=assessor.strip())] if assessor and assessor.strip() else []
    return Assessment(
        title=title.strip(),
        checklist=checklist_ref(checklist),
        country=country(country_code, country_name),
        period=_period(period),
        assessors=assessors,
    )


def carry_forward(
    previous: Assessment, checklist: Checklist, period: str | None, by: str
) -> Assessment:
    """Next period's assessment: last answers kept, every one marked for review."""
    new_period = _period(period) if period else next_period(previous.period)
    at = now()
    responses = {
        item_id: response.model_copy(update={"flagged": True})
        for item_id, response in previous.responses.items()
        if item_id in checklist.item_index and not response.is_empty()
    }
    title = previous.title.replace(previous.period, new_period) if previous.title else ""
    return Assessment(
        title=title,
        checklist=checklist_ref(checklist),
        country=previous.country,
        period=new_period,
        assessors=list(previous.assessors),
        created=at,
        updated=at,
        carried_from=previous.id,
        responses=responses,
        history=[
            Change(at=at, by=by, field="carried_forward", old=previous.period, new=new_period)
        ],
    )


# --------------------------------------------------------------------------- workspace


@dataclass(frozen=True)
class Summary:
    """One line of a workspace listing; `error` is set (and the rest blank) for unreadable files."""

    path: Path
    id: str
    title: str
    country_code: str
    country_name: str
    period: str
    checklist_id: str
    checklist_version: str
    answered: int
    """Items answered with a level or N/A."""
    total: int
    """Items of the checklist; 0 when the checklist is not available."""
    coverage: float
    overall: float | None
    flagged: int
    updated: datetime | None
    error: str | None


def _unreadable(path: Path, error: str) -> Summary:
    return Summary(path, "", "", "", "", "", "", "", 0, 0, 0.0, None, 0, None, error)


_TRASHED = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?\.json$")


class Workspace:
    """A folder of assessment files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def resolve(cls, option: Path | None = None) -> Workspace:
        root = (option or default_workspace()).expanduser()
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
        except FileExistsError:
            raise DecalogueError(
                f"{display_path(root)}: is a file, not a workspace folder"
            ) from None
        except OSError as error:
            raise DecalogueError(
                f"{display_path(root)}: cannot create the workspace folder: {_why(error)}"
            ) from None
        return cls(root)

    def files(self) -> list[Path]:
        return sorted(
            path
            for path in self.root.glob("*.json")
            if not path.name.startswith(".") and path.is_file()
        )

    def summaries(self) -> list[Summary]:
        checklists: dict[tuple[str, str], Checklist | None] = {}
        result = []
        for path in self.files():
            try:
                stored = read(path)
            except DecalogueError as error:
                result.append(_unreadable(path, str(error).splitlines()[0]))
                continue
            assessment = stored.assessment
            key = (assessment.checklist.id, assessment.checklist.version)
            try:
                if key not in checklists:
                    checklists[key] = find_checklist(assessment.checklist)
            except DecalogueError as error:
                result.append(_unreadable(path, str(error).splitlines()[0]))
                continue
            checklist = checklists[key]
            answered = sum(1 for r in assessment.responses.values() if r.answered)
            total, coverage, overall = 0, 0.0, None
            flagged = sum(1 for r in assessment.responses.values() if r.flagged)
            if checklist is not None:
                problems = check_against(assessment, checklist, display_path(path))
                if problems:
                    result.append(_unreadable(path, str(problems[0])))
                    continue
                board = ScoreBoard(checklist, assessment.responses).overall
                answered = board.answered + board.not_applicable
                total, coverage, overall = board.total, board.coverage, board.score
                flagged = board.flagged
            result.append(
                Summary(
                    path=path,
                    id=assessment.id,
                    title=assessment.display_title(),
                    country_code=assessment.country.code,
                    country_name=assessment.country.name,
                    period=assessment.period,
                    checklist_id=assessment.checklist.id,
                    checklist_version=assessment.checklist.version,
                    answered=answered,
                    total=total,
                    coverage=coverage,
                    overall=overall,
                    flagged=flagged,
                    updated=assessment.updated,
                    error=None,
                )
            )
        return result

    def new_path(self, assessment: Assessment) -> Path:
        stem = _safe_name(f"{assessment.country.code}-{assessment.period}")
        return self._free(stem)

    def _free(self, stem: str) -> Path:
        for counter in range(1, 10_000):
            name = f"{stem}.json" if counter == 1 else f"{stem}-{counter}.json"
            candidate = self.root / name
            if not candidate.exists() and not backup_path(candidate).exists():
                return candidate
        raise DecalogueError(f"{display_path(self.root)}: no free file name for {stem}")

    def create(self, assessment: Assessment) -> Stored:
        for _ in range(5):  # another process may take the name between the check and the write
            try:
                return create(self.new_path(assessment), assessment)
            except ConflictError:
                continue
        return create(self.new_path(assessment), assessment)

    @property
    def trash(self) -> Path:
        return self.root / TRASH

    def delete(self, path: Path) -> Path:
        """Move the file (and its backup) to the workspace's trash; returns where it went."""
        stamp = now().strftime("%Y%m%dT%H%M%SZ")
        try:
            self.trash.mkdir(mode=0o700, exist_ok=True)
            with file_lock(path):
                target = self.trash / f"{path.stem}.{stamp}.json"
                counter = 2
                while target.exists():
                    target = self.trash / f"{path.stem}.{stamp}-{counter}.json"
                    counter += 1
                path.replace(target)
                if backup_path(path).exists():
                    backup_path(path).replace(backup_path(target))
            with suppress(OSError):
                lock_path(path).unlink()
        except OSError as error:
            raise SaveError(f"{display_path(path)}: not deleted: {_why(error)}") from None
        return target

    def restore(self, trashed: Path) -> Path:
        """Put a trashed file back under its old name (or a free one near it)."""
        match = _TRASHED.match(trashed.name)
        stem = match.group("stem") if match else trashed.stem
        target = self._free(stem)
        try:
            trashed.replace(target)
            if backup_path(trashed).exists():
                backup_path(trashed).replace(backup_path(target))
        except OSError as error:
            raise SaveError(f"{display_path(trashed)}: not restored: {_why(error)}") from None
        return target

    def trashed(self) -> list[Path]:
        """Files in the trash, most recently deleted first."""
        if not self.trash.is_dir():
            return []
        files = [p for p in self.trash.glob("*.json") if p.is_file()]

        def stamp(path: Path) -> str:
            match = _TRASHED.match(path.name)
            return match.group("stamp") if match else ""

        return sorted(files, key=lambda p: (stamp(p), p.name), reverse=True)


def _safe_name(text: str) -> str:
    """A file name stem that is valid everywhere: letters, digits, dot, dash, underscore."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")
    return stem[:80] or "assessment"
