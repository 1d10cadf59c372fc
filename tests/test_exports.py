"""Exports: the scorecard JSON and its schema, the format registry, safe writing, the CLI.

The helpers at the top (a small checklist and a partly filled assessment of the
fictional country XX) are shared with test_csv_import.py and test_reports.py.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from decalogue import reports
from decalogue.model.assessment import Answer, Response
from decalogue.model.scoring import rounded
from decalogue.reports.schemas import json_schema
from decalogue.reports.scorecard import SCORECARD_SCHEMA_ID, build_scorecard
from decalogue.storage import store
from decalogue.storage.atomic import ExportError, write_file
from decalogue.storage.checklists import load_checklist
from tests.helpers import no_traceback, run_cli
from tests.samples import (
    GENERATED,
    HOSTILE_NOTE,
    SMALL,
    board_of,
    bundled_checklist,
    empty_assessment,
    filled_assessment,
    save_new,
    small_checklist,
)

# --------------------------------------------------------------------------- scorecard JSON


def validator() -> Draft202012Validator:
    schema = json_schema("scorecard")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("which", ["small-filled", "small-empty", "bundled-empty"])
def test_scorecard_json_validates_against_the_published_schema(which: str) -> None:
    checklist = bundled_checklist() if which.startswith("bundled") else small_checklist()
    assessment = (
        filled_assessment(checklist) if which.endswith("filled") else empty_assessment(checklist)
    )
    text = reports.render("json", checklist, assessment, board_of(checklist, assessment))
    data = json.loads(text)
    errors = sorted(validator().iter_errors(data), key=str)
    assert not errors, errors[0]
    assert data["$schema"] == SCORECARD_SCHEMA_ID == json_schema("scorecard")["$id"]
    assert data["scorecard_version"] == 2


def test_schema_rejects_a_scorecard_with_a_score_out_of_range() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    data = json.loads(
        reports.render("json", checklist, assessment, board_of(checklist, assessment))
    )
    data["overall"]["score"] = 140.0
    assert list(validator().iter_errors(data))
    del data["overall"]
    assert list(validator().iter_errors(data))


def test_scorecard_carries_every_figure_of_the_board() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    board = board_of(checklist, assessment)
    data = json.loads(reports.render("json", checklist, assessment, board, GENERATED))

    assert data["generated_at"] == "2026-03-01T09:30:00Z"
    assert data["generator"]["name"] == "decalogue"
    assert data["country"] == {"code": "XX", "name": "Exampleland"}
    assert data["period"] == "2025"
    assert data["assessors"][0]["name"] == "Ana Example"
    meta = data["checklist"]
    assert (meta["id"], meta["version"], meta["hash"]) == (
        "export-test",
        "2.1",
        checklist.content_hash,
    )
    assert [lv["label"] for lv in meta["scale"]["levels"]] == ["None", "Some", "Most", "All"]
    assert meta["scale"]["levels"][0]["description"] == "Nothing in place."
    assert meta["scale"]["not_applicable_label"] == "Not applicable"

    def same(figures: dict[str, Any], group: Any) -> None:
        # Rounded once to one decimal; the gap is the difference of the rounded figures.
        assert figures["score"] == rounded(group.score)
        assert figures["target_score"] == rounded(group.target_score)
        if group.gap is None:
            assert figures["gap_points"] is None
        else:
            assert figures["gap_points"] == round(figures["target_score"] - figures["score"], 1)
        assert figures["coverage"] == rounded(group.coverage)
        assert figures["carried"] == group.carried
        assert figures["targeted"] == group.targeted
        assert figures["answered"] == group.answered
        assert figures["not_applicable"] == group.not_applicable
        assert figures["unanswered"] == group.unanswered
        assert figures["flagged"] == group.flagged
        assert figures["below_target"] == group.below_target
        assert {lv["value"]: lv["count"] for lv in figures["levels"] if lv["count"]} == dict(
            group.levels
        )

    same(data["overall"], board.overall)
    assert [p["id"] for p in data["pillars"]] == ["P1", "P2"]
    for pillar in data["pillars"]:
        same(pillar, board.pillars[pillar["id"]])
    assert [s["id"] for s in data["sections"]] == ["P1-A", "P1-B", "P2-A"]
    for section in data["sections"]:
        same(section, board.sections[section["id"]])
    # Hand-worked: A-01 scores 1/3 (weight 2), B-01 3/3, C-01 0/3; N/A A-02 leaves the mean.
    assert data["overall"]["score"] == round((2 * (100 / 3 + 100) / 2 + 0) / 3, 1)
    assert data["overall"]["coverage"] == pytest.approx(80.0)


def test_scorecard_item_entries_hold_answers_text_and_sources() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    data = json.loads(
        reports.render("json", checklist, assessment, board_of(checklist, assessment))
    )
    items = {item["id"]: item for item in data["items"]}
    assert list(items) == ["A-01", "A-02", "B-01", "C-01", "C-02"]
    a01 = items["A-01"]
    assert (a01["pillar"], a01["section"], a01["weight"]) == ("P1", "P1-A", 2.0)
    assert (a01["status"], a01["level"], a01["level_label"]) == ("level", 1, "Some")
    assert (a01["target"], a01["target_label"], a01["gap"]) == (3, "All", 2)
    assert a01["notes"] == HOSTILE_NOTE
    assert a01["finding"] == "Fund the health\nservice | now"
    assert a01["evidence"][0] == {
        "description": "Health Act, s. 12",
        "link": "https://example.org/act",
        "document": "",
    }
    assert a01["references"] == [
        {
            "source": "plan",
            "title": "OSCE Action Plan to Combat Trafficking in Human Beings",
            "date": "2003",
            "quote": "",
            "locator": "chapter on protection and assistance",
        }
    ]
    a02 = items["A-02"]
    assert (a02["status"], a02["not_applicable"], a02["level_label"]) == (
        "not_applicable",
        True,
        "Not applicable",
    )
    assert a02["na_reason"] == "No State shelters | by law"
    assert a02["score"] is None
    assert items["C-02"]["status"] == "unanswered"
    assert [g["item"] for g in data["top_gaps"]] == ["A-01", "C-01"]  # weight 2 x 2 first
    assert [f["item"] for f in data["flagged"]] == ["B-01", "C-01"]
    assert data["sources"][0]["cited_by"] == ["A-01", "C-01"]
    assert "N/A items leave the denominator" in data["scoring_rules"]


def test_scorecard_lists_answers_to_items_the_checklist_no_longer_has() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    assessment.responses["GONE-01"] = Response(level=2, notes="from the old checklist")
    data = json.loads(
        reports.render("json", checklist, assessment, board_of(checklist, assessment))
    )
    assert [o["item"] for o in data["orphaned"]] == ["GONE-01"]
    assert data["orphaned"][0]["notes"] == "from the old checklist"
    assert "GONE-01" not in {item["id"] for item in data["items"]}
    assert not list(validator().iter_errors(data))


def test_every_format_renders_and_unknown_formats_are_refused() -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    board = board_of(checklist, assessment)
    assert set(reports.FORMATS) == {"json", "csv", "md", "html"}
    for fmt in reports.FORMATS:
        assert reports.render(fmt, checklist, assessment, board).strip()
    with pytest.raises(reports.UnknownFormat, match="json, csv, md, html"):
        reports.render("pdf", checklist, assessment, board)
    card = build_scorecard(checklist, assessment, board, GENERATED)
    assert card.to_json() == reports.render("json", checklist, assessment, board, GENERATED)


# --------------------------------------------------------------------------- safe writing


def test_export_writes_the_file_owner_only(tmp_path: Path) -> None:
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    out = reports.export(
        "md", checklist, assessment, board_of(checklist, assessment), tmp_path / "r.md"
    )
    assert out.read_text(encoding="utf-8").startswith("# Exampleland 2025")
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_overwriting_keeps_the_existing_file_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    write_file(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_missing_folder_is_an_error_unless_asked_to_create_it(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "card.json"
    with pytest.raises(ExportError, match="does not exist") as caught:
        write_file(target, "{}")
    assert len(str(caught.value).splitlines()) == 1
    assert not (tmp_path / "no").exists()
    write_file(target, "{}", create_parents=True)
    assert target.read_text(encoding="utf-8") == "{}"


def test_a_folder_is_not_a_file_name(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        write_file(tmp_path, "data")


def test_a_failed_write_says_so_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "card.json"
    target.write_text("previous export", encoding="utf-8")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    checklist = small_checklist()
    assessment = filled_assessment(checklist)
    with pytest.raises(ExportError, match="No space left on device; nothing was written"):
        reports.export("json", checklist, assessment, board_of(checklist, assessment), target)
    assert target.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.json"]


def test_a_failed_write_of_a_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ExportError, match="Input/output error"):
        write_file(tmp_path / "new.csv", "a,b\r\n")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def saved_small(tmp_path: Path) -> tuple[Path, Path]:
    """An assessment file of the small checklist, and the checklist file beside it."""
    checklist_path = tmp_path / "export-test.toml"
    checklist_path.write_text(SMALL, encoding="utf-8")
    checklist = load_checklist(checklist_path)
    return save_new(tmp_path / "XX-2025.json", filled_assessment(checklist)), checklist_path


def test_cli_export_to_stdout_in_every_format(saved_small: tuple[Path, Path]) -> None:
    path, checklist_path = saved_small
    folder = path.parent
    before = path.read_bytes()
    checklist = load_checklist(checklist_path)
    assessment = store.read(path).assessment
    for fmt in ("json", "csv", "md", "html"):
        result = run_cli("export", path, "--format", fmt, "--checklist", checklist_path, cwd=folder)
        no_traceback(result)
        assert result.returncode == 0, result.stderr.decode()
        assert result.stderr == b""
        if fmt == "json":
            assert not list(validator().iter_errors(json.loads(result.stdout)))
        elif fmt == "csv":
            expected = reports.render("csv", checklist, assessment, board_of(checklist, assessment))
            assert result.stdout == expected.encode("utf-8")
        elif fmt == "md":
            assert result.stdout.startswith(b"# Exampleland 2025\n")
        else:
            assert result.stdout.startswith(b"<!DOCTYPE html>")
    assert path.read_bytes() == before  # exporting never touches the assessment


def test_cli_export_to_a_file_infers_the_format_from_its_ending(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    out = path.parent / "report.html"
    result = run_cli("export", path, "-o", out, "--checklist", checklist_path, cwd=path.parent)
    no_traceback(result)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_export_into_a_missing_folder_fails_clearly_or_creates_it_with_parents(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    out = path.parent / "reports" / "2025" / "card.json"
    common = ("export", path, "-f", "json", "-o", out, "--checklist", checklist_path)
    result = run_cli(*common, cwd=path.parent)
    no_traceback(result)
    assert result.returncode == 1
    message = result.stderr.decode().strip()
    assert len(message.splitlines()) == 1
    assert "reports/2025 does not exist" in message and "nothing was written" in message
    assert not (path.parent / "reports").exists()

    result = run_cli(*common, "--parents", cwd=path.parent)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8"))["country"]["code"] == "XX"


def test_cli_export_refuses_to_write_over_the_assessment_itself(
    saved_small: tuple[Path, Path],
) -> None:
    path, checklist_path = saved_small
    before = path.read_bytes()
    result = run_cli(
        "export", path, "-f", "json", "-o", path, "--checklist", checklist_path, cwd=path.parent
    )
    no_traceback(result)
    assert result.returncode == 1
    assert "is the assessment itself" in result.stderr.decode()
    assert path.read_bytes() == before


def test_cli_export_errors_exit_1_with_one_line(tmp_path: Path) -> None:
    result = run_cli("export", tmp_path / "missing.json", "-f", "md", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert "missing.json: no such file" in result.stderr.decode()

    result = run_cli("export", tmp_path / "missing.json", cwd=tmp_path)
    assert result.returncode == 1
    assert "give --format" in result.stderr.decode()

    result = run_cli("export", tmp_path / "missing.json", "-f", "pdf", cwd=tmp_path)
    assert result.returncode == 2  # argparse: invalid choice
    no_traceback(result)


def test_cli_export_of_the_bundled_checklist_needs_no_checklist_option(tmp_path: Path) -> None:
    assessment = empty_assessment(bundled_checklist())
    assessment.apply("LF-01", "answer", Answer(level=2), "Ana Example")
    path = save_new(tmp_path / "XX-2025.json", assessment)
    result = run_cli("export", path, "-f", "json", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["checklist"]["id"] == "osce-national-action"
    assert data["overall"]["answered"] == 1
    assert not list(validator().iter_errors(data))


def test_cli_schema_scorecard_prints_the_schema(tmp_path: Path) -> None:
    result = run_cli("schema", "scorecard", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCORECARD_SCHEMA_ID
