"""Where each key of a TOML file is, so an error can name its line and column.

The TOML parser gives values, not positions. This scanner reads the same text
(only after the parser accepted it) and records, for every key, the path the
validator reports it under, e.g. ("pillars", 0, "sections", 1, "items", 2,
"weight"), with the line and column where the key is written. Tables and
entries of arrays of tables are recorded at their header, array elements at
their value. It reads strings, comments, inline tables and arrays well enough
to skip them; anything it does not understand only loses positions, never
values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress

Path = tuple[int | str, ...]
Place = tuple[int, int]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPE = re.compile(r'\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[btnfr"\\])')


class Places:
    """Line and column (1-based) of keys by their path; `find` falls back to the nearest parent."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[Path, Place] = {}
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        with suppress(IndexError, ValueError):  # a construct it does not know: keep what it found
            _Scanner(text, self).scan()

    def place(self, offset: int) -> Place:
        low, high = 0, len(self._line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1, offset - self._line_starts[low] + 1

    def record(self, path: Path, offset: int) -> None:
        self.positions.setdefault(path, self.place(offset))

    def find(self, loc: Sequence[int | str]) -> tuple[Place | None, bool]:
        """(place, exact): the place of `loc`, else of its nearest recorded parent."""
        path = tuple(loc)
        for end in range(len(path), 0, -1):
            key = _normal(path[:end])
            if key in self.positions:
                return self.positions[key], end == len(path)
        return None, False


def _normal(path: Path) -> Path:
    """Dict keys the validator reports as ints (descriptor levels) are strings in TOML."""
    return tuple(
        part if isinstance(part, str) or _is_index(path, i) else str(part)
        for i, part in enumerate(path)
    )


def _is_index(path: Path, index: int) -> bool:
    return index == 0 or path[index - 1] != "descriptors"


class _Scanner:
    def __init__(self, text: str, places: Places) -> None:
        self.text = text
        self.places = places
        self.pos = 0
        self.table: Path = ()
        self.last: dict[Path, int] = {}
        """The last index of each array of tables, by its path with the indices of its parents."""

    # -- characters

    def skip_blank(self, newlines: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def scan(self) -> None:
        text = self.text
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(text):
                return
            if text[self.pos] == "[":
                self.header()
            else:
                self.key_value(self.table)
            self.skip_blank()
            if self.pos < len(text) and text[self.pos] == "\n":
                self.pos += 1

    # -- structure

    def header(self) -> None:
        start = self.pos
        double = self.text.startswith("[[", self.pos)
        self.pos += 2 if double else 1
        keys = self.keys()
        self.pos = self.text.index("]]" if double else "]", self.pos) + (2 if double else 1)
        concrete: Path = ()
        for key in keys[:-1]:
            concrete += (key,)
            if concrete in self.last:
                concrete += (self.last[concrete],)
        concrete += (keys[-1],)
        if double:
            index = self.last.get(concrete, -1) + 1
            self.last[concrete] = index
            concrete += (index,)
        self.table = concrete
        self.places.record(concrete, start)

    def keys(self) -> list[str]:
        """A dotted key; the position is left after it."""
        keys = []
        while True:
            self.skip_blank()
            keys.append(self.key())
            self.skip_blank()
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            return keys

    def key(self) -> str:
        char = self.text[self.pos]
        if char in "\"'":
            return self.string()
        match = _BARE.match(self.text, self.pos)
        if match is None:
            raise ValueError("not a key")
        self.pos = match.end()
        return match.group()

    def key_value(self, table: Path) -> None:
        start = self.pos
        keys = self.keys()
        path = table + tuple(keys)
        self.places.record(path, start)
        if self.text[self.pos] != "=":
            raise ValueError("no '='")
        self.pos += 1
        self.skip_blank()
        self.value(path)

    def value(self, path: Path) -> None:
        char = self.text[self.pos]
        if char in "\"'":
            self.string()
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_blank()
                if self.text[self.pos] == "}":
                    self.pos += 1
                    return
                self.key_value(path)
                self.skip_blank()
                if self.text[self.pos] == ",":
                    self.pos += 1
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.text[self.pos] == "]":
                    self.pos += 1
                    return
                self.places.record((*path, index), self.pos)
                self.value((*path, index))
                index += 1
                self.skip_blank(newlines=True)
                if self.text[self.pos] == ",":
                    self.pos += 1
        else:
            match = re.compile(r"[^\s,\]}#]+(?: [0-9:.+\-Z]+)?").match(self.text, self.pos)
            self.pos = match.end() if match else self.pos + 1

    def string(self) -> str:
        """A quoted string (any of the four kinds); returns its text for keys."""
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            end = text.index(quote * 3, self.pos + 3)
            while text.startswith(quote, end + 3):  # up to two quotes may close the content
                end += 1
            if quote == '"':
                while _escaped(text, end):
                    end = text.index(quote * 3, end + 1)
            self.pos = end + 3
            return ""
        end = self.pos + 1
        while True:
            end = text.index(quote, end)
            if quote == "'" or not _escaped(text, end):
                break
            end += 1
        raw = text[self.pos + 1 : end]
        self.pos = end + 1
        return _ESCAPE.sub(lambda m: _unescape(m.group()), raw) if quote == '"' else raw


def _escaped(text: str, index: int) -> bool:
    """Whether the character at `index` is escaped by an odd run of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _unescape(escape: str) -> str:
    simple = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
    if escape[1] in simple:
        return simple[escape[1]]
    return chr(int(escape[2:], 16))
