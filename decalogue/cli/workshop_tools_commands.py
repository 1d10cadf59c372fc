"""`decalogue workshop setup` and `decalogue workshop report`: before and after the room.

`setup` makes one assessment per group, titled with the group's name, in the
workshop's folder, and prints what to start `decalogue serve` with so each group
gets a link to its own file. `report` writes what the groups said and what the
room decided (Markdown or HTML). `decalogue workshop FOLDER` (the screen) stays
as it is: `cli.main` routes `workshop setup|report` here.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from decalogue.analysis.consensus import Decision
from decalogue.analysis.decisions import Resumable, decisions_from, latest_consensus
from decalogue.analysis.workshop import aggregate, expand_paths
from decalogue.cli import add_store_option, store_of, store_url_of, user_of
from decalogue.cli.output import emit
from decalogue.cli.parsing import HelpFormatter
from decalogue.cli.workshop_commands import add_checklist_option
from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import Assessment, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.paths import name_part
from decalogue.reports.workshop_report import FORMATS, render_report
from decalogue.storage import store
from decalogue.storage.atomic import write_file
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg.collection import shown_ref
from decalogue.storage.pg.connection import shown
from decalogue.storage.profile import clean_name
from decalogue.storage.stores import PgStore

#: The words after `decalogue workshop` that name these commands, not a folder.
SUBCOMMANDS = ("setup", "report")

#: The options before a command that take a value (skipped when routing).
VALUED = ("--workspace", "--user", "--store")

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
        formatter_class=HelpFormatter,
    )
    setup.add_argument(
        "folder",
        type=Path,
        nargs="?",
        metavar="FOLDER",
        help="created if missing (with --store: none, the groups are kept in the store)",
    )
    setup.add_argument(
        "--groups", required=True, metavar='"A,B,C"', help="the groups' names, comma-separated"
    )
    setup.add_argument("--country", required=True, metavar="CODE", help="e.g. XX")
    setup.add_argument("--country-name", metavar="NAME", help="required for codes such as XX")
    setup.add_argument("--period", required=True, metavar="P", help="e.g. 2025")
    setup.add_argument("--checklist", metavar="ID|PATH", help="default: the bundled checklist")
    setup.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address `decalogue serve` will listen on (0.0.0.0: the room's network)",
    )
    setup.add_argument("--port", type=int, default=8000, help="its port (default: 8000)")
    setup.add_argument(
        "--token",
        metavar="VALUE",
        help="the serve command's token (22+ characters): run setup again with the token "
        "printed before to print the same links (default: a new random token)",
    )
    add_store_option(setup)
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
    report.add_argument("paths", nargs="+", type=Path, metavar="FOLDER_FILES_OR_IDS")
    report.add_argument("--format", choices=FORMATS, default="md", help="md (default) or html")
    report.add_argument("-o", "--output", type=Path, metavar="OUT", help="default: stdout")
    add_checklist_option(report)
    report.set_defaults(handler=run_report)


def route(arguments: Sequence[str]) -> list[str]:
    """`workshop setup ...` -> `workshop-setup ...` (a folder named setup: `./setup`)."""
    items = list(arguments)
    index = 0
    while index < len(items):
        argument = items[index]
        if argument in VALUED:
            index += 2
            continue
        if argument.startswith(tuple(f"{option}=" for option in VALUED)):
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
    """`XX-2025-group-a.json`, `XX-2025-группа-г.json`: a file per group, in any script."""
    return f"{code}-{period.replace('/', '_')}-{name_part(group) or 'group'}.json"


def run_setup(args: argparse.Namespace) -> int:
    from decalogue.roles import parse_group
    from decalogue.serve.auth import check_fixed_token

    names = group_names(args.groups)
    if not 0 < args.port <= 65535:
        raise DecalogueError(f"--port {args.port}: give a port from 1 to 65535")
    if args.token is not None:
        check_fixed_token(args.token)  # before anything is made
    checklist = load_checklist(args.checklist)
    if args.folder is None and store_url_of(args) is not None:
        kept = store_of(args)
        assert isinstance(kept, PgStore)  # a database URL was chosen
        return _setup_in_store(kept, names, checklist, args)
    if args.folder is None:
        raise DecalogueError("workshop setup: give the FOLDER for the groups' files")
    folder: Path = args.folder
    made = [
        new_assessment(
            checklist, args.country, args.period, country_name=args.country_name, title=name
        )
        for name in names
    ]
    files = [folder / file_name(a.country.code, a.period, a.title) for a in made]
    first_with: dict[str, str] = {}
    for name, path in zip(names, files, strict=True):
        other = first_with.setdefault(path.name, name)
        if other != name:
            raise DecalogueError(
                f"--groups: {other!r} and {name!r} give the same file name ({path.name}); "
                "make them differ in letters or digits"
            )
    for name, path in zip(names, files, strict=True):
        parse_group(f"{name}={path.name}")  # serve's own rules for a group's name and file
    earlier = {path for path, group in zip(files, made, strict=True) if _kept(path, group)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DecalogueError(f"{display_path(folder)}: cannot create: {error.strerror}") from None
    for path, assessment in zip(files, made, strict=True):
        if path not in earlier:
            store.create(path, assessment)
    first = made[0]
    print(
        f"Workshop set up in {display_path(folder)}: {first.country.name} ({first.country.code}) "
        f"{first.period}, {checklist.meta.id} {checklist.meta.version}"
    )
    for name, path in zip(names, files, strict=True):
        print(f"  {name}: {path.name}" + (" (set up before: kept as it is)" * (path in earlier)))
    if earlier and args.token is None:
        print(
            "The links below are new: those handed out before work with the token of the "
            "serve command printed then (give it with --token to print them again)."
        )
    groups = [(name, path.name) for name, path in zip(names, files, strict=True)]
    print_links(["--workspace", str(folder.resolve())], groups, args, "file")
    print(f"Trainer's screen without a browser: decalogue workshop {shlex.quote(str(folder))}")
    return 0


def _kept(path: Path, made: Assessment) -> bool:
    """Whether `path` already holds this workshop's group (set up by an earlier run: kept,
    answers and all); a file that is anything else is refused, never replaced."""
    if not path.exists():
        return False
    found = store.read(path).assessment
    ours = (made.title, made.country.code, made.period, made.checklist.id, made.checklist.version)
    theirs = (
        found.title,
        found.country.code,
        found.period,
        found.checklist.id,
        found.checklist.version,
    )
    if theirs != ours:
        raise DecalogueError(
            f"{display_path(path)}: exists and is not this workshop's {made.title!r} (it is "
            f"{found.display_title()!r}, {found.country.code} {found.period}, {found.checklist.id} "
            f"{found.checklist.version}); a setup never replaces a file: choose another FOLDER"
        )
    return True


def _setup_in_store(
    kept: PgStore, names: list[str], checklist: Checklist, args: argparse.Namespace
) -> int:
    """One assessment per group in the team's store; the ids, and how to read them back."""
    made = [
        new_assessment(
            checklist, args.country, args.period, country_name=args.country_name, title=name
        )
        for name in names
    ]
    twins = [found for found in (kept.twin_of(a) for a in made) if found is not None]
    if twins:
        raise DecalogueError(
            f"workshop setup: {kept.where} already has a group of this name, country and "
            f"period ({twins[0]}); choose other group names"
        )
    ids = [kept.create(assessment, checklist) for assessment in made]
    first = made[0]
    print(
        f"Workshop set up in {kept.where}: {first.country.name} ({first.country.code}) "
        f"{first.period}, {checklist.meta.id} {checklist.meta.version}"
    )
    for name, ident in zip(names, ids, strict=True):
        print(f"  {name}: {ident}")
    store = shlex.quote(shown(kept.url))
    groups = list(zip(names, ids, strict=True))
    print_links(["--store", shown(kept.url)], groups, args, "assessment", kept.short_ids(ids))
    print("In a terminal, each group opens its own with: decalogue open --store URL ID")
    print("Side by side, and the consensus, when the groups are done:")
    print(f"  decalogue aggregate --store {store} {' '.join(ids)}")
    print(f"  decalogue merge --store {store} {' '.join(ids)} -o consensus.json")
    return 0


def print_links(
    where: list[str],
    groups: list[tuple[str, str]],
    args: argparse.Namespace,
    kind: str,
    shown_ids: Mapping[str, str] | None = None,
) -> None:
    """The `decalogue serve` command (serving `where`: the workspace folder, or the store)
    and the links it will answer, one per group (its `kind`: file, or stored assessment,
    named on its link line by the start of its id in `shown_ids`, as serve names it).

    The links come from serve's own token rules (`serve.auth.make_links`): a fixed
    --token in the command makes the server answer exactly these links.
    """
    from decalogue.roles import Role
    from decalogue.serve.auth import check_fixed_token, make_links, new_token
    from decalogue.serve.room import shown_host

    master = new_token() if args.token is None else check_fixed_token(args.token)
    host = shown_host(args.host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{args.port}"
    command = ["decalogue", "serve", *where, "--token", master]
    if (args.host, args.port) != ("127.0.0.1", 8000):
        command += ["--host", args.host, "--port", str(args.port)]
    for name, file in groups:
        command += ["--group", f"{name}={file}"]
    given = user_of(args)  # else serve finds the name as this did: $DECALOGUE_USER, profile
    facilitator = clean_name(given) if given is not None else None
    if facilitator is not None:
        command += ["--user", facilitator]
    print("Start the server with (the links below work while it runs):")
    print("  " + shlex.join(command))
    print(f"Links to hand out (each group's opens its own {kind} only):")
    notes = {Role.FACILITATOR: " - yours: keep it to yourself", Role.VIEWER: " - the projector"}
    for link in make_links(master, groups):
        role = link.served.role
        served = link.served.file or ""
        shown_file = (shown_ids or {}).get(served, served)
        who = f"{link.served.user} ({shown_file})" if role is Role.GROUP else role.value
        print(f"  {who}{notes.get(role, '')}: {url}/?token={link.token}")


# --------------------------------------------------------------------------- report


def run_report(args: argparse.Namespace) -> int:
    from decalogue.cli.workshop_commands import gathered_groups, stored_groups

    in_store = stored_groups(args) is not None
    gathered = gathered_groups(args, resume=True)  # the consensus used is not "left out"
    consensus = gathered.resume
    if not in_store:
        found = []
        for path in expand_paths(list(args.paths)):
            entry = store.read(path)
            found.append(Resumable(entry.path, entry.assessment, entry.fingerprint))
        consensus = latest_consensus(found)
    workshop = aggregate(gathered.groups, gathered.checklist)
    decisions: dict[str, Decision]
    if consensus is None:
        decisions = {}
        source = "no consensus saved yet: every item as the consensus rule gives it"
    else:
        decisions = decisions_from(consensus.assessment, workshop)
        where = shown_ref(consensus.assessment) if in_store else consensus.path.name
        source = f"the consensus saved in {where}"
    text = render_report(workshop, decisions, source, args.format)
    if args.output is None:
        emit(text, end_line=False)
    else:
        written = write_file(args.output, text)
        print(f"{display_path(written)}: workshop report ({args.format})")
    return 0
