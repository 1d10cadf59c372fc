"""`decalogue matrix`: many States' assessments, one row each, one column per pillar or section."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from decalogue.analysis.matrix import By, Order, matrix
from decalogue.cli import store_of, store_url_of
from decalogue.cli.output import add_excel_option, emit
from decalogue.cli.workshop_commands import add_checklist_option, sources_of, subjects_of
from decalogue.errors import DecalogueError
from decalogue.reports.matrix import FORMATS, render_matrix


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "matrix",
        help="States x pillars: one row per assessment, scores, coverage and rank",
        description=(
            "One row per assessment (country, period, title): the overall score, each "
            "pillar's (or section's) score, the coverage and the rank by overall score among "
            "the assessments of the same period. Folders stand for every *.json in them, a "
            "country code for that country's assessments. The "
            "table fits 100 columns (it wraps into blocks); csv is for spreadsheets."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="FILE_FOLDER_OR_ID",
        help="assessments (files, folders, country codes; ids with --store); with --store and "
        "none given, every assessment in the store",
    )
    parser.add_argument(
        "--by",
        choices=[b.value for b in By],
        default=By.PILLAR.value,
        help="one column per pillar (default) or per section",
    )
    parser.add_argument("--period", metavar="P", help="only the assessments of this period")
    parser.add_argument(
        "--sort",
        choices=[o.value for o in Order],
        default=Order.COUNTRY.value,
        help="country (then period, default) or rank (newest period first)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for the terminal, default), csv, json, md (Markdown)",
    )
    add_checklist_option(parser)
    add_excel_option(parser)
    parser.set_defaults(handler=run_matrix)


def run_matrix(args: argparse.Namespace) -> int:
    sources: list[Path | str] = sources_of(args.paths, args) if args.paths else []
    if not args.paths and store_url_of(args) is not None:
        sources.extend(store_of(args).every())
    if not sources:
        raise DecalogueError(
            "matrix: give assessment files or folders (or --store URL for a store's assessments)"
        )
    subjects = subjects_of(sources, args)
    result = matrix(subjects, By(args.by), args.period, Order(args.sort))
    emit(render_matrix(result, args.format), bom=args.excel and args.format == "csv")
    return 0
