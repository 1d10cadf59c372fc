"""The one error family a user may see.

Every message is a single line that names the file, the place and the problem,
so the CLI can print it as is and the TUI can show it in a notification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    owner: str | None = None
    """What the field belongs to, e.g. "item LF-03", so the user can find it by id."""

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        where = ""
        if self.field:
            where = self.field
        if self.owner:
            where = f"{where} ({self.owner})" if where else self.owner
        return f"{place}: {where}: {self.message}" if where else f"{place}: {self.message}"


class DecalogueError(Exception):
    """Base of the errors the CLI and the TUI turn into a one-line message."""


class FileProblems(DecalogueError):
    """A file could not be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ChecklistError(FileProblems):
    """A checklist file is unreadable, malformed or inconsistent."""


class AssessmentError(FileProblems):
    """An assessment file is unreadable, malformed or does not fit its checklist."""


def decode_utf8(
    data: bytes,
    origin: str,
    error: type[FileProblems],
    hint: str = "save the file as UTF-8",
) -> str:
    """Text of a user's file (a BOM is fine); invalid bytes are reported at their line:column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        column = problem.start - (data.rfind(b"\n", 0, problem.start) + 1) + 1
        raise error([Problem(origin, f"not valid UTF-8 text; {hint}", line, column)]) from None


def display_path(path: Path | str) -> str:
    """Show paths as the user typed them where possible: relative to the cwd if below it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


# --------------------------------------------------------------------------- pydantic's errors


def plain_message(detail: Mapping[str, Any]) -> str:
    """A pydantic error's message without pydantic's "Value error, " in front."""
    return str(detail["msg"]).removeprefix("Value error, ")


def validation_message(detail: Mapping[str, Any]) -> str:
    """One pydantic error in a user's words, with the value it got when that is short."""
    loc = tuple(detail["loc"])
    if detail["type"] == "extra_forbidden":
        return f"unknown field {loc[-1]!r}; check its spelling"
    if detail["type"] == "missing":
        return "required field is missing"
    message = plain_message(detail)
    value = detail.get("input")
    if isinstance(value, (str, int, float, bool)):
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        message += f" (got {shown})"
    return message


def field_path(loc: Iterable[int | str]) -> str:
    """A pydantic location as a reader writes it: `pillars[0].sections[2].title`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{shown_key(part)}" if path else shown_key(part)
    return path


def shown_key(key: str) -> str:
    """A key as a message may show it: a hand-edited file's keys can hold terminal escapes."""
    shown = key if key.isprintable() else repr(key)[1:-1]
    return shown if len(shown) <= 60 else shown[:57] + "..."
