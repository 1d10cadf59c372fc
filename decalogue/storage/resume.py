"""Where each person left off in each assessment, to reopen there next time.

A small JSON file in the user's state folder (not in the assessment: it is one
person's place, not part of the shared work). Best effort: a file that cannot
be read or written only means starting at the first item.
"""

from __future__ import annotations

import json
from pathlib import Path

from decalogue.paths import state_folder
from decalogue.storage.atomic import atomic_write

#: How many assessments' places are kept (the most recent).
KEEP = 200


def places_file() -> Path:
    return state_folder() / "last-items.json"


def _key(assessment_id: str, user: str) -> str:
    return f"{user}\t{assessment_id}"


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def last_item(assessment_id: str, user: str) -> str | None:
    """The item this user last had highlighted in this assessment, if known."""
    return _read(places_file()).get(_key(assessment_id, user))


def remember(assessment_id: str, user: str, item_id: str) -> None:
    """Record the highlighted item (the newest entry last; the oldest dropped past KEEP)."""
    path = places_file()
    places = _read(path)
    key = _key(assessment_id, user)
    if places.get(key) == item_id:
        return
    places.pop(key, None)
    places[key] = item_id
    kept = dict(list(places.items())[-KEEP:])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(kept, indent=1).encode("utf-8"), durable=False)
    except OSError:
        pass  # only the place is lost, never work
