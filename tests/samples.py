"""Checklists and assessments that several test files build on (each built one way, here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

from decalogue.model.assessment import Answer, Assessment, Evidence, new_assessment
from decalogue.model.checklist import Checklist, parse_checklist
from decalogue.model.scoring import ScoreBoard
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

MINI = """\
[meta]
id = "mini"
title = "Mini checklist"
version = "1.0"

[[scale.levels]]
value = 0
label = "None"
[[scale.levels]]
value = 1
label = "Some"
[[scale.levels]]
value = 2
label = "Most"
[[scale.levels]]
value = 3
label = "All"

[[sources]]
id = "plan"
title = "An example plan"

[[pillars]]
id = "P1"
title = "First pillar"

[[pillars.sections]]
id = "S1"
title = "First section"

[[pillars.sections.items]]
id = "A-01"
title = "Alpha"
question = "Is alpha done?"

[[pillars.sections.items]]
id = "A-02"
title = "Beta"
question = "Is beta done?"

[[pillars.sections.items]]
id = "A-03"
title = "Gamma"
question = "Is gamma done?"

[[pillars.sections]]
id = "S2"
title = "Second section"

[[pillars.sections.items]]
id = "A-04"
title = "Delta"
question = "Is delta done?"

[[pillars.sections.items]]
id = "A-05"
title = "Epsilon"
question = "Is epsilon done?"

[[pillars]]
id = "P2"
title = "Second pillar"

[[pillars.sections]]
id = "S3"
title = "Third section"

[[pillars.sections.items]]
id = "B-01"
title = "Zeta"
question = "Is zeta done?"

[[pillars.sections.items]]
id = "B-02"
title = "Eta"
question = "Is eta done?"
"""


def mini(version: str = "1.0") -> Checklist:
    return parse_checklist(MINI.replace('version = "1.0"', f'version = "{version}"'), origin="mini")


def mini_v2() -> Checklist:
    """Version 2.0: Gamma (A-03) removed, Theta (B-03) added."""
    text = MINI.replace('version = "1.0"', 'version = "2.0"').replace(GAMMA, "\n") + THETA
    return parse_checklist(text, origin="mini-v2")


def assess(
    checklist: Checklist,
    answers: Mapping[str, int | str],
    *,
    period: str = "2025",
    code: str = "XX",
    name: str = "Exampleland",
    title: str = "",
    assessor: str | None = None,
) -> Assessment:
    """An assessment with `answers`: a level, or a string for N/A with that reason."""
    assessment = new_assessment(
        checklist, code, period, country_name=name, title=title, assessor=assessor
    )
    for item_id, value in answers.items():
        answer = Answer(na_reason=value) if isinstance(value, str) else Answer(level=value)
        assessment.apply(item_id, "answer", answer, "tester")
    return assessment


SMALL = """\
[meta]
id = "export-test"
title = "Export test checklist"
version = "2.1"

[[scale.levels]]
value = 0
label = "None"
description = "Nothing in place."
[[scale.levels]]
value = 1
label = "Some"
[[scale.levels]]
value = 2
label = "Most"
[[scale.levels]]
value = 3
label = "All"
[scale.not_applicable]
label = "Not applicable"

[[sources]]
id = "plan"
title = "OSCE Action Plan to Combat Trafficking in Human Beings"
date = "2003"

[[pillars]]
id = "P1"
title = "Protection"
weight = 2.0

[[pillars.sections]]
id = "P1-A"
title = "Assistance"

[[pillars.sections.items]]
id = "A-01"
title = "Healthcare"
question = "Is healthcare available to every victim?"
weight = 2.0
[[pillars.sections.items.refs]]
source = "plan"
locator = "chapter on protection and assistance"

[[pillars.sections.items]]
id = "A-02"
title = "Shelter"
question = "Is safe shelter available?"

[[pillars.sections]]
id = "P1-B"
title = "Redress"

[[pillars.sections.items]]
id = "B-01"
title = "Compensation"
question = "Can victims obtain compensation?"

[[pillars]]
id = "P2"
title = "Prosecution"

[[pillars.sections]]
id = "P2-A"
title = "Investigation"

[[pillars.sections.items]]
id = "C-01"
title = "Specialised investigators"
question = "Are there specialised investigators?"
[[pillars.sections.items.refs]]
source = "plan"
locator = "chapter on prosecution"

[[pillars.sections.items]]
id = "C-02"
title = "Financial investigations"
question = "Are financial investigations used?"
"""


def small_checklist() -> Checklist:
    return parse_checklist(SMALL, origin="export-test.toml")


def bundled_checklist() -> Checklist:
    return load_checklist(None)


def empty_assessment(checklist: Checklist) -> Assessment:
    return new_assessment(
        checklist, "XX", "2025", country_name="Exampleland", assessor="Ana Example"
    )


def filled_assessment(checklist: Checklist) -> Assessment:
    """A partly filled assessment of the small checklist: levels, N/A, targets, flags, text."""
    a = empty_assessment(checklist)
    by = "Ana Example"
    a.apply("A-01", "answer", Answer(level=1), by)
    a.apply("A-01", "target", 3, by)
    a.apply("A-01", "finding", "Fund the health\nservice | now", by)
    a.apply(
        "A-01",
        "evidence",
        [
            Evidence(description="Health Act, s. 12", link="https://example.org/act"),
            Evidence(description="Circular 4/2024", document="Ministry circular"),
        ],
        by,
    )
    a.apply("A-01", "notes", HOSTILE_NOTE, by)
    a.apply("A-02", "answer", Answer(na_reason="No State shelters | by law"), by)
    a.apply("B-01", "answer", Answer(level=3), by)
    a.apply("B-01", "flagged", True, by)
    a.apply("B-01", "notes", '=HYPERLINK("http://evil")', by)
    a.apply("C-01", "answer", Answer(level=0), by)
    a.apply("C-01", "target", 2, by)
    a.apply("C-01", "flagged", True, by)
    a.apply("C-01", "finding", "Train investigators, kommunikáció, 調査", by)
    return a


def save_new(path: Path, assessment: Assessment) -> Path:
    store.create(path, assessment)
    return path


GAMMA = """
[[pillars.sections.items]]
id = "A-03"
title = "Gamma"
question = "Is gamma done?"
"""


THETA = """
[[pillars.sections.items]]
id = "B-03"
title = "Theta"
question = "Is theta done?"
"""


GENERATED = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


HOSTILE_NOTE = (
    "<script>alert('x')</script> [bold]loud[/bold]\n# Not a heading\n[click](http://evil)"
)


def board_of(checklist: Checklist, assessment: Assessment) -> ScoreBoard:
    return ScoreBoard(checklist, assessment.responses)


#: An author's own checklist (tests/data/author, fictional): version 1.0.0, and 1.1.0 that
#: rewords one item, removes one, adds one and moves one; its source text; its id.
AUTHOR = Path(__file__).parent / "data" / "author"
V1 = AUTHOR / "author-1.0.0.toml"
V2 = AUTHOR / "author-1.1.0.toml"
SOURCE = AUTHOR / "exampleland-protocol.txt"
ID = "exampleland-protocol"
