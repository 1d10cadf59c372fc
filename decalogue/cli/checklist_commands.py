"""`decalogue checklists` (list, add, remove, new, diff) and `decalogue validate`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from decalogue.cli import add_workspace_option, checklists_of
from decalogue.cli.parsing import HelpFormatter
from decalogue.errors import ChecklistError, DecalogueError, FileProblems, display_path
from decalogue.model.checklist import Checklist
from decalogue.model.checklist_diff import diff_checklists
from decalogue.plural import counted
from decalogue.reports import checklist_diff
from decalogue.reports.checklist_template import SCHEMA_FILE, template
from decalogue.reports.schemas import json_schema
from decalogue.storage import registry
from decalogue.storage.atomic import write_file
from decalogue.storage.checklists import Checklists, load_checklist

DIFF_FORMATS = ("table", "md", "json")


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "checklists",
        help="list, register, remove, start and compare checklists",
        description=(
            "Without a subcommand: list the checklists decalogue finds, bundled and registered "
            "in the workspace (id, version, items, where, title). A registered checklist is "
            "found by id and version by every command and screen, without --checklist."
        ),
        epilog=(
            "examples:\n"
            "  decalogue checklists new my-plan.toml        a commented file to start from\n"
            "  decalogue checklists add my-plan.toml        register it (with its sources)\n"
            "  decalogue new --checklist my-plan --country XX --country-name Exampleland "
            "--period 2025\n"
            "  decalogue checklists diff my-plan@1.0.0 my-plan@1.1.0\n"
            "  decalogue checklists remove my-plan@1.0.0"
        ),
        formatter_class=HelpFormatter,
    )
    add_workspace_option(group)
    group.set_defaults(handler=list_checklists)
    commands = group.add_subparsers(title="subcommands", metavar="SUBCOMMAND")

    add = commands.add_parser(
        "add",
        help="validate a checklist and register it in the workspace",
        description=(
            "Validate FILE.toml and copy it, with the source files it cites, into the "
            "workspace's checklists/ folder as ID@VERSION. Several versions of one id may be "
            "registered; each assessment is opened with the version it answers."
        ),
    )
    add.add_argument("file", type=Path, metavar="FILE.toml")
    add_workspace_option(add)
    add.set_defaults(handler=add_checklist)

    remove = commands.add_parser(
        "remove",
        help="remove a registered checklist",
        description="Remove a registered checklist (ID when one version is registered).",
    )
    remove.add_argument("spec", metavar="ID[@VERSION]")
    add_workspace_option(remove)
    remove.set_defaults(handler=remove_checklist)

    new = commands.add_parser(
        "new",
        help="write a commented checklist to start from",
        description=(
            "Write a small, valid, commented checklist (with the #:schema line editors use "
            "for completion and checks) and the source text it cites. Never overwrites."
        ),
    )
    new.add_argument("file", type=Path, metavar="FILE.toml")
    new.set_defaults(handler=new_checklist)

    diff = commands.add_parser(
        "diff",
        help="what changed between two versions of a checklist",
        description=(
            "Items added, removed, reworded (title, question, guidance, descriptors, weight) "
            "and moved, and changes of the scale, from OLD to NEW. Each is a file, ID@VERSION "
            "or ID."
        ),
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--format", choices=DIFF_FORMATS, default="table")
    add_workspace_option(diff)
    diff.set_defaults(handler=diff_command)

    validate = subparsers.add_parser(
        "validate",
        help="check checklist (.toml) and assessment (.json) files",
        description=(
            "Check files and report every problem, one per line, as FILE:LINE:COLUMN: "
            "field (item id): message. An assessment is checked against its checklist "
            "(found by id and version, or given with --checklist). Exit code 0 when all are "
            "valid, 1 otherwise."
        ),
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument(
        "--checklist",
        metavar="ID|PATH",
        help="the checklist the assessments answer (default: the one each names)",
    )
    add_workspace_option(validate)
    validate.set_defaults(handler=validate_files)


def list_checklists(args: argparse.Namespace) -> int:
    resolver = checklists_of(args)
    rows = [("ID", "VERSION", "ITEMS", "WHERE", "TITLE")]
    broken: list[str] = []
    for entry in resolver.entries():
        try:
            checklist = load_checklist(entry.path)
        except ChecklistError as error:
            broken.append(f"{display_path(entry.path)}: cannot be read: {error.problems[0]}")
            continue
        meta = checklist.meta
        rows.append((meta.id, meta.version, str(len(checklist.items)), entry.where, meta.title))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join(cells) + "  " + row[4])
    for line in broken:
        print(line)
    if len(rows) == 1 or all(row[3] != "registered" for row in rows[1:]):
        print(f"(none registered in {display_path(resolver.folder)}: decalogue checklists add)")
    return 0


def add_checklist(args: argparse.Namespace) -> int:
    checklist, where, added = registry.add(args.file, checklists_of(args))
    meta = checklist.meta
    if added:
        print(f"registered {meta.id} {meta.version} ({describe(checklist)}) as {where}")
    else:
        print(f"{meta.id} {meta.version} is already registered with the same content: {where}")
    return 0


def remove_checklist(args: argparse.Namespace) -> int:
    for entry in registry.remove(args.spec, checklists_of(args)):
        print(f"removed {entry.id} {entry.version} ({display_path(entry.path.parent)})")
    return 0


def new_checklist(args: argparse.Namespace) -> int:
    path: Path = args.file
    if path.suffix != ".toml":
        raise DecalogueError(f"{display_path(path)}: give a file name ending in .toml")
    toml, source_name, source_text = template(path.stem)
    source = path.parent / source_name
    for target in (path, source):
        if target.exists():
            raise DecalogueError(
                f"{display_path(target)}: already exists; nothing was written (choose another name)"
            )
    write_file(source, source_text)
    write_file(path, toml)
    schema = path.parent / SCHEMA_FILE
    wrote = [display_path(path), display_path(source)]
    if not schema.exists():
        write_file(schema, json.dumps(json_schema("checklist"), indent=2) + "\n")
        wrote.append(display_path(schema))
    print(f"wrote {', '.join(wrote)}")
    print(f"check it with: decalogue validate {display_path(path)}")
    return 0


def diff_command(args: argparse.Namespace) -> int:
    resolver = checklists_of(args)
    result = diff_checklists(resolver.load(args.old), resolver.load(args.new))
    print(checklist_diff.render(result, args.format), end="")
    return 0


def describe(checklist: Checklist) -> str:
    sections = sum(len(pillar.sections) for pillar in checklist.pillars)
    return (
        f"checklist {checklist.meta.id} {checklist.meta.version}: "
        f"{counted(len(checklist.pillars), 'pillar')}, {counted(sections, 'section')}, "
        f"{counted(len(checklist.items), 'item')}"
    )


def validate_files(args: argparse.Namespace) -> int:
    failed = False
    resolver = checklists_of(args)
    for path in args.paths:
        try:
            summary = validate_one(path, resolver, args.checklist)
        except FileProblems as error:
            failed = True
            for problem in error.problems:
                print(problem, flush=True)
        else:
            print(f"{display_path(path)}: ok, {summary}", flush=True)
    return 1 if failed else 0


def validate_one(path: Path, resolver: Checklists, checklist: str | None = None) -> str:
    if path.suffix.lower() == ".json":
        from decalogue.cli.assessment_commands import describe_assessment

        return describe_assessment(path, resolver.giving(checklist))
    return describe(load_checklist(path))
