"""Hostile text: markup, HTML, Markdown, formulas, ANSI escapes and control characters.

A checklist from someone else and notes pasted from anywhere may hold any of these;
the export and CLI tests fill every place such text can go with them.
"""

from __future__ import annotations

import json
import re

from decalogue.model.assessment import Answer, Assessment, Assessor, Evidence, new_assessment
from decalogue.model.checklist import Checklist, parse_checklist

MARKUP = "[bold]BOLD[/bold] [link=https://evil.example]LINK[/link] [@click=app.quit]QUIT[/]"


ANSI = "\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07OSC8\x1b]8;;\x07 \x1b]52;c;ZXZpbA==\x07"


CONTROLS = "BEL\x07 BS\x08 CR\rCR VT\x0bVT FF\x0cFF NUL\x00 DEL\x7f CSI\x9b2J"


HTML = '<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>&amp;'


MARKDOWN = (
    "# H1\n- list\n> quote\n| a | b |\n[md link](javascript:alert(1)) ![img](http://x/i.png) `code`"
)


HOSTILE = f"{MARKUP} {ANSI} {CONTROLS} {HTML}\n{MARKDOWN}"


FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


#: C0 controls other than tab and line feed, DEL, and the C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _toml(text: str) -> str:
    """A TOML basic string: JSON's escapes are valid TOML ones."""
    return json.dumps(text)


def hostile_toml() -> str:
    one_line = HOSTILE.replace("\n", " ")
    return f"""
[meta]
id = "hostile"
title = {_toml("Checklist " + one_line[:250])}
version = "1.0"
description = {_toml(HOSTILE)}
limits = {_toml(HOSTILE)}
attribution = {_toml(HOSTILE)}
licence = {_toml("L " + one_line[:250])}

[[scale.levels]]
value = 0
label = {_toml("none [bold]0")}
description = {_toml(HOSTILE)}
[[scale.levels]]
value = 1
label = {_toml("=1+1")}
description = {_toml(HOSTILE)}
[[scale.levels]]
value = 2
label = {_toml("<b>full</b>")}
[scale.not_applicable]
label = {_toml("@N/A")}
description = {_toml(HOSTILE)}

[[sources]]
id = "ext"
title = {_toml("Source " + one_line[:250])}
date = {_toml("-2003")}

[[pillars]]
id = "P1"
title = {_toml("Pillar " + one_line[:250])}

[[pillars.sections]]
id = "S1"
title = {_toml("Section " + one_line[:250])}

[[pillars.sections.items]]
id = "I-01"
title = {_toml("+Item " + one_line[:250])}
question = {_toml("Question " + HOSTILE)}
guidance = {_toml(HOSTILE)}
descriptors = {{ 0 = {_toml(HOSTILE)}, 2 = {_toml(HOSTILE)} }}
[[pillars.sections.items.refs]]
source = "ext"
locator = {_toml("loc " + one_line[:250])}

[[pillars.sections.items]]
id = "I-02"
title = "Plain"
question = "Plain?"
"""


def hostile_checklist() -> Checklist:
    return parse_checklist(hostile_toml(), origin="hostile.toml")


def hostile_assessment(checklist: Checklist) -> Assessment:
    assessment = new_assessment(
        checklist,
        "XX",
        "2025",
        country_name="=Exampleland [bold]",
        assessor="@Assessor " + MARKUP,
        title="-Title " + HOSTILE.replace("\n", " ")[:400],
    )
    assessment.assessors.append(
        Assessor(name="+Second", organisation=HTML[:400], role="=" + ANSI[:400])
    )
    assessment.apply("I-01", "answer", Answer(level=1), "=by")
    assessment.apply("I-01", "target", 2, "=by")
    assessment.apply("I-01", "notes", HOSTILE, "=by")
    assessment.apply("I-01", "finding", FORMULAS[0] + " " + HOSTILE, "=by")
    assessment.apply("I-01", "flagged", True, "=by")
    evidence = [
        Evidence(description=formula + " " + HOSTILE[:4000], link=link, document=formula)
        for formula, link in zip(
            FORMULAS,
            [
                "javascript:alert(1)",
                'https://ok.example/?a=<b>&c="d"',
                "data:text/html,x",
                *[""] * 3,
            ],
            strict=True,
        )
    ]
    assessment.apply("I-01", "evidence", evidence, "=by")
    assessment.apply("I-02", "answer", Answer(na_reason=FORMULAS[3] + " " + HOSTILE), "=by")
    for formula in FORMULAS:
        assessment.apply("I-02", "notes", formula, "=by")
    return assessment
