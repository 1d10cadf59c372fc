"""Where decalogue keeps the user's files: workspace, logs."""

from __future__ import annotations

import os
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
