"""Who a served browser session is: its role, its name, and for a group its one file.

The server gives every link a role and hands it to the app process it starts
through the environment (never through anything the browser sends); the app
reads it back with `from_environment` and keeps to what the role allows. This
module is shared by both sides, so it imports neither textual nor aiohttp.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from decalogue.errors import DecalogueError

#: The environment variables the server sets for every app process it starts.
ROLE_VARIABLE = "DECALOGUE_SERVED_ROLE"
FILE_VARIABLE = "DECALOGUE_SERVED_FILE"
USER_VARIABLE = "DECALOGUE_USER"

#: A group's name: shown on screen and written in the history, so kept plain and short.
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,60}")


class Role(str, enum.Enum):
    """What a link lets its holder do."""

    FACILITATOR = "facilitator"
    """The whole workbench on the workspace (no path outside it)."""
    GROUP = "group"
    """One assessment: answer, notes, evidence, flags, targets, export as a download."""
    VIEWER = "viewer"
    """Read only: the list, dashboards, the workshop table and the presenter view."""


@dataclass(frozen=True)
class Served:
    """How an app process is served: its role, who is at it, and a group's file name."""

    role: Role
    user: str
    file: str | None = None
    """A group's assessment: a file name directly in the workspace."""

    def environment(self) -> dict[str, str]:
        """The variables that carry this to the app process (all three, always set)."""
        return {
            ROLE_VARIABLE: self.role.value,
            USER_VARIABLE: self.user,
            FILE_VARIABLE: self.file or "",
        }


def from_environment(environ: Mapping[str, str] | None = None) -> Served | None:
    """The served role of this process, or None when it runs in a terminal as usual.

    An unknown role is refused rather than read as "no restriction".
    """
    env = os.environ if environ is None else environ
    value = env.get(ROLE_VARIABLE, "")
    if not value:
        return None
    try:
        role = Role(value)
    except ValueError:
        raise DecalogueError(
            f"{ROLE_VARIABLE}={value!r}: not a role (facilitator, group or viewer)"
        ) from None
    file = env.get(FILE_VARIABLE) or None
    if role is Role.GROUP and file is None:
        raise DecalogueError(f"{ROLE_VARIABLE}=group needs {FILE_VARIABLE} (the group's file)")
    return Served(role, env.get(USER_VARIABLE) or role.value, file)


def user_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The name recorded in the history of changes, when the environment gives one."""
    env = os.environ if environ is None else environ
    name = env.get(USER_VARIABLE, "").strip()
    return name or None


def inside(root: Path, path: Path) -> bool:
    """True when `path` (symbolic links followed) lies in the folder `root`."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def workspace_file(root: Path, name: str) -> Path:
    """A file name directly in the workspace; anything with a folder in it is refused."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise DecalogueError(f"{name!r}: give a file name in the workspace, without folders")
    path = root / name
    if not inside(root, path):
        raise DecalogueError(f"{name!r}: leads out of the workspace")
    return path


@dataclass(frozen=True)
class GroupOption:
    """One `--group "NAME=FILE"`."""

    name: str
    file: str


def parse_group(text: str) -> GroupOption:
    """`Group A=XX-2025-group-a.json` -> the name and the file name; one line on error."""
    name, equals, file = text.partition("=")
    name, file = name.strip(), file.strip()
    if not equals or not name or not file:
        raise DecalogueError(
            f'--group {text!r}: write it as "NAME=FILE.json" (a file in the workspace)'
        )
    if not _NAME.fullmatch(name):
        raise DecalogueError(
            f"--group {text!r}: the name must be 1 to 60 characters, without control characters"
        )
    if "/" in file or "\\" in file:
        raise DecalogueError(
            f"--group {text!r}: give the file's name only; it must be in the workspace"
        )
    return GroupOption(name, file)
