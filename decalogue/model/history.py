"""Reading an assessment's history back: each change's values as a person reads them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from decalogue.model.assessment import Change
from decalogue.model.textedit import text_sha256


def with_texts(changes: Sequence[Change]) -> list[tuple[Any, Any]]:
    """Each change's old and new value, a note's or finding's edit worked out into texts.

    Those texts are stored as edits (TextEdit) of the version they changed, named by its
    sha256; the versions are rebuilt from the entries before, per item and field. An
    edit of a version the history no longer holds (cut on save) gives (None, None).
    """
    versions: dict[tuple[str | None, str], dict[str, str]] = {}
    values: list[tuple[Any, Any]] = []
    for change in changes:
        known = versions.setdefault((change.item, change.field), {text_sha256(""): ""})
        if change.edit is None:
            values.append((change.old, change.new))
            for value in (change.old, change.new):
                if isinstance(value, str):
                    known[text_sha256(value)] = value
            continue
        old = known.get(change.edit.old_sha256)
        try:
            new = None if old is None else change.edit.apply(old)
        except ValueError:
            new = None
        if old is None or new is None:
            values.append((None, None))
            continue
        known[text_sha256(new)] = new
        values.append((old, new))
    return values
