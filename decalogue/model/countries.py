"""Countries for assessments: the 57 OSCE participating States first, any ISO 3166-1 code allowed.

ISO 3166-1 leaves some alpha-2 codes to users (AA, QM-QZ, XA-XZ, ZZ); they are
accepted for fictional or training countries, with a name the user gives.
The search also knows other names (country_aliases.tsv: ISO's full, official and
common names, and a few well-established former ones such as Turkey) and folds
accents, so "Turkey" and "Turkiye" both find Türkiye.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from decalogue.resources import data_file


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    osce: bool


def _read_tsv(name: str) -> list[tuple[str, str]]:
    """The first two columns of a bundled table, without comments and the header row."""
    rows = []
    for line in data_file(name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, second = line.split("\t")[:2]
            rows.append((first, second))
    return rows[1:]


def fold(text: str) -> str:
    """Text for matching: accents dropped, case folded ("Türkiye" → "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@cache
def aliases() -> dict[str, tuple[str, ...]]:
    """Other names by ISO code: ISO's full, official and common names, a few former ones."""
    found: dict[str, list[str]] = {}
    for code, name in _read_tsv("country_aliases.tsv"):
        found.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in found.items()}


@cache
def osce_codes() -> dict[str, str]:
    """The participating States' names as the OSCE lists them, by ISO code."""
    return {code: name for name, code in _read_tsv("osce_states.tsv")}


@cache
def iso_countries() -> dict[str, str]:
    return dict(_read_tsv("iso3166.tsv"))


def is_user_assigned(code: str) -> bool:
    """Codes ISO reserves for private use: the place for fictional example countries."""
    return (
        code in {"AA", "ZZ"}
        or (code[0] == "Q" and "M" <= code[1] <= "Z")
        or (code[0] == "X" and code[1].isalpha())
    ) and len(code) == 2


def lookup(code: str) -> Country | None:
    code = code.upper()
    if code in osce_codes():
        return Country(code, osce_codes()[code], True)
    if code in iso_countries():
        return Country(code, iso_countries()[code], False)
    return None


@cache
def picker_entries() -> tuple[Country, ...]:
    """Every known country, OSCE participating States first, each group by name."""
    osce = sorted((Country(c, n, True) for c, n in osce_codes().items()), key=lambda c: c.name)
    others = sorted(
        (Country(c, n, False) for c, n in iso_countries().items() if c not in osce_codes()),
        key=lambda c: c.name,
    )
    return tuple(osce + others)


@cache
def _search_index() -> tuple[tuple[Country, str, tuple[tuple[str, str], ...]], ...]:
    """Each entry with its folded name and its other names (folded, as written)."""
    return tuple(
        (c, fold(c.name), tuple((fold(alias), alias) for alias in aliases().get(c.code, ())))
        for c in picker_entries()
    )


def also_known_as(country: Country, text: str) -> str | None:
    """The other name of `country` that `text` matched (for the picker to show), if any."""
    needle = fold(text)
    if not needle or needle in fold(country.name) or needle == country.code.casefold():
        return None
    return next((alias for alias in aliases().get(country.code, ()) if needle in fold(alias)), None)


def exact(text: str) -> Country | None:
    """The country whose name or other name is `text` (accents and case aside)."""
    needle = fold(text)
    for country, name, names in _search_index():
        if needle == name or any(needle == folded for folded, _ in names):
            return country
    return None


def search(text: str, limit: int = 20) -> list[Country]:
    """Type-ahead: exact code, then exact name, names starting with the text, containing it.

    Other names count as names; accents and case are ignored.
    """
    needle = fold(text)
    if not needle:
        return list(picker_entries()[:limit])
    exact_code: list[Country] = []
    same: list[Country] = []
    starts: list[Country] = []
    contains: list[Country] = []
    for country, name, names in _search_index():
        if country.code.casefold() == needle:
            exact_code.append(country)
        elif needle == name or any(needle == f for f, _ in names):
            same.append(country)
        elif name.startswith(needle) or any(f.startswith(needle) for f, _ in names):
            starts.append(country)
        elif needle in name or any(needle in f for f, _ in names):
            contains.append(country)
    return (exact_code + same + starts + contains)[:limit]
