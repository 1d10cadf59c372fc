"""Figure 4: persisting one change to an assessment of 1,000 answered items.

`Session.save` on a real file in a folder on disk: serialise under the
session's lock, take the file lock, check the file is still the version that
was loaded, write the backup and the file atomically (temporary file, fsync,
rename, fsync of the folder). Each save follows one scoring change. The rows
below it split the time into serialising and writing. That the save stays off
the keystroke's path is shown by figure 3 (`keystroke.py`).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import Row, Settings, ms
from benchmarks.generate import Fill, synthetic_assessment, write_assessment, write_checklist
from decalogue.model.assessment import Answer
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.checklists import load_checklist
from decalogue.storage.place import FilePlace

FIGURE = "4 Autosave"


def file_system(path: os.PathLike[str]) -> str:
    try:
        out = subprocess.run(
            ["df", "-T", os.fspath(path)], capture_output=True, text=True, check=True
        ).stdout
        return out.splitlines()[1].split()[1]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown file system"


def measure(settings: Settings) -> list[Row]:
    size = settings.sizes[0]
    checklist = load_checklist(write_checklist(settings.workdir, size))
    folder = settings.workdir / "autosave"
    folder.mkdir(exist_ok=True)
    path = folder / "XX-2025.json"
    if path.exists():
        path.unlink()
    assessment = synthetic_assessment(checklist, fill=Fill(share=1.0))
    write_assessment(path, assessment)
    session = Session.open(path, checklist)
    # The split below writes its own copy, as the session alone writes its file (a write
    # by anyone else makes the next save read the file again and merge).
    split = FilePlace(folder / "XX-2025-split.json")
    split.file.unlink(missing_ok=True)
    split_fingerprint = store.create(split.file, session.assessment).fingerprint
    items = [item.id for item in checklist.items]
    top = checklist.scale.max_level
    saves, serialise, writes, floor = [], [], [], []
    for index in range(settings.saves + 1):
        item_id = items[(index * 7) % len(items)]
        current = session.assessment.responses[item_id].level or 0
        session.set_answer(item_id, Answer(level=(current + 1) % (top + 1)))
        start = time.perf_counter()
        session.save()
        elapsed = time.perf_counter() - start
        # The same work, split: serialising, and writing bytes that are ready.
        start = time.perf_counter()
        data = dumps(session.assessment)
        middle = time.perf_counter()
        split_fingerprint = split.save_merged(split_fingerprint, _ready(data)).fingerprint
        end = time.perf_counter()
        floor_time = _durable_write(folder / "floor.json", data)
        if index:  # the first save warms the file system's caches
            saves.append(elapsed)
            serialise.append(middle - start)
            writes.append(end - middle)
            floor.append(floor_time)
    kb = path.stat().st_size / 1000
    answered = len(session.assessment.responses)
    history = len(session.assessment.history)
    where = file_system(folder)
    return [
        Row(
            FIGURE,
            f"Session.save, {answered:,} answers + {history:,} history ({kb:,.0f} KB, {where})",
            "ms",
            ms(saves),
            ms(floor),
            judge="ratio",
            limit=4.0,
            note="floor: one bare durable write of the same bytes",
        ),
        Row(FIGURE, "  of which: serialise (dumps)", "ms", ms(serialise)),
        Row(
            FIGURE, "  of which: lock, check, .bak link, write, fsyncs", "ms", ms(writes), ms(floor)
        ),
    ]


def _durable_write(path: Path, data: bytes) -> float:
    """The least any crash-safe save costs here: temp file, fsync, rename, fsync of the folder."""
    start = time.perf_counter()
    temp = path.with_suffix(".tmp")
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return time.perf_counter() - start


def _ready(data: bytes) -> Callable[[bytes | None], bytes]:
    """What a save writes: bytes already made (the file on disk is its own copy's)."""
    return lambda _theirs: data
