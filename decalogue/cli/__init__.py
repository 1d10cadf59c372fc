"""The `decalogue` command.

Each command group lives in its own module with a `register(subparsers)`
function; this module only builds the parser and turns every error a user can
cause into one line on stderr and exit code 1. Nothing here imports textual:
the TUI is loaded only by the commands that start it.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from decalogue import __version__
from decalogue.cli.parsing import HelpFormatter, Parser
from decalogue.errors import DecalogueError

if TYPE_CHECKING:
    from decalogue.storage.checklists import Checklists
    from decalogue.storage.stores import Store

#: Modules under decalogue.cli that add commands, in the order --help lists them.
COMMAND_MODULES = (
    "app",
    "assessment_commands",
    "checklist_commands",
    "upgrade_commands",
    "export_commands",
    "fill_commands",
    "plan_commands",
    "store_commands",
    "schema_commands",
    "status_commands",
    "workshop_commands",
    "workshop_tools_commands",
    "matrix_commands",
    "serve_commands",
)

#: The commands that start the workbench: their parser needs only `decalogue.cli.app`, so
#: the modules of the other commands (exports, compare, ...) are not imported on the way
#: to the first frame (see benchmarks/, figure 1).
WORKBENCH_COMMANDS = frozenset({"open", "explore"})

DESCRIPTION = """\
Score a country's implementation of the OSCE commitments against trafficking in
human beings, item by item, and export scorecards.

Run without a command to open the workbench on your workspace."""

EPILOG = """\
examples:
  decalogue                          open the workbench (home screen)
  decalogue checklists               list the bundled checklists
  decalogue validate my.toml         check a checklist (or assessment) file
  decalogue schema checklist         print the JSON Schema of the checklist format
"""


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> Parser:
    parser = Parser(
        prog="decalogue",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"decalogue {__version__}")
    add_workspace_option(parser)
    add_user_option(parser)
    add_store_option(parser)
    parser.set_defaults(handler=None)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in modules:
        import_module(f"decalogue.cli.{name}").register(subparsers)
    return parser


def _modules_for(argv: Sequence[str]) -> Sequence[str]:
    """Only `app` for a workbench command or none (the home screen); else every module."""
    arguments = iter(argv)
    for argument in arguments:
        if argument in {"--workspace", "--user", "--store"}:
            next(arguments, None)
        elif not argument.startswith(("--workspace=", "--user=", "--store=")):
            if argument.startswith("-"):  # --help, --version, a typo: the full parser
                return COMMAND_MODULES
            return ("app",) if argument in WORKBENCH_COMMANDS else COMMAND_MODULES
    return ("app",)


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="folder of assessment files (default: $DECALOGUE_WORKSPACE or your user data folder)",
    )


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=(
            "your name, recorded with your edits in the history (default: $DECALOGUE_USER, "
            "else the name in your profile, else your login)"
        ),
    )


STORE_HELP = (
    "a team's PostgreSQL store, postgresql://USER@HOST/DATABASE (default: $DECALOGUE_STORE, "
    "else your profile's store, else the folder workspace)"
)


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """--store, the same for every command that reads or writes assessments in a store (and
    for the workbench); given before or after the command."""
    parser.add_argument("--store", metavar="URL", default=argparse.SUPPRESS, help=STORE_HELP)


def store_url_of(args: argparse.Namespace) -> str | None:
    """The database store a command uses (`stores.chosen_url`); None: the folder workspace."""
    from decalogue.storage.stores import chosen_url

    return chosen_url(getattr(args, "store", None))


def store_of(args: argparse.Namespace) -> Store:
    """The store a command reads and writes: --store, $DECALOGUE_STORE, the profile's, else
    the folder workspace (--workspace)."""
    from decalogue.storage.stores import open_store

    return open_store(getattr(args, "store", None), getattr(args, "workspace", None))


def user_of(args: argparse.Namespace) -> str | None:
    """The --user given (before or after the command), or None."""
    value: str | None = getattr(args, "user", None)
    return value


def checklists_of(args: argparse.Namespace) -> Checklists:
    """The one checklist resolver for a command: its --workspace's registered and bundled ones."""
    from decalogue.storage.checklists import Checklists

    return Checklists(getattr(args, "workspace", None))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    modules = _modules_for(arguments)
    if "workshop_tools_commands" in modules:
        arguments = import_module("decalogue.cli.workshop_tools_commands").route(arguments)
    parser = build_parser(modules)
    parser.given = tuple(arguments)
    args = parser.parse_args(arguments)
    handler = args.handler
    if handler is None:
        handler = import_module("decalogue.cli.app").run_home
    try:
        result: int = handler(args)
        return result
    except DecalogueError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("decalogue: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing left to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        return report_crash(error)


def report_crash(error: BaseException) -> int:
    """An unexpected error: one line for the user, the traceback in a log file for us."""
    from decalogue.paths import crash_log_path

    log = crash_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
        where = f"details in {log}"
    except OSError:
        where = "no log could be written"
    print(
        f"decalogue: unexpected error: {type(error).__name__}: {error} "
        f"(your files were not changed by this error; {where}; please report it)",
        file=sys.stderr,
    )
    return 1
