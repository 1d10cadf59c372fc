"""`decalogue new` and `decalogue list`: starting assessments and seeing the workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from decalogue.cli import (
    add_store_option,
    add_user_option,
    add_workspace_option,
    checklists_of,
    store_of,
    user_of,
)
from decalogue.cli.output import add_excel_option, emit
from decalogue.cli.parsing import HelpFormatter
from decalogue.errors import AssessmentError, ChecklistError, DecalogueError, display_path
from decalogue.model.assessment import (
    Assessment,
    Assessor,
    carry_forward,
    new_assessment,
)
from decalogue.model.checklist import Checklist
from decalogue.model.names import typed_name
from decalogue.model.scoring import ScoreBoard
from decalogue.plural import counted
from decalogue.reports.listing import FORMATS, render_listing
from decalogue.storage import store
from decalogue.storage.assessment_file import check_against
from decalogue.storage.checklists import Checklists
from decalogue.storage.pg.collection import shown_ref
from decalogue.storage.profile import current_identity
from decalogue.storage.stores import PgStore, Store
from decalogue.storage.workspace import Workspace


def register(subparsers: Any) -> None:
    new = subparsers.add_parser(
        "new",
        help="start an assessment (or carry one forward to the next period)",
        description=(
            "Create an assessment file in the workspace (or at -o FILE) and print its path. "
            "With --from, the previous assessment's answers, targets, notes and evidence are "
            "carried forward, each marked as carried until someone confirms or changes it "
            "(`decalogue confirm`, or c on the item in the workbench)."
        ),
        epilog=(
            "examples:\n"
            "  decalogue new --country XX --country-name Exampleland --period 2025\n"
            "  decalogue new --from XX-2025.json            (period defaults to the next one)"
        ),
        formatter_class=HelpFormatter,
    )
    new.add_argument("--country", metavar="CODE", help="ISO 3166-1 alpha-2 code, e.g. AT")
    new.add_argument(
        "--period", metavar="P", help="a year (2025), years (2024-2025) or dates (A/B)"
    )
    new.add_argument(
        "--checklist",
        metavar="ID|PATH",
        help="a bundled checklist's id or a .toml file (default: the bundled checklist)",
    )
    new.add_argument("--assessor", metavar="NAME", help="who fills it in")
    new.add_argument(
        "--country-name",
        metavar="NAME",
        help="the country's name (required for user-assigned codes such as XX)",
    )
    new.add_argument("--title", metavar="T", default="", help="a title for the assessment")
    new.add_argument(
        "--from",
        dest="previous",
        metavar="PREVIOUS.json",
        type=Path,
        help="carry this assessment forward to the new period",
    )
    new.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here instead")
    add_workspace_option(new)
    add_store_option(new)
    add_user_option(new)
    new.set_defaults(handler=new_command)

    listing = subparsers.add_parser(
        "list",
        help="the assessments in the workspace (or a team's store)",
        description=(
            "List the workspace's assessments (with --store, a team's store's, by id): title, "
            "country, period, progress and score, as a table, CSV (for spreadsheets) or JSON."
        ),
    )
    listing.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for the terminal, default), csv, json",
    )
    add_excel_option(listing)
    add_workspace_option(listing)
    add_store_option(listing)
    listing.set_defaults(handler=list_command)


def _checklist_for(args: argparse.Namespace, previous: tuple[Assessment, str] | None) -> Checklist:
    resolver = checklists_of(args)
    if previous is not None:
        return resolver.giving(args.checklist).find(previous[0].checklist, previous[1])
    return resolver.load(args.checklist)


def _previous(args: argparse.Namespace, kept: Store | None) -> tuple[Assessment, str] | None:
    """--from: a file, or (with a database store) a stored assessment's id; and its name."""
    if args.previous is None:
        return None
    if isinstance(kept, PgStore) and not args.previous.exists():
        (fetched,) = kept.fetch([str(args.previous)])
        return fetched.assessment, shown_ref(fetched.assessment)
    stored = store.read(args.previous)
    return stored.assessment, display_path(stored.path)


def new_command(args: argparse.Namespace) -> int:
    if args.output is not None and getattr(args, "store", None) is not None:
        raise DecalogueError("decalogue new: -o writes a file; leave it out with --store")
    # -o writes that file (even with a store chosen by default): no store is opened.
    kept = store_of(args) if args.output is None else None
    previous = _previous(args, kept)
    checklist = _checklist_for(args, previous)
    if previous is not None:
        old = previous[0]
        if args.country and args.country.strip().upper() != old.country.code:
            raise DecalogueError(
                f"--country {args.country}: {previous[1]} is about "
                f"{old.country.code}; carry forward keeps the country (leave out --country)"
            )
        identity = current_identity(user_of(args))
        assessor = typed_name("assessor", args.assessor or "")
        title = typed_name("title", args.title or "")
        by = assessor or identity.name or identity.account
        assessment = carry_forward(old, checklist, args.period, by, previous[1])
        left = old.orphaned(checklist)
        if left:
            print(
                f"note: not carried forward, not in {checklist.meta.id} "
                f"{checklist.meta.version} ({len(left)}): {', '.join(left)}",
                file=sys.stderr,
            )
        unconfirmed = [i for i in old.carried_items() if i in assessment.responses]
        if unconfirmed:
            print(
                f"note: {len(unconfirmed)} of these answers were never confirmed in "
                f"{old.period} (carried into it from "
                f"{old.carried_from_period or 'an earlier period'}): {', '.join(unconfirmed[:10])}"
                + (f" and {len(unconfirmed) - 10} more" if len(unconfirmed) > 10 else ""),
                file=sys.stderr,
            )
        if assessor and all(a.name != assessor for a in assessment.assessors):
            assessment.assessors = [Assessor(name=assessor), *assessment.assessors]
        if title:
            assessment.title = title
    else:
        missing = [
            flag
            for flag, value in (("--country", args.country), ("--period", args.period))
            if not value
        ]
        if missing:
            raise DecalogueError(
                f"decalogue new: {' and '.join(missing)} required "
                "(or --from PREVIOUS.json to carry an assessment forward)"
            )
        assessment = new_assessment(
            checklist,
            args.country,
            args.period,
            country_name=typed_name("country name", args.country_name or ""),
            assessor=typed_name("assessor", args.assessor or ""),
            title=typed_name("title", args.title or ""),
        )
    if kept is not None:
        _refuse_indistinguishable(kept.twin_of(assessment), kept.where, assessment)
        print(kept.create(assessment, checklist))
    else:
        print(store.create(args.output, assessment).path)
    return 0


def _refuse_indistinguishable(twin: str | None, where: str, assessment: Assessment) -> None:
    """A second assessment of one country, period and checklist needs a title of its own."""
    if twin is None:
        return
    what = f"{assessment.country.code} {assessment.period} of {assessment.checklist.id}"
    title = assessment.title.strip()
    if title:
        raise DecalogueError(
            f"decalogue new: {twin} is already {what} titled {title!r}; "
            "give another --title to tell them apart"
        )
    raise DecalogueError(
        f"decalogue new: {where} already has {what} ({twin}); give "
        '--title to tell them apart (e.g. --title "Group B" for a workshop group)'
    )


def list_command(args: argparse.Namespace) -> int:
    kept = store_of(args)
    if isinstance(kept, PgStore):
        return _list_store(kept, args)
    workspace = Workspace.resolve(getattr(args, "workspace", None))
    summaries = workspace.summaries(scorecards=True)
    if not summaries and args.format == "table":
        print(f"No assessments in {workspace.root} yet.")
        print(
            "Start one: decalogue new --country XX --country-name Exampleland --period 2025 "
            "(or run `decalogue` for the workbench)"
        )
        return 0
    emit(render_listing(summaries, args.format), bom=args.excel and args.format == "csv")
    missing = sorted(
        {(s.checklist_id, s.checklist_version) for s in summaries if not s.error and not s.total}
    )
    resolver = Checklists(workspace.root)
    for ident, version in missing:
        print(
            f"? {resolver.not_found(ident, version).problems[0].message}",
            file=sys.stderr if args.format != "table" else sys.stdout,
        )
    return 0


def _list_store(kept: PgStore, args: argparse.Namespace) -> int:
    summaries = kept.list()
    if not summaries and args.format == "table":
        print(f"No assessments in {kept.where} yet.")
        print(
            "Start one: decalogue new --store URL --country XX --country-name Exampleland "
            "--period 2025 (or decalogue push FILE)"
        )
        return 0
    emit(
        render_listing(summaries, args.format, stored=True),
        bom=args.excel and args.format == "csv",
    )
    return 0


def describe_assessment(path: Path, checklists: Checklists) -> str:
    """One line for `decalogue validate`: what the file is and how far it has got."""
    stored = store.read_input(path)
    assessment = stored.assessment
    shown = display_path(path)
    kind = "scorecard" if stored.scorecard else "assessment"
    what = f"{kind} {assessment.country.code} {assessment.period}"
    try:
        checklist = checklists.find(assessment.checklist, shown)
    except ChecklistError as error:
        if checklists.given or any(e.id == assessment.checklist.id for e in checklists.entries()):
            raise  # refused, or there but broken: say so
        answered = sum(1 for r in assessment.responses.values() if r.answered)
        return (
            f"{what}: {answered} answered; not checked against its checklist: "
            f"{error.problems[0].message}"
        )
    problems = check_against(assessment, checklist, shown)
    if problems:
        raise AssessmentError(problems)
    overall = ScoreBoard(checklist, assessment.responses).overall
    answered = overall.answered + overall.not_applicable
    score = "no score yet" if overall.score is None else f"overall {overall.score:.0f}%"
    line = f"{what}: {answered}/{overall.total} answered, {score}"
    orphaned = assessment.orphaned(checklist)
    if orphaned:
        line += f" ({counted(len(orphaned), 'answer')} to items the checklist no longer has, kept)"
    elif checklist.meta.version != assessment.checklist.version:
        line += (
            f" (checked against {checklist.meta.version}; it answers "
            f"{assessment.checklist.version})"
        )
    elif not assessment.matches(checklist):
        line += f" (checklist changed since: now {checklist.meta.version})"
    return line
