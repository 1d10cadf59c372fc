"""Who is editing: a person's name, set once, and the OS account it is used from.

The name comes from `--user NAME`, else `$DECALOGUE_USER`, else the profile file
(`profile.toml` in the platform's config folder, `name = "..."`), else nobody yet:
the workbench then asks and saves the answer with `save_profile_name`. The
profile may also name the store to open by default (`store = "postgresql://…"`,
see `storage.stores`). The OS account is recorded beside the name in every
history entry. Neither is proof of who typed: the history is a record for the
team, not a tamper-proof audit trail.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from pathlib import Path

import tomli

from decalogue.errors import DecalogueError, display_path
from decalogue.paths import APP_NAME
from decalogue.storage.atomic import atomic_write, why

#: The longest name kept (the history's `by` holds up to 500 characters).
MAX_NAME = 200


@dataclass(frozen=True)
class Identity:
    name: str | None
    """The person's name; None until they have given one."""
    account: str
    """The operating-system account (login name)."""


def os_account() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def profile_path() -> Path:
    """`$DECALOGUE_PROFILE`, or profile.toml in the per-user config folder."""
    configured = os.environ.get("DECALOGUE_PROFILE")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "profile.toml"


def clean_name(name: str) -> str | None:
    """A name as recorded: trimmed, on one line, printable; None when nothing is left."""
    text = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    return text[:MAX_NAME] or None


def _profile() -> dict[str, object]:
    """The profile's settings; empty when there is none or it cannot be read."""
    try:
        return tomli.loads(profile_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return {}


def profile_name() -> str | None:
    """The name saved in the profile, or None (no profile, no name, or unreadable)."""
    name = _profile().get("name")
    return clean_name(name) if isinstance(name, str) else None


def profile_theme() -> str | None:
    """The workbench theme saved in the profile, or None."""
    theme = _profile().get("theme")
    return theme if isinstance(theme, str) and theme.isprintable() else None


def profile_store() -> str | None:
    """The store address saved in the profile (`store = "postgresql://…"`), or None."""
    store = _profile().get("store")
    return store if isinstance(store, str) and store.strip() else None


def current_identity(cli_user: str | None = None) -> Identity:
    """`--user` > `$DECALOGUE_USER` > the profile's name > None, with the OS account."""
    for candidate in (cli_user, os.environ.get("DECALOGUE_USER")):
        if candidate is not None and (name := clean_name(candidate)) is not None:
            return Identity(name, os_account())
    return Identity(profile_name(), os_account())


def save_profile_name(name: str) -> Path:
    """Keep `name` in the profile for the next start; the profile's path."""
    cleaned = clean_name(name)
    if cleaned is None:
        raise DecalogueError("a name is needed (the one the history records for your edits)")
    return _save_profile(name=cleaned)


def save_profile_theme(theme: str) -> Path:
    """Keep the workbench theme in the profile for the next start; the profile's path."""
    return _save_profile(theme=theme)


def save_profile_store(store: str) -> Path:
    """Keep the store to open by default (a postgresql:// address) in the profile."""
    return _save_profile(store=store)


def _save_profile(**changes: str) -> Path:
    """Rewrite the profile with `changes`, keeping the other settings it holds."""
    path = profile_path()
    settings = {
        k: v
        for k, v in _profile().items()
        if k in ("name", "theme", "store") and isinstance(v, str)
    }
    settings.update(changes)
    # A JSON string of printable text is a valid TOML basic string.
    lines = ["# decalogue: your name (recorded with your edits) and preferences"]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in settings.items()]
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))
    except OSError as error:
        raise DecalogueError(
            f"{display_path(path)}: your preferences were not saved: {why(error)}"
        ) from None
    return path
