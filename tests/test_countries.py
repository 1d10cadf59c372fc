"""Country search: other names, former names and accents find the ISO entry."""

from __future__ import annotations

import pytest

from decalogue.model import countries


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Turkey", "TR"),
        ("Turkiye", "TR"),
        ("türkiye", "TR"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Republic of Moldova", "MD"),
        ("Moldova", "MD"),
        ("cote d'ivoire", "CI"),
        ("Macedonia", "MK"),
        ("United States of America", "US"),
        ("UK", "GB"),
    ],
)
def test_other_names_and_accents_find_the_country(typed: str, code: str) -> None:
    assert countries.search(typed, limit=3)[0].code == code
    assert countries.exact(typed) is not None
    assert countries.exact(typed).code == code  # type: ignore[union-attr]


def test_the_picker_says_which_other_name_matched() -> None:
    turkiye = countries.lookup("TR")
    assert turkiye is not None
    assert countries.also_known_as(turkiye, "Turkey") == "Turkey"
    assert countries.also_known_as(turkiye, "Türk") is None  # the name itself matched


def test_every_other_name_belongs_to_a_known_code() -> None:
    known = countries.iso_countries()
    assert countries.aliases()
    for code, names in countries.aliases().items():
        assert code in known, code
        assert all(name.strip() == name and name for name in names), code


def test_a_partial_name_still_lists_the_country() -> None:
    assert "TR" in [c.code for c in countries.search("tur", limit=6)]
    assert countries.search("Holland") == []  # not a name the table claims
