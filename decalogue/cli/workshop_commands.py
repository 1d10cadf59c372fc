"""`decalogue compare`, `trend`, `aggregate` and `merge`: many assessments at once.

The commands read files through the store, find each checklist once, and hand
the work to `decalogue.analysis.compare` and `decalogue.analysis.workshop`; the
renderers in `decalogue.reports` turn the results into a table, Markdown, JSON or CSV.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from decalogue import batch
from decalogue.analysis.compare import Subject, compare
from decalogue.analysis.consensus import keep_consensus, write_consensus
from decalogue.analysis.trend import trend
from decalogue.analysis.workshop import Group, aggregate, expand_paths
from decalogue.cli import (
    add_store_option,
    add_workspace_option,
    checklists_of,
    store_of,
    store_url_of,
)
from decalogue.cli.output import add_excel_option, emit
from decalogue.errors import DecalogueError, display_path
from decalogue.model.checklist import Checklist
from decalogue.reports.comparison import FORMATS, render_comparison, render_trend
from decalogue.reports.workshop import render_merge, render_workshop
from decalogue.storage.assessment_file import fingerprint, read_bytes
from decalogue.storage.checklists import Checklists
from decalogue.storage.stores import PgStore, Store

#: A country code given to `trend` instead of files.
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def register(subparsers: Any) -> None:
    comparing = subparsers.add_parser(
        "compare",
        help="compare assessments of one checklist, item by item",
        description=(
            "Compare two or more assessments of one checklist (two countries, or one country "
            "in two periods): per item the levels and the change from the first file to the "
            "last (improved, regressed, unchanged, newly answered, no longer answered, now "
            "N/A, no longer N/A), per section and pillar the score change, and the top "
            "improvements and regressions. Different checklist versions are compared on the "
            "items they share; the others are listed."
        ),
    )
    comparing.add_argument("files", nargs="+", type=Path, metavar="FILE_FOLDER_OR_ID")
    _add_format(comparing)
    add_checklist_option(comparing)
    add_excel_option(comparing)
    comparing.set_defaults(handler=run_compare)

    trending = subparsers.add_parser(
        "trend",
        help="one country's scores across periods",
        description=(
            "Overall, pillar and section scores of one country's assessments, one column per "
            "period, in time order. Give files, folders, or a country code (e.g. XX) for every "
            "assessment of that country in the workspace (or, with --store, in the store)."
        ),
    )
    trending.add_argument("files", nargs="+", type=Path, metavar="FILE_FOLDER_ID_OR_COUNTRY")
    _add_format(trending)
    add_checklist_option(trending)
    add_excel_option(trending)
    trending.set_defaults(handler=run_trend)

    aggregating = subparsers.add_parser(
        "aggregate",
        help="workshop groups' answers side by side, most disputed items first",
        description=(
            "Every group's level per item, the median, the spread (highest minus lowest) "
            "and a divergence ranking: conflicts first (levels more than one apart, or N/A "
            "against a level), then largest spread, interquartile range and the number of "
            "different answers. Folders stand for every *.json in them."
        ),
    )
    aggregating.add_argument("paths", nargs="+", type=Path, metavar="FILE_FOLDER_OR_ID")
    _add_format(aggregating)
    add_checklist_option(aggregating)
    aggregating.set_defaults(handler=run_aggregate)

    merging = subparsers.add_parser(
        "merge",
        help="build a workshop's consensus assessment from the groups' files",
        description=(
            "Build one consensus assessment from the groups' files. An item takes the lower "
            "median of the groups' levels where every answering group is within one level; "
            "otherwise it is left unanswered, flagged for review and reported as a conflict. "
            "Every group's notes are kept, attributed. Folders stand for every *.json in "
            "them. Exit code 0 when the file is written."
        ),
    )
    merging.add_argument("paths", nargs="+", type=Path, metavar="FILE_FOLDER_OR_ID")
    merging.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="CONSENSUS.json",
        help="the file to write (required unless the groups are ids in a --store, where the "
        "consensus is then kept as a new stored assessment)",
    )
    merging.add_argument("--title", default="", help='title (default: "Consensus of N groups")')
    merging.add_argument("--assessor", default="", help="who records the consensus")
    merging.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file (the old one is kept as .bak)",
    )
    add_checklist_option(merging)
    merging.set_defaults(handler=run_merge)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for the terminal, default), md (Markdown), json, csv",
    )


def add_checklist_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checklist",
        action="append",
        default=[],
        metavar="ID|PATH",
        help="the checklist the files answer, when it is neither bundled nor registered "
        "(repeat for versions)",
    )
    add_workspace_option(parser)
    add_store_option(parser)


# --------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=4096)
def _shown(path: Path) -> str:
    """Each file's name as the user sees it, worked out once (it resolves the path)."""
    return display_path(path)


def _checklists(args: argparse.Namespace) -> Checklists:
    return checklists_of(args).giving(*args.checklist)


def _warn(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def sources_of(arguments: Sequence[Path], args: argparse.Namespace) -> list[Path | str]:
    """What the arguments name: files, folders (their *.json) and country codes (that
    country's assessments in the store: the workspace, or a team's database); with a
    database store, any other argument is a stored assessment's id (or the start of one)."""
    in_database = store_url_of(args) is not None
    sources: list[Path | str] = []
    for argument in arguments:
        code = str(argument)
        if argument.exists():
            sources.extend(expand_paths([argument]))
        elif COUNTRY_CODE.fullmatch(code):
            sources.extend(_of_country(store_of(args), code.upper()))
        elif in_database:
            sources.append(code)
        else:
            sources.extend(expand_paths([argument]))  # says which file is missing
    return sources


def _of_country(store: Store, code: str) -> list[Path | str]:
    found = store.of_country(code)
    if not found:
        how = (
            "`decalogue list --store URL` shows what it holds"
            if isinstance(store, PgStore)
            else "give files, --workspace DIR or --store URL"
        )
        raise DecalogueError(f"{code}: no assessment of {code} in {store.where} ({how})")
    return list(found) if isinstance(store, PgStore) else [Path(f) for f in found]


def subjects_of(sources: Sequence[Path | str], args: argparse.Namespace) -> list[Subject]:
    """Files (assessments or scorecards) and stored assessments, each with its checklist;
    notes on stderr. Compare, trend and matrix read no history: stored ones come without."""
    kept = store_of(args) if any(isinstance(s, str) for s in sources) else None
    opened = batch.open_many(sources, _checklists(args), kept, scorecards=True, history=False)
    for note in opened.notes:
        _warn(note)
    return opened.subjects()


# --------------------------------------------------------------------------- compare


def run_compare(args: argparse.Namespace) -> int:
    sources = sources_of(args.files, args)
    if len(sources) < 2:
        raise DecalogueError("compare: give at least two assessments (files, or ids with --store)")
    result = compare(subjects_of(sources, args))
    emit(render_comparison(result, args.format), bom=args.excel and args.format == "csv")
    return 0


# --------------------------------------------------------------------------- trend


def run_trend(args: argparse.Namespace) -> int:
    result = trend(subjects_of(sources_of(args.files, args), args))
    emit(render_trend(result, args.format), bom=args.excel and args.format == "csv")
    return 0


# --------------------------------------------------------------------------- workshops


def stored_groups(args: argparse.Namespace) -> PgStore | None:
    """The database store the groups are read from: one is chosen and no argument is a
    file or folder (the arguments are then the groups' ids)."""
    if store_url_of(args) is None or any(path.exists() for path in args.paths):
        return None
    kept = store_of(args)
    return kept if isinstance(kept, PgStore) else None


def gathered_groups(
    args: argparse.Namespace, output: Path | None = None, *, resume: bool = False
) -> batch.Gathered:
    """The groups' assessments: files and folders, or ids in a database store."""
    kept = stored_groups(args)
    if kept is not None:
        refs = [str(path) for path in args.paths]
        gathered = batch.open_stored_groups(kept, refs, resume=resume)
    else:
        gathered = batch.open_groups(args.paths, _checklists(args), output, resume=resume)
    for note in gathered.notes:
        _warn(note)
    return gathered


def _groups_and_checklist(
    args: argparse.Namespace, output: Path | None = None
) -> tuple[list[Group], Checklist]:
    gathered = gathered_groups(args, output)
    return gathered.groups, gathered.checklist


def run_aggregate(args: argparse.Namespace) -> int:
    groups, checklist = _groups_and_checklist(args)
    emit(render_workshop(aggregate(groups, checklist), args.format))
    return 0


def run_merge(args: argparse.Namespace) -> int:
    output: Path | None = args.output
    if output is None:
        return _merge_into_store(args)
    shown = display_path(output)
    if output.is_dir():
        raise DecalogueError(f"{shown}: is a folder; give a file name for -o, e.g. consensus.json")
    exists = output.exists()
    if exists and not args.force:
        raise DecalogueError(
            f"{shown}: already exists; nothing was written (choose another name, or add "
            "--force to replace it; the old file is then kept as .bak)"
        )
    groups, checklist = _groups_and_checklist(args, output)
    if len(groups) < 2:
        _warn("only one group file: the consensus is that group's answers")
    replacing = fingerprint(read_bytes(output)) if exists else None
    result, _ = write_consensus(
        output, groups, checklist, replacing=replacing, title=args.title, assessor=args.assessor
    )
    emit(render_merge(result, shown))
    return 0


def _merge_into_store(args: argparse.Namespace) -> int:
    """`merge ID… --store URL` without -o: the consensus is a new assessment in the store."""
    kept = stored_groups(args)
    if kept is None:
        raise DecalogueError(
            "merge: give -o CONSENSUS.json for the file to write (or, with --store, the "
            "groups' ids to keep the consensus in the store)"
        )
    groups, checklist = _groups_and_checklist(args)
    if len(groups) < 2:
        _warn("only one group: the consensus is that group's answers")
    ref, _, result = keep_consensus(
        kept, groups, checklist, title=args.title, assessor=args.assessor
    )
    emit(render_merge(result, f"{kept.label} as {ref}"))
    return 0
