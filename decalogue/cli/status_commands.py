"""`decalogue check`, `status` and `confirm`: what stands between an assessment and "final".

The readiness check is the core's (`decalogue.model.readiness`); these commands
print it, move the status through the session (recorded in the history), and
confirm carried-forward answers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from decalogue.cli.sessions import FORCE_HELP, add_checklist_option, open_session, save_change
from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import STATUS_LABELS, STATUSES
from decalogue.model.readiness import Readiness
from decalogue.plural import counted
from decalogue.session import Session

#: Exit code of `check` (and `status ... final`) while something blocks "final"; 1 is kept
#: for files that cannot be read, 2 for a mistyped command.
NOT_READY = 3

#: How many item ids a line of `check` names before it says "and N more".
SHOWN_IDS = 12


def register(subparsers: Any) -> None:
    check = subparsers.add_parser(
        "check",
        help="what stands between an assessment and final (exit 3 while anything does)",
        description=(
            "The readiness check: unanswered items, answers carried forward and not yet "
            "confirmed, open review flags, answers without evidence, and items below the top "
            "level with no target. Exit code 0 when nothing stands between the assessment and "
            f"final, {NOT_READY} while anything does, 1 when the file cannot be read."
        ),
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the assessment (.json)")
    add_checklist_option(check)
    check.set_defaults(handler=check_command)

    status = subparsers.add_parser(
        "status",
        help="show or move an assessment's status: draft, review, final",
        description=(
            "Without STATUS, print the status and who moved it when. With it, move the "
            "assessment (recorded in its history, with who and when). Final needs the "
            "readiness check (`decalogue check`) to pass, unless --force; every report then "
            "still lists what was open."
        ),
    )
    status.add_argument("file", type=Path, metavar="FILE", help="the assessment (.json)")
    status.add_argument("status", nargs="?", choices=STATUSES, help="draft, review or final")
    status.add_argument(
        "--force",
        action="store_true",
        help="mark final although the readiness check fails; also: " + FORCE_HELP,
    )
    _by_option(status)
    add_checklist_option(status, force=False)
    status.set_defaults(handler=status_command)

    confirm = subparsers.add_parser(
        "confirm",
        help="confirm carried-forward answers as this period's",
        description=(
            "Confirm that carried-forward answers hold for this period, item by item, after "
            "reviewing them (recorded in the history). Changing an answer confirms it too."
        ),
    )
    confirm.add_argument("file", type=Path, metavar="FILE", help="the assessment (.json)")
    confirm.add_argument("items", nargs="+", metavar="ITEM", help="item ids, e.g. LF-01")
    _by_option(confirm)
    add_checklist_option(confirm)
    confirm.set_defaults(handler=confirm_command)


def _by_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        metavar="NAME",
        help="who does it, for the history (default: --user, $DECALOGUE_USER, your profile's "
        "name, else your login)",
    )


def _ids(items: tuple[str, ...]) -> str:
    shown = ", ".join(items[:SHOWN_IDS])
    more = len(items) - SHOWN_IDS
    return shown + (f" and {more} more" if more > 0 else "")


def readiness_lines(check: Readiness) -> list[str]:
    """The check as lines for a terminal: each open kind, its items and what to do."""
    lines = []
    for point in check.points:
        mark = "✗" if point.items else "✓"
        if point.items:
            lines.append(f"  {mark} {point.describe()}: {_ids(point.items)}")
            lines.append(f"      {point.remedy}")
        else:
            lines.append(f"  {mark} 0 items {point.label}")
    return lines


def _status_line(session: Session) -> str:
    a = session.assessment
    line = f"{session.label}: {STATUS_LABELS[a.status]}"
    if a.status_at is not None:
        line += f" (since {a.status_at:%Y-%m-%d %H:%M} UTC, by {a.status_by or 'unknown'})"
    return line


def check_command(args: argparse.Namespace) -> int:
    session = open_session(args)
    check = session.readiness()
    print(_status_line(session))
    print(check.summary())
    print("\n".join(readiness_lines(check)))
    return 0 if check.ready else NOT_READY


def status_command(args: argparse.Namespace) -> int:
    session = open_session(args, args.by)
    if args.status is None:
        print(_status_line(session))
        print(session.readiness().summary())
        return 0
    check = session.readiness()
    if args.status == "final" and not check.ready and not args.force:
        print(f"{display_path(args.file)}: not marked final; nothing changed", file=sys.stderr)
        print(check.summary(), file=sys.stderr)
        print("\n".join(readiness_lines(check)), file=sys.stderr)
        print("(fix these, or add --force to mark it final anyway)", file=sys.stderr)
        return NOT_READY
    change = session.set_status(args.status, force=args.force)
    if change is None:
        print(f"{_status_line(session)}; already so, nothing changed")
        return 0
    save_change(session)
    print(_status_line(session))
    if args.status == "final" and not check.ready:
        print(f"marked final with --force; {check.summary()}", file=sys.stderr)
    return 0


def confirm_command(args: argparse.Namespace) -> int:
    session = open_session(args, args.by)
    found = {typed: session.checklist.item_id(typed) for typed in args.items}
    unknown = [typed for typed, item_id in found.items() if item_id is None]
    if unknown:
        raise DecalogueError(
            f"{display_path(args.file)}: no item {', '.join(unknown)} in checklist "
            f"{session.checklist.meta.id}; nothing changed"
        )
    items = [item_id for item_id in found.values() if item_id is not None]
    not_carried = [i for i in items if i not in session.assessment.carried_items()]
    confirmed = [i for i in items if session.confirm(i) is not None]
    if confirmed:
        save_change(session)
        print(f"{display_path(args.file)}: confirmed {', '.join(confirmed)}")
    if not_carried:
        print(f"not carried (nothing to confirm): {', '.join(not_carried)}", file=sys.stderr)
    left = len(session.assessment.carried_items())
    print(f"{counted(left, 'carried answer')} left to review")
    return 0
