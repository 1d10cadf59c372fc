"""The one canonical form of an assessment file, written fast for autosaves.

`dumps` gives the bytes of `model_dump_json(indent=2)` of the assessment with its
responses sorted by item id (the same as the stdlib's indented encoder with
`ensure_ascii=False`; tests compare them byte for byte). An autosave changes one
answer of a thousand and adds one history entry, so the text of each answer and
of each history entry is kept from the last save of the same assessment and used
again when it is the very same object. That is sound because answers and history
entries are frozen and are replaced, never changed in place (`Assessment.apply`,
the merge). What is kept lives as long as the assessment object: it goes when the
assessment is collected (a closed window, a reload), and at most a few are kept.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from functools import partial

from pydantic_core import to_json

from decalogue.model.assessment import Assessment, Change, Response

#: Assessments whose pieces are kept at once (windows and served sessions save their own).
KEPT_AT_MOST = 8

#: The fields spliced in after the rest: the last two, in this order.
_SPLICED = ("responses", "history")


class _Pieces:
    """The text of each answer and history entry of one assessment, as last saved."""

    __slots__ = ("history", "owner", "responses")

    def __init__(self, owner: weakref.ref[Assessment]) -> None:
        self.owner = owner
        self.responses: dict[str, tuple[Response, bytes]] = {}
        """Item id -> (the response, its entry in the file's responses object)."""
        self.history: list[tuple[Change, bytes]] = []
        """The history in order: (the entry, its text in the file's history list)."""


_KEPT: dict[int, _Pieces] = {}
"""By the id of their assessment; a piece is used only while its owner is that object."""
# Re-entrant: the collector may drop a dead assessment's pieces while this thread holds it.
_LOCK = threading.RLock()


def dumps(assessment: Assessment) -> bytes:
    """The file's bytes: UTF-8 JSON, indented, responses by item id, so diffs stay small."""
    key = id(assessment)
    with _LOCK:
        pieces = _KEPT.pop(key, None)  # taken out: a save in another thread starts afresh
    if pieces is None or pieces.owner() is not assessment:
        pieces = _Pieces(weakref.ref(assessment, partial(_drop, key)))
    head = Assessment.__pydantic_serializer__.to_json(assessment, indent=2, exclude=set(_SPLICED))
    data = b"".join(
        (
            head[:-2],  # "\n}": the spliced fields follow
            b',\n  "responses": ',
            _responses(assessment.responses, pieces),
            b',\n  "history": ',
            _history(assessment.history, pieces),
            b"\n}\n",
        )
    )
    with _LOCK:
        _KEPT[key] = pieces
        while len(_KEPT) > KEPT_AT_MOST:
            del _KEPT[next(iter(_KEPT))]
    return data


def _drop(key: int, owner: weakref.ref[Assessment]) -> None:
    """An assessment was collected: its pieces go with it."""
    with _LOCK:
        pieces = _KEPT.get(key)
        if pieces is not None and pieces.owner is owner:
            del _KEPT[key]


def _responses(responses: Mapping[str, Response], pieces: _Pieces) -> bytes:
    """The responses object, two spaces in, each entry at four."""
    if not responses:
        return b"{}"
    kept = pieces.responses
    fresh: dict[str, tuple[Response, bytes]] = {}
    for item_id in sorted(responses):
        response = responses[item_id]
        piece = kept.get(item_id)
        if piece is None or piece[0] is not response:
            text = response.__pydantic_serializer__.to_json(response, indent=2)
            piece = (response, b"    " + to_json(item_id) + b": " + _indented(text))
        fresh[item_id] = piece
    pieces.responses = fresh  # answers no longer there are let go
    return b"{\n" + b",\n".join(piece[1] for piece in fresh.values()) + b"\n  }"


def _history(history: Sequence[Change], pieces: _Pieces) -> bytes:
    """The history list, two spaces in, each entry at four."""
    if not history:
        pieces.history = []
        return b"[]"
    kept = pieces.history
    for index, entry in enumerate(history):
        if index < len(kept) and kept[index][0] is entry:
            continue
        del kept[index:]  # a different entry here (a merge or a trim): the rest is stale
        text = entry.__pydantic_serializer__.to_json(entry, indent=2)
        kept.append((entry, b"    " + _indented(text)))
    del kept[len(history) :]
    return b"[\n" + b",\n".join(piece[1] for piece in kept) + b"\n  ]"


def _indented(text: bytes) -> bytes:
    """`text` two levels further in (JSON strings hold no raw line breaks)."""
    return text.replace(b"\n", b"\n    ")
