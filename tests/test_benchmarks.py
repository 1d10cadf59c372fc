"""The benchmark keeps working: `python -m benchmarks` on tiny sizes, in a subprocess.

No timing is asserted (the figures depend on the machine); the run must finish,
print one table with every figure, and write the same rows as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.pg_store import unavailable

ROOT = Path(__file__).resolve().parent.parent

TINY = [
    "--quick",
    "--sizes", "30:60",
    "--runs", "1",
    "--keystrokes", "3",
    "--states", "2",
    "--periods", "2",
    "--groups", "3",
    "--saves", "2",
    "--browsers", "2",
    "--writers", "2",
    "--write-seconds", "1",
]  # fmt: skip


def test_the_benchmark_runs_on_tiny_sizes_and_prints_every_figure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env["DECALOGUE_CHECKLIST_CACHE"] = str(tmp_path / "cache")
    env["DECALOGUE_WORKSPACE"] = str(tmp_path / "workspace")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            *TINY,
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(tmp_path / "rows.json"),
            "--markdown",
            str(tmp_path / "latest.md"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    assert "| Figure" in table and "Budget" in table
    for figure in (
        "1 Cold start",
        "2 Checklist load",
        "3 Keystroke",
        "4 Autosave",
        "5 Scale",
        "6 Memory",
        "8 Serve",
    ):
        assert f"| {figure}" in table, f"{figure} missing from:\n{table}"
    # Figure 1 says where the start's CPU time and memory go, layer by layer.
    for phase in (
        "importing Textual",
        "importing pydantic",
        "after the imports, to the first frame",
    ):
        assert f"of which (CPU): {phase}" in table, table
        assert f"of which (peak RSS): {phase}" in table, table
    if unavailable() is None:  # the PostgreSQL figure, where its server can run
        assert "| 9 PostgreSQL" in table and "0.00 lost" in table, table
    else:
        assert "figure 9: skipped: " in done.stderr
    rows = json.loads((tmp_path / "rows.json").read_text())
    assert {row["figure"] for row in rows} >= {"1 Cold start", "6 Memory", "3 Keystroke"}
    for row in rows:
        assert row["values"], row
        assert all(value >= 0 for value in row["values"]), row
        assert row["verdict"] in {"", "ok", "MISS"}
    assert (tmp_path / "latest.md").read_text().strip().endswith(table.strip().splitlines()[-1])
    saves = next(row for row in rows if row["measure"].startswith("app saves on the event loop"))
    assert saves["measure"].startswith("app saves on the event loop thread: 0 of "), saves
