"""An edited CSV goes back into the assessment it came from, and says what it changes.

Exampleland (XX) and Otherland (XY) are fictional; the checklist is the tests' small one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from decalogue import reports
from decalogue.model.assessment import Assessment, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.reports.csv_import import read_edits
from decalogue.reports.csv_io import COLUMNS, CsvImportError
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.helpers import run_cli
from tests.samples import SMALL, board_of, filled_assessment, save_new


def export_csv(checklist: Checklist, assessment: Assessment) -> str:
    return reports.render("csv", checklist, assessment, board_of(checklist, assessment))


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def write_rows(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def two_countries(tmp_path: Path) -> tuple[Path, Path, Path]:
    checklist_path = tmp_path / "small.toml"
    checklist_path.write_text(SMALL, encoding="utf-8")
    checklist = load_checklist(checklist_path)
    xx = save_new(tmp_path / "XX-2025.json", filled_assessment(checklist))
    other = new_assessment(checklist, "XY", "2025", country_name="Otherland")
    xy = save_new(tmp_path / "XY-2025.json", other)
    return xx, xy, checklist_path


def test_the_csv_carries_the_assessments_identity_on_every_row(
    two_countries: tuple[Path, Path, Path],
) -> None:
    xx, _, checklist_path = two_countries
    assessment = store.read(xx).assessment
    rows = rows_of(export_csv(load_checklist(checklist_path), assessment))
    assert {(r["assessment_id"], r["country"], r["period"]) for r in rows} == {
        (assessment.id, "XX", "2025")
    }


def test_a_csv_of_another_assessment_is_refused_unless_forced(
    two_countries: tuple[Path, Path, Path],
) -> None:
    xx, xy, checklist_path = two_countries
    checklist = load_checklist(checklist_path)
    exported = xx.parent / "XX.csv"
    exported.write_text(export_csv(checklist, store.read(xx).assessment), encoding="utf-8")
    before = xy.read_bytes()

    refused = run_cli("import", xy, "--csv", exported, "--checklist", checklist_path, cwd=xx.parent)
    assert refused.returncode == 1
    error = refused.stderr.decode()
    assert "XX.csv" in error and "another assessment" in error and "country XX" in error
    assert "country XY" in error and "--force" in error and "Traceback" not in error
    assert xy.read_bytes() == before

    forced = run_cli(
        "import", xy, "--csv", exported, "--checklist", checklist_path, "--force", cwd=xx.parent
    )
    assert forced.returncode == 0, forced.stderr.decode()
    assert store.read(xy).assessment.responses

    # A CSV from before the identity columns (none of them) still imports.
    old_style = [
        {k: v for k, v in row.items() if k not in ("assessment_id", "country", "period")}
        for row in rows_of(exported.read_text(encoding="utf-8"))
    ]
    fresh = new_assessment(checklist, "XY", "2025", country_name="Otherland")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(old_style[0]))
    writer.writeheader()
    writer.writerows(old_style)
    assert read_edits(buffer.getvalue(), "old.csv", checklist, fresh)
    # Rows of two assessments mixed in one CSV are refused too.
    rows = rows_of(exported.read_text(encoding="utf-8"))
    rows[1]["assessment_id"] = "someone-else"
    with pytest.raises(CsvImportError, match="rows of different assessments"):
        read_edits(write_rows(rows), "mixed.csv", checklist, store.read(xx).assessment)


def test_dry_run_shows_old_and_new_and_spreadsheet_rewrites_are_warned(
    two_countries: tuple[Path, Path, Path],
) -> None:
    xx, _, checklist_path = two_countries
    checklist = load_checklist(checklist_path)
    assessment = store.read(xx).assessment
    assessment.apply("A-02", "notes", "0012", "t")
    assessment.apply("B-01", "finding", "1/2 of the shelters", "t")
    store.save(xx, assessment, store.read(xx).fingerprint)
    rows = rows_of(export_csv(checklist, assessment))
    by_id = {r["item_id"]: r for r in rows}
    by_id["A-02"]["notes"] = "12"  # what a spreadsheet makes of 0012
    by_id["B-01"]["finding"] = "01/02/2025"  # ... of a fraction typed as 1/2
    by_id["C-01"]["notes"] = "10:30"
    old_level = by_id["C-02"]["level"]
    by_id["C-02"]["level"] = "3"
    edited = xx.parent / "edited.csv"
    edited.write_text(write_rows(rows), encoding="utf-8")
    before = xx.read_bytes()

    dry = run_cli(
        "import", xx, "--csv", edited, "--checklist", checklist_path, "--dry-run", cwd=xx.parent
    )
    assert dry.returncode == 0, dry.stderr.decode()
    out, err = dry.stdout.decode(), dry.stderr.decode()
    assert "A-02 notes: '0012' → '12'  (row 3)" in out
    assert "B-01 finding: '1/2 of the shelters' → '01/02/2025'" in out
    assert f"C-02 answer: {old_level or 'unanswered'} → 3" in out
    assert "would change; nothing saved" in out
    assert xx.read_bytes() == before
    assert "edited.csv:3: notes (item A-02): '0012' became '12': leading zeros dropped" in err
    assert "finding (item B-01)" in err and "date" in err
    assert "notes (item C-01)" in err and "time" in err
    assert "item C-02" not in err  # a level is not a spreadsheet's rewrite
