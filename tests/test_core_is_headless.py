"""The core never imports textual: the TUI asks the core, never the other way round.

import-linter checks the modules it is told about; this test checks every
module of the package outside `decalogue.tui`, so a new core module cannot slip
through.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import decalogue


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(decalogue.__path__, "decalogue.")
        if not info.name.startswith("decalogue.tui") and info.name != "decalogue.__main__"
    ]
    return sorted(names)


def test_no_core_module_imports_textual() -> None:
    modules = core_modules()
    assert "decalogue.model.checklist" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", f"textual imported by the core: {result.stdout}"
