"""Figure 5: an analyst's and a trainer's batch work, from the command line.

`decalogue compare` and `decalogue matrix` of 570 assessment files (the 57
participating States x 10 periods, SYNTHETIC random levels on the bundled
checklist, written to a temp folder) to CSV, and `decalogue merge` of 30
workshop groups' files into one consensus. Each is a whole process, as a user
runs it; the floor column is `decalogue --version`, the cost of starting the
command at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import Row, Settings
from benchmarks.generate import country_periods, workshop_groups, write_assessment
from benchmarks.launch import ROOT, child_env
from decalogue.storage.checklists import load_checklist

FIGURE = "5 Scale"


def _run(args: Sequence[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        cwd=cwd,
        env=child_env({"PYTHONPATH": str(ROOT)}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"decalogue {' '.join(args[:2])} ...: {done.stderr.decode()[-500:]}")
    return elapsed


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.json"):
        old.unlink()
    return path


def measure(settings: Settings) -> list[Row]:
    checklist = load_checklist()
    countries = _folder(settings.workdir / "countries")
    files = []
    for index, (name, assessment) in enumerate(country_periods(checklist, settings.periods)):
        if index >= settings.states * settings.periods:
            break
        files.append(os.fspath(write_assessment(countries / name, assessment)))
    groups = _folder(settings.workdir / "workshop")
    for name, assessment in workshop_groups(checklist, settings.groups):
        write_assessment(groups / name, assessment)
    output = settings.workdir / "consensus.json"
    merge = ["merge", os.fspath(groups), "-o", os.fspath(output), "--force"]

    runs = settings.runs
    floor, compared, matrixed, listed, merged = [], [], [], [], []
    _run(["--version"], settings.workdir)  # warm-up: bytecode, file cache
    _run(merge, settings.workdir)
    for _ in range(runs):
        floor.append(_run(["--version"], settings.workdir))
        compared.append(_run(["compare", "--format", "csv", *files], settings.workdir))
        matrixed.append(_run(["matrix", "--format", "csv", os.fspath(countries)], settings.workdir))
        listed.append(_run(["list", "--workspace", os.fspath(countries)], settings.workdir))
        merged.append(_run(merge, settings.workdir))
    n = len(files)
    return [
        Row(
            FIGURE,
            f"decalogue compare --format csv, {n} files (synthetic)",
            "s",
            compared,
            floor,
            judge="value",
            limit=2.0,
        ),
        Row(
            FIGURE,
            f"decalogue matrix --format csv, a folder of {n} files (synthetic)",
            "s",
            matrixed,
            floor,
            judge="value",
            limit=2.0,
        ),
        Row(FIGURE, f"decalogue list, a workspace of {n} files", "s", listed, floor),
        Row(
            FIGURE,
            f"decalogue merge, {settings.groups} groups",
            "s",
            merged,
            floor,
            judge="value",
            limit=0.5,
        ),
    ]
