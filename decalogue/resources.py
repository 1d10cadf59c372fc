"""Where the bundled checklists, seed documents and reference data live.

In a wheel, `checklists/` and `seeds/` are copied under `decalogue/_bundled/`;
in a source checkout (or an editable install) they stay at the repository's
top level, beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


@cache
def checklists_dir() -> Path:
    return _bundled("checklists")


@cache
def seeds_dir() -> Path:
    return _bundled("seeds")


def data_file(name: str) -> Path:
    return PACKAGE_DIR / "data" / name


def bundled_checklist_paths() -> list[Path]:
    return sorted(checklists_dir().glob("*.toml"))


DEFAULT_CHECKLIST_ID = "osce-national-action"


#: Format name -> the file name of its schema, which is also the schema's `$id`.
SCHEMA_FILES = {
    "checklist": "decalogue-checklist.schema.json",
    "assessment": "decalogue-assessment-2.schema.json",
    "scorecard": "decalogue-scorecard-2.schema.json",
}


def schema_id(kind: str) -> str:
    """The `$id` of a format's schema: the name of the file shipped with decalogue."""
    return SCHEMA_FILES[kind]
