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
from itertools import compress, count
from operator import is_, is_not

from pydantic_core import to_json

from decalogue.model.assessment import Assessment, Change, Response

#: Assessments whose pieces are kept at once (windows and served sessions save their own).
KEPT_AT_MOST = 8

#: The fields spliced in after the rest: the last two, in this order.
_SPLICED = ("responses", "history")


class _Pieces:
    """The text of each answer and history entry of one assessment, as last saved."""

    __slots__ = ("answers", "entries", "history", "item_ids", "owner", "responses")

    def __init__(self, owner: weakref.ref[Assessment]) -> None:
        self.owner = owner
        self.item_ids: list[str] = []
        """The answered items, sorted, as the file lists them."""
        self.answers: list[Response] = []
        """Their responses (held: an id is not reused while its object lives)."""
        self.responses: list[bytes] = []
        """Their entries in the file's responses object."""
        self.entries: list[Change] = []
        """The history, in order."""
        self.history: list[bytes] = []
        """The entries' texts in the file's history list."""


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
    item_ids = sorted(responses)
    answers = list(map(responses.__getitem__, item_ids))
    kept: Sequence[Response | None]
    if item_ids == pieces.item_ids:
        texts, kept = pieces.responses, pieces.answers
    else:  # answers added or gone: the kept texts are found by item id
        known = dict(
            zip(pieces.item_ids, zip(pieces.answers, pieces.responses, strict=True), strict=True)
        )
        found = [known.get(item_id) for item_id in item_ids]
        kept = [piece[0] if piece else None for piece in found]
        texts = [piece[1] if piece else b"" for piece in found]
    # Compared by identity, in C: an equal answer may still be written differently.
    for index in compress(count(), map(is_not, answers, kept)):
        text = answers[index].__pydantic_serializer__.to_json(answers[index], indent=2)
        texts[index] = b"    " + to_json(item_ids[index]) + b": " + _indented(text)
    pieces.item_ids, pieces.answers, pieces.responses = item_ids, answers, texts
    if not texts:
        return b"{}"
    return b"{\n" + b",\n".join(texts) + b"\n  }"


def _history(history: Sequence[Change], pieces: _Pieces) -> bytes:
    """The history list, two spaces in, each entry at four."""
    entries, texts = pieces.entries, pieces.history
    same = list(map(is_, entries, history))
    try:
        kept = same.index(False)  # a different entry here (a merge, a trim): the rest is stale
    except ValueError:
        kept = len(same)
    del entries[kept:], texts[kept:]
    for entry in history[kept:]:
        text = entry.__pydantic_serializer__.to_json(entry, indent=2)
        entries.append(entry)
        texts.append(b"    " + _indented(text))
    if not texts:
        return b"[]"
    return b"[\n" + b",\n".join(texts) + b"\n  ]"


def _indented(text: bytes) -> bytes:
    """`text` two levels further in (JSON strings hold no raw line breaks)."""
    return text.replace(b"\n", b"\n    ")
