"""Run the benchmark and print one table: `python -m benchmarks` (see README, Performance).

Every figure is the median of several runs with the minimum and maximum; a
ratio is the app's median over its floor's, both measured alternately in the
same run. The inputs are generated in a temporary folder (or --workdir) and
removed afterwards. `--quick` runs fewer repetitions (about a minute and a
half); the test suite runs it on tiny sizes to keep it working.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from benchmarks.common import Row, Settings, table

RESULTS = Path(__file__).resolve().parent / "results"

#: Figure number -> module, in the order they run: the launches first, while this process
#: is small (a child's memory and start-up do not depend on its parent's size then).
FIGURES = {
    1: "startup",
    6: "startup",
    2: "checklist_load",
    4: "autosave",
    5: "scale",
    3: "keystroke",
    7: "relaunch",
    8: "serve",
    9: "pg_store",
}


def _sizes(text: str) -> tuple[int, int]:
    parts = [int(p.replace("_", "").replace(",", "")) for p in text.split(":")]
    if len(parts) != 2 or min(parts) < 1:
        raise argparse.ArgumentTypeError("give two sizes, e.g. 1000:10000")
    return parts[0], parts[1]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--only",
        type=lambda text: {int(n) for n in text.split(",")},
        default=set(FIGURES),
        metavar="N,N",
        help="figures to run (1-9; 1 and 6 always run together)",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=(1_000, 10_000),
        metavar="SMALL:LARGE",
        help="generated checklist sizes (default 1000:10000)",
    )
    parser.add_argument("--runs", type=int, help="repetitions of each subprocess measurement")
    parser.add_argument("--keystrokes", type=int, help="timed scoring keys per app run")
    parser.add_argument("--states", type=int, default=57, help="countries for figure 5")
    parser.add_argument("--periods", type=int, default=10, help="periods per country")
    parser.add_argument("--groups", type=int, default=30, help="workshop groups for figure 5")
    parser.add_argument("--saves", type=int, help="autosaves timed in figure 4")
    parser.add_argument(
        "--browsers", type=int, default=30, help="browsers joining at once in figure 8"
    )
    parser.add_argument(
        "--writers", type=int, default=20, help="concurrent PostgreSQL writers in figure 9"
    )
    parser.add_argument(
        "--write-seconds", type=float, help="how long they write (default 60, 15 with --quick)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the generated inputs here")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument(
        "--markdown",
        type=Path,
        default=RESULTS / "latest.md",
        help="where the table is also written (default benchmarks/results/latest.md)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a figure misses its budget"
    )
    return parser


def settings_from(args: argparse.Namespace, workdir: Path) -> Settings:
    quick = args.quick
    return Settings(
        workdir=workdir,
        runs=args.runs or (3 if quick else 7),
        sizes=args.sizes,
        keystrokes=args.keystrokes or (30 if quick else 60),
        states=args.states,
        periods=args.periods,
        groups=args.groups,
        saves=args.saves or (20 if quick else 50),
        browsers=args.browsers,
        writers=args.writers,
        write_seconds=args.write_seconds or (15.0 if quick else 60.0),
        quick=quick,
    )


def _header(settings: Settings) -> str:
    import textual

    from decalogue import __version__

    return (
        f"decalogue {__version__} · Python {platform.python_version()} · "
        f"textual {textual.__version__} · {platform.system()} {platform.machine()} · "
        f"{os.cpu_count()} CPUs · {time.strftime('%Y-%m-%d %H:%M')}"
        + (" · --quick" if settings.quick else "")
    )


def run(settings: Settings, only: set[int], say: Callable[[str], None]) -> list[Row]:
    from importlib import import_module

    rows: list[Row] = []
    done: set[str] = set()
    for number, name in FIGURES.items():
        if number not in only or name in done:
            continue
        done.add(name)
        gc.collect()  # each figure starts without the previous one's garbage
        start = time.perf_counter()
        say(f"figure {number}: {name} ...")
        rows += import_module(f"benchmarks.{name}").measure(settings)
        say(f"figure {number}: {name} done in {time.perf_counter() - start:.0f} s")
    return sorted(rows, key=lambda row: row.figure.split()[0])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    only = set(args.only)
    if only & {1, 6}:
        only |= {1, 6}
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="decalogue-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = settings_from(args, workdir)
    # Validated checklists are cached in the work folder, never in the user's cache.
    os.environ["DECALOGUE_CHECKLIST_CACHE"] = os.fspath(workdir / "checklist-cache")

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        rows = run(settings, only, say)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    report = f"{_header(settings)}\n\n{table(rows)}\n"
    print(report)
    say(f"total {time.perf_counter() - started:.0f} s")
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(row) | {"verdict": row.verdict} for row in rows], indent=2),
            encoding="utf-8",
        )
    misses = [row for row in rows if row.verdict == "MISS"]
    return 1 if args.strict and misses else 0
