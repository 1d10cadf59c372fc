"""Finding a checklist's verbatim quote in its source document.

A quote must be in the text word for word. We forgive only what a copy and
paste changes without changing the words: runs of whitespace and line breaks,
typographic quotation marks and apostrophes, dashes, and non-breaking spaces.
There is no fuzzy matching: a changed, added or missing word is not found.
"""

from __future__ import annotations

from dataclasses import dataclass

_EQUIVALENTS = {
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u201f": '"',  # ‟
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u2032": "'",  # ′
    "\u2013": "-",  # –
    "\u2014": "-",  # —
    "\u2010": "-",  # ‐
    "\u2011": "-",  # ‑
    "\u2212": "-",  # −
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
}


@dataclass(frozen=True)
class NormalisedText:
    """A text in matching form, with a map back to the original offsets."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> NormalisedText:
        chars: list[str] = []
        offsets: list[int] = []
        pending_space = False
        for index, raw in enumerate(original):
            char = _EQUIVALENTS.get(raw, raw)
            if char.isspace():
                pending_space = bool(chars)
                continue
            if pending_space:
                chars.append(" ")
                offsets.append(index - 1)
                pending_space = False
            chars.append(char)
            offsets.append(index)
        return cls("".join(chars), tuple(offsets))

    def find(self, quote: str) -> tuple[int, int] | None:
        """The span of `quote` in the original text, or None when it is not there."""
        needle = normalise(quote)
        if not needle:
            return None
        start = self.text.find(needle)
        if start < 0:
            return None
        end = start + len(needle) - 1
        return self.offsets[start], self.offsets[end] + 1


_TABLE = str.maketrans(_EQUIVALENTS)


def normalise(text: str) -> str:
    """The matching form of a text (what `NormalisedText.of(text).text` holds, computed faster)."""
    if text.isascii():  # nothing to translate: every equivalent above is non-ASCII
        return " ".join(text.split())
    return " ".join(text.translate(_TABLE).split())
