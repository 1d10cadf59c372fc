"""Test files share helpers through tests/helpers.py (and samples, hostile, serving, the
conftests), never by importing another test file: one copy each, and a test file can be
run, moved or deleted on its own."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_file_imports_another() -> None:
    importing = re.compile(r"^\s*(from|import)\s+tests(\.\w+)*\.test_\w+", re.MULTILINE)
    found = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if importing.search(path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"take shared helpers from tests/helpers.py: {found}"
