"""One way to put a count before a noun: "1 group", "3 groups", "0 groups"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """The count and its noun, agreeing; `plural` where adding "s" is wrong ("entries")."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
