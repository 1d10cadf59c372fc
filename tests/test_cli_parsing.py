"""`--help` of every command, read in an 80-column terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from decalogue.cli import build_parser

COMMANDS = sorted(
    name
    for action in build_parser()._subparsers._group_actions  # type: ignore[union-attr]
    for name in getattr(action, "choices", {}) or {}
)


def help_of(*command: str, columns: int = 80) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "decalogue", *command, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": str(columns)},
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_no_help_line_is_wider_than_the_terminal(command: str) -> None:
    text = help_of(*command.split())
    wide = [line for line in text.splitlines() if len(line) > 80]
    assert not wide, "\n".join(wide)


def test_a_wrapped_example_goes_on_under_its_own_text() -> None:
    text = help_of("plan")
    assert "  decalogue plan XX-2025.json --format csv -o plan.csv" in text
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "--format csv -o plan.csv" in line)
    column = lines[first].index("edit it")
    assert lines[first + 1][:column].strip() == ""  # the rest of its words, under them


def decalogue(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["exprot", "XX-2026.json"], "did you mean export?"),
        (["export", "XX-2026.json", "--fromat", "md"], "did you mean --format?"),
        (["export", "XX-2026.json", "--format", "mdd"], "did you mean md?"),
        (["status", "XX-2026.json", "finale"], "did you mean final?"),
        (["XX-2026.json"], "decalogue open XX-2026.json"),
    ],
)
def test_a_typo_is_answered_with_what_was_meant(typed: list[str], meant: str) -> None:
    done = decalogue(*typed)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert meant in done.stderr.splitlines()[-1]
