"""CSV: one row per item, for spreadsheets (the way back in is `csv_import`).

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, a
tab or a carriage return) are written with a leading single quote, which the
import removes again. A cell that itself starts with a quote followed by one of
those characters (or another quote) is quoted too, so the round trip is exact.
An edited CSV is read back by `read_table`, for the CSV import and the action-plan
import alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from decalogue.errors import FileProblems, Problem, display_path, plain_message
from decalogue.model.assessment import Assessment, Evidence, Response
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.reports.csv_checks import (
    IDENTITY,
    identity_of,
)

if TYPE_CHECKING:
    pass


COLUMNS = (
    "item_id",
    "pillar",
    "section",
    "title",
    "level",
    "level_label",
    "not_applicable",
    "na_reason",
    "target",
    "flagged",
    "carried",
    "notes",
    "finding",
    "evidence",
    "score",
    *IDENTITY,
)
# pillar, section, title, level_label, carried and score are written for reading only; the
# import accepts them and ignores their values (the identity columns are checked against the
# assessment, `csv_checks`; a changed `carried` is named in a warning, `csv_import`).
# `carried` says whether the answer is last period's, not yet confirmed (confirm it in the
# workbench or with `decalogue confirm`; changing the level in the CSV confirms it too).

_FORMULA_START = frozenset("=+-@\t\r")


# --------------------------------------------------------------------------- cells


def protect(cell: str) -> str:
    """Quote a cell a spreadsheet would otherwise evaluate as a formula."""
    if cell and (
        cell[0] in _FORMULA_START
        or (cell[0] == "'" and len(cell) > 1 and (cell[1] in _FORMULA_START or cell[1] == "'"))
    ):
        return "'" + cell
    return cell


def unprotect(cell: str) -> str:
    """Undo `protect`: drop the quote it adds, and only that quote."""
    if len(cell) > 1 and cell[0] == "'" and (cell[1] in _FORMULA_START or cell[1] == "'"):
        return cell[1:]
    return cell


def _escape(part: str) -> str:
    return part.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "\\r").replace("\n", "\\n")


def format_evidence(evidence: Sequence[Evidence]) -> str:
    """One line per entry, "description | link | document", with \\ | and newlines escaped."""
    lines = []
    for entry in evidence:
        parts = [entry.description, entry.link, entry.document]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(_escape(part) for part in parts))
    return "\n".join(lines)


def parse_evidence(cell: str) -> tuple[list[Evidence], list[str]]:
    """The entries of an evidence cell, and a message for each line that is not one."""
    entries: list[Evidence] = []
    errors: list[str] = []
    lines = [line.removesuffix("\r") for line in cell.split("\n")]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = _split_unescaped(line)
        where = f"entry {number}" if len(lines) > 1 else "entry"
        if len(parts) > 3:
            errors.append(
                f"{where} has {len(parts)} parts; write it as 'description | link | document' "
                "and a | inside the text as \\|"
            )
            continue
        for index in range(len(parts) - 1):
            parts[index] = parts[index].removesuffix(" ")
            parts[index + 1] = parts[index + 1].removeprefix(" ")
        description, link, document = [*parts, "", ""][:3]
        if not description:
            errors.append(f"{where} has no description before its link or document")
            continue
        try:
            entries.append(Evidence(description=description, link=link, document=document))
        except ValidationError as error:
            errors.append(f"{where}: {_first_message(error)}")
    return entries, errors


def _split_unescaped(line: str) -> list[str]:
    parts = [""]
    chars = iter(line)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            parts[-1] += {"\\": "\\", "|": "|", "n": "\n", "r": "\r"}.get(
                following, "\\" + following
            )
        elif char == "|":
            parts.append("")
        else:
            parts[-1] += char
    return parts


def _first_message(error: ValidationError) -> str:
    detail = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in detail["loc"])
    message = plain_message(detail)
    return f"{where}: {message}" if where else message


# --------------------------------------------------------------------------- export


def _number(value: float | None) -> str:
    return "" if value is None else f"{round(value, 2):g}"


def render_csv(
    checklist: Checklist,
    assessment: Assessment,
    board: ScoreBoard,
    generated_at: datetime | None = None,
) -> str:
    """The assessment as CSV text (plain UTF-8, CRLF line ends as RFC 4180 asks)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    scale = checklist.scale
    identity = identity_of(assessment)
    for pillar, section, item in checklist.walk():
        response = assessment.responses.get(item.id) or Response()
        scored = board.items[item.id]
        if response.not_applicable:
            level, label = "", scale.not_applicable.label
        elif response.level is not None:
            level, label = str(response.level), scale.label(response.level)
        else:
            level, label = "", ""
        row = {
            "item_id": item.id,
            "pillar": pillar.id,
            "section": section.id,
            "title": item.title,
            "level": level,
            "level_label": label,
            "not_applicable": "yes" if response.not_applicable else "no",
            "na_reason": response.na_reason if response.not_applicable else "",
            "target": "" if response.target is None else str(response.target),
            "flagged": "yes" if response.flagged else "no",
            "carried": "yes" if response.carried and response.answered else "no",
            "notes": response.notes,
            "finding": response.finding,
            "evidence": format_evidence(response.evidence),
            "score": _number(scored.score),
            **identity,
        }
        writer.writerow([protect(row[column]) for column in COLUMNS])
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


class CsvImportError(FileProblems):
    """An edited CSV has problems; nothing was applied."""


#: Evidence cells hold up to 200 entries of 5,000 characters; csv's default limit is 128 KiB.
_FIELD_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class Table:
    """An edited CSV as read: the header's names (trimmed, lower case), the records below."""

    header: list[str]
    records: list[list[str]]
    """The rows after the header: row n as a spreadsheet numbers it is `records[n - 2]`."""


def read_csv_file(path: Path) -> tuple[bytes, str]:
    """An edited CSV's bytes and its name as shown: the one way both imports (the
    assessment's and the action plan's) open the file, so a missing file, a folder or an
    unreadable file reads the same in both; CsvImportError, in one line, otherwise."""
    shown = display_path(path)
    try:
        return path.read_bytes(), shown
    except FileNotFoundError:
        raise CsvImportError([Problem(shown, "no such file")]) from None
    except IsADirectoryError:
        raise CsvImportError([Problem(shown, "is a folder, not a CSV file")]) from None
    except OSError as error:
        raise CsvImportError([Problem(shown, f"cannot read: {error.strerror}")]) from None


def read_table(data: bytes | str, origin: str, *, empty: str) -> Table:
    """The one way an edited CSV is read back (the assessment's, the action plan's): UTF-8
    with or without a byte-order mark, cells split by comma, semicolon or tab (whichever
    follows the first column's name, `item_id`). CsvImportError in one line naming the
    file and row when it cannot be read; "the file is empty; `empty`" without a header."""
    text = _decode(data, origin)
    problems: list[Problem] = []
    records = _records(text, origin, problems)
    if problems:
        raise CsvImportError(problems)
    if not records:
        raise CsvImportError([Problem(origin, f"the file is empty; {empty}")])
    header = [cell.strip().lstrip("\ufeff").lower() for cell in records[0]]
    return Table(header, records[1:])


def _decode(data: bytes | str, origin: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise CsvImportError(
            [
                Problem(
                    origin,
                    "not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'",
                    line=row,
                )
            ]
        ) from None


def _records(text: str, origin: str, problems: list[Problem]) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    for candidate in (",", ";", "\t"):
        if candidate in first_line and first_line.split(candidate)[0].strip(' "') == "item_id":
            delimiter = candidate
            break
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        problems.append(Problem(origin, f"not readable as CSV: {error}", line=reader.line_num))
        return []
