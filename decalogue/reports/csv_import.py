"""The CSV import: an edited export back into an assessment, all or nothing.

Every row is checked against the checklist before anything is applied, and
every problem is reported with its row number as a spreadsheet shows it (the
header is row 1). Only fields whose value differs are applied, through
`Assessment.apply`, so the history records them; an unchanged export therefore
imports as zero changes. Cells are read back as `csv_io` wrote them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from decalogue.errors import Problem, display_path, plain_message
from decalogue.model.assessment import Answer, Assessment, Change, Response
from decalogue.model.checklist import Checklist, Scale
from decalogue.plural import counted
from decalogue.reports.csv_checks import (
    IDENTITY,
    Difference,
    change_line,
    differences,
    identity_problems,
    spreadsheet_warnings,
)
from decalogue.reports.csv_io import (
    COLUMNS,
    CsvImportError,
    parse_evidence,
    read_csv_file,
    read_table,
    unprotect,
)

if TYPE_CHECKING:
    from decalogue.session import Session

#: Applies one field of one item: (item_id, field, value) -> the recorded change, or None.
Applier = Callable[[str, str, Any], "Change | None"]

_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"no", "n", "false", "0", ""})

# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class RowEdit:
    """The changes one row asks for, already checked; field -> value for `Assessment.apply`."""

    row: int
    item_id: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Row:
    number: int
    item_id: str
    cells: dict[str, str]
    problems: list[Problem]
    origin: str

    def report(self, column: str, message: str) -> None:
        self.problems.append(
            Problem(
                self.origin,
                message,
                line=self.number,
                field=column,
                owner=f"item {self.item_id}" if self.item_id else None,
            )
        )


def read_edits(
    data: bytes | str,
    origin: str,
    checklist: Checklist,
    assessment: Assessment,
    *,
    force: bool = False,
    target: str = "the assessment",
    notes: list[str] | None = None,
) -> list[RowEdit]:
    """Check every row of an edited CSV; the edits that change something, or CsvImportError.

    A CSV of another assessment (its identity columns) is refused unless `force`.
    `notes` receives a line for what the CSV asks that the import does not take (a
    changed `carried` cell), for the user to read.
    """
    table = read_table(data, origin, empty="expected a header row")
    header, rows = table.header, table.records
    problems: list[Problem] = []
    columns = _check_header(header, rows, origin, problems)
    if problems:
        raise CsvImportError(problems)
    if not force:
        found = {
            name: {
                unprotect(record[index]).strip()
                for record in rows
                if len(record) > index and record[index].strip()
            }
            for index, name in enumerate(header)
            if name in IDENTITY
        }
        problems.extend(identity_problems(found, assessment, origin, target))
        if problems:
            raise CsvImportError(problems)
    edits: list[RowEdit] = []
    seen: dict[str, int] = {}
    carried: list[tuple[int, str]] = []  # rows whose `carried` cell was changed
    for number, record in enumerate(rows, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            problems.append(
                Problem(
                    origin,
                    f"the row has {counted(len(record), 'cell')}, the header {len(header)}; "
                    "remove the extra cells or name their column",
                    line=number,
                )
            )
            continue
        if len(record) < len(header):
            problems.append(
                Problem(
                    origin,
                    f"the row has {counted(len(record), 'cell')}, the header {len(header)}; "
                    "a cell is missing (check for a stray line break outside quotes)",
                    line=number,
                )
            )
            continue
        cells = {
            name: unprotect(record[index]) for index, name in enumerate(header) if name in columns
        }
        item_id = cells["item_id"].strip()
        row = _Row(number, item_id, cells, problems, origin)
        if not item_id:
            row.report("item_id", "no item id; every row needs the id of its item")
            continue
        if item_id not in checklist.item_index:
            row.report(
                "item_id",
                f"checklist {checklist.meta.id} {checklist.meta.version} has no item {item_id!r}",
            )
            continue
        if item_id in seen:
            row.report("item_id", f"the item is also on row {seen[item_id]}; keep one row")
            continue
        seen[item_id] = number
        current = assessment.responses.get(item_id) or Response()
        edit = _row_edit(row, checklist, current)
        if edit is not None and edit.changes:
            edits.append(edit)
        if "carried" in cells:
            confirmed = edit is not None and "answer" in edit.changes  # a new answer is not
            still = current.carried and current.answered and not confirmed
            if _said(cells["carried"]) != still:
                carried.append((number, item_id))
    if problems:
        raise CsvImportError(problems)
    if carried and notes is not None:
        notes.append(_carried_note(origin, carried))
    return edits


def _said(cell: str) -> bool | None:
    """A yes/no cell as written (None when it is neither)."""
    text = cell.strip().lower()
    return True if text in _YES else False if text in _NO else None


#: Rows named in a note; the rest are counted.
_NAMED = 10


def _carried_note(origin: str, rows: Sequence[tuple[int, str]]) -> str:
    """One line: which rows changed `carried`, that it is not imported, and what to do."""
    named = ", ".join(f"{number} ({item_id})" for number, item_id in rows[:_NAMED])
    more = f" and {len(rows) - _NAMED} more" if len(rows) > _NAMED else ""
    which = "row" if len(rows) == 1 else "rows"
    return (
        f"{origin}: {which} {named}{more}: the carried column is not imported (it only "
        "shows which answers are last period's, not yet confirmed); confirm them with "
        "`decalogue confirm FILE ITEM`, or c on the item in the workbench (a changed level "
        "or N/A in the CSV confirms it too)"
    )


def _check_header(
    header: list[str], rows: list[list[str]], origin: str, problems: list[Problem]
) -> set[str]:
    columns: set[str] = set()
    for index, name in enumerate(header):
        if not name:
            if any(len(r) > index and r[index].strip() for r in rows):
                problems.append(
                    Problem(origin, f"column {index + 1} has values but no name", line=1)
                )
            continue
        if name not in COLUMNS:
            problems.append(
                Problem(
                    origin,
                    f"unknown column {name!r}; the columns are {', '.join(COLUMNS)}",
                    line=1,
                    field=name,
                )
            )
        elif name in columns:
            problems.append(Problem(origin, f"column {name!r} appears twice", line=1, field=name))
        columns.add(name)
    if "item_id" not in columns and not problems:
        problems.append(Problem(origin, "no item_id column; it says which item a row is", line=1))
    return columns


def _row_edit(row: _Row, checklist: Checklist, current: Response) -> RowEdit | None:
    """The changes of one row; None (with problems reported) when the row is invalid."""
    before = len(row.problems)
    cells = row.cells
    updates: dict[str, Any] = {}
    changes: dict[str, Any] = {}

    answer = _answer(row, checklist, current)
    if answer is not None:
        updates.update(
            level=answer.level,
            not_applicable=answer.na_reason is not None,
            na_reason=answer.na_reason or "",
        )
        if answer != Answer.of(current):
            changes["answer"] = answer

    if "target" in cells:
        target = _level(row, "target", cells["target"], checklist.scale, allow_na=False)
        if target != "invalid":
            updates["target"] = target
    if "flagged" in cells:
        flag = _flag(row, "flagged", cells["flagged"])
        if flag is not None:
            updates["flagged"] = flag
    for name in ("notes", "finding"):
        if name in cells:
            updates[name] = cells[name]
    if "evidence" in cells:
        evidence, errors = parse_evidence(cells["evidence"])
        for message in errors:
            row.report("evidence", message)
        updates["evidence"] = evidence

    if len(row.problems) > before:
        return None
    try:
        Response.model_validate({**current.model_dump(), **updates})
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            column = str(detail["loc"][0]) if detail["loc"] else "item_id"
            row.report(column, plain_message(detail))
        return None
    for name in ("target", "flagged", "notes", "finding", "evidence"):
        if name in updates and updates[name] != getattr(current, name):
            changes[name] = updates[name]
    return RowEdit(row.number, row.item_id, changes)


def _answer(row: _Row, checklist: Checklist, current: Response) -> Answer | None:
    """The answer the row gives, with absent columns taken from the current response."""
    cells = row.cells
    if not {"level", "not_applicable", "na_reason"} & cells.keys():
        return None
    scale = checklist.scale
    level: int | str | None = None
    if "level" in cells:
        level = _level(row, "level", cells["level"], scale, allow_na=True)
        if level == "invalid":
            return None
    na_cell: bool | None = None
    if "not_applicable" in cells:
        na_cell = _flag(row, "not_applicable", cells["not_applicable"])
        if na_cell is None:
            return None
    if na_cell is not None:
        na = na_cell or level == "na"
        if na_cell and isinstance(level, int):
            row.report(
                "level",
                f"level {level} and not_applicable both given; clear the level or set "
                "not_applicable to no",
            )
            return None
    elif "level" in cells:
        na = level == "na" or (level is None and current.not_applicable)
    else:
        na = current.not_applicable
    if na:
        reason = cells.get("na_reason", current.na_reason)
        if not reason.strip():
            row.report(
                "na_reason" if "na_reason" in cells else "not_applicable",
                f"{scale.not_applicable.label} needs a reason: say in na_reason why the item "
                "does not apply",
            )
            return None
        return Answer(na_reason=reason)
    if cells.get("na_reason", "").strip():
        row.report(
            "na_reason",
            "a reason goes with N/A only: set not_applicable to yes, or clear na_reason",
        )
        return None
    if "level" in cells:
        return Answer(level=level if isinstance(level, int) else None)
    return Answer(level=current.level)


def _level(row: _Row, column: str, cell: str, scale: Scale, *, allow_na: bool) -> int | str | None:
    """A level number, None when empty, "na" for N/A, or "invalid" (and reported)."""
    text = cell.strip()
    if not text:
        return None
    span = f"{min(scale.by_value)}-{scale.max_level}"
    if allow_na and text.lower() in {"n/a", "na", scale.not_applicable.label.lower()}:
        return "na"
    try:
        number = float(text)
    except ValueError:
        hint = f", {scale.not_applicable.label}" if allow_na else ""
        row.report(column, f"{text!r} is not a level: give a number {span}{hint} or leave it empty")
        return "invalid"
    if not number.is_integer() or int(number) not in scale.by_value:
        row.report(column, f"{text} is not on the checklist's scale ({span})")
        return "invalid"
    return int(number)


def _flag(row: _Row, column: str, cell: str) -> bool | None:
    text = cell.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    row.report(column, f"{cell.strip()!r} is not yes or no (yes/no, true/false, 1/0, x or empty)")
    return None


def apply_edits(edits: Sequence[RowEdit], apply: Applier) -> list[Change]:
    """Apply checked edits through `apply(item_id, field, value)`; returns the changes made.

    `apply` is `Assessment.apply` with its author bound, or a session's setters, so
    every change is recorded in the history either way.
    """
    changes: list[Change] = []
    for edit in edits:
        for name, value in edit.changes.items():
            change = apply(edit.item_id, name, value)
            if change is not None:
                changes.append(change)
    return changes


def assessment_applier(assessment: Assessment, by: str, at: datetime | None = None) -> Applier:
    def apply(item_id: str, name: str, value: Any) -> Change | None:
        return assessment.apply(item_id, name, value, by=by, at=at)

    return apply


def session_applier(session: Session) -> Applier:
    """Edits through the session: recorded, scored and marked unsaved."""

    def apply(item_id: str, name: str, value: Any) -> Change | None:
        if name == "answer":
            return session.set_answer(item_id, value)
        return session.set_field(item_id, name, value)

    return apply


def read_edits_file(
    path: Path,
    checklist: Checklist,
    assessment: Assessment,
    *,
    force: bool = False,
    target: str = "the assessment",
    notes: list[str] | None = None,
) -> list[RowEdit]:
    data, shown = read_csv_file(path)
    return read_edits(data, shown, checklist, assessment, force=force, target=target, notes=notes)


@dataclass(frozen=True)
class ImportResult:
    edits: list[RowEdit]
    changes: list[Change]
    saved: bool
    differences: list[Difference] = field(default_factory=list)
    """Every changed field, old and new, as it was before the import."""
    warnings: list[str] = field(default_factory=list)
    """Edits not imported (a changed `carried` cell); cells that look rewritten by a
    spreadsheet."""

    @property
    def items_changed(self) -> int:
        return len({edit.item_id for edit in self.edits if edit.changes})


def import_csv(
    session: Session, csv_path: Path, *, dry_run: bool = False, force: bool = False
) -> ImportResult:
    """Check an edited CSV, apply it to an open session and save it (unless `dry_run`).

    Raises CsvImportError (nothing applied; also for a CSV of another assessment unless
    `force`) or the store's SaveError / ConflictError (the file on disk unchanged).
    """
    target = display_path(session.path) if session.path else "the assessment"
    warnings: list[str] = []
    edits = read_edits_file(
        csv_path, session.checklist, session.assessment, force=force, target=target, notes=warnings
    )
    found = differences(
        [(e.row, e.item_id, e.changes) for e in edits], session.assessment.responses
    )
    warnings += spreadsheet_warnings(found, display_path(csv_path))
    if dry_run or not edits:
        return ImportResult(edits, [], False, found, warnings)
    changes = apply_edits(edits, session_applier(session))
    saved = session.save().saved
    return ImportResult(edits, changes, saved, found, warnings)


def summary_lines(
    result: ImportResult, shown_csv: str, shown_file: str, *, dry_run: bool
) -> list[str]:
    """What an import did (or, dry run, would do): old → new per field, then the verdict.

    The CLI prints these lines and the TUI shows them, so both say the same (the
    spreadsheet warnings are in `result.warnings`, for each to show its way).
    """
    lines = [change_line(difference) for difference in result.differences]
    count = result.items_changed
    items = counted(count, "item")
    if not result.edits:
        lines.append(f"{shown_csv}: no changes; {shown_file} left as it was")
    elif dry_run:
        lines.append(f"{shown_csv}: {items} would change; nothing saved (--dry-run)")
    else:
        lines.append(f"{shown_csv}: {items} changed; saved {shown_file}")
    return lines
