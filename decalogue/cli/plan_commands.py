"""`decalogue plan`: the action plan of an assessment, out as a table or file, and back from CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from decalogue import clock
from decalogue.analysis.plan import ORDERS, ordered, plan_entries, select
from decalogue.cli.parsing import HelpFormatter
from decalogue.cli.sessions import add_checklist_option, open_session, save_change
from decalogue.errors import DecalogueError, display_path
from decalogue.model.actions import STATUSES, parse_deadline
from decalogue.plural import counted
from decalogue.reports import plan as render
from decalogue.reports.plan_csv import read_plan_file
from decalogue.session import Session
from decalogue.storage.atomic import write_file

EPILOG = """\
examples:
  decalogue plan XX-2025.json                          every action, by deadline
  decalogue plan XX-2025.json --overdue --owner justice
  decalogue plan XX-2025.json --format csv -o plan.csv  edit it in a spreadsheet, then:
  decalogue plan XX-2025.json --csv plan.csv --dry-run  see what would change
  decalogue plan XX-2025.json --csv plan.csv            apply it (all rows or none)
"""


def _day(text: str) -> date:
    """--as-of: a day as YYYY-MM-DD, or argparse's one line saying what is wrong."""
    try:
        day = parse_deadline(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if day is None:
        raise argparse.ArgumentTypeError("give a day as YYYY-MM-DD")
    return day


def register(subparsers: Any) -> None:
    plan = subparsers.add_parser(
        "plan",
        help="list an assessment's actions (owner, deadline, status), or apply an edited CSV",
        description=(
            "The action plan: every action on the assessment's items, with the institution "
            "responsible, the deadline, the status and the gap it closes. Overdue means open "
            "(planned or in progress) with the deadline passed."
        ),
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    plan.add_argument("file", type=Path, help="the assessment (.json)")
    plan.add_argument("--format", "-f", choices=("table", "md", "csv", "json"), default="table")
    plan.add_argument("-o", "--output", type=Path, metavar="OUT", help="write to this file")
    plan.add_argument("--owner", metavar="TEXT", help="only institutions whose name contains TEXT")
    plan.add_argument("--status", choices=STATUSES, help="only actions with this status")
    plan.add_argument("--overdue", action="store_true", help="only overdue actions")
    plan.add_argument("--sort", choices=ORDERS, default="deadline", help="order (default deadline)")
    plan.add_argument(
        "--as-of", metavar="DATE", type=_day, help="count overdue as of this date (YYYY-MM-DD)"
    )
    plan.add_argument("--csv", type=Path, metavar="CSV", help="apply an edited plan CSV")
    plan.add_argument("--dry-run", action="store_true", help="with --csv: say what would change")
    add_checklist_option(plan)
    plan.set_defaults(handler=plan_command)


def plan_command(args: argparse.Namespace) -> int:
    session = open_session(args)
    if args.csv is not None:
        return _apply(session, args)
    today = args.as_of or clock.today()
    entries = plan_entries(session.checklist, session.assessment, today)
    entries = ordered(
        select(entries, owner=args.owner, status=args.status, overdue=args.overdue), args.sort
    )
    if args.format == "csv":
        text = render.render_csv(entries)
    elif args.format == "json":
        text = render.render_json(entries, today)
    elif args.format == "md":
        text = render.render_markdown(entries, today)
    else:
        text = render.render_table(entries, today) + "\n"
    if args.output is None:
        print(text, end="")
    else:
        write_file(args.output, text)
        print(f"Wrote {display_path(args.output)} ({counted(len(entries), 'action')}).")
    return 0


def _apply(session: Session, args: argparse.Namespace) -> int:
    result = read_plan_file(args.csv, session.checklist, session.assessment)
    for edit in result.edits:
        for said in edit.said:
            print(f"{edit.item_id}: {said}")
    if result.untouched:
        left = "is left as it is" if result.untouched == 1 else "are left as they are"
        print(f"{counted(result.untouched, 'action')} not in the CSV {left}.")
    if not result.edits:
        print("Nothing to change.")
        return 0
    if args.dry_run:
        print(f"Dry run: {counted(len(result.edits), 'item')} would change; nothing was written.")
        return 0
    for edit in result.edits:
        try:
            session.set_field(edit.item_id, "actions", edit.actions)
        except DecalogueError as error:
            raise DecalogueError(f"{display_path(args.csv)}: {error}; nothing was saved") from None
    save_change(session)
    print(f"Saved {session.label}: actions of {counted(len(result.edits), 'item')} changed.")
    return 0
