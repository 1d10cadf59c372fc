"""Figure 7: the README's run command, relaunched, against the installed command.

`bash scripts/run --version` is what a user types every day; once the venv is
set up it must cost little more than `.venv/bin/decalogue --version`, the floor.
Both run alternately as new processes. The figure is measured only when the
checkout's venv is installed and current (its install stamp matches), since a
stale one would make the first launch install, which is not a relaunch.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from benchmarks.common import Row, Settings, paired

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def _current() -> bool:
    stamp = VENV / ".decalogue-install"
    if not (stamp.is_file() and (VENV / "bin" / "decalogue").is_file()):
        return False
    wanted = subprocess.run(
        ["bash", "-c", "cat pyproject.toml scripts/run | cksum"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return stamp.read_text(encoding="utf-8").strip() == wanted


def _runner(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, check=True)


def measure(settings: Settings) -> list[Row]:
    measure_text = "bash scripts/run --version, relaunched"
    if not _current():
        return [Row("7 Relaunch", measure_text, "s", [0.0], note="skipped: run scripts/run once")]
    script = ["bash", "scripts/run", "--version"]
    direct = [str(VENV / "bin" / "decalogue"), "--version"]
    _runner(script)  # warm-up of both
    _runner(direct)
    mine, floor = paired(lambda: _runner(script), lambda: _runner(direct), settings.runs)
    return [Row("7 Relaunch", measure_text, "s", mine, floor, judge="ratio", limit=1.2)]
