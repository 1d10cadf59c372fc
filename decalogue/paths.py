"""Where decalogue keeps the user's files: workspace, logs."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

APP_NAME = "decalogue"


def default_workspace() -> Path:
    """$DECALOGUE_WORKSPACE, or the per-user data folder."""
    configured = os.environ.get("DECALOGUE_WORKSPACE")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "workspace"


def recovery_folder() -> Path:
    """Where a recovery copy goes when the assessment's own folder cannot take one."""
    configured = os.environ.get("DECALOGUE_RECOVERY")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "recovered"


def crash_log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False) / "crash.log"


def state_folder() -> Path:
    """$DECALOGUE_STATE, or the per-user state folder: where the app keeps its own memory."""
    configured = os.environ.get("DECALOGUE_STATE")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False)


def name_part(text: str) -> str:
    """`text` as part of a file name: its letters and digits in any script (a group named
    in Cyrillic or Arabic keeps its name), lower case, the rest as single dashes."""
    folded = unicodedata.normalize("NFC", text).casefold()
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else "-" for c in folded)
    return re.sub(r"-+", "-", kept).strip("-")
