"""What an edited CSV is checked for besides its cells' validity: whose it is, what it changes.

Three dangers of a round trip through a spreadsheet:

- the wrong file: Austria's CSV imported into Germany's assessment. The export
  carries the assessment's identity (id, country, period) on every row; an
  import into another assessment is refused unless forced.
- a blind import: `--dry-run` lists every changed field as old → new.
- cells the spreadsheet rewrote on opening: a note `0012` saved back as `12`,
  `1/2` as a date, `10:30` as a time, a long number in scientific notation.
  Such cells are warned about, with what they were and what they became.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from decalogue.errors import Problem
from decalogue.model.assessment import Answer, Assessment, Response

#: Columns with the assessment's identity, the same on every row; read-only.
IDENTITY = ("assessment_id", "country", "period")

#: How long a shown text value may be before it is cut.
SHOWN = 60

_DATE = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"  # 1/2/2025, 2025-01-02, 02.01.25
    r"|\d{1,2}-[A-Za-z]{3}(?:-\d{2,4})?"  # 2-Jan, 02-Jan-2025
    r"|[A-Za-z]{3}-\d{2}"  # Jan-02
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?")
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?[Ee][+-]?\d+")
_DIGITS = re.compile(r"0\d+")


def identity_of(assessment: Assessment) -> dict[str, str]:
    return {
        "assessment_id": assessment.id,
        "country": assessment.country.code,
        "period": assessment.period,
    }


def identity_problems(
    found: Mapping[str, set[str]], assessment: Assessment, origin: str, target: str
) -> list[Problem]:
    """A CSV of another assessment (or of several), as one problem; none when it matches.

    `found` holds each identity column's distinct non-empty values; a CSV without those
    columns (written before they existed) passes.
    """
    mixed = [column for column, values in found.items() if len(values) > 1]
    if mixed:
        return [
            Problem(
                origin,
                f"rows of different assessments (column {mixed[0]} holds "
                f"{', '.join(sorted(found[mixed[0]]))}); import one assessment's CSV at a time",
                field=mixed[0],
            )
        ]
    expected = identity_of(assessment)
    given = {column: next(iter(values)) for column, values in found.items() if values}
    if all(given[column] == expected[column] for column in given):
        return []
    shown = ", ".join(f"{column} {given[column]}" for column in IDENTITY if column in given)
    own = ", ".join(f"{column} {expected[column]}" for column in IDENTITY if column in given)
    column = next(c for c in IDENTITY if c in given and given[c] != expected[c])
    return [
        Problem(
            origin,
            f"this CSV is of another assessment ({shown}); {target} is {own}. Import it "
            "into the assessment it was exported from, or pass --force to import it anyway",
            field=column,
        )
    ]


# --------------------------------------------------------------------------- old -> new


@dataclass(frozen=True)
class Difference:
    """One field of one item as it is and as the CSV would have it."""

    row: int
    item_id: str
    field: str
    old: Any
    new: Any


def differences(
    edits: Sequence[tuple[int, str, Mapping[str, Any]]], responses: Mapping[str, Response]
) -> list[Difference]:
    """(row, item, field -> new value) edits against the current responses."""
    result = []
    for row, item_id, changes in edits:
        current = responses.get(item_id) or Response()
        for name, new in changes.items():
            old = Answer.of(current) if name == "answer" else getattr(current, name)
            result.append(Difference(row, item_id, name, old, new))
    return result


def shown(value: Any) -> str:
    """A value as `--dry-run` prints it: an answer in words, text quoted and cut."""
    if isinstance(value, Answer):
        described = value.describe()
        return "unanswered" if described is None else str(described)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return f"{len(value)} evidence entr{'y' if len(value) == 1 else 'ies'}"
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= SHOWN else text[: SHOWN - 1] + "…")
    return str(value)


def change_line(difference: Difference) -> str:
    return (
        f"  {difference.item_id} {difference.field}: {shown(difference.old)} → "
        f"{shown(difference.new)}  (row {difference.row})"
    )


# --------------------------------------------------------------------------- spreadsheets


def _rewritten(old: str, new: str) -> str | None:
    """Why `new` looks like a spreadsheet's rewrite of a cell, or None."""
    cell = new.strip()
    if _DIGITS.fullmatch(old.strip()) and cell == old.strip().lstrip("0"):
        return "leading zeros dropped"
    if _TIME.fullmatch(cell):
        return "looks like a time a spreadsheet made"
    if _DATE.fullmatch(cell):
        return "looks like a date a spreadsheet made (from 1/2, 1-2 or a year range?)"
    if _SCIENTIFIC.fullmatch(cell):
        return "a long number turned into scientific notation"
    return None


def _text(value: Any) -> str | None:
    """The text a spreadsheet could have rewritten: a note, a finding, an N/A reason."""
    if isinstance(value, Answer):
        return value.na_reason or ""
    return value if isinstance(value, str) else None


def spreadsheet_warnings(found: Sequence[Difference], origin: str) -> list[str]:
    """One line per changed text cell that looks rewritten by a spreadsheet."""
    lines = []
    for difference in found:
        old, new = _text(difference.old), _text(difference.new)
        if old is None or new is None:
            continue
        reason = _rewritten(old, new)
        if reason:
            lines.append(
                f"{origin}:{difference.row}: {difference.field} (item {difference.item_id}): "
                f"{shown(difference.old)} became {shown(difference.new)}: {reason}; "
                "if that is not what you meant, correct the cell (format the column as Text "
                "before pasting) and import again"
            )
    return lines
