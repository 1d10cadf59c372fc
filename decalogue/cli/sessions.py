"""Opening an assessment for a command that edits it: one place for the checklist and the user."""

from __future__ import annotations

import argparse
import os

from decalogue.session import Session


def open_session(args: argparse.Namespace) -> Session:
    """`args.file` with `--checklist` (if given) and the user from --user or DECALOGUE_USER."""
    user = getattr(args, "user", None) or os.environ.get("DECALOGUE_USER") or None
    return Session.open(args.file, getattr(args, "checklist", None), user=user)
