"""A text edited in the user's own editor ($VISUAL, $EDITOR, else vi).

The workbench steps aside (Textual's suspend) while the editor has the terminal, and
the text goes through a file in a private temporary folder that is removed after.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from textual.app import App


def edit_in_editor(app: App[Any], name: str, text: str) -> str | None:
    """The text as the user left it in their editor; None, said in a notice, when no
    editor could run here (a served page, a missing program)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            with app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
            edited = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as error:
            app.notify(f"Could not run {editor}: {error}", severity="error", markup=False)
            return None
        except Exception as error:  # SuspendNotSupported and friends
            app.notify(f"Cannot open an editor here: {error}", severity="error", markup=False)
            return None
    app.refresh()
    return edited
