"""`decalogue workshop` and `decalogue serve`: the trainer's screen, and the app in browsers.

`workshop` opens the workshop screen on the groups' files (the app is built by
`create_app`, as everywhere). `serve` hands the work to `decalogue.serve.server`;
textual is imported only by the command that runs the app here.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from decalogue.errors import DecalogueError, display_path


def register(subparsers: Any) -> None:
    from decalogue.cli import add_store_option, add_workspace_option

    workshop = subparsers.add_parser(
        "workshop",
        help="open the workshop screen on the groups' files",
        description=(
            "Open the workshop screen: every group's level per item, the median and the "
            "spread, most disputed items first; a presenter view for the projector; and a "
            "consensus built item by item and saved as a new assessment in the workspace. "
            "Folders stand for every *.json in them."
        ),
    )
    workshop.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    workshop.add_argument(
        "--checklist",
        metavar="ID|PATH",
        help="the checklist the groups answered, when it is neither bundled nor registered",
    )
    add_workspace_option(workshop)
    workshop.set_defaults(handler=run_workshop)

    serving = subparsers.add_parser(
        "serve",
        help="serve the workbench to browsers (a workshop without terminals)",
        description=(
            "Serve the workbench to web browsers: every browser that opens a link gets its own "
            "app on the workspace. Each link carries a token and a role: the facilitator's "
            "(the whole workbench), the viewer's (read only, for the projector) and one per "
            "--group (that group's assessment only). Loopback only by default; --host 0.0.0.0 "
            "opens it to the room's network. Ctrl+C stops the server and every app it started. "
            "Needs: pip install 'decalogue[serve]'."
        ),
    )
    serving.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serving.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)"
    )
    serving.add_argument(
        "--group",
        action="append",
        default=[],
        metavar='"NAME=FILE.json"',
        help="a group's link, to that one assessment in the workspace (with --store: NAME=ID, "
        "an assessment in the store); repeat for each group",
    )
    serving.add_argument(
        "--token",
        metavar="VALUE",
        help="the facilitator's token (22+ characters), so the links stay the same at every "
        "start; default: a new random token",
    )
    serving.add_argument(
        "--max-sessions",
        type=int,
        default=None,
        metavar="N",
        help="browser sessions at once, all links together (default: 40)",
    )
    serving.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="your name: what the facilitator's link records its edits and decisions under "
        "(default: $DECALOGUE_USER, else the name in your profile, else 'facilitator')",
    )
    add_workspace_option(serving)
    add_store_option(serving)
    serving.set_defaults(handler=run_serve)


def run_workshop(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths
    for path in paths:
        if not path.exists():
            raise DecalogueError(f"{display_path(path)}: no such file or folder")
    from textual.pilot import Pilot

    from decalogue.batch import open_groups
    from decalogue.cli.app import run
    from decalogue.tui.app import create_app
    from decalogue.tui.screens.workshop import WorkshopScreen

    app = create_app(getattr(args, "workspace", None), checklist=args.checklist)
    open_groups(paths, app.context.checklist_resolver)  # refuse bad files before the screen opens

    async def open_workshop(pilot: Pilot[object]) -> None:
        await pilot.app.push_screen(WorkshopScreen(paths))

    run(app, auto_pilot=open_workshop)  # a closed terminal or SIGTERM keeps the decisions
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from decalogue.cli import store_url_of, user_of
    from decalogue.roles import Role, parse_group
    from decalogue.serve.limits import DEFAULT_MAX_SESSIONS
    from decalogue.serve.server import require_textual_serve, serve
    from decalogue.storage.profile import current_identity
    from decalogue.storage.workspace import Workspace

    require_textual_serve()
    if not 0 <= args.port <= 65535:
        raise DecalogueError(f"--port {args.port}: give a port from 1 to 65535 (0: any free one)")
    sessions = DEFAULT_MAX_SESSIONS if args.max_sessions is None else args.max_sessions
    if not 1 <= sessions <= 1000:
        raise DecalogueError(f"--max-sessions {sessions}: give a number from 1 to 1000")
    groups = [parse_group(text) for text in args.group]
    workspace = Workspace.resolve(getattr(args, "workspace", None))
    serve(
        args.host,
        args.port,
        workspace.root.resolve(),
        groups=groups,
        token=args.token,
        max_sessions=sessions,
        database=store_url_of(args),
        facilitator=current_identity(user_of(args)).name or Role.FACILITATOR.value,
    )
    return 0
