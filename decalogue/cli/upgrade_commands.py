"""`decalogue upgrade`: move an assessment to a newer version of its checklist."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from decalogue.cli import add_workspace_option, checklists_of
from decalogue.cli.parsing import HelpFormatter
from decalogue.reports.checklist_diff import render_upgrade
from decalogue.upgrade import upgrade


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "upgrade",
        help="move an assessment to a newer version of its checklist",
        description=(
            "Move an assessment to another version of its checklist. Answers to unchanged "
            "items are kept; answers to reworded items are kept and flagged for review, with "
            "the change shown; answers to removed items stay in the file as orphans, listed. "
            "--dry-run prints all of it and writes nothing."
        ),
        epilog="example:\n  decalogue upgrade XX-2025.json --to my-plan@1.1.0 --dry-run",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the assessment (.json)")
    parser.add_argument(
        "--to",
        required=True,
        metavar="ID@VERSION",
        help="the version to move to (bundled, registered, or a .toml file)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    parser.add_argument("--by", metavar="NAME", help="who upgrades, for the history")
    add_workspace_option(parser)
    parser.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    result = upgrade(
        args.file,
        args.to,
        checklists_of(args),
        dry_run=args.dry_run,
        user=args.by,
    )
    print(render_upgrade(result, args.dry_run), end="")
    return 0
