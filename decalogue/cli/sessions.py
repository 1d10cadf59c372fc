"""Opening an assessment for a command that edits it: one place for the checklist and the user."""

from __future__ import annotations

import argparse
import sys

from decalogue.cli import checklists_of, user_of
from decalogue.session import Session
from decalogue.storage.profile import current_identity, save_profile_name


def open_session(args: argparse.Namespace, *, ask_name: bool = False) -> Session:
    """`args.file` with `--checklist` (if given) and the user's identity.

    The name comes from --user, $DECALOGUE_USER or the profile; with `ask_name`, a
    person at a terminal who has none yet is asked once and it is kept in the profile.
    """
    user = user_of(args)
    if ask_name and current_identity(user).name is None and sys.stdin.isatty():
        print("Your name, recorded with your edits in the history (kept for next time): ", end="")
        sys.stdout.flush()
        typed = sys.stdin.readline().strip()
        if typed:
            save_profile_name(typed)
    return Session.open(
        args.file,
        getattr(args, "checklist", None),
        user,
        force=getattr(args, "force", False),
        checklists=checklists_of(args),
    )
