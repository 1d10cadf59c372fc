"""Helpers shared by test files: one copy each, imported from here, never from a test file."""

from __future__ import annotations

import os
import re
import select
import subprocess
from collections.abc import Sequence


def run_in_terminal(command: Sequence[str], timeout: float = 30) -> tuple[int, str]:
    """Run `command` with a pseudo-terminal as stdout and stderr: (exit code, what it showed).

    The terminal's own CR before each LF is taken out; every other byte is as sent.
    """
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    output = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], timeout)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed (EIO on Linux)
                break
            if not chunk:
                break
            output += chunk
    finally:
        process.wait(timeout=60)
        os.close(leader)
    return process.returncode, re.sub(r"\r+\n", "\n", output.decode("utf-8", "replace"))
