"""`decalogue export` and `decalogue import`: scorecards and reports out, edited CSV back in."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from decalogue import reports
from decalogue.cli.output import add_excel_option, emit
from decalogue.cli.parsing import HelpFormatter
from decalogue.cli.sessions import add_checklist_option, one_change, open_session
from decalogue.errors import DecalogueError, display_path
from decalogue.reports.csv_import import import_csv, summary_lines
from decalogue.reports.text import printable


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="write a scorecard (JSON), a CSV, or a Markdown or HTML report",
        description=(
            "Export an assessment. Formats: "
            + "; ".join(f"{name}: {text}" for name, text in reports.DESCRIPTIONS.items())
            + ". Without -o the export goes to standard output. A file is written whole or "
            "not at all: a failed write says so and leaves no partial file."
        ),
        epilog=(
            "examples:\n"
            "  decalogue export XX-2025.json --format html -o report.html\n"
            "  decalogue export XX-2025.json --format csv > answers.csv\n"
            "  decalogue export XX-2025.json -o scorecard.json   (format from the ending)"
        ),
        formatter_class=HelpFormatter,
    )
    export.add_argument("file", type=Path, metavar="FILE", help="the assessment (.json)")
    export.add_argument(
        "--format", "-f", choices=sorted(reports.FORMATS), help="json, csv, md or html"
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="write to this file (default: stdout)"
    )
    export.add_argument(
        "--parents",
        action="store_true",
        help="create the output's missing folders (otherwise a missing folder is an error)",
    )
    add_checklist_option(export)
    add_excel_option(export)
    export.set_defaults(handler=export_command)

    load = subparsers.add_parser(
        "import",
        help="apply an edited CSV export to an assessment",
        description=(
            "Apply a CSV (as written by `decalogue export --format csv` and edited in a "
            "spreadsheet) to an assessment. Every row is checked first; if any is wrong, "
            "all problems are listed as CSV:ROW: column (item ID): message and nothing is "
            "changed. Otherwise only the fields that differ are applied, recorded in the "
            "history, and the assessment is saved."
        ),
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the assessment (.json) to update")
    load.add_argument(
        "--csv", type=Path, required=True, metavar="EDITED.csv", help="the edited CSV"
    )
    load.add_argument(
        "--by",
        metavar="NAME",
        help="who made the edits, for the history (default: --user, $DECALOGUE_USER, your "
        "profile's name, else your login)",
    )
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="check and list every change (old → new) without saving",
    )
    load.add_argument(
        "--force",
        action="store_true",
        help="import a CSV exported from another assessment (its country, period or id "
        "differ), or open it with a --checklist of another id than the one it names",
    )
    add_checklist_option(load, force=False)
    load.set_defaults(handler=import_command)


def export_command(args: argparse.Namespace) -> int:
    fmt = args.format
    if fmt is None:
        fmt = reports.format_for(args.output) if args.output is not None else None
        if fmt is None:
            raise DecalogueError(
                "decalogue export: give --format json, csv, md or html "
                "(or an -o file ending in .json, .csv, .md or .html)"
            )
    if args.output is not None and _same_file(args.output, args.file):
        raise DecalogueError(
            f"{display_path(args.output)}: is the assessment itself; an export would replace "
            "your answers (choose another -o file); nothing was written"
        )
    session = open_session(args)
    if args.output is None:
        text = reports.render(fmt, session.checklist, session.assessment, session.board)
        emit(text, end_line=False, bom=args.excel and fmt == "csv")
        return 0
    written = reports.export(
        fmt,
        session.checklist,
        session.assessment,
        session.board,
        args.output,
        create_parents=args.parents,
        bom=args.excel,
    )
    print(f"{display_path(written)}: {fmt} export of {display_path(args.file)}", file=sys.stderr)
    return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def import_command(args: argparse.Namespace) -> int:
    session = open_session(args, args.by)
    with one_change():  # its save: the server may have gone since
        result = import_csv(session, args.csv, dry_run=args.dry_run, force=args.force)
    for warning in result.warnings:
        print(printable(f"warning: {warning}"), file=sys.stderr)
    shown = (display_path(args.csv), display_path(args.file))
    for line in summary_lines(result, *shown, dry_run=args.dry_run):
        print(printable(line))
    return 0
