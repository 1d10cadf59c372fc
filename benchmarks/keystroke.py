"""Figure 3 (and the proof for figure 4): a scoring key to the frame that shows it.

The app runs headless in this process (`App.run_test`), on a generated
checklist with a half-filled assessment, as a user works: `]` jumps to the next
unanswered item, a digit scores it. A key is posted exactly as the terminal
driver posts it; the clock stops when the screen hands its next frame to the
driver (`App._display`) after the action has run: that frame holds the item's
new glyph, its section's progress and the header's score.

Two clocks: the event loop thread's CPU time (`time.thread_time`), which is the
app's own work, including garbage collection and excluding idle waits; and
wall time, which adds Textual's frame pacing (frames at most 60 a second) and
anything else waiting on the thread. The budget applies to the CPU figure.

Autosave: the app saves 0.8 s after the last change, in a thread worker. After
the timed keys, the harness waits for each autosave to start and then scores
the next item while that save is running; it records on which thread every
save ran, and the latency of those keys.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import Row, Settings, percentile
from benchmarks.generate import Fill, synthetic_assessment, write_assessment, write_checklist
from decalogue.storage.checklists import load_checklist

FIGURE = "3 Keystroke"

#: Keys scored before the clock starts (first renders of the detail pane, caches).
WARMUP = 5

#: A key's work is over when no frame has followed for this long (frames come every 1/60 s).
QUIET = 0.05

#: No key's frames may go on longer than this.
SETTLE_LIMIT = 5.0


@dataclass
class Probe:
    """Instrumentation shared by the patched methods and the driving coroutine."""

    screen: Any = None
    handled: bool = False
    waiting: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)
    frame_cpu: float = 0.0
    frame_wall: float = 0.0
    last_cpu: float = 0.0
    """The end of the latest frame, whatever caused it."""
    saves: list[tuple[bool, float]] = field(default_factory=list)
    """(ran on the event loop thread, seconds) of every Session.save."""
    save_started: threading.Event = field(default_factory=threading.Event)


@dataclass
class Result:
    score_cpu: list[float]
    score_wall: list[float]
    score_all: list[float]
    jump_cpu: list[float]
    during_save_cpu: list[float]
    during_save_wall: list[float]
    saves: list[tuple[bool, float]]


def _install(probe: Probe) -> Callable[[], None]:
    """Patch the app's frame output and the session's save; returns the undo."""
    from decalogue.session import Session
    from decalogue.tui.app import DecalogueApp

    display = DecalogueApp._display
    save = Session.save
    loop_thread = threading.get_ident()

    def _display(self: Any, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        probe.last_cpu = time.thread_time()
        if probe.waiting and probe.handled and screen is probe.screen:
            probe.frame_cpu = time.thread_time()
            probe.frame_wall = time.perf_counter()
            probe.waiting = False
            probe.done.set()

    def _save(self: Session, *args: Any, **kwargs: Any) -> bool:
        probe.save_started.set()
        start = time.perf_counter()
        try:
            return save(self, *args, **kwargs)
        finally:
            on_loop = threading.get_ident() == loop_thread
            probe.saves.append((on_loop, time.perf_counter() - start))

    DecalogueApp._display = _display  # type: ignore[method-assign]
    Session.save = _save  # type: ignore[method-assign]

    def undo() -> None:
        DecalogueApp._display = display  # type: ignore[method-assign]
        Session.save = save  # type: ignore[method-assign]

    return undo


async def _drive(
    checklist_path: Path, assessment: Path, workspace: Path, keys: int, probe: Probe
) -> Result:
    from textual import events

    from decalogue.tui.app import create_app
    from decalogue.tui.screens.assess import AssessScreen

    app = create_app(workspace, open_path=assessment, checklist=checklist_path, user="Benchmark")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(600):
            if isinstance(app.screen, AssessScreen):
                break
            await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, AssessScreen), f"no assess screen: {screen!r}"
        await pilot.pause(0.2)
        probe.screen = screen
        for name in ("action_score", "action_next_unanswered"):
            original = getattr(screen, name)

            def wrapped(*args: Any, _original: Any = original) -> Any:
                result = _original(*args)
                probe.handled = True
                return result

            setattr(screen, name, wrapped)
        driver = app._driver
        assert driver is not None
        top = min(screen.checklist.scale.max_level, 9)

        async def press(
            key: str, character: str, settle: bool = True
        ) -> tuple[float, float, float]:
            """CPU to the first frame after the action, wall to it, CPU to the last frame."""
            probe.handled, probe.waiting = False, True
            probe.done.clear()
            event = events.Key(key, character)
            event.set_sender(app)
            cpu, wall = time.thread_time(), time.perf_counter()
            driver.send_message(event)
            try:
                await asyncio.wait_for(probe.done.wait(), timeout=30)
            except asyncio.TimeoutError:
                notes = [n.message for n in app._notifications]
                raise RuntimeError(
                    f"no frame 30 s after key {key!r}; screen {app.screen!r}, "
                    f"handled {probe.handled}, notifications {notes}, "
                    f"dirty {screen._dirty_widgets} layout {screen._layout_required} "
                    f"batch {app._batch_count} saves {len(probe.saves)} "
                    f"workers {list(app.workers)} current {screen.checklist_tree.current_item} "
                    f"cursor {screen.checklist_tree.cursor_node!r}"
                ) from None
            first_cpu, first_wall = probe.frame_cpu - cpu, probe.frame_wall - wall
            # Frames that follow (work deferred by the app) until QUIET passes without one.
            last, deadline = None, time.perf_counter() + SETTLE_LIMIT
            while settle and last != probe.last_cpu:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"frames kept coming for {SETTLE_LIMIT} s after {key!r}")
                last = probe.last_cpu
                await asyncio.sleep(QUIET)
            return first_cpu, first_wall, probe.last_cpu - cpu

        tree = screen.checklist_tree

        async def jump() -> float:
            cpu, _, _ = await press("right_square_bracket", "]")
            if tree.current_item is None:
                raise RuntimeError(f"`]` left the cursor off the items: {tree.cursor_node!r}")
            return cpu

        score_cpu, score_wall, score_all, jump_cpu = [], [], [], []
        for index in range(WARMUP + keys):
            jump_time = await jump()
            level = str(index % (top + 1))
            cpu, wall, everything = await press(level, level)
            if index >= WARMUP:
                jump_cpu.append(jump_time)
                score_cpu.append(cpu)
                score_wall.append(wall)
                score_all.append(everything)
        # Keys typed while an autosave runs in its worker thread.
        during_cpu, during_wall = [], []
        for index in range(max(2, keys // 40)):
            probe.save_started.clear()
            deadline = time.perf_counter() + 10
            while not probe.save_started.is_set() and time.perf_counter() < deadline:
                await asyncio.sleep(0.005)
            await jump()
            level = str(index % (top + 1))
            cpu, wall, _ = await press(level, level)
            during_cpu.append(cpu)
            during_wall.append(wall)
        await pilot.pause(1.5)  # let the last autosave finish
        await app.workers.wait_for_complete()
    return Result(
        score_cpu, score_wall, score_all, jump_cpu, during_cpu, during_wall, list(probe.saves)
    )


def run_once(checklist_path: Path, folder: Path, keys: int) -> Result:
    """One app session: a fresh half-filled assessment, `keys` timed scoring keys."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json*"):
        old.unlink()
    checklist = load_checklist(checklist_path)
    path = write_assessment(
        folder / "XX-2025.json", synthetic_assessment(checklist, fill=Fill(share=0.5))
    )
    probe = Probe()
    undo = _install(probe)
    try:
        return asyncio.run(_drive(checklist_path, path, folder, keys, probe))
    finally:
        undo()


def measure(settings: Settings) -> list[Row]:
    rows = []
    runs = 1 if settings.quick else 3
    for size in settings.sizes:
        path = write_checklist(settings.workdir, size)
        limit = 20.0 if size <= 1_000 else 40.0
        results = [
            run_once(path, settings.workdir / f"keys-{size}", settings.keystrokes)
            for _ in range(runs)
        ]

        def per_run(
            pick: Callable[[Result], list[float]],
            share: float,
            results: list[Result] = results,
        ) -> list[float]:
            return [percentile(pick(r), share) * 1000 for r in results]

        label = f"{size:,} items"
        rows += [
            Row(FIGURE, f"{label}: score key p50, CPU", "ms", per_run(lambda r: r.score_cpu, 50)),
            Row(
                FIGURE,
                f"{label}: score key p95, CPU",
                "ms",
                per_run(lambda r: r.score_cpu, 95),
                judge="value",
                limit=limit,
            ),
            Row(
                FIGURE,
                f"{label}: score key p95, CPU to the last frame it causes",
                "ms",
                per_run(lambda r: r.score_all, 95),
            ),
            Row(
                FIGURE,
                f"{label}: score key p95, wall (incl. frame pacing)",
                "ms",
                per_run(lambda r: r.score_wall, 95),
            ),
            Row(
                FIGURE,
                f"{label}: `]` next unanswered p95, CPU",
                "ms",
                per_run(lambda r: r.jump_cpu, 95),
            ),
            Row(
                FIGURE,
                f"{label}: score key while an autosave runs, max wall",
                "ms",
                [max(r.during_save_wall) * 1000 for r in results],
            ),
        ]
        saves = [s for r in results for s in r.saves]
        on_loop = sum(1 for loop, _ in saves if loop)
        if size == settings.sizes[0]:
            rows.append(
                Row(
                    "4 Autosave",
                    f"app saves on the event loop thread: {on_loop} of {len(saves)} "
                    f"({size:,} items; the rest in a worker)",
                    "ms",
                    [statistics.median(d for _, d in saves) * 1000] if saves else [0.0],
                    note="median save time in the app",
                )
            )
    return rows
