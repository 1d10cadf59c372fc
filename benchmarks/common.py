"""What every figure shares: its settings, its rows, and the table they make."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

#: How a row is judged: a ratio to its floor, or the median (or p95) against a limit.
Judge = Literal["ratio", "value", "info"]


@dataclass(frozen=True)
class Settings:
    """Sizes and repetitions; `--quick` and the test's tiny run shrink them."""

    workdir: Path
    runs: int = 7
    """Repetitions of each subprocess measurement (cold start, memory, CLI)."""
    sizes: tuple[int, int] = (1_000, 10_000)
    """The two generated checklist sizes."""
    keystrokes: int = 200
    """Scoring keys per latency run."""
    states: int = 57
    periods: int = 10
    groups: int = 30
    saves: int = 50
    browsers: int = 30
    writers: int = 20
    """Concurrent writer processes on one PostgreSQL assessment (figure 9)."""
    write_seconds: float = 60.0
    """How long they write."""
    quick: bool = False


@dataclass
class Row:
    """One line of the table: a measured quantity, maybe with its floor and a budget."""

    figure: str
    measure: str
    unit: str
    """'s', 'ms', 'MB' or 'x' (a plain ratio with no floor column)."""
    values: list[float]
    floor: list[float] = field(default_factory=list)
    judge: Judge = "info"
    limit: float | None = None
    """The budget: a ratio to the floor for 'ratio', else in `unit`."""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.median / statistics.median(self.floor)

    @property
    def judged(self) -> float | None:
        if self.judge == "ratio":
            return self.ratio
        if self.judge == "value":
            return self.median
        return None

    @property
    def verdict(self) -> str:
        value = self.judged
        if value is None or self.limit is None:
            return ""
        return "ok" if value <= self.limit else "MISS"

    @property
    def budget(self) -> str:
        if self.limit is None:
            return ""
        if self.judge == "ratio":
            return f"<= {self.limit:g}x"
        return f"<= {_number(self.limit)} {self.unit}"


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def spread(values: Sequence[float], unit: str) -> str:
    if not values:
        return ""
    median = statistics.median(values)
    return f"{_number(median)} {unit} ({_number(min(values))}–{_number(max(values))})"


def table(rows: Sequence[Row]) -> str:
    """A Markdown table: readable in a terminal, pasted as is into the README."""
    header = ("Figure", "Measure", "Median (min–max)", "Floor", "Ratio", "Budget", "")
    lines = [header]
    for row in rows:
        ratio = row.ratio
        lines.append(
            (
                row.figure,
                row.measure + (f" [{row.note}]" if row.note else ""),
                spread(row.values, row.unit),
                spread(row.floor, row.unit),
                f"{ratio:.2f}x" if ratio is not None else "",
                row.budget,
                row.verdict,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if index == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def timed(function: Callable[[], object]) -> float:
    """Seconds one call takes; freeing what it returned comes after the clock stops."""
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def paired(
    subject: Callable[[], object], floor: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Alternate subject and floor so both see the same machine load; seconds each."""
    subject_times, floor_times = [], []
    for index in range(runs):
        first, second = (subject, floor) if index % 2 == 0 else (floor, subject)
        a, b = timed(first), timed(second)
        if first is subject:
            subject_times.append(a)
            floor_times.append(b)
        else:
            floor_times.append(a)
            subject_times.append(b)
    return subject_times, floor_times


def ms(values: Sequence[float]) -> list[float]:
    return [v * 1000 for v in values]


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share 0-100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share / 100 * len(ordered))))
    return ordered[rank - 1]
