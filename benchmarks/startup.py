"""Figures 1 and 6: cold start to the first interactive frame, and peak memory.

`decalogue open FILE` (the bundled checklist, a half-filled assessment of
Exampleland) and the floor, `python -m benchmarks.baseline_app` (a Textual app
with a header, a footer and a one-node tree), are launched alternately on a
pseudo-terminal by `benchmarks.launch`: the clock runs from spawning the process
to the first frame showing the first item of the tree (for the floor, its one
node). Each process is then killed and its peak resident memory read.

"Cold" means a new process each time, with the operating system's file cache
and Python's compiled bytecode warm, as on a user's machine after the first
run; the first launch of each is a warm-up and is not counted.

Figure 6 also opens a generated checklist of 10,000 items: first with an empty
checklist cache (the checklist is parsed and validated), then as on any later
day (the validated checklist comes from the cache).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from benchmarks import start_phases
from benchmarks.common import Row, Settings
from benchmarks.generate import Fill, synthetic_assessment, write_assessment, write_checklist
from benchmarks.launch import Launch, child_env, launch, python_argv
from decalogue.storage.checklists import load_checklist

BASELINE = (python_argv("-m", "benchmarks.baseline_app"), "baseline-node")

MB = 1024 * 1024


def _workspace(folder: Path, checklist_path: Path | None, share: float = 0.5) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json*"):
        old.unlink()
    checklist = load_checklist(checklist_path)
    return write_assessment(
        folder / "XX-2025.json", synthetic_assessment(checklist, fill=Fill(share=share))
    )


def _open_argv(path: Path, checklist: Path | None = None) -> list[str]:
    argv = python_argv("-m", "decalogue", "open", os.fspath(path))
    argv += ["--workspace", os.fspath(path.parent)]
    if checklist is not None:
        argv += ["--checklist", os.fspath(checklist)]
    return argv


def _paired(
    subject: tuple[list[str], str], runs: int, env: dict[str, str]
) -> tuple[list[Launch], list[Launch]]:
    """Alternate the app and the floor; the first of each is a warm-up."""
    launch(*subject, env=env)
    launch(*BASELINE, env=env)
    mine, floor = [], []
    for index in range(runs):
        if index % 2 == 0:
            mine.append(launch(*subject, env=env))
            floor.append(launch(*BASELINE, env=env))
        else:
            floor.append(launch(*BASELINE, env=env))
            mine.append(launch(*subject, env=env))
    return mine, floor


def measure(settings: Settings) -> list[Row]:
    cache = settings.workdir / "launch-cache"
    env = child_env({"DECALOGUE_CHECKLIST_CACHE": os.fspath(cache)})
    bundled = _workspace(settings.workdir / "start-bundled", None)
    first = load_checklist().items[0].id
    mine, floor = _paired((_open_argv(bundled), first), settings.runs, env)
    rows = [
        Row(
            "1 Cold start",
            "decalogue open (bundled checklist, half filled) to first frame",
            "s",
            [r.seconds for r in mine],
            [r.seconds for r in floor],
            judge="ratio",
            limit=1.5,
        ),
        Row(
            "1 Cold start",
            "  CPU time to first frame (user + system)",
            "s",
            [r.cpu_seconds for r in mine if r.cpu_seconds is not None],
            [r.cpu_seconds for r in floor if r.cpu_seconds is not None],
        ),
        *start_phases.measure(
            _open_argv(bundled)[3:],
            first,
            BASELINE[1],
            runs=settings.runs,
            env=env,
            workdir=settings.workdir,
        ),
        Row(
            "6 Memory",
            "peak RSS, decalogue open (bundled checklist)",
            "MB",
            [r.peak_rss / MB for r in mine],
            [r.peak_rss / MB for r in floor],
            judge="ratio",
            limit=1.3,
        ),
    ]
    size = settings.sizes[-1]
    checklist_path = write_checklist(settings.workdir, size)
    large = _workspace(settings.workdir / f"start-{size}", checklist_path)
    subject = (_open_argv(large, checklist_path), load_checklist(checklist_path).items[0].id)
    runs = max(1, settings.runs // 2)
    validating, cached = [], []
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        validating.append(launch(*subject, env=env))
        cached.append(launch(*subject, env=env))
    rows += [
        Row(
            "6 Memory",
            f"peak RSS, decalogue open ({size:,} items, checklist cached)",
            "MB",
            [r.peak_rss / MB for r in cached],
            [r.peak_rss / MB for r in floor],
            judge="value",
            limit=100.0,
        ),
        Row(
            "6 Memory",
            f"peak RSS, first open of the {size:,}-item checklist (validating)",
            "MB",
            [r.peak_rss / MB for r in validating],
            [r.peak_rss / MB for r in floor],
        ),
        Row(
            "1 Cold start",
            f"decalogue open ({size:,} items, checklist cached) to first frame",
            "s",
            [r.seconds for r in cached],
            [r.seconds for r in floor],
            judge="value",
            limit=0.8,
        ),
        Row(
            "1 Cold start",
            f"first open of the {size:,}-item checklist (validating) to first frame",
            "s",
            [r.seconds for r in validating],
            [r.seconds for r in floor],
        ),
    ]
    return rows
