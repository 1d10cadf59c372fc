"""`decalogue workshop setup` and `decalogue workshop report`: before and after the room.

`setup` makes one assessment per group, titled with the group's name, in the
workshop's folder, and prints what to start `decalogue serve` with so each group
gets a link to its own file. `report` writes what the groups said and what the
room decided (Markdown or HTML). `decalogue workshop FOLDER` (the screen) stays
as it is: `cli.main` routes `workshop setup|report` here.
"""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from decalogue.analysis.decisions import Resumable, decisions_from, latest_consensus
from decalogue.analysis.workshop import Decision, aggregate, expand_paths
from decalogue.cli.output import emit
from decalogue.cli.workshop_commands import _add_checklist
from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import new_assessment
from decalogue.reports.workshop_report import FORMATS, render_report
from decalogue.storage import store
from decalogue.storage.atomic import write_file
from decalogue.storage.checklists import load_checklist

#: The words after `decalogue workshop` that name these commands, not a folder.
SUBCOMMANDS = ("setup", "report")

#: Longest group name (it becomes the assessment's title and part of its file name).
MAX_NAME = 60


def register(subparsers: Any) -> None:
    setup = subparsers.add_parser(
        "workshop-setup",
        prog="decalogue workshop setup",
        description=(
            "Set a workshop up: one assessment per group in FOLDER, each titled with the "
            "group's name (so the groups can be told apart everywhere), and the "
            "`decalogue serve` command that gives each group a link to its own file."
        ),
        epilog=(
            "example:\n"
            '  decalogue workshop setup room1 --groups "Group A,Group B,Group C" \\\n'
            "      --country XX --country-name Exampleland --period 2025"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    setup.add_argument("folder", type=Path, metavar="FOLDER", help="created if missing")
    setup.add_argument(
        "--groups", required=True, metavar='"A,B,C"', help="the groups' names, comma-separated"
    )
    setup.add_argument("--country", required=True, metavar="CODE", help="e.g. XX")
    setup.add_argument("--country-name", metavar="NAME", help="required for codes such as XX")
    setup.add_argument("--period", required=True, metavar="P", help="e.g. 2025")
    setup.add_argument("--checklist", metavar="ID|PATH", help="default: the bundled checklist")
    setup.set_defaults(handler=run_setup)

    report = subparsers.add_parser(
        "workshop-report",
        prog="decalogue workshop report",
        description=(
            "What each group said and what the room decided, per item: the groups' levels, "
            "the decision (by the consensus rule or by the trainer), who decided, the "
            "rationale, and what is still open. The decisions come from the newest saved "
            "consensus in the folder; without one, every item follows the rule."
        ),
    )
    report.add_argument("paths", nargs="+", type=Path, metavar="FOLDER_OR_FILES")
    report.add_argument("--format", choices=FORMATS, default="md", help="md (default) or html")
    report.add_argument("-o", "--output", type=Path, metavar="OUT", help="default: stdout")
    _add_checklist(report)
    report.set_defaults(handler=run_report)


def route(arguments: Sequence[str]) -> list[str]:
    """`workshop setup ...` -> `workshop-setup ...` (a folder named setup: `./setup`)."""
    items = list(arguments)
    index = 0
    while index < len(items):
        argument = items[index]
        if argument == "--workspace":
            index += 2
            continue
        if argument.startswith("--workspace="):
            index += 1
            continue
        following = items[index + 1 : index + 2]
        if argument == "workshop" and following and following[0] in SUBCOMMANDS:
            return [*items[:index], f"workshop-{following[0]}", *items[index + 2 :]]
        return items
    return items


# --------------------------------------------------------------------------- setup


def group_names(text: str) -> list[str]:
    names = [" ".join(part.split()) for part in text.split(",")]
    names = [name for name in names if name]
    if not names:
        raise DecalogueError('--groups: give the groups\' names, e.g. --groups "Group A,Group B"')
    seen: set[str] = set()
    for name in names:
        if len(name) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise DecalogueError(
                f"--groups: {name[:MAX_NAME]!r}: a name is 1 to {MAX_NAME} characters, "
                "without control characters"
            )
        if name.casefold() in seen:
            raise DecalogueError(f"--groups: {name!r} is given twice; each group needs its own")
        seen.add(name.casefold())
    return names


def file_name(code: str, period: str, group: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", group.casefold()).strip("-") or "group"
    return f"{code}-{period.replace('/', '_')}-{slug}.json"


def run_setup(args: argparse.Namespace) -> int:
    names = group_names(args.groups)
    checklist = load_checklist(args.checklist)
    folder: Path = args.folder
    made = [
        new_assessment(
            checklist, args.country, args.period, country_name=args.country_name, title=name
        )
        for name in names
    ]
    files = [folder / file_name(a.country.code, a.period, a.title) for a in made]
    if len({f.name for f in files}) < len(files):
        raise DecalogueError(
            "--groups: two names give the same file name; make them differ in letters or digits"
        )
    taken = [f for f in files if f.exists()]
    if taken:
        raise DecalogueError(
            f"{display_path(taken[0])}: exists; a setup never replaces a group's file "
            "(choose another FOLDER, or remove it first)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DecalogueError(f"{display_path(folder)}: cannot create: {error.strerror}") from None
    for path, assessment in zip(files, made, strict=True):
        store.create(path, assessment)
    first = made[0]
    print(
        f"Workshop set up in {display_path(folder)}: {first.country.name} ({first.country.code}) "
        f"{first.period}, {checklist.meta.id} {checklist.meta.version}"
    )
    for name, path in zip(names, files, strict=True):
        print(f"  {name}: {path.name}")
    groups = " ".join(
        f"--group {shlex.quote(f'{name}={path.name}')}"
        for name, path in zip(names, files, strict=True)
    )
    print(
        "Serve it to the room (each group's link opens its own file only; the links are "
        "printed when the server starts):\n"
        f"  decalogue serve --workspace {shlex.quote(str(folder))} {groups}"
    )
    print(f"Then: decalogue workshop {shlex.quote(str(folder))}   (the trainer's screen)")
    return 0


# --------------------------------------------------------------------------- report


def run_report(args: argparse.Namespace) -> int:
    from decalogue.cli.workshop_commands import _groups_and_checklist

    groups, checklist = _groups_and_checklist(args)
    found = []
    for path in expand_paths(list(args.paths)):
        entry = store.read(path)
        found.append(Resumable(entry.path, entry.assessment, entry.fingerprint))
    consensus = latest_consensus(found)
    workshop = aggregate(groups, checklist)
    decisions: dict[str, Decision]
    if consensus is None:
        decisions = {}
        source = "no consensus saved yet: every item as the consensus rule gives it"
    else:
        decisions = decisions_from(consensus.assessment, workshop)
        source = f"the consensus saved in {consensus.path.name}"
    text = render_report(workshop, decisions, source, args.format)
    if args.output is None:
        emit(text, end_line=False)
    else:
        written = write_file(args.output, text)
        print(f"{display_path(written)}: workshop report ({args.format})")
    return 0
