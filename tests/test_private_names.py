"""A module uses another module's public names only: a leading underscore says "only here",
so what two modules share is public, in one place, and used the one way (e.g. the plan
import reads a CSV through csv_io's `read_table`, as the CSV import does)."""

from __future__ import annotations

import ast
from pathlib import Path

import decalogue

PACKAGE = Path(decalogue.__file__).resolve().parent


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("decalogue")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_module_imports_another_modules_private_name() -> None:
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in _private_imports(path)]
    assert found == [], "make the name public where it is defined: " + "; ".join(found)
