"""The terminal as the app reaches it: a lost terminal ends the app, it never hangs it.

Textual writes to the terminal from a thread fed by a bounded queue. When the
terminal goes away (a tmux window or an SSH session closed), the first write
fails (EIO), the thread dies, the queue fills, and the next write blocks the
app for good: a futex wait, at start-up as at any other moment. Here writes to
a lost terminal fail quietly instead, and the app asks `lost()` twice a second
so that it saves and exits even when no SIGHUP arrives (a terminal that is not
the process's controlling one).

Served to a browser, the app writes packets to the server through a pipe: screen
updates from the app's thread, a download's chunks from the driver's input thread.
Textual's web driver writes both with a bare `os.write`, and a pipe keeps a write
whole only up to 4 KiB: when the server reads slowly (a busy machine) and the pipe
is full, a screen update lands inside a 64 KiB chunk, and the server, reading a
stream out of step, cuts the download short. Here each packet is written whole,
one at a time.
"""

from __future__ import annotations

import os
import select
import sys
import threading
from typing import Any, TextIO

from textual.driver import Driver


class _TerminalFile:
    """The terminal's output stream; after one failed write, writes are dropped."""

    def __init__(self, file: TextIO) -> None:
        self._file = file
        self.failed = False

    def write(self, text: str) -> int:
        if not self.failed:
            try:
                self._file.write(text)
            except (OSError, ValueError):
                self.failed = True
        return len(text)

    def flush(self) -> None:
        if not self.failed:
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.failed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def hung_up(fd: int) -> bool:
    """Whether the terminal on `fd` is gone (hang-up or error), without reading from it."""
    poller = select.poll()
    poller.register(fd, 0)  # no events asked: hang-up and errors are always reported
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


def whole_writes(fd: int) -> Any:
    """A `write(bytes)` to `fd` that writes each packet whole, one thread at a time."""
    lock = threading.Lock()

    def write(data: bytes) -> int:
        with lock:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        return len(data)

    return write


def safe_driver(driver_class: type[Driver]) -> type[Driver]:
    """Textual's POSIX terminal driver with output that survives a lost terminal; its web
    driver (`serve`) with packets that reach the server whole."""
    if sys.platform == "win32":
        return driver_class
    from textual.drivers.linux_driver import LinuxDriver

    # Looked up, not imported: a terminal's start never loads the web driver.
    web = sys.modules.get("textual.drivers.web_driver")
    if web is not None and issubclass(driver_class, web.WebDriver):

        class WholePacketsDriver(driver_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._write = whole_writes(self.fileno)  # every packet goes through it

        return WholePacketsDriver
    if not issubclass(driver_class, LinuxDriver):
        return driver_class  # a headless test driver

    class SafeTerminalDriver(driver_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.terminal_output = _TerminalFile(vars(self)["_file"])
            self._file = self.terminal_output

        def lost(self) -> bool:
            return self.terminal_output.failed or hung_up(self.fileno)

    return SafeTerminalDriver


def lost(driver: Driver | None) -> bool:
    """Whether the app's terminal went away (False for drivers that cannot tell)."""
    check = getattr(driver, "lost", None)
    return bool(check()) if callable(check) else False
