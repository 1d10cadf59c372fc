"""Opening an assessment for a command: one place for --checklist, --force and the user."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from decalogue.cli import (
    add_store_option,
    add_user_option,
    add_workspace_option,
    checklists_of,
    user_of,
)
from decalogue.errors import DecalogueError
from decalogue.session import SaveResult, Session
from decalogue.storage.place import Place, Unreachable
from decalogue.storage.profile import current_identity, save_profile_name
from decalogue.storage.stores import PgStore, chosen_url

FORCE_HELP = "open it with a --checklist of another id than the one the file names"


def add_checklist_option(parser: argparse.ArgumentParser, *, force: bool = True) -> None:
    """--checklist, its --force (unless the command defines its own --force), --user,
    --workspace (where registered checklists are found) and --store (FILE is then an id)."""
    parser.add_argument(
        "--checklist",
        metavar="ID|PATH",
        help="the checklist the assessment answers (default: the one it names, bundled or "
        "registered)",
    )
    if force:
        parser.add_argument("--force", action="store_true", help=FORCE_HELP)
    add_user_option(parser)
    add_workspace_option(parser)
    add_store_option(parser)


def place_of(args: argparse.Namespace) -> Path | Place:
    """`args.file` as a file, or as an id in the store chosen (--store, DECALOGUE_STORE, the
    profile). With a store chosen by default rather than --store, an existing file is
    still the file."""
    given: str | None = getattr(args, "store", None)
    url = chosen_url(given)
    file = Path(args.file)
    if url is None or (given is None and file.exists()):
        return file
    return PgStore(url).place(str(args.file))


def open_session(
    args: argparse.Namespace, user: str | None = None, *, ask_name: bool = False
) -> Session:
    """`args.file` with its checklist and the user's identity.

    The name is `user` (e.g. --by), else --user, else the session's default
    ($DECALOGUE_USER, the profile's name, the login); with `ask_name`, a person at a
    terminal who has none yet is asked once and it is kept in the profile.
    """
    user = user or user_of(args)
    if ask_name and current_identity(user).name is None and sys.stdin.isatty():
        print("Your name, recorded with your edits in the history (kept for next time): ", end="")
        sys.stdout.flush()
        typed = sys.stdin.readline().strip()
        if typed:
            save_profile_name(typed)
    return Session.open(
        place_of(args),
        getattr(args, "checklist", None),
        user,
        force=getattr(args, "force", False),
        checklists=checklists_of(args),
    )


@contextmanager
def one_change() -> Iterator[None]:
    """Around the save of a one-change command (status, confirm, a plan or CSV import): if
    the server went away since the assessment was read, one line says the change was not
    saved and to run the command again (the store's transaction left nothing half-done)."""
    try:
        yield
    except Unreachable as error:
        raise DecalogueError(
            f"{error}; not saved: run the command again once the server is back"
        ) from None


def save_change(session: Session) -> SaveResult:
    """`session.save()` for a one-change command (see `one_change`)."""
    with one_change():
        return session.save()
