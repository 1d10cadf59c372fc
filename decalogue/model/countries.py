"""Countries for assessments: the 57 OSCE participating States first, any ISO 3166-1 code allowed.

ISO 3166-1 leaves some alpha-2 codes to users (AA, QM-QZ, XA-XZ, ZZ); they are
accepted for fictional or training countries, with a name the user gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from decalogue.resources import data_file


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    osce: bool


def _read_tsv(name: str) -> list[tuple[str, str]]:
    """The two columns of a bundled table, without comments and the header row."""
    rows = []
    for line in data_file(name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, second = line.split("\t")
            rows.append((first, second))
    return rows[1:]


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


def search(text: str, limit: int = 20) -> list[Country]:
    """Type-ahead: exact code first, then names starting with the text, then containing it."""
    needle = text.strip().casefold()
    if not needle:
        return list(picker_entries()[:limit])
    exact = [c for c in picker_entries() if c.code.casefold() == needle]
    starts = [
        c for c in picker_entries() if c.name.casefold().startswith(needle) and c not in exact
    ]
    contains = [
        c
        for c in picker_entries()
        if needle in c.name.casefold() and c not in exact and c not in starts
    ]
    return (exact + starts + contains)[:limit]
