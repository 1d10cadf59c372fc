"""The helper `decalogue serve` forks every browser session from (see decalogue.serve.forks).

It imports what a served session runs (the command line, the app, its home
screen and Textual's web driver) once, runs the app to its home screen once,
headless (so what every session's first frame computes and keeps is computed
here: the parsed CSS, Textual's and Rich's caches), freezes those objects out
of the cycle collector (so the forked processes do not copy their pages just to
scan them), and then forks one process per request:
`python -m decalogue.cli.zygote FD ARGS…`.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from pathlib import Path

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
    with contextlib.suppress(Exception):  # only a head start: sessions start without it
        warm_up()


def warm_up() -> None:
    """Run the app once to its home screen, headless, in a folder of its own.

    Its settings (state, recovery and workspace folders) point into that folder
    meanwhile, so nothing of the user's is read or written. Tooltips and
    notifications are on, as in a session, so their styles are parsed too. The
    folder holds one blank assessment of a fictional country, so the home screen
    lists it as a session lists the room's: the bundled checklist is loaded and
    checked here once (the resolver keeps it while its file is unchanged), not
    again in every session's first listing.
    """
    import asyncio
    import tempfile

    from decalogue.model.assessment import new_assessment
    from decalogue.storage.checklists import load_checklist
    from decalogue.storage.workspace import Workspace
    from decalogue.tui.app import DecalogueApp, create_app

    async def home(app: DecalogueApp) -> None:
        async with app.run_test(size=(120, 40), tooltips=True, notifications=True) as pilot:
            await pilot.pause()

    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="decalogue-warm-up-") as folder:
        for name in ("DECALOGUE_STATE", "DECALOGUE_RECOVERY", "DECALOGUE_WORKSPACE"):
            os.environ[name] = folder
        try:
            blank = new_assessment(load_checklist(), "XX", "2025", country_name="Exampleland")
            Workspace(Path(folder)).create(blank)
            asyncio.run(home(create_app(Path(folder), user="warm-up")))
        finally:
            os.environ.clear()
            os.environ.update(saved)


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
