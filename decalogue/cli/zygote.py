"""The helper `decalogue serve` forks every browser session from (see decalogue.serve.forks).

It imports what a served session runs (the command line, the app, its home
screen and Textual's web driver) once, freezes those objects out of the cycle
collector (so the forked processes do not copy their pages just to scan them),
and then forks one process per request: `python -m decalogue.cli.zygote FD ARGS…`.
"""

from __future__ import annotations

import gc
import importlib
import sys

#: What a served session's first screen imports: the app, and what Textual and Rich
#: load on the first frame (found by listing the modules a session imports after the fork).
PRELOAD = (
    "decalogue.cli.app",
    "decalogue.tui.app",
    "textual.drivers.web_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "rich._emoji_codes",
    "concurrent.futures.thread",
    "encodings.utf_8_sig",
    "queue",
)


def preload() -> None:
    """Import what the first screen of a served session needs, once for all sessions."""
    for name in PRELOAD:
        importlib.import_module(name)
    from rich._unicode_data import load

    load()  # the character-width table


def start(args: list[str]) -> int:
    """In a forked session: Textual's settings from its environment, then the command."""
    import textual.constants

    from decalogue.cli import main

    importlib.reload(textual.constants)
    return main(args)


def run(argv: list[str]) -> int:
    from decalogue.serve.forks import name_helper, serve_forks

    name_helper()
    fd, args = int(argv[0]), argv[1:]
    preload()
    gc.collect()
    gc.freeze()
    serve_forks(fd, lambda: start(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
