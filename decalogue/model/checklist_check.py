"""Every problem of a checklist file, each at the line and column of the key at fault.

The checks run on the parsed TOML, not on the validated model, so one run
finds the schema errors (a misspelled key, a value of the wrong kind) and the
errors of meaning (a duplicate id, a quote not in its source, a descriptor for
a level the scale lacks, a missing source file) together. A check whose input
is itself wrong is skipped rather than reported again: with a broken scale, no
item is blamed for its descriptors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tomli
from pydantic import ValidationError

from decalogue.errors import ChecklistError, Problem, field_path, validation_message
from decalogue.model.sources import Document, bundled_seeds, read_document
from decalogue.model.toml_places import Places

Loc = tuple[int | str, ...]
Report = Callable[[str, Loc], None]

_KINDS = {"pillars": "pillar", "sections": "section", "items": "item", "sources": "source"}


class Located:
    """Builds Problems for one file, placing each at its key (the text is scanned on demand)."""

    def __init__(self, raw: dict[str, Any], text: str, origin: str) -> None:
        self.raw, self.text, self.origin = raw, text, origin
        self._places: Places | None = None
        self.problems: list[Problem] = []

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = Places(self.text)
        return self._places

    def line_of(self, loc: Loc) -> int | None:
        place, _ = self.places.find(loc)
        return place[0] if place else None

    def report(self, message: str, loc: Loc) -> None:
        loc = tuple(part for part in loc if part != "[key]")
        place, _ = self.places.find(loc) if self.text else (None, False)
        owner = _owner_of(self.raw, loc)
        self.problems.append(
            Problem(
                self.origin,
                message,
                line=place[0] if place else None,
                column=place[1] if place else None,
                field=field_path(loc) or None,
                owner=f"{owner[0]} {owner[1]}" if owner else None,
            )
        )

    def sorted(self) -> list[Problem]:
        """In file order, so the author fixes them top to bottom."""
        return sorted(self.problems, key=lambda p: (p.line or 10**9, p.column or 0))


# --------------------------------------------------------------------------- TOML syntax


_WORDS: list[tuple[str, str]] = [
    (
        r"^Illegal character '\\n'",
        "unterminated string: the closing quote is missing on this line"
        ' (a text on several lines goes between """ and """)',
    ),
    (r"^Expected \"'\"", "unterminated string: the closing ' is missing on this line"),
    (r"^Unterminated string", "unterminated string: the closing \"\"\" (or ''') is missing"),
    (r"^Expected '=' after a key", "missing '=' after the key (write key = value)"),
    (
        r"^Invalid value",
        "missing or invalid value after '=': text needs quotes (\"...\"); "
        "numbers, true/false, [lists] and { tables } do not",
    ),
    (
        r"^Cannot overwrite a value",
        "this key is given twice (or a table is declared over a value); keep one",
    ),
    (
        r"^Cannot declare \((.*)\) twice",
        "table declared twice; for a list of tables write [[...]] for each entry",
    ),
    (r"^Unclosed array", "unclosed list: a ']' is missing"),
    (
        r"^Unclosed inline table",
        "unclosed inline table: a '}' is missing (an inline table stays on one line)",
    ),
    (r"^Expected ']' at the end of a table", "missing ']' at the end of the table header"),
    (r"^Expected ']]' at the end of an array", "missing ']]' at the end of the [[...]] header"),
    (
        r"^Expected newline or end of document",
        "something follows the value on this line "
        "(one key = value per line; a missing quote or comma?)",
    ),
    (
        r"^Unescaped '\\\\' in a string",
        "a backslash in a string starts an escape: write \\\\ "
        "for a backslash, or use 'single quotes' (no escapes)",
    ),
    (r"^Illegal character", "a control character in a string; remove it"),
]


def toml_problem(error: tomli.TOMLDecodeError, text: str, origin: str) -> Problem:
    """A TOML syntax error in words, at the place where the mistake is (not where it is noticed)."""
    message = str(getattr(error, "msg", error))
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    for pattern, words in _WORDS:
        if re.match(pattern, message):
            if words.startswith("unterminated string: the closing") and line is not None:
                line, column = _opening_quote(text, line, column)
            return Problem(origin, f"TOML syntax: {words}", line, column)
    return Problem(origin, f"TOML syntax: {message}", line, column)


def _opening_quote(text: str, line: int, column: int | None) -> tuple[int, int | None]:
    """The quote that opened an unterminated string: on the line, or the one before."""
    lines = text.split("\n")
    if column == 1 and line > 1:
        line -= 1
    current = lines[line - 1] if line - 1 < len(lines) else ""
    match = re.search(r"=\s*([\"'])", current)
    return line, (match.start(1) + 1 if match else column)


# --------------------------------------------------------------------------- schema


def schema_problems(
    error: ValidationError, found: Located, fields_at: Callable[[Loc], Sequence[str]]
) -> None:
    """Pydantic's errors, each at its key; a misspelled key is one problem, with a suggestion.

    `fields_at(loc)` names the fields the table at `loc` may have.
    """
    details = error.errors(include_url=False)
    missing = {tuple(d["loc"]) for d in details if d["type"] == "missing"}
    merged: set[Loc] = set()
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden":
            parent = loc[:-1]
            candidates = [str(m[-1]) for m in missing if m[:-1] == parent]
            close = difflib.get_close_matches(str(loc[-1]), candidates, n=1) or (
                difflib.get_close_matches(str(loc[-1]), fields_at(parent), n=1)
            )
            message = f"unknown field {loc[-1]!r}; check its spelling"
            if close:
                message = f"unknown field {loc[-1]!r}: did you mean {close[0]!r}?"
                if (*parent, close[0]) in missing:
                    merged.add((*parent, close[0]))
                    message += " (it is required)"
            found.report(message, loc)
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden" or loc in merged:
            continue
        found.report(validation_message(detail), loc)


def _owner_of(raw: Any, loc: Loc) -> tuple[str, str] | None:
    """The innermost pillar, section, item or source on the error's path that has an id."""
    owner = None
    node, kind = raw, None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, str):
            kind = _KINDS.get(part)
        elif kind and isinstance(node, dict) and isinstance(node.get("id"), str):
            owner = (kind, node["id"])
    return owner


# --------------------------------------------------------------------------- meaning


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def meaning_problems(found: Located, base_dir: Path | None) -> dict[str, Document]:
    """Check what the schema cannot; returns the source documents that could be read."""
    raw = found.raw
    levels = _check_scale(_dict(raw.get("scale")), found)
    _check_ids(raw, found)
    documents, sources = _check_sources(raw, base_dir, found)
    pillars = raw.get("pillars")
    if pillars is None or pillars == []:
        found.report("the checklist has no pillars: add a [[pillars]] table", ("pillars",))
    for p_index, pillar in enumerate(_list(pillars)):
        sections = _dict(pillar).get("sections")
        if sections is None or sections == []:
            found.report("pillar has no sections", ("pillars", p_index))
        for s_index, section in enumerate(_list(sections)):
            where: Loc = ("pillars", p_index, "sections", s_index)
            items = _dict(section).get("items")
            if items is None or items == []:
                found.report("section has no items; add one or remove the section", where)
            for i_index, item in enumerate(_list(items)):
                if isinstance(item, dict):
                    loc = (*where, "items", i_index)
                    _check_item(
                        item, loc, levels=levels, sources=sources, documents=documents, found=found
                    )
    return documents


def _check_scale(scale: dict[str, Any], found: Located) -> set[int] | None:
    """The scale's level values, or None (reported once) when they do not run 0, 1, 2, ..."""
    levels = _list(scale.get("levels"))
    given = [_dict(level).get("value") for level in levels]
    values: list[int] = [v for v in given if isinstance(v, int) and not isinstance(v, bool)]
    if not values or len(values) < len(levels):
        return None  # the schema reports these
    seen: set[int] = set()
    for index, value in enumerate(values):
        if value in seen or value >= len(values) or value < 0:
            missing = sorted(set(range(len(values))) - set(values))
            why = f"{value} is given twice" if value in seen else f"{value} is out of sequence"
            gap = f", {missing[0]} is missing" if missing else ""
            found.report(
                f"levels must run 0, 1, 2, ... without gaps or repeats: {why}{gap} "
                f"(found {sorted(values)})",
                ("scale", "levels", index, "value"),
            )
            return None
        seen.add(value)
    return seen


def _check_ids(raw: dict[str, Any], found: Located) -> None:
    first: dict[str, tuple[str, Loc]] = {}

    def check(node: Any, kind: str, loc: Loc) -> None:
        ident = _dict(node).get("id")
        if not isinstance(ident, str):
            return
        if ident in first:
            other_kind, other = first[ident]
            line = found.line_of((*other, "id"))
            at = f" at line {line}" if line else ""
            found.report(
                f"duplicate id {ident!r}: already used by the {other_kind}{at}; pillar, section "
                "and item ids must be unique",
                (*loc, "id"),
            )
        else:
            first[ident] = (kind, loc)

    for p_index, pillar in enumerate(_list(raw.get("pillars"))):
        check(pillar, "pillar", ("pillars", p_index))
        for s_index, section in enumerate(_list(_dict(pillar).get("sections"))):
            where: Loc = ("pillars", p_index, "sections", s_index)
            check(section, "section", where)
            for i_index, item in enumerate(_list(_dict(section).get("items"))):
                check(item, "item", (*where, "items", i_index))


def _check_sources(
    raw: dict[str, Any], base_dir: Path | None, found: Located
) -> tuple[dict[str, Document], dict[str, dict[str, Any]]]:
    sources: dict[str, dict[str, Any]] = {}
    for index, source in enumerate(_list(raw.get("sources"))):
        ident = _dict(source).get("id")
        if not isinstance(ident, str):
            continue
        if ident in sources:
            found.report(f"source id {ident!r} is declared twice", ("sources", index, "id"))
            continue
        sources[ident] = {**source, "_index": index}

    def report(message: str, loc: Loc) -> None:
        found.report(message, loc)

    return load_documents(list(sources.values()), base_dir, report), sources


def load_documents(
    sources: Sequence[dict[str, Any]], base_dir: Path | None, report: Report
) -> dict[str, Document]:
    """The texts of the sources that have one (a seed, a file), by source id."""
    documents: dict[str, Document] = {}
    for position, source in enumerate(sources):
        index = source.get("_index", position)
        ident, seed, file = source.get("id"), _text(source.get("seed")), _text(source.get("file"))
        if seed and not file:
            known = bundled_seeds()
            if seed not in known:
                report(
                    f"no bundled seed {seed!r} (known: {', '.join(sorted(known))})",
                    ("sources", index, "seed"),
                )
            else:
                documents[str(ident)] = known[seed].document
        elif file and not seed:
            path = (base_dir or Path.cwd()) / file
            if not path.is_file():
                report(
                    f"source file {file!r} not found: it must be beside the checklist "
                    "(the path is relative to the checklist's folder)",
                    ("sources", index, "file"),
                )
                continue
            try:
                documents[str(ident)] = read_document(path)
            except ChecklistError as error:
                report(error.problems[0].message, ("sources", index, "file"))
    return documents


def _check_item(
    item: dict[str, Any],
    loc: Loc,
    *,
    levels: set[int] | None,
    sources: dict[str, dict[str, Any]],
    documents: dict[str, Document],
    found: Located,
) -> None:
    if levels is not None:
        for key in _dict(item.get("descriptors")):
            level = int(key) if isinstance(key, str) and key.isdecimal() else None
            if level is not None and level not in levels:
                found.report(
                    f"descriptor for level {level}, which the scale does not have "
                    f"(levels {min(levels)}-{max(levels)})",
                    (*loc, "descriptors", key),
                )
    for r_index, entry in enumerate(_list(item.get("refs"))):
        ref = _dict(entry)
        where = (*loc, "refs", r_index)
        cited = ref.get("source")
        if not isinstance(cited, str):
            continue
        source = sources.get(cited)
        quote = ref.get("quote")
        if source is None:
            known = ", ".join(sources) or "none declared"
            found.report(f"unknown source {cited!r} (declared: {known})", (*where, "source"))
            continue
        has_text = bool(_text(source.get("seed")) or _text(source.get("file")))
        if has_text and (quote is None or quote == ""):
            found.report(
                f"source {cited!r} has a text: cite it with a verbatim `quote`", (*where, "source")
            )
        elif not has_text and quote is not None:
            found.report(
                f"source {cited!r} has no text to check a quote against: use `locator` "
                "(chapter, paragraph) instead of `quote`",
                (*where, "quote"),
            )
        elif isinstance(quote, str):
            document = documents.get(cited)
            if document is not None and document.find_quote(quote) is None:
                found.report(
                    f"quote not found word for word in {document.path.name}: "
                    f"{_abbreviate(quote)!r}",
                    (*where, "quote"),
                )


def _abbreviate(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
