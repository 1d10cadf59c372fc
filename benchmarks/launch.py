"""Launch a terminal app as a user would, and time it to its first interactive frame.

The app runs in a child process on a pseudo-terminal of a fixed size, with its
real terminal driver: nothing in the app is patched or told it is measured.
The clock stops when the text `marker` (something only the finished screen
shows, such as the first item of the tree) reaches the terminal, which is when
a user could see it and type. The child is then killed, and its peak resident
memory read first: VmHWM of /proc/PID/status, the high-water mark of the program
itself (the kernel's `ru_maxrss` would also count the pages of this, bigger,
process that the child shared between fork and exec).

Both the app and its floor (`benchmarks.baseline_app`) are launched the same
way, so the ratio compares like with like.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The pseudo-terminal's size: a common laptop terminal.
COLUMNS, ROWS = 120, 40


class LaunchError(RuntimeError):
    """The app exited or timed out before its first frame showed the marker."""


@dataclass(frozen=True)
class Launch:
    seconds: float
    """From spawning the process to the marker on the terminal."""
    peak_rss: int
    """Peak resident set size of the child, in bytes."""
    cpu_seconds: float | None = None
    """CPU time (user and system) the child had used when the marker showed (Linux)."""


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The user's environment, minus what would make runs differ from a user's.

    Bytecode is cached as in any installed package (the sandbox we run in may
    disable it, which would recompile every module at each start).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["TERM"] = "xterm-256color"
    env["COLORTERM"] = "truecolor"
    # A name, so that a first run on a machine measures the start, not the name question.
    env.setdefault("DECALOGUE_USER", "Benchmark")
    env.update(extra or {})
    return env


def python_argv(*args: str) -> list[str]:
    return [sys.executable, *args]


def launch(
    argv: Sequence[str],
    marker: str,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    timeout: float = 60.0,
) -> Launch:
    """Run `argv` on a pseudo-terminal until `marker` is shown; then kill it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    needle = marker.encode("utf-8")
    seen = bytearray()
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=dict(env) if env is not None else child_env(),
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    elapsed = None
    try:
        deadline = start + timeout
        while elapsed is None:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                break
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            # Keep enough of the previous chunk to find a marker split across reads.
            tail = len(seen)
            seen += chunk
            if needle in seen[max(0, tail - len(needle)) :]:
                elapsed = time.perf_counter() - start
    finally:
        cpu = _cpu_seconds(process.pid)
        peak = _high_water_mark(process.pid)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = -signal.SIGKILL
        os.close(master)
    if elapsed is None:
        shown = bytes(seen[-600:]).decode("utf-8", "replace")
        raise LaunchError(f"{' '.join(argv)}: no {marker!r} on screen; last output: {shown!r}")
    return Launch(elapsed, peak if peak is not None else usage.ru_maxrss * 1024, cpu)


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a running process so far (Linux), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _high_water_mark(pid: int) -> int | None:
    """Peak resident memory of a running process, in bytes (Linux), or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None
