"""Figure 1's breakdown: where the CPU time to the first frame goes, app against floor.

The cold-start ratio alone does not say what could be cut. Here the app and the
floor are launched as in figure 1, but through `benchmarks.phases_child`, which
first imports their layers one at a time (Textual; then, for the app, pydantic,
decalogue's models and the rest of decalogue), noting the process's CPU time
after each, and then runs the program as usual. The rest, up to the first frame,
is what the program does after its imports (reading files, building and drawing
the screen). The order moves no work in or out: each module is imported once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks.common import Row
from benchmarks.launch import launch, python_argv

#: Phase -> what the table calls it, in the order they happen.
PHASES = {
    "python": "Python starting",
    "textual": "importing Textual",
    "pydantic": "importing pydantic",
    "models": "building decalogue's models (pydantic classes)",
    "decalogue": "importing the rest of decalogue",
    "run": "after the imports, to the first frame",
}


def _launches(
    what: str, args: Sequence[str], marker: str, *, runs: int, env: Mapping[str, str], out: Path
) -> list[dict[str, dict[str, float]]]:
    """Per launch: CPU seconds and resident bytes added by each phase."""
    argv = python_argv("-m", "benchmarks.phases_child", os.fspath(out), what, *args)
    launch(argv, marker, env=env)  # warm-up
    found = []
    for _ in range(runs):
        result = launch(argv, marker, env=env)
        phases: dict[str, dict[str, float]] = json.loads(out.read_text())
        if result.cpu_seconds is not None:
            phases["cpu"]["run"] = max(0.0, result.cpu_seconds - sum(phases["cpu"].values()))
        phases["rss"]["run"] = max(0.0, result.peak_rss - sum(phases["rss"].values()))
        found.append(phases)
    return found


def measure(
    app_args: Sequence[str],
    app_marker: str,
    floor_marker: str,
    *,
    runs: int,
    env: Mapping[str, str],
    workdir: Path,
) -> list[Row]:
    """Per phase, milliseconds of CPU (figure 1) and megabytes of memory (figure 6)."""
    out = workdir / "phases.json"
    app = _launches("app", app_args, app_marker, runs=runs, env=env, out=out)
    floor = _launches("floor", (), floor_marker, runs=runs, env=env, out=out)
    rows = []
    for kind, figure, unit, scale in (
        ("cpu", "1 Cold start", "ms", 1e3),
        ("rss", "6 Memory", "MB", 2**-20),
    ):
        for key, label in PHASES.items():
            mine = [phases[kind][key] * scale for phases in app if key in phases[kind]]
            theirs = [phases[kind][key] * scale for phases in floor if key in phases[kind]]
            if mine:
                rows.append(
                    Row(
                        figure,
                        f"  of which ({'CPU' if kind == 'cpu' else 'peak RSS'}): {label}",
                        unit,
                        mine,
                        theirs,
                        note="" if theirs else "the floor has none",
                    )
                )
    return rows
