"""`decalogue store`, `push` and `pull`: a team's PostgreSQL store, and moving work in and out.

The folder workspace stays the default. These commands set up a database
(`store init`, `store upgrade`), list what it holds, and move assessments
between files and the database in the same JSON format, history included.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from decalogue.cli import add_store_option, checklists_of, store_url_of
from decalogue.cli.parsing import HelpFormatter
from decalogue.errors import DecalogueError, display_path
from decalogue.model.checklist import Checklist
from decalogue.plural import counted
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.atomic import write_file
from decalogue.storage.checklists import Checklists, load_checklist
from decalogue.storage.pg import access, documents, schema
from decalogue.storage.pg.connection import StoreError, shown

EPILOG = """\
examples:
  decalogue store init --store postgresql://coordinator@db.example/decalogue
  export DECALOGUE_STORE=postgresql://coordinator@db.example/decalogue
  decalogue push XX-2025.json              copy a file's assessment into the store
  decalogue store list                     what the store holds
  decalogue pull 3f2c… -o exchange/        the same file back, history included
"""


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "store",
        help="set up, upgrade and list a PostgreSQL store for a team",
        description="Keep assessments in a team's PostgreSQL database instead of the folder "
        "workspace (the default): set it up (`store init`, `store upgrade`), list what it "
        "holds, grant and revoke access, and move assessments between files and the database "
        "(`push`, `pull`) in the same JSON format, history included.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    actions = group.add_subparsers(title="store commands", metavar="ACTION", required=True)
    for name, helptext, handler in (
        ("init", "create decalogue's tables in an empty database", init_command),
        ("upgrade", "bring an older store's tables up to this version", upgrade_command),
        ("status", "the store's schema version and what it holds", status_command),
        ("list", "the assessments in the store", list_command),
    ):
        action = actions.add_parser(name, help=helptext, description=helptext)
        add_store_option(action)
        action.set_defaults(handler=handler)
    _register_access(actions)

    push = subparsers.add_parser(
        "push",
        help="copy assessment files into the PostgreSQL store",
        description="Copy assessment files, history included, into the store, with the "
        "checklist each answers. A file already in the store is left alone when it is the "
        "same, and refused when it differs unless --replace is given.",
    )
    push.add_argument("files", nargs="+", type=Path, metavar="FILE")
    push.add_argument("--replace", action="store_true", help="overwrite a differing stored copy")
    push.add_argument("--checklist", metavar="PATH", help="the checklist file, if not found")
    add_store_option(push)
    push.set_defaults(handler=push_command)

    pull = subparsers.add_parser(
        "pull",
        help="write assessments from the PostgreSQL store to files",
        description="Write stored assessments as files (the same JSON format, history "
        "included); an existing file is never overwritten.",
    )
    pull.add_argument("ids", nargs="+", metavar="ID", help="assessment ids (`store list`)")
    pull.add_argument("-o", "--output", type=Path, default=Path(), metavar="DIR")
    add_store_option(pull)
    pull.set_defaults(handler=pull_command)


def _url(args: argparse.Namespace) -> str:
    url = store_url_of(args)
    if url is None:
        raise StoreError(
            "no store given: pass --store postgresql://USER@HOST/DATABASE or set DECALOGUE_STORE"
        )
    return url


def init_command(args: argparse.Namespace) -> int:
    url = _url(args)
    _, after = schema.migrate(url, create=True)
    print(f"{shown(url)}: set up (schema version {after}).")
    return 0


def upgrade_command(args: argparse.Namespace) -> int:
    url = _url(args)
    before, after = schema.migrate(url, create=False)
    if before == after:
        print(f"{shown(url)}: already at schema version {after}; nothing to do.")
    else:
        print(f"{shown(url)}: upgraded from schema version {before} to {after}.")
    return 0


def status_command(args: argparse.Namespace) -> int:
    url = _url(args)
    rows = documents.listing(url)
    print(f"{shown(url)}: schema version {schema.CURRENT}; {counted(len(rows), 'assessment')}.")
    for given in access.grants(url):
        print(f"  access: {given.describe()}")
    return 0


def _register_access(actions: Any) -> None:
    grant = actions.add_parser(
        "grant",
        help="let a database role read and change one assessment, a country's, or all",
        description="Give an existing database role (CREATE ROLE … LOGIN) the rights it "
        "needs and access to one assessment, one country's assessments, or every one. "
        "Row-level security hides everything else from it. Run it as the store's owner.",
    )
    grant.add_argument("role", metavar="ROLE", help="the database role (login) to give access")
    scope = grant.add_mutually_exclusive_group(required=True)
    scope.add_argument("--assessment", metavar="ID", help="one assessment (`decalogue list`)")
    scope.add_argument("--country", metavar="CODE", help="every assessment of one country")
    scope.add_argument("--all", action="store_true", help="every assessment in the store")
    grant.add_argument("--read-only", action="store_true", help="read, never change")
    add_store_option(grant)
    grant.set_defaults(handler=grant_command)
    revoke = actions.add_parser(
        "revoke",
        help="take every access away from a database role",
        description="Remove a role's grants and its rights on decalogue's tables.",
    )
    revoke.add_argument("role", metavar="ROLE")
    add_store_option(revoke)
    revoke.set_defaults(handler=revoke_command)


def grant_command(args: argparse.Namespace) -> int:
    url = _url(args)
    scope: access.Scope
    if args.assessment:
        scope, target = "assessment", args.assessment
    elif args.country:
        scope, target = "country", args.country.strip().upper()
    else:
        scope, target = "all", ""
    given = access.grant(url, args.role, scope, target, can_write=not args.read_only)
    print(f"{shown(url)}: granted {given.describe()}")
    return 0


def revoke_command(args: argparse.Namespace) -> int:
    url = _url(args)
    removed = access.revoke(url, args.role)
    print(
        f"{shown(url)}: {args.role}: {counted(removed, 'grant')} removed, "
        "and its rights on the tables"
    )
    return 0


def list_command(args: argparse.Namespace) -> int:
    url = _url(args)
    rows = documents.listing(url)
    if not rows:
        print(f"{shown(url)}: no assessments yet (decalogue push FILE adds one).")
        return 0
    for row in rows:
        title = f"  {row.title}" if row.title else ""
        print(
            f"{row.id}  {row.country_code} {row.period}  {row.checklist_id} "
            f"{row.checklist_version}  {row.answered} answered  rev {row.revision}{title}"
        )
    return 0


def _checklist_text(checklist: Checklist, path: Path) -> documents.ChecklistText:
    files = {}
    for source in checklist.sources:
        if source.file:
            files[source.file] = (path.parent / source.file).read_text(encoding="utf-8")
    return documents.ChecklistText(
        checklist.content_hash,
        checklist.meta.id,
        checklist.meta.version,
        path.read_text(encoding="utf-8"),
        files,
    )


def _checklist_file(
    stored: store.Stored, given: str | None, checklists: Checklists
) -> tuple[Checklist, Path]:
    """The file of the exact checklist the assessment answers: given, bundled or registered."""
    ref = stored.assessment.checklist
    candidates = [Path(given)] if given else [entry.path for entry in checklists.entries()]
    for path in candidates:
        checklist = load_checklist(path)
        if checklist.meta.id == ref.id and checklist.content_hash == ref.hash:
            return checklist, path
    found = checklists.find_or_none(ref)
    hint = "" if found is None else f" (decalogue has version {found.meta.version})"
    raise DecalogueError(
        f"{display_path(stored.path)}: answers checklist {ref.id} {ref.version}, whose file "
        f"was not found{hint}; give it with --checklist PATH"
    )


def push_command(args: argparse.Namespace) -> int:
    url = _url(args)
    for path in args.files:
        stored = store.read(path)
        checklist, checklist_path = _checklist_file(stored, args.checklist, checklists_of(args))
        said = documents.push(
            url, stored.assessment, _checklist_text(checklist, checklist_path), replace=args.replace
        )
        print(f"{display_path(path)}: {said} as {stored.assessment.id}")
    return 0


def pull_command(args: argparse.Namespace) -> int:
    url = _url(args)
    if not args.output.is_dir():
        raise DecalogueError(f"{display_path(args.output)}: not a folder; create it first")
    for ident in args.ids:
        assessment, checklist = documents.pull(url, ident)
        period = assessment.period.replace("/", "_")
        target = args.output / f"{assessment.country.code}-{period}-{assessment.id[:8]}.json"
        if target.exists():
            raise DecalogueError(f"{display_path(target)}: already exists; nothing was written")
        write_file(target, dumps(assessment))
        print(
            f"{ident}: written to {display_path(target)} (checklist {checklist.id} "
            f"{checklist.version})"
        )
    return 0
