"""Upgrades of older assessment files, in memory.

A file is upgraded when it is read and rewritten only when the user next
saves (the save keeps the old bytes as `<name>.bak`), so opening an old file
to look at it never changes it. Each step takes the raw JSON of one version
and returns that of the next; the upgrade is recorded in the history.

Version 1 had no status and marked carried-forward answers as review flags;
version 2 gives both their own fields, and adds to a history entry the OS account,
note edits stored compactly and a remark (see `Change`; fields with defaults).

Version 0 is the draft layout from the format's design (no release wrote it):
the country as a bare code with an optional `country_name`, and N/A written
as the level "na". It stays here so the upgrade path is exercised by a test
and the first real format change has a place to go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decalogue import clock
from decalogue.errors import AssessmentError, Problem
from decalogue.model.assessment import SCHEMA_VERSION
from decalogue.model.countries import lookup

Raw = dict[str, Any]


def _from_0(raw: Raw, origin: str) -> Raw:
    raw = dict(raw)
    code = raw.get("country")
    name = raw.pop("country_name", None)
    if isinstance(code, str):
        known = lookup(code)
        if name is None and known is None:
            raise AssessmentError(
                [
                    Problem(
                        origin,
                        f'country {code!r} has no name; add "country_name" to the file',
                        field="country",
                    )
                ]
            )
        raw["country"] = {"code": code.upper(), "name": name or (known.name if known else "")}
    responses = raw.get("responses")
    if isinstance(responses, dict):
        upgraded = {}
        for item_id, response in responses.items():
            if isinstance(response, dict) and response.get("level") == "na":
                upgraded[item_id] = {**response, "level": None, "not_applicable": True}
            else:
                upgraded[item_id] = response
        raw["responses"] = upgraded
    raw["schema_version"] = 1
    return raw


def _from_1(raw: Raw, origin: str) -> Raw:
    """Version 2 adds the status (an older file is a draft) and carried-forward answers.

    Version 1 marked every carried answer as flagged for review. A carried file's answers
    that nobody has changed since (no "answer" entry in the history) are marked carried;
    their review flags are kept, since the file cannot tell which were last period's.
    """
    raw = dict(raw)
    history = raw.get("history")
    entries = history if isinstance(history, list) else []
    carried = next(
        (e for e in entries if isinstance(e, dict) and e.get("field") == "carried_forward"),
        None,
    )
    responses = raw.get("responses")
    if raw.get("carried_from") and carried is not None and isinstance(responses, dict):
        if isinstance(carried.get("old"), str):
            raw["carried_from_period"] = carried["old"]
        answered_since = {
            e.get("item") for e in entries if isinstance(e, dict) and e.get("field") == "answer"
        }
        raw["responses"] = {
            item_id: (
                {**response, "carried": True}
                if isinstance(response, dict) and item_id not in answered_since
                else response
            )
            for item_id, response in responses.items()
        }
    raw["schema_version"] = 2
    return raw


#: version -> the step that upgrades a file of that version to the next one.
STEPS: dict[int, Callable[[Raw, str], Raw]] = {0: _from_0, 1: _from_1}


def upgrade(raw: Raw, version: int, origin: str) -> Raw:
    """Raw JSON of an older version -> raw JSON of SCHEMA_VERSION (not yet validated)."""
    if version not in STEPS:
        raise AssessmentError(
            [
                Problem(
                    origin,
                    f"schema_version {version} is not one decalogue ever wrote "
                    f"(known: 0-{SCHEMA_VERSION})",
                    field="schema_version",
                )
            ]
        )
    start = version
    while version < SCHEMA_VERSION:
        raw = STEPS[version](raw, origin)
        version += 1
    history = raw.get("history", [])
    if isinstance(history, list):
        raw["history"] = [
            *history,
            {
                "at": clock.now().isoformat(),
                "by": "decalogue",
                "field": "schema_version",
                "old": start,
                "new": SCHEMA_VERSION,
            },
        ]
    return raw
