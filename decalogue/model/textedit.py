"""A change of a long text, stored compactly: what changed, not both whole texts.

The history of a note edited thousands of times would otherwise hold every version
twice; this keeps each entry about as long as what was typed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class TextEdit(BaseModel):
    """A change of a long text stored as what changed, not as both whole texts.

    Repeated edits of a note then cost what was typed, not the note's length twice
    per edit: the history stays small. The old text is identified by its sha256, so
    a reader replaying the history can tell which version an edit applies to.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    old_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """The sha256 of the text the edit was made to."""
    ops: list[int | str]
    """Applied to the old text in order: n > 0 keeps n characters, n < 0 deletes -n
    characters, a string is inserted."""

    @classmethod
    def between(cls, old: str, new: str) -> TextEdit:
        return cls(old_sha256=text_sha256(old), ops=_text_ops(old, new))

    def apply(self, old: str) -> str:
        """The new text, from the old one this edit was made to (checked by its hash)."""
        if text_sha256(old) != self.old_sha256:
            raise ValueError("this text edit was made to another version of the text")
        parts, at = [], 0
        for op in self.ops:
            if isinstance(op, str):
                parts.append(op)
            elif op > 0:
                parts.append(old[at : at + op])
                at += op
            else:
                at -= op
        return "".join(parts) + old[at:]


_TOKENS = re.compile(r"\s*\S+|\s+")


def _common(a: str, b: str, part: Callable[[str, int], str]) -> int:
    """The length of the longest common start (or end) of two texts: a binary search
    over slice comparisons, fast for long notes where a loop over characters is not."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if part(a, middle) == part(b, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _text_ops(old: str, new: str) -> list[int | str]:
    """Keep / delete / insert steps from `old` to `new`, by words beyond a common start
    and end (a character diff of a long note would be slow; a word diff is compact)."""
    start = _common(old, new, lambda text, n: text[:n])
    end = _common(old[start:], new[start:], lambda text, n: text[len(text) - n :])
    a, b = old[start : len(old) - end], new[start : len(new) - end]
    middle: list[int | str] = []
    if len(a) + len(b) <= 200:
        middle = [-len(a), b]
    else:
        words_a, words_b = _TOKENS.findall(a), _TOKENS.findall(b)
        matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                middle.append(sum(map(len, words_a[i1:i2])))
            else:
                middle += [-sum(map(len, words_a[i1:i2])), "".join(words_b[j1:j2])]
    ops: list[int | str] = []
    for op in [start, *middle, end]:
        last = ops[-1] if ops else None
        if op in (0, ""):
            continue
        if isinstance(op, str) and isinstance(last, str):
            ops[-1] = last + op  # two inserts in a row
            continue
        if isinstance(op, int) and isinstance(last, int) and (last > 0) == (op > 0):
            ops[-1] = last + op  # two keeps, or two deletes, in a row
            continue
        ops.append(op)
    if ops and isinstance(ops[-1], int) and ops[-1] > 0:
        ops.pop()  # the rest of the old text is kept anyway
    return ops


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
