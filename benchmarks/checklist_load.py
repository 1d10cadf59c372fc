"""Figure 2: parsing and validating a checklist, against `tomli.loads` of the same text.

The subject is `load_checklist(path)`: read, decode, parse, validate every
field, check every id and every quote against its source document. The floor
is `tomli.loads(text)` of the text already in memory, with nothing else. Both
run in this process, alternately, after one warm-up (the seed documents are
read once per process, as in the app). The cache is measured twice: the
first load of a file (parse, validate and write the cache) and a cached load.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import tomli

from benchmarks.common import Row, Settings, ms, paired
from benchmarks.generate import bundled_path, write_checklist
from decalogue.storage import checklist_cache
from decalogue.storage.checklists import load_checklist

FIGURE = "2 Checklist load"


def _runs(settings: Settings, size: int) -> int:
    if size >= 10_000:
        return 3 if settings.quick else 5
    return 5 if settings.quick else 11


def measure(settings: Settings) -> list[Row]:
    rows = []
    inputs = [("bundled", bundled_path(), 0)] + [
        (f"{size:,} items", write_checklist(settings.workdir, size), size)
        for size in settings.sizes
    ]
    cache_dir = settings.workdir / "checklist-cache"
    saved = os.environ.get(checklist_cache.ENV)
    try:
        for label, path, size in inputs:
            text = path.read_text(encoding="utf-8")
            mb = len(text.encode()) / 1e6

            def floor(text: str = text) -> object:
                return tomli.loads(text)

            def load(path: Path = path) -> object:
                return load_checklist(path)

            runs = _runs(settings, size)
            os.environ[checklist_cache.ENV] = "off"
            load()  # warm-up: seed documents, compiled patterns
            subject, base = paired(load, floor, runs)
            rows.append(
                Row(
                    FIGURE,
                    f"{label} ({mb:.1f} MB): parse + validate",
                    "ms",
                    ms(subject),
                    ms(base),
                    judge="ratio",
                    limit=1.15 if size else None,
                )
            )
            if len(text.encode()) < checklist_cache.MIN_BYTES:
                continue
            os.environ[checklist_cache.ENV] = str(cache_dir)
            firsts = []
            for _ in range(max(1, runs // 3)):
                for old in cache_dir.glob("*.bin"):
                    old.unlink()
                firsts.append(paired(load, floor, 1))
            rows.append(
                Row(
                    FIGURE,
                    f"{label}: first load (validate + write cache)",
                    "ms",
                    ms([s for (s,), _ in firsts]),
                    ms([b for _, (b,) in firsts]),
                    judge="info",
                )
            )
            subject, base = paired(load, floor, runs)
            rows.append(
                Row(
                    FIGURE,
                    f"{label}: cached load",
                    "ms",
                    ms(subject),
                    ms(base),
                    judge="ratio",
                    limit=0.25,
                )
            )
            gc.collect()
    finally:
        if saved is None:
            os.environ.pop(checklist_cache.ENV, None)
        else:
            os.environ[checklist_cache.ENV] = saved
    return rows
