"""CSV: export, edit in a spreadsheet, import back; all or nothing, formula-safe, exact."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decalogue import reports
from decalogue.model.assessment import Answer, Assessment, Evidence
from decalogue.model.checklist import Checklist
from decalogue.reports.csv_import import (
    apply_edits,
    assessment_applier,
    import_csv,
    read_edits,
)
from decalogue.reports.csv_io import (
    COLUMNS,
    CsvImportError,
    format_evidence,
    parse_evidence,
    protect,
    unprotect,
)
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.helpers import no_traceback, run_cli
from tests.samples import (
    SMALL,
    board_of,
    bundled_checklist,
    empty_assessment,
    filled_assessment,
    save_new,
    small_checklist,
)

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def export_csv(checklist: Checklist, assessment: Assessment) -> str:
    return reports.render("csv", checklist, assessment, board_of(checklist, assessment))


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def write_rows(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- export


def test_csv_has_a_header_and_one_row_per_item_in_checklist_order() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    text = export_csv(checklist, assessment)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = rows_of(text)
    assert [r["item_id"] for r in rows] == [item.id for item in checklist.items]
    a01, a02, b01 = rows[0], rows[1], rows[2]
    assert (a01["pillar"], a01["section"], a01["title"]) == ("P1", "P1-A", "Healthcare")
    assert (a01["level"], a01["level_label"], a01["target"]) == ("1", "Some", "3")
    assert a01["score"] == "33.33"
    assert a01["evidence"] == (
        "Health Act, s. 12 | https://example.org/act\nCircular 4/2024 |  | Ministry circular"
    )
    assert (a02["level"], a02["level_label"], a02["not_applicable"]) == (
        "",
        "Not applicable",
        "yes",
    )
    assert a02["na_reason"] == "No State shelters | by law"
    assert (b01["flagged"], b01["score"]) == ("yes", "100")
    assert rows[4]["level"] == rows[4]["score"] == "" and rows[4]["flagged"] == "no"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_cells_that_a_spreadsheet_would_run_are_quoted_and_unquoted_on_import(
    start: str,
) -> None:
    checklist = small_checklist()
    assessment = empty_assessment(checklist)
    dangerous = f'{start}HYPERLINK("http://evil","x")'
    assessment.apply("A-01", "notes", dangerous, "t")
    assessment.apply("A-01", "finding", f"{start}1+1", "t")
    assessment.apply("A-01", "evidence", [Evidence(description=f"{start}cmd|' /C calc'!A0")], "t")
    text = export_csv(checklist, assessment)
    row = rows_of(text)[0]
    for column in ("notes", "finding", "evidence"):
        assert row[column][0] not in FORMULA_STARTS, (column, row[column])
    assert row["notes"].startswith("'" + start)
    assert row["finding"].startswith("'" + start)
    # In evidence a carriage return is written as \r, which no spreadsheet runs.
    assert row["evidence"].startswith("\\rcmd" if start == "\r" else "'" + start)
    fresh = empty_assessment(checklist)
    apply_edits(
        read_edits(text, "x.csv", checklist, fresh, force=True), assessment_applier(fresh, "t")
    )
    response = fresh.responses["A-01"]
    assert response.notes == dangerous
    assert response.finding == f"{start}1+1"
    assert response.evidence[0].description == f"{start}cmd|' /C calc'!A0"


def test_cells_that_already_start_with_a_quote_round_trip_exactly() -> None:
    for text in ["'=x", "''", "'''=", "'hello", "'", "it's", "'-1"]:
        assert unprotect(protect(text)) == text
    assert protect("'hello") == "'hello"  # a spreadsheet shows it as typed; nothing to undo
    assert protect("'=x") == "''=x"
    assert protect("plain, text") == "plain, text"


@given(st.text())
def test_protect_is_undone_by_unprotect(text: str) -> None:
    protected = protect(text)
    assert unprotect(protected) == text
    assert not protected or protected[0] not in FORMULA_STARTS


def test_evidence_cells_escape_pipes_backslashes_and_line_breaks() -> None:
    entries = [
        Evidence(description="Law 1 | amended", link="https://x.org/a|b", document="C:\\docs\\n"),
        Evidence(description="two\nlines", document="doc"),
        Evidence(description=" padded "),
    ]
    cell = format_evidence(entries)
    assert cell.count("\n") == 2
    parsed, errors = parse_evidence(cell)
    assert errors == []
    assert parsed == entries


def test_evidence_typed_by_hand_is_read_leniently() -> None:
    parsed, errors = parse_evidence("Act 5|https://x.org\r\n\n  \nReport 2024 | | annex 3")
    assert errors == []
    assert parsed == [
        Evidence(description="Act 5", link="https://x.org"),
        Evidence(description="Report 2024", document="annex 3"),
    ]
    _, errors = parse_evidence("a | b | c | d\n | link only")
    assert errors[0].startswith("entry 1 has 4 parts")
    assert errors[1] == "entry 2 has no description before its link or document"


# --------------------------------------------------------------------------- import: round trip


@pytest.mark.parametrize("which", ["small-filled", "small-empty", "bundled-empty"])
def test_an_unchanged_export_imports_as_zero_changes(which: str) -> None:
    checklist = bundled_checklist() if which.startswith("bundled") else small_checklist()
    assessment = (
        filled_assessment(checklist) if which.endswith("filled") else empty_assessment(checklist)
    )
    text = export_csv(checklist, assessment)
    assert read_edits(text.encode("utf-8"), "x.csv", checklist, assessment) == []


def test_import_recreates_every_field_in_a_fresh_assessment() -> None:
    checklist = small_checklist()
    source = filled_assessment(checklist)
    fresh = empty_assessment(checklist)
    edits = read_edits(export_csv(checklist, source), "x.csv", checklist, fresh, force=True)
    changes = apply_edits(edits, assessment_applier(fresh, "Importer"))
    assert {c.by for c in changes} == {"Importer"}
    assert len(fresh.history) == len(changes) > 0
    assert comparable(fresh) == comparable(source)


def comparable(assessment: Assessment) -> dict[str, dict[str, object]]:
    return {
        item_id: response.model_dump(exclude={"changed_by", "changed_at"})
        for item_id, response in assessment.responses.items()
        if not response.is_empty()
    }


def test_missing_optional_columns_leave_those_fields_unchanged() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    text = write_rows(
        [{"item_id": "A-01", "notes": "new note"}, {"item_id": "C-01", "notes": ""}],
        ["item_id", "notes"],
    )
    edits = read_edits(text, "x.csv", checklist, assessment)
    assert [(e.item_id, list(e.changes)) for e in edits] == [
        ("A-01", ["notes"]),
    ]
    apply_edits(edits, assessment_applier(assessment, "t"))
    a01 = assessment.responses["A-01"]
    assert a01.notes == "new note"
    assert (a01.level, a01.target, len(a01.evidence)) == (1, 3, 2)


def test_level_na_and_reason_combine_with_the_current_answer() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    text = write_rows(
        [
            {"item_id": "A-01", "level": "Not applicable", "na_reason": "Handled regionally"},
            {"item_id": "A-02", "level": "2", "na_reason": ""},
            {"item_id": "C-02", "level": "n/a", "na_reason": "No such cases"},
        ],
        ["item_id", "level", "na_reason"],
    )
    apply_edits(
        read_edits(text, "x.csv", checklist, assessment), assessment_applier(assessment, "t")
    )
    assert assessment.responses["A-01"].not_applicable
    assert assessment.responses["A-01"].na_reason == "Handled regionally"
    assert assessment.responses["A-02"].level == 2
    assert not assessment.responses["A-02"].not_applicable
    assert assessment.responses["C-02"].na_reason == "No such cases"


def test_semicolon_separated_files_with_a_bom_are_read() -> None:
    checklist = small_checklist()
    assessment = empty_assessment(checklist)
    data = "\ufeffitem_id;level;flagged\r\nA-01;2;x\r\n".encode()
    edits = read_edits(data, "x.csv", checklist, assessment)
    assert [(e.item_id, e.changes) for e in edits] == [
        ("A-01", {"answer": Answer(level=2), "flagged": True})
    ]


# --------------------------------------------------------------------------- import: errors


def test_every_invalid_row_is_reported_with_its_row_number_and_nothing_is_applied() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    before = assessment.model_dump()
    rows = rows_of(export_csv(checklist, assessment))
    by_id = {row["item_id"]: row for row in rows}
    by_id["A-01"]["level"] = "7"  # row 2: out of scale
    by_id["A-01"]["notes"] = "a valid change that must not be applied"
    by_id["A-02"]["na_reason"] = "  "  # row 3: N/A without a reason
    by_id["B-01"]["level"] = "high"  # row 4: not a number
    by_id["C-01"]["target"] = "4"  # row 5: target out of scale, and ...
    by_id["C-01"].update(level="2", not_applicable="yes", na_reason="x")  # ... level with N/A
    by_id["C-02"]["flagged"] = "perhaps"  # row 6: not yes/no, and ...
    by_id["C-02"]["evidence"] = " | link without text"  # ... evidence without a description
    extra = dict(by_id["B-01"], level="2")  # row 7: B-01 again
    unknown = dict(by_id["C-02"], item_id="Z-99")  # row 8: unknown item
    text = write_rows([*rows, extra, unknown])

    with pytest.raises(CsvImportError) as caught:
        read_edits(text, "EDITED.csv", checklist, assessment)
    lines = str(caught.value).splitlines()
    assert lines == [
        "EDITED.csv:2: level (item A-01): 7 is not on the checklist's scale (0-3)",
        "EDITED.csv:3: na_reason (item A-02): Not applicable needs a reason: say in na_reason "
        "why the item does not apply",
        "EDITED.csv:4: level (item B-01): 'high' is not a level: give a number 0-3, "
        "Not applicable or leave it empty",
        "EDITED.csv:5: level (item C-01): level 2 and not_applicable both given; clear the "
        "level or set not_applicable to no",
        "EDITED.csv:5: target (item C-01): 4 is not on the checklist's scale (0-3)",
        "EDITED.csv:6: flagged (item C-02): 'perhaps' is not yes or no "
        "(yes/no, true/false, 1/0, x or empty)",
        "EDITED.csv:6: evidence (item C-02): entry has no description before its link or document",
        "EDITED.csv:7: item_id (item B-01): the item is also on row 4; keep one row",
        "EDITED.csv:8: item_id (item Z-99): checklist export-test 2.1 has no item 'Z-99'",
    ]
    assert assessment.model_dump() == before


def test_not_applicable_without_reason_and_bad_evidence_are_reported() -> None:
    checklist = small_checklist()
    assessment = empty_assessment(checklist)
    text = write_rows(
        [
            {"item_id": "A-01", "not_applicable": "yes", "na_reason": ""},
            {"item_id": "A-02", "not_applicable": "no", "na_reason": "stray reason"},
            {"item_id": "B-01", "evidence": "a | b | c | d"},
            {"item_id": "C-01", "not_applicable": "maybe"},
        ],
        ["item_id", "not_applicable", "na_reason", "evidence"],
    )
    with pytest.raises(CsvImportError) as caught:
        read_edits(text, "e.csv", checklist, assessment)
    lines = str(caught.value).splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("e.csv:2: na_reason (item A-01): Not applicable needs a reason")
    assert lines[1].startswith("e.csv:3: na_reason (item A-02): a reason goes with N/A only")
    assert lines[2].startswith("e.csv:4: evidence (item B-01): entry has 4 parts")
    assert lines[3].startswith("e.csv:5: not_applicable (item C-01): 'maybe' is not yes or no")


def test_unknown_and_duplicate_columns_are_errors() -> None:
    checklist = small_checklist()
    assessment = empty_assessment(checklist)
    text = "item_id,level,Comments,level\r\nA-01,1,hello,1\r\n"
    with pytest.raises(CsvImportError) as caught:
        read_edits(text, "e.csv", checklist, assessment)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("e.csv:1: comments: unknown column 'comments'; the columns are")
    assert lines[1] == "e.csv:1: level: column 'level' appears twice"
    with pytest.raises(CsvImportError, match="no item_id column"):
        read_edits("level\r\n1\r\n", "e.csv", checklist, assessment)
    with pytest.raises(CsvImportError, match="the file is empty"):
        read_edits("", "e.csv", checklist, assessment)


def test_rows_with_too_few_or_too_many_cells_are_errors() -> None:
    checklist = small_checklist()
    assessment = empty_assessment(checklist)
    text = "item_id,level,notes\r\nA-01,1\r\nA-02,1,x,surprise\r\nB-01,1,ok,\r\n\r\n,,\r\n"
    with pytest.raises(CsvImportError) as caught:
        read_edits(text, "e.csv", checklist, assessment)
    lines = str(caught.value).splitlines()
    assert lines == [
        "e.csv:2: the row has 2 cells, the header 3; a cell is missing "
        "(check for a stray line break outside quotes)",
        "e.csv:3: the row has 4 cells, the header 3; remove the extra cells or name their column",
    ]


def test_a_file_that_is_not_utf8_is_refused_with_advice() -> None:
    checklist = small_checklist()
    data = "item_id,notes\r\nA-01,Stra\u00dfe\r\n".encode("latin-1")
    with pytest.raises(CsvImportError, match=r"e.csv:2: not UTF-8 text; save it .* 'CSV UTF-8'"):
        read_edits(data, "e.csv", checklist, empty_assessment(checklist))


# --------------------------------------------------------------------------- import: sessions, CLI


@pytest.fixture
def saved_small(tmp_path: Path) -> tuple[Path, Path]:
    checklist_path = tmp_path / "export-test.toml"
    checklist_path.write_text(SMALL, encoding="utf-8")
    checklist = load_checklist(checklist_path)
    return save_new(tmp_path / "XX-2025.json", filled_assessment(checklist)), checklist_path


def test_import_saves_through_the_store_and_merges_a_file_changed_meanwhile(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    session = Session.open(path, checklist_path, user="Importer")
    edited = path.parent / "edited.csv"
    edited.write_text(write_rows([{"item_id": "C-02", "level": "2"}], ["item_id", "level"]))

    other = store.read(path)
    other.assessment.apply("C-02", "notes", "saved by someone else", "Other")
    store.save(path, other.assessment, other.fingerprint)
    result = import_csv(session, edited)
    assert (result.saved, result.items_changed) == (True, 1)
    reread = store.read(path).assessment
    assert reread.responses["C-02"].level == 2
    assert reread.responses["C-02"].notes == "saved by someone else"
    assert reread.history[-1].by == "Importer"
    assert reread.history[-1].item == "C-02"


def test_cli_import_of_an_unchanged_export_changes_nothing(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    folder = path.parent
    out = folder / "items.csv"
    result = run_cli("export", path, "-o", out, "--checklist", checklist_path, cwd=folder)
    assert result.returncode == 0, result.stderr.decode()
    before = sha(path)
    result = run_cli("import", path, "--csv", out, "--checklist", checklist_path, cwd=folder)
    no_traceback(result)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == "items.csv: no changes; XX-2025.json left as it was"
    assert sha(path) == before


def test_cli_import_applies_edits_and_reports_how_many_items_changed(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    folder = path.parent
    checklist = load_checklist(checklist_path)
    rows = rows_of(export_csv(checklist, store.read(path).assessment))
    rows[4]["level"] = "3"  # C-02
    rows[4]["notes"] = 'Ünïcode, "quotes", commas\nand a second line'
    rows[0]["flagged"] = "yes"
    edited = folder / "edited.csv"
    edited.write_text(write_rows(rows), encoding="utf-8", newline="")

    dry = run_cli(
        "import", path, "--csv", edited, "--checklist", checklist_path, "--dry-run", cwd=folder
    )
    assert dry.returncode == 0, dry.stderr.decode()
    assert "2 items would change; nothing saved" in dry.stdout.decode()
    before = sha(path)
    assert sha(path) == before

    result = run_cli(
        "import", path, "--csv", edited, "--checklist", checklist_path, "--by", "Bo", cwd=folder
    )
    no_traceback(result)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "A-01 flagged: no → yes  (row 2)" in out
    assert "C-02 answer: unanswered → 3  (row 6)" in out
    assert "C-02 notes: '' → 'Ünïcode, \"quotes\", commas and a second line'  (row 6)" in out
    assert out.strip().endswith("edited.csv: 2 items changed; saved XX-2025.json")
    saved = store.read(path).assessment
    assert saved.responses["C-02"].level == 3
    assert saved.responses["C-02"].notes == rows[4]["notes"]
    assert saved.responses["A-01"].flagged
    assert [c.by for c in saved.history[-3:]] == ["Bo", "Bo", "Bo"]


def test_cli_import_says_an_edited_carried_column_is_not_imported(tmp_path: Path) -> None:
    """`carried` is shown, not imported: a changed cell is named in one line, the rest goes in."""
    checklist_path = tmp_path / "export-test.toml"
    checklist_path.write_text(SMALL, encoding="utf-8")
    checklist = load_checklist(checklist_path)
    assessment = filled_assessment(checklist)
    for item_id in ("A-01", "B-01", "C-01"):
        carried = assessment.responses[item_id].model_copy(update={"carried": True})
        assessment.responses[item_id] = carried
    path = save_new(tmp_path / "XX-2025.json", assessment)
    rows = rows_of(export_csv(checklist, assessment))
    assert [row["carried"] for row in rows[:2]] == ["yes", "no"]
    rows[0]["carried"] = "no"  # confirming it here is not how it is done
    rows[1]["carried"] = "yes"  # nor is marking an answer as last period's
    rows[2]["notes"] = "imported"  # B-01, carried and left so: imported as usual
    rows[3]["level"], rows[3]["carried"] = "2", "no"  # C-01: a new level confirms it
    edited = tmp_path / "edited.csv"
    edited.write_text(write_rows(rows), encoding="utf-8", newline="")

    result = run_cli("import", path, "--csv", edited, "--checklist", checklist_path, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stderr.decode()
    [said] = [line for line in result.stderr.decode().splitlines() if "carried" in line]
    assert said.startswith("warning: edited.csv: rows 2 (A-01), 3 (A-02): the carried column")
    assert "is not imported" in said and "decalogue confirm FILE ITEM" in said
    assert result.stdout.decode().strip().endswith("2 items changed; saved XX-2025.json")
    saved = store.read(path).assessment.responses
    assert saved["A-01"].carried and not saved["A-02"].carried
    assert saved["B-01"].notes == "imported" and saved["B-01"].carried
    assert saved["C-01"].level == 2 and not saved["C-01"].carried


def test_cli_import_with_invalid_rows_exits_1_and_leaves_the_file_untouched(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    folder = path.parent
    edited = folder / "EDITED.csv"
    edited.write_text(
        write_rows(
            [
                {"item_id": "A-01", "level": "2"},
                {"item_id": "A-02", "level": "9"},
                {"item_id": "NOPE", "level": "1"},
            ],
            ["item_id", "level"],
        ),
        encoding="utf-8",
    )
    before = sha(path)
    result = run_cli("import", path, "--csv", edited, "--checklist", checklist_path, cwd=folder)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "EDITED.csv:3: level (item A-02): 9 is not on the checklist's scale (0-3)",
        "EDITED.csv:4: item_id (item NOPE): checklist export-test 2.1 has no item 'NOPE'",
    ]
    assert sha(path) == before
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "EDITED.csv",
        "XX-2025.json",
        "export-test.toml",
    ]


def test_cli_import_of_a_missing_csv_is_one_line(saved_small: tuple[Path, Path]) -> None:
    path, checklist_path = saved_small
    result = run_cli(
        "import", path, "--csv", "gone.csv", "--checklist", checklist_path, cwd=path.parent
    )
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == "gone.csv: no such file"


def test_both_csv_imports_say_the_same_of_a_folder_given_as_the_csv(
    saved_small: tuple[Path, Path],
) -> None:
    """`import --csv FOLDER` and `plan --csv FOLDER`: one message, from one reader."""
    path, checklist_path = saved_small
    (path.parent / "edited").mkdir()
    said = []
    for command in ("import", "plan"):
        result = run_cli(
            command, path, "--csv", "edited", "--checklist", checklist_path, cwd=path.parent
        )
        no_traceback(result)
        assert result.returncode == 1
        said.append(result.stderr.decode().strip())
    assert said == ["edited: is a folder, not a CSV file"] * 2


# --------------------------------------------------------------------------- property


def _text(min_size: int = 0) -> st.SearchStrategy[str]:
    alphabet = st.one_of(
        st.sampled_from([*",;\"'|\\\n\r\t =+-@#[]<>", "é", "ß", "調", "\u2028", "😀"]),
        st.characters(codec="utf-8"),
    )
    return st.text(alphabet, min_size=min_size, max_size=30)


def _visible() -> st.SearchStrategy[str]:
    return _text(1).filter(lambda s: bool(s.strip()))


_evidence = st.builds(
    Evidence,
    description=_visible(),
    link=_text(),
    document=_text(),
)


@st.composite
def assessments(draw: st.DrawFn, checklist: Checklist) -> Assessment:
    assessment = empty_assessment(checklist)
    levels = sorted(checklist.scale.by_value)
    for item in checklist.items:
        kind = draw(st.sampled_from(["none", "level", "na"]))
        if kind == "level":
            assessment.apply(item.id, "answer", Answer(level=draw(st.sampled_from(levels))), "g")
        elif kind == "na":
            assessment.apply(item.id, "answer", Answer(na_reason=draw(_visible())), "g")
        assessment.apply(item.id, "target", draw(st.none() | st.sampled_from(levels)), "g")
        assessment.apply(item.id, "flagged", draw(st.booleans()), "g")
        assessment.apply(item.id, "notes", draw(_text()), "g")
        assessment.apply(item.id, "finding", draw(_text()), "g")
        assessment.apply(item.id, "evidence", draw(st.lists(_evidence, max_size=3)), "g")
    return assessment


SMALL_CHECKLIST = small_checklist()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(SMALL_CHECKLIST))
def test_csv_export_then_import_round_trips_every_field(source: Assessment) -> None:
    checklist = SMALL_CHECKLIST
    data = export_csv(checklist, source).encode("utf-8")
    # The same file imported into the assessment it came from changes nothing ...
    assert read_edits(data, "p.csv", checklist, source) == []
    # ... and into an empty one recreates every field exactly.
    fresh = empty_assessment(checklist)
    apply_edits(
        read_edits(data, "p.csv", checklist, fresh, force=True), assessment_applier(fresh, "i")
    )
    assert comparable(fresh) == comparable(source)


BUNDLED_CHECKLIST = bundled_checklist()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(BUNDLED_CHECKLIST))
def test_csv_round_trips_random_assessments_of_the_bundled_checklist(source: Assessment) -> None:
    checklist = BUNDLED_CHECKLIST
    data = export_csv(checklist, source).encode("utf-8")
    assert read_edits(data, "p.csv", checklist, source) == []
    fresh = empty_assessment(checklist)
    apply_edits(
        read_edits(data, "p.csv", checklist, fresh, force=True), assessment_applier(fresh, "i")
    )
    assert comparable(fresh) == comparable(source)
