"""`decalogue checklists` and `decalogue validate`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from decalogue.errors import FileProblems, display_path
from decalogue.model.checklist import Checklist
from decalogue.resources import bundled_checklist_paths
from decalogue.storage.checklists import load_checklist


def register(subparsers: Any) -> None:
    listing = subparsers.add_parser(
        "checklists",
        help="list the bundled checklists",
        description="List the checklists that come with decalogue: id, version, items, title.",
    )
    listing.set_defaults(handler=list_checklists)

    validate = subparsers.add_parser(
        "validate",
        help="check checklist (.toml) and assessment (.json) files",
        description=(
            "Check files and report every problem, one per line, as FILE:LINE:COLUMN: "
            "field (item id): message. Exit code 0 when all are valid, 1 otherwise."
        ),
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(handler=validate_files)


def list_checklists(args: argparse.Namespace) -> int:
    rows = [("ID", "VERSION", "ITEMS", "TITLE")]
    for path in bundled_checklist_paths():
        checklist = load_checklist(path)
        rows.append(
            (
                checklist.meta.id,
                checklist.meta.version,
                str(len(checklist.items)),
                checklist.meta.title,
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )
    return 0


def describe(checklist: Checklist) -> str:
    sections = sum(len(pillar.sections) for pillar in checklist.pillars)
    return (
        f"checklist {checklist.meta.id} {checklist.meta.version}: "
        f"{len(checklist.pillars)} pillars, {sections} sections, {len(checklist.items)} items"
    )


def validate_files(args: argparse.Namespace) -> int:
    failed = False
    for path in args.paths:
        try:
            summary = validate_one(path)
        except FileProblems as error:
            failed = True
            for problem in error.problems:
                print(problem, flush=True)
        else:
            print(f"{display_path(path)}: ok, {summary}", flush=True)
    return 1 if failed else 0


def validate_one(path: Path) -> str:
    if path.suffix.lower() == ".json":
        from decalogue.cli.assessment_commands import describe_assessment

        return describe_assessment(path)
    return describe(load_checklist(path))
