"""A `decalogue serve` process for the tests, and the processes it starts (found in /proc).

`Served` starts the server on a free port with its links read from its output, and its
`kill` is the watchdog that leaves nothing running when a test fails half-way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from decalogue.serve.forks import SESSION_NAME, ZYGOTE_MODULE

ROOT = Path(__file__).resolve().parent.parent


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def children_of(pid: int) -> list[int]:
    return sorted(p for p in all_pids() if parent_of(p) == pid and running(p))


def is_fork_helper(pid: int) -> bool:
    """The process the server forks sessions from (a forked session renames itself at once)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        name = Path(f"/proc/{pid}/comm").read_bytes().strip()
    except OSError:
        return False
    return ZYGOTE_MODULE.encode() in cmdline and name != SESSION_NAME


def mentioning(text: str) -> list[int]:
    """Processes whose command line holds `text` (the test's unique workspace path)."""
    found = []
    for pid in all_pids():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline and pid != os.getpid() and running(pid):
            found.append(pid)
    return found


def wait_until(condition: object, timeout: float, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting until {what}")


class Served:
    """A `decalogue serve` process and everything it started, killed when the test ends.

    `links` maps "facilitator", "viewer" and each group's name to its printed link;
    `url` is the facilitator's, `base` the server's address without a token.
    """

    def __init__(self, workspace: Path, *extra: str, groups: int | None = None) -> None:
        self.workspace = workspace
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "decalogue",
                "serve",
                "--port",
                "0",
                "--workspace",
                str(workspace),
                *extra,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._got_line = threading.Event()
        self.seen: set[int] = set()
        expected = 3 + (extra.count("--group") if groups is None else groups)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()
        deadline = time.monotonic() + 30
        while len(self.lines) < expected and time.monotonic() < deadline:
            self._got_line.wait(1)
            self._got_line.clear()
        if len(self.lines) < expected:
            self.kill()
            raise AssertionError(f"decalogue serve printed no links within 30s: {self.lines}")
        self.links = parse_links(self.lines)
        self.url = self.links["facilitator"]
        self.base = self.url.split("/?", 1)[0]
        assert self.base.startswith("http://127.0.0.1:"), self.lines

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self._got_line.set()

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.errors.append(line.rstrip("\n"))

    def apps(self) -> list[int]:
        """The server's app processes: its children, but for the helper it forks them from."""
        apps = [pid for pid in children_of(self.process.pid) if not is_fork_helper(pid)]
        self.seen.update(apps)
        return apps

    def kill(self) -> None:
        """The watchdog: whatever is left, by process group and by pid."""
        for pid in [*self.seen, *mentioning(str(self.workspace))]:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


def parse_links(lines: list[str]) -> dict[str, str]:
    """The printed links: `  ROLE (what it may do): URL`; a group's role names it in quotes."""
    links = {}
    for line in lines:
        if not line.startswith("  "):
            continue
        url = line.rsplit(" ", 1)[1]
        role = line.split()[0]
        links[line.split("'")[1] if role == "group" else role] = url
    return links


def answered(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        item: response.get("level") if not response.get("not_applicable") else "N/A"
        for item, response in data["responses"].items()
        if response.get("level") is not None or response.get("not_applicable")
    }
