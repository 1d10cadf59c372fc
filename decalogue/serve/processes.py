"""The app processes of `decalogue serve`: started in their own group, ended in order.

textual-serve leaves its processes to chance; here each starts in a process
group of its own (so a Ctrl+C in the server's terminal reaches the server,
which then ends them in order), and every one still running when its browser
goes away, or when the server stops, is asked to quit the way a user quits
(saving open work), then terminated (the app saves on SIGTERM too), then
killed; on Linux the kernel ends them even if the server itself is killed
outright.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Protocol

#: Seconds an app process gets to quit by itself (it saves open work) before SIGTERM.
QUIT_GRACE = 4.0
#: Seconds after SIGTERM before SIGKILL.
TERM_GRACE = 3.0

#: The key the app quits with (saving first), as a terminal sends it.
CTRL_Q = b"\x11"


class AppProcess(Protocol):
    """What the server uses of an app process, started by exec or forked (serve.forks)."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...


class Children:
    """The app processes started by this server, by pid; each leads its own process group."""

    def __init__(self) -> None:
        self.processes: dict[int, AppProcess] = {}

    def add(self, process: AppProcess) -> None:
        self.processes[process.pid] = process

    def discard(self, process: AppProcess) -> None:
        self.processes.pop(process.pid, None)

    @staticmethod
    def signal_group(pid: int, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)

    async def end(self, process: AppProcess, grace: float = QUIT_GRACE) -> None:
        """Wait for the process to quit; then SIGTERM its group; then SIGKILL it."""
        for sig, wait in ((None, grace), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, 5.0)):
            if process.returncode is not None:
                break
            if sig is not None:
                self.signal_group(process.pid, sig)
            await exits(process, wait)
        # Anything the app started in its group goes with it.
        self.signal_group(process.pid, signal.SIGKILL)
        self.discard(process)

    def kill_all_now(self) -> None:
        """Last resort when the event loop is gone: SIGKILL every group, reap what we can."""
        for pid in list(self.processes):
            self.signal_group(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5.0
        for pid in list(self.processes):
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    break
                if done:
                    break
                time.sleep(0.05)
        self.processes.clear()


#: prctl(2) option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1

#: The signals that stop the server in order; SIGHUP: its terminal window was closed.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def die_with_parent() -> Callable[[], None] | None:
    """On Linux, a hook that makes an app process end if the server is killed outright.

    SIGKILL leaves the server no chance to clean up, and an app whose input pipe
    closes would wait forever; the kernel sends it SIGTERM instead (the app quits
    on SIGTERM). The function is looked up before the fork; the hook only calls it.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the server died before the hook ran
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


async def exits(process: AppProcess, within: float) -> bool:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(process.wait(), within)
    return process.returncode is not None
