"""Hostile names and titles in the many-file commands: `list`, `compare`, `trend`, `aggregate`.

A country's name, an assessment's title and a checklist's item titles come from
files anyone may have written. In a terminal table no escape sequence may reach
the terminal (none may retitle the window, clear the screen or make an OSC 8
link, and a cut title may not leave half a sequence); in Markdown a name may not
make a link, an image or raw HTML (`export --format md` escapes the same text).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from decalogue.model.assessment import Answer, Assessment, new_assessment
from decalogue.storage import store
from tests.helpers import run_in_terminal
from tests.hostile import ANSI, RAW_CONTROL, hostile_checklist, hostile_toml

LINK = "[click me](https://evil.example) ![i](x.png)"
#: Long enough that `compare` cuts the title, and the cut falls inside an escape sequence.
TITLE_ESCAPE = "Shelter " + "x" * 36 + "\x1b]0;pwned\x07\x1b]8;;https://evil.example\x07OSC8"
NAME = f"Exampleland {LINK} <img src=x onerror=alert(1)> \x1b]0;title\x07\x1b[2J"


def hostile(period: str, level: int, title: str) -> Assessment:
    assessment = new_assessment(hostile_checklist(), "XX", period, country_name=NAME, title=title)
    assessment.apply("I-01", "answer", Answer(level=level), "me")
    return assessment


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "hostile.toml").write_text(hostile_toml(), encoding="utf-8")
    folder = tmp_path / "ws"
    folder.mkdir()
    first = store.create(folder / "XX-2024.json", hostile("2024", 0, TITLE_ESCAPE)).path
    second = store.create(
        folder / "XX-2025.json", hostile("2025", 2, f"{LINK} <img src=x> {ANSI}")
    ).path
    return {"checklist": tmp_path / "hostile.toml", "first": first, "second": second}


def command(name: str, files: dict[str, Path], *extra: str) -> list[str]:
    base = [sys.executable, "-m", "decalogue", name]
    if name == "list":
        return [*base, "--workspace", str(files["first"].parent)]
    pair = [str(files["first"]), str(files["second"])]
    return [*base, *pair, "--checklist", str(files["checklist"]), *extra]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("name", ["list", "compare", "trend", "aggregate"])
def test_tables_send_no_control_character_to_the_terminal(
    files: dict[str, Path], name: str
) -> None:
    returncode, text = run_in_terminal(command(name, files))
    assert returncode == 0, text[-800:]
    assert ("Exampleland" if name != "aggregate" else "Shelter x") in text  # names the groups
    found = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(text)})
    assert found == [], f"{name} sent {found} to the terminal:\n{text[-800:]}"
    assert "\u241b" in text  # the escapes are shown (as ␛), not dropped silently


@pytest.mark.parametrize("name", ["compare", "trend", "aggregate"])
def test_markdown_shows_a_name_with_links_and_html_as_text(
    files: dict[str, Path], name: str
) -> None:
    done = subprocess.run(
        command(name, files, "--format", "md"), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert ("Exampleland" if name != "aggregate" else "Shelter x") in report
    raw_tags = set(re.findall(r"(?<!\\)<(/?[A-Za-z][^\s>]*)", report))
    assert raw_tags == set(), raw_tags
    assert not re.search(r"(?<!\\)!\[", report)  # no image
    assert not re.search(r"(?<!\\)\]\(", report)  # no link
    assert r"\[click me\]" in report
    found = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(report)})
    assert found == [], f"{name} --format md holds {found}"
