"""The fork helper of `decalogue serve` shows the home screen once before forking sessions:
in a folder of its own, touching nothing of the user's, and leaving no thread behind; the
bundled checklist is then loaded, so no session loads and checks it again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, threading
from decalogue.cli import zygote
zygote.preload()
from decalogue.tui import shared_css
from decalogue.storage import checklists
from decalogue.resources import bundled_checklist_paths
loaded = {path for path, _ in checklists._LOADED}
print(json.dumps({
    "threads": threading.active_count(),
    "parsed": len(shared_css._PARSED),
    "checklists": all(path in loaded for path in bundled_checklist_paths()),
}))
"""


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_the_warm_up_parses_the_css_and_writes_nothing_of_the_users(tmp_path: Path) -> None:
    home, workspace = tmp_path / "home", tmp_path / "ws"
    home.mkdir()
    workspace.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "DECALOGUE_WORKSPACE": str(workspace),
        "DECALOGUE_STATE": str(tmp_path / "state"),
        "DECALOGUE_RECOVERY": str(tmp_path / "recovery"),
    }
    env.pop("DECALOGUE_PROFILE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["threads"] == 1  # forking with another thread alive could copy a held lock
    assert report["parsed"] > 10  # the app's and its widgets' CSS, parsed once for all sessions
    assert report["checklists"]  # a session's first listing finds the checklist loaded
    assert _files(workspace) == []
    assert not (tmp_path / "state").exists() and not (tmp_path / "recovery").exists()
    assert _files(home) == []
