"""Figure 9: a team on the PostgreSQL store (a throw-away server this run starts).

Twenty writer processes save one assessment at once, each its own item, each
save a merge with what the others saved (`storage.pg.location.save_merged`, the
path a session's save takes): how many saves per second land, and how many were
lost (each writer's last value must be in the final document and every save's
history entry must be kept; the budget is 0). Then the time from a save to its
NOTIFY arriving at another connection that LISTENs (what tells an open window to
take a change in), and `decalogue list --store` and `matrix --store` of 570 stored
assessments as a user runs them (floor: `decalogue --version`). The server runs
with fsync on, as a real one would; skipped, with one line saying why, where the
PostgreSQL binaries or psycopg are missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import Row, Settings, ms
from benchmarks.generate import bundled_path, country_periods
from benchmarks.launch import ROOT, child_env
from decalogue.model.assessment import Assessment, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.model.merge import Base, merge_into
from decalogue.storage.assessment_file import dumps, parse_assessment
from decalogue.storage.checklists import load_checklist

FIGURE = "9 PostgreSQL"


def unavailable() -> str | None:
    """Why this figure cannot run here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    from tests.postgres import bindir

    if bindir() is None:
        return "PostgreSQL binaries not found (apt-get install postgresql)"
    return None


def measure(settings: Settings) -> list[Row]:
    reason = unavailable()
    if reason is not None:
        print(f"figure 9: skipped: {reason}", file=sys.stderr, flush=True)
        return []
    from tests.postgres import Cluster

    cluster = Cluster(durable=True)
    try:
        checklist = load_checklist()
        rows = _writers(cluster.create_database("writers"), checklist, settings)
        rows += _notify(cluster.create_database("notify"), checklist, settings)
        rows += _listing(cluster.create_database("listing"), checklist, settings)
        return rows
    finally:
        cluster.remove()


def _checklist_text(checklist: Checklist) -> Any:
    from decalogue.storage.pg.documents import ChecklistText

    text = bundled_path().read_text(encoding="utf-8")
    return ChecklistText(
        checklist.content_hash, checklist.meta.id, checklist.meta.version, text, {}
    )


def _stored(url: str, checklist: Checklist) -> str:
    from decalogue.storage.pg import documents, schema

    schema.migrate(url, create=True)
    assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    documents.push(url, assessment, _checklist_text(checklist))
    return assessment.id


# --------------------------------------------------------------------------- writers


def _writers(url: str, checklist: Checklist, settings: Settings) -> list[Row]:
    ident = _stored(url, checklist)
    items = [item.id for item in checklist.items][: settings.writers]
    command = [sys.executable, "-m", "benchmarks.pg_store", url, ident, str(settings.write_seconds)]
    env = child_env({"PYTHONPATH": str(ROOT)})
    children = [
        subprocess.Popen(
            [*command, item_id, str(index)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for index, item_id in enumerate(items)
    ]
    for child in children:  # each has connected once and loaded the assessment
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError("a writer did not start")
    start = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    reports = []
    for child in children:
        out, _ = child.communicate(timeout=settings.write_seconds + 600)
        if child.returncode != 0:
            raise RuntimeError(f"a writer failed (exit {child.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.perf_counter() - start
    lost, saves = _lost(url, ident, reports)
    return [
        Row(
            FIGURE,
            f"{len(children)} writers, one item each, {settings.write_seconds:g} s: lost updates "
            f"of {saves:,} saves",
            "lost",
            [float(lost)],
            judge="value",
            limit=0,
            note="each writer's last value in the final document, every save in the history",
        ),
        Row(
            FIGURE,
            f"  saves landed per second (all {len(children)} writers together)",
            "saves/s",
            [saves / elapsed],
            note="each a merge under the assessment's row lock; fsync on",
        ),
    ]


def _lost(url: str, ident: str, reports: list[dict[str, Any]]) -> tuple[int, int]:
    """(updates missing from the final document or its history, saves made)."""
    from decalogue.storage.pg import location

    final, _, _ = location.load(url, ident)
    lost = 0
    saves = 0
    for report in reports:
        item, writes, last = report["item"], report["writes"], report["last"]
        saves += writes
        response = final.responses.get(item)
        if writes and (response is None or response.notes != last):
            lost += 1
        kept = sum(1 for c in final.history if c.item == item and c.field == "notes")
        lost += max(0, writes - kept)
    return lost, saves


def write_for(url: str, ident: str, seconds: float, item_id: str, index: int) -> dict[str, Any]:
    """One writer: change its item's notes and save with a merge, as fast as it can."""
    from decalogue.storage.pg import location

    mine, stored_fingerprint, _ = location.load(url, ident)
    base = Base.of(mine)
    print("ready", flush=True)
    sys.stdin.readline()
    end = time.perf_counter() + seconds
    writes, last = 0, None
    who = f"Writer {index:02d}"
    while time.perf_counter() < end:
        value = f"{who}, save {writes + 1}"
        mine.apply(item_id, "notes", value, who)
        saved = location.save_merged(url, ident, stored_fingerprint, _producer(mine, base))
        stored_fingerprint = saved.fingerprint
        base = Base.of(mine)
        writes, last = writes + 1, value
    return {"item": item_id, "writes": writes, "last": last}


def _producer(mine: Assessment, base: Base) -> Callable[[bytes | None], bytes]:
    def produce(current: bytes | None) -> bytes:
        if current is not None:
            merge_into(mine, base, parse_assessment(current, "store"))
        return dumps(mine)

    return produce


# --------------------------------------------------------------------------- NOTIFY


def _notify(url: str, checklist: Checklist, settings: Settings) -> list[Row]:
    import psycopg

    from decalogue.storage.pg import location, schema

    ident = _stored(url, checklist)
    arrived: dict[str, float] = {}
    ready = threading.Event()
    wanted = settings.saves

    def listen() -> None:
        with psycopg.connect(url, autocommit=True) as listener:
            listener.execute(f"LISTEN {schema.CHANNEL}")
            ready.set()
            for note in listener.notifies(timeout=120, stop_after=wanted):
                arrived[note.payload] = time.perf_counter()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    ready.wait(30)
    mine, stored_fingerprint, _ = location.load(url, ident)
    base = Base.of(mine)
    items = [item.id for item in checklist.items]
    begun: dict[str, float] = {}
    returned: dict[str, float] = {}
    for index in range(wanted):
        mine.apply(items[index % len(items)], "notes", f"save {index}", "Benchmark")
        start = time.perf_counter()
        saved = location.save_merged(url, ident, stored_fingerprint, _producer(mine, base))
        returned[f"{ident} {saved.revision}"] = time.perf_counter()
        begun[f"{ident} {saved.revision}"] = start
        stored_fingerprint, base = saved.fingerprint, Base.of(mine)
        time.sleep(0.02)  # a person's pace: the listener is idle when the save lands
    thread.join(60)
    shown = [arrived[key] - begun[key] for key in begun if key in arrived]
    saving = [returned[key] - begun[key] for key in begun]
    missing = len(begun) - len(shown)
    return [
        Row(
            FIGURE,
            f"a save begun -> its NOTIFY at a LISTEN connection ({len(shown)} saves"
            + (f", {missing} NOTIFY MISSING" if missing else "")
            + ")",
            "ms",
            ms(shown),
            judge="value",
            limit=1000.0,
            note="the save itself included; a window takes the change in from there",
        ),
        Row(
            FIGURE,
            "  the save itself, begun -> returned (the NOTIFY leaves at its commit)",
            "ms",
            ms(saving),
        ),
    ]


# --------------------------------------------------------------------------- listing


def _listing(url: str, checklist: Checklist, settings: Settings) -> list[Row]:
    from decalogue.storage.pg import documents, schema

    schema.migrate(url, create=True)
    text = _checklist_text(checklist)
    count = 0
    for index, (_, assessment) in enumerate(country_periods(checklist, settings.periods)):
        if index >= settings.states * settings.periods:
            break
        documents.push(url, assessment, text)
        count += 1
    env = child_env({"PYTHONPATH": str(ROOT)})
    command = [sys.executable, "-m", "decalogue"]
    listing, table, floor = [], [], []
    for _ in range(settings.runs):
        listing.append(_process([*command, "list", "--store", url], env))
        table.append(_process([*command, "matrix", "--store", url, "--format", "csv"], env))
        floor.append(_process([*command, "--version"], env))
    return [
        Row(
            FIGURE,
            f"decalogue list --store, {count:,} stored assessments (each scored)",
            "s",
            listing,
            floor,
            note="floor: decalogue --version",
        ),
        Row(
            FIGURE,
            f"decalogue matrix --store (every one of the {count:,}), to CSV",
            "s",
            table,
            floor,
            note="floor: decalogue --version",
        ),
    ]


def _process(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[2:4])}: {done.stderr.decode()[-500:]}")
    return elapsed


if __name__ == "__main__":
    url, ident, seconds, item_id, index = sys.argv[1:6]
    report = write_for(url, ident, float(seconds), item_id, int(index))
    print(json.dumps(report), flush=True)
    os._exit(0)
