"""What a minister reads is true: status, carried answers, targets, caveats, schema.

Each test renders real exports of the bundled checklist and reads them as a
reader would (HTML unescaped, Markdown escapes removed).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from decalogue import reports
from decalogue.model.assessment import Answer, Assessment, Evidence, carry_forward
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.reports.schemas import json_schema
from decalogue.resources import PACKAGE_DIR, SCHEMA_FILES
from tests.helpers import run_cli
from tests.samples import GENERATED, bundled_checklist, empty_assessment

FORMATS = ("json", "csv", "md", "html")
REPORTS = ("json", "md", "html")
ANSWERED = ("LF-01", "LF-02", "LF-03", "LF-04", "LF-05", "DT-01", "DT-02")


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return bundled_checklist()


def last_year(checklist: Checklist) -> Assessment:
    """Exampleland 2025: seven answers, no target, one review flag (on LF-02)."""
    assessment = empty_assessment(checklist)
    for level, item in enumerate(ANSWERED):
        assessment.apply(item, "answer", Answer(level=level % 5), "Ana Example")
    assessment.apply("LF-02", "flagged", True, "Ana Example")
    return assessment


def render(fmt: str, checklist: Checklist, assessment: Assessment) -> str:
    board = ScoreBoard(checklist, assessment.responses)
    return reports.render(fmt, checklist, assessment, board, GENERATED)


def read(fmt: str, text: str) -> str:
    """The text as a reader sees it: entities decoded, Markdown escapes dropped, one space."""
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    elif fmt == "md":
        text = re.sub(r"\\(.)", r"\1", text)
    elif fmt == "json":
        text = " ".join(strings(json.loads(text)))
    return " ".join(text.split())


def strings(data: Any) -> list[str]:
    """Every string value of a JSON document, in order."""
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [text for value in values for text in strings(value)]


def words(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- carried answers


def test_carried_answers_are_on_every_export_and_not_review_flags(checklist: Checklist) -> None:
    carried = carry_forward(last_year(checklist), checklist, None, by="Ana Example")
    carried.apply("LF-01", "answer", Answer(level=2), "Ana Example")  # answered again: its own
    statement = "6 answers carried forward from 2025, not yet reviewed"
    for fmt in FORMATS:
        text = render(fmt, checklist, carried)
        if fmt == "csv":
            rows = {row["item_id"]: row for row in csv.DictReader(io.StringIO(text))}
            assert [i for i, row in rows.items() if row["carried"] == "yes"] == list(ANSWERED[1:])
            assert rows["LF-01"]["carried"] == "no"
            continue
        assert statement in read(fmt, text), fmt
    data = json.loads(render("json", checklist, carried))
    assert data["carried"]["count"] == 6 and data["carried"]["from_period"] == "2025"
    assert data["overall"]["carried"] == 6  # the overall score rests on 6 of its 7 answers
    assert [f["item"] for f in data["flagged"]] == ["LF-02"]  # last year's one real flag
    md = read("md", render("md", checklist, carried))
    assert "6 of 7 answers carried forward from 2025, not yet reviewed" in md
    assert "2 (Partial), carried" in md or "1 (Initial), carried" in md


def test_a_report_without_carried_answers_says_nothing_of_them(checklist: Checklist) -> None:
    for fmt in ("md", "html"):
        assert "carried forward from" not in read(fmt, render(fmt, checklist, last_year(checklist)))


def test_an_overall_score_that_leaves_a_pillar_out_says_so(checklist: Checklist) -> None:
    """AP has nothing answered: the overall score is LF's and DT's, and the summary says it."""
    said = "the overall score is from LF and DT only: AP has no answer with a level yet"
    for fmt in ("md", "html"):
        assert said in read(fmt, render(fmt, checklist, last_year(checklist))), fmt
    whole = last_year(checklist)
    for item in checklist.items:
        if item.id.startswith("AP-"):
            whole.apply(item.id, "answer", Answer(level=1), "Ana Example")
    for fmt in ("md", "html"):
        assert "only:" not in read(fmt, render(fmt, checklist, whole)), fmt


# --------------------------------------------------------------------------- targets


def test_no_target_reads_target_not_set_never_a_gap_of_zero(checklist: Checklist) -> None:
    assessment = last_year(checklist)
    for fmt in ("md", "html"):
        text = read(fmt, render(fmt, checklist, assessment))
        assert "target not set" in text, fmt
        assert not re.search(r"[Gg]ap (to target is )?0\.0", text), fmt
    data = json.loads(render("json", checklist, assessment))
    assert data["overall"]["target_score"] is None and data["overall"]["gap_points"] is None
    assert all(p["gap_points"] is None for p in data["pillars"])
    md = render("md", checklist, assessment)
    assert "| **Target score** | target not set |" in md
    assessment.apply("LF-02", "target", 3, "Ana Example")  # one target: a real gap appears
    data = json.loads(render("json", checklist, assessment))
    assert data["overall"]["targeted"] == 1 and data["overall"]["gap_points"] > 0
    assert "targets set for 1 of 7 items" in read("md", render("md", checklist, assessment))


# --------------------------------------------------------------------------- caveats


@pytest.mark.parametrize("fmt", REPORTS)
def test_the_checklist_caveats_reach_every_report(checklist: Checklist, fmt: str) -> None:
    text = read(fmt, render(fmt, checklist, last_year(checklist)))
    dt = next(p for p in checklist.pillars if p.id == "DT")
    assert "not the official points" in checklist.meta.limits  # the DT caveat itself
    for caveat in (checklist.meta.limits, checklist.meta.description, dt.summary):
        assert words(caveat) in text, caveat[:60]
    for section in dt.sections:
        assert words(section.summary) in text


def test_the_caveats_stand_before_the_first_score(checklist: Checklist) -> None:
    for fmt in ("md", "html"):
        text = read(fmt, render(fmt, checklist, last_year(checklist)))
        assert text.index("Limits of this checklist") < text.index("Overall score"), fmt


# --------------------------------------------------------------------------- status


def test_every_report_shows_the_status_and_a_draft_is_stamped(checklist: Checklist) -> None:
    draft = last_year(checklist)
    md = render("md", checklist, draft)
    assert md.splitlines()[2].startswith("> **DRAFT.** Status: Draft (not reviewed")
    page = render("html", checklist, draft)
    assert '<div class="watermark" aria-hidden="true">DRAFT</div>' in page
    assert '@top-center { content: "DRAFT"' in page  # the printed page's header
    assert "@page { size: A4" in page
    assert json.loads(render("json", checklist, draft))["status"]["state"] == "draft"

    draft.set_status("final", "Head of Unit")
    final_page = render("html", checklist, draft)
    assert 'class="watermark"' not in final_page and "@top-center" not in final_page
    shown = read("html", final_page)
    assert "FINAL · Status: Final since" in shown and "by Head of Unit" in shown
    # Marked final with open points: the report still says so.
    assert "marked final although the readiness check was not met" in shown
    data = json.loads(render("json", checklist, draft))
    assert (data["status"]["state"], data["status"]["changed_by"]) == ("final", "Head of Unit")
    assert data["readiness"]["ready"] is False


def test_the_item_questions_and_guidance_are_in_the_detailed_report(checklist: Checklist) -> None:
    item = checklist.item_index["LF-03"]
    for fmt in ("md", "html"):
        text = read(fmt, render(fmt, checklist, last_year(checklist)))
        assert words(item.question) in text
        appendix = text.index("Appendix: guidance per item")
        assert words(item.guidance) in text[appendix:]


# --------------------------------------------------------------------------- scorecard


def figures(data: Any) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in {"score", "target_score", "gap_points", "coverage"} and value is not None:
                found.append((key, value))
            else:
                found += figures(value)
    elif isinstance(data, list):
        for value in data:
            found += figures(value)
    return found


def test_scorecard_figures_are_rounded_to_one_decimal(checklist: Checklist) -> None:
    assessment = last_year(checklist)
    assessment.apply("LF-02", "target", 3, "Ana Example")
    data = json.loads(render("json", checklist, assessment))
    found = figures(data)
    assert len(found) > 30
    exponents = [Decimal(str(value)).as_tuple().exponent for _, value in found]
    assert all(isinstance(e, int) and e >= -1 for e in exponents), found  # not NaN either
    overall = data["overall"]
    assert overall["gap_points"] == round(overall["target_score"] - overall["score"], 1)


def test_a_carried_draft_scorecard_validates_against_its_schema(checklist: Checklist) -> None:
    carried = carry_forward(last_year(checklist), checklist, None, by="Ana Example")
    carried.apply("LF-03", "evidence", [Evidence(description="Example law no. 1")], "Ana")
    schema = json_schema("scorecard")
    Draft202012Validator.check_schema(schema)
    data = json.loads(render("json", checklist, carried))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert not errors, errors[0]
    data["status"]["state"] = "approved"
    assert list(Draft202012Validator(schema).iter_errors(data))


def undescribed(schema: Any, path: str = "") -> list[str]:
    """Every property, at any depth, that has no description."""
    missing: list[str] = []
    if isinstance(schema, dict):
        for name, prop in schema.get("properties", {}).items():
            if not (isinstance(prop, dict) and str(prop.get("description", "")).strip()):
                missing.append(f"{path}.{name}")
        for key, value in schema.items():
            missing += undescribed(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for value in schema:
            missing += undescribed(value, path)
    return missing


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_every_schema_property_has_a_description(kind: str) -> None:
    schema = json_schema(kind)
    assert len(json.dumps(schema)) > 1000
    assert undescribed(schema) == []


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_the_schema_id_names_the_file_shipped_with_the_package(kind: str) -> None:
    schema = json_schema(kind)
    shipped = PACKAGE_DIR / "data" / "schemas" / schema["$id"]
    assert schema["$id"] == SCHEMA_FILES[kind] and ".invalid" not in schema["$id"]
    assert shipped.is_file(), f"ship {shipped.name} (decalogue schema {kind} > it)"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema, (
        f"{shipped} is stale: regenerate it with decalogue schema {kind}"
    )


def test_the_scorecard_names_its_schema_and_the_cli_prints_it(
    checklist: Checklist, tmp_path: Path
) -> None:
    data = json.loads(render("json", checklist, last_year(checklist)))
    assert data["$schema"] == "decalogue-scorecard-2.schema.json"
    printed = run_cli("schema", "scorecard", cwd=tmp_path)
    assert printed.returncode == 0
    assert json.loads(printed.stdout)["$id"] == data["$schema"]
