"""The commands that start the workbench; textual is imported only when one runs.

`decalogue` (no command) opens the home screen, `decalogue open FILE` an
assessment (`--store URL`: an assessment of a team's database, by its id),
`decalogue explore [CHECKLIST]` a checklist without an assessment. All three
build the app with `decalogue.tui.app.create_app`, as the tests do.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decalogue.errors import DecalogueError, display_path

if TYPE_CHECKING:
    from textual.app import AutopilotCallbackType

    from decalogue.tui.app import DecalogueApp


def _store(args: argparse.Namespace) -> str | None:
    """The database the workbench lists and opens from; None: the folder workspace."""
    from decalogue.cli import store_url_of

    return store_url_of(args)


def register(subparsers: Any) -> None:
    from decalogue.cli import add_store_option, add_user_option, add_workspace_option

    opener = subparsers.add_parser(
        "open",
        help="open an assessment in the workbench",
        description=(
            "Open an assessment file on the assess screen (escape goes to the home screen of "
            "the workspace). Changes are saved automatically."
        ),
    )
    opener.add_argument(
        "file",
        type=Path,
        metavar="FILE|ID",
        help="an assessment (.json) file, or with --store the assessment's id",
    )
    opener.add_argument(
        "--checklist",
        metavar="ID|PATH",
        help="the checklist to open it with (default: the bundled one it names)",
    )
    opener.add_argument(
        "--force",
        action="store_true",
        help="open it with a --checklist of another id than the file's (its answers move to it)",
    )
    add_workspace_option(opener)
    add_user_option(opener)
    add_store_option(opener)
    opener.set_defaults(handler=run_open)

    explore = subparsers.add_parser(
        "explore",
        help="browse a checklist without an assessment",
        description=(
            "Browse a checklist (pillars, sections, items, guidance, sources) without scoring: "
            "for presenting it or reading it before an assessment."
        ),
    )
    explore.add_argument(
        "checklist",
        nargs="?",
        metavar="CHECKLIST",
        help="a bundled checklist's id or a .toml file (default: the bundled checklist)",
    )
    add_workspace_option(explore)
    add_user_option(explore)
    explore.set_defaults(handler=run_explore)


def _workspace(args: argparse.Namespace) -> Path | None:
    value: Path | None = getattr(args, "workspace", None)
    return value


@contextmanager
def setting_up() -> Iterator[None]:
    """Import and build the app without the cycle collector, then freeze what was made.

    Importing Textual, pydantic and the screens makes a large heap of long-lived
    objects (modules, classes) and no garbage; the collector walked it several times
    before the first frame (see benchmarks/, figure 1). Frozen, later collections
    skip it.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()


def run(app: DecalogueApp, auto_pilot: AutopilotCallbackType | None = None) -> None:
    """Run the app so that a closed terminal (SIGHUP) or a shutdown (SIGTERM) saves open work
    (`auto_pilot`: what to open first, e.g. the workshop screen)."""
    app.stop_signals = tuple(
        getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
    )
    app.run(auto_pilot=auto_pilot)
    for elsewhere in app.kept_elsewhere:  # the home screen says so too, at the next start
        with suppress(OSError):  # a closed terminal hears nothing
            print(f"decalogue: {elsewhere}", file=sys.stderr)


def run_home(args: argparse.Namespace) -> int:
    """The home screen; served to a browser, the role and name `decalogue serve` set."""
    from decalogue.cli import user_of

    with setting_up():
        store = _store(args)
        from decalogue.roles import from_environment, user_from_environment
        from decalogue.tui.app import create_app

        served = from_environment()
        user = user_of(args) or user_from_environment()
        app = create_app(_workspace(args), served=served, user=user, store=store)
    run(app)
    return 0


def run_open(args: argparse.Namespace) -> int:
    path: Path = args.file
    from decalogue.cli import user_of

    with setting_up():  # from the first import of the models on
        store = _store(args)
        if store is not None and getattr(args, "store", None) is None and path.is_file():
            store = None  # a file named, with a store chosen only by default: the file
        if store is None and not path.is_file():
            raise DecalogueError(f"{display_path(path)}: no such file")
        from decalogue.roles import user_from_environment
        from decalogue.tui.app import create_app

        app = create_app(
            _workspace(args),
            open_path=path,
            checklist=args.checklist,
            user=user_of(args) or user_from_environment(),
            force=args.force,
            store=store,
        )
    run(app)
    return 0


def run_explore(args: argparse.Namespace) -> int:
    from decalogue.cli import user_of

    with setting_up():
        from decalogue.tui.app import create_app

        app = create_app(
            _workspace(args), explore=args.checklist, explore_mode=True, user=user_of(args)
        )
    run(app)
    return 0
