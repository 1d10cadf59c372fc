"""The bundled checklist: its shape, and every quote checked against the seed texts.

The quote check here is written independently of decalogue.model.textmatch, so a bug
in the loader's matching cannot hide a misquotation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomli

from decalogue.errors import ChecklistError
from decalogue.model.checklist import Checklist
from decalogue.storage.checklists import load_checklist

REPO = Path(__file__).resolve().parent.parent
CHECKLIST = REPO / "checklists" / "osce-national-action.toml"
SEEDS = REPO / "seeds"

#: The key word of each legal-framework guarantee, in the order the source lists them.
LF_GUARANTEES = [
    "healthcare",
    "housing",
    "legal counselling",
    "recovery and reflection",
    "residence permit",
    "education",
    "vocational training",
    "compensation",
    "criminal trial",
    "criminal records",
    "privacy",
    "unsafe return",
    "asylum",
]

_TYPOGRAPHIC = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
    }
)


def _normalise(text: str) -> str:
    """Typographic quotes and dashes to ASCII, then every run of whitespace to one space."""
    return " ".join(text.translate(_TYPOGRAPHIC).split())


def _seed_texts() -> dict[str, str]:
    """Raw seed texts by seed id, read straight from seeds/ without the package."""
    texts: dict[str, str] = {}
    for meta_path in sorted(SEEDS.glob("*.toml")):
        seed_id = tomli.loads(meta_path.read_text(encoding="utf-8"))["id"]
        texts[seed_id] = meta_path.with_suffix(".txt").read_text(encoding="utf-8-sig")
    return texts


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist(CHECKLIST)


def _pillar_items(checklist: Checklist, pillar_id: str) -> list[tuple[str, str]]:
    """(id, title) of the items of one pillar, in order."""
    return [(item.id, item.title) for pillar, _, item in checklist.walk() if pillar.id == pillar_id]


def test_bundled_checklist_loads_by_id_and_path(checklist: Checklist) -> None:
    assert checklist.meta.id == "osce-national-action"
    assert load_checklist("osce-national-action").content_hash == checklist.content_hash
    assert load_checklist().meta.id == "osce-national-action"


def test_pillars_are_lf_dt_ap(checklist: Checklist) -> None:
    assert [pillar.id for pillar in checklist.pillars] == ["LF", "DT", "AP"]


def test_lf_follows_the_thirteen_guarantees_in_order(checklist: Checklist) -> None:
    items = _pillar_items(checklist, "LF")
    assert len(items) == 13
    for (item_id, title), keyword in zip(items, LF_GUARANTEES, strict=True):
        assert keyword in title.lower(), f"{item_id} {title!r} should mention {keyword!r}"


def test_every_lf_item_describes_levels_0_to_4(checklist: Checklist) -> None:
    for pillar, _, item in checklist.walk():
        if pillar.id == "LF":
            assert sorted(item.descriptors) == [0, 1, 2, 3, 4], item.id
            assert all(text.strip() for text in item.descriptors.values()), item.id


def test_dt_has_ten_items(checklist: Checklist) -> None:
    assert len(_pillar_items(checklist, "DT")) == 10


def test_ap_covers_the_action_plan_areas_and_groups(checklist: Checklist) -> None:
    ap = next(pillar for pillar in checklist.pillars if pillar.id == "AP")
    titles = " ".join(section.title.lower() for section in ap.sections)
    for area in ("prevention", "prosecution", "protection", "partnership", "co-ordination"):
        assert area in titles, area
    assert "follow-up" in titles
    tags = {tag for section in ap.sections for item in section.items for tag in item.tags}
    assert {"children", "migrants", "gender"} <= tags


def test_item_ids_are_unique_and_well_formed(checklist: Checklist) -> None:
    ids = [item.id for item in checklist.items]
    assert len(ids) == len(set(ids))
    for pillar, _, item in checklist.walk():
        assert re.fullmatch(r"(LF|DT|AP)-\d\d", item.id), item.id
        assert item.id.startswith(pillar.id + "-"), item.id


def test_every_item_has_a_reference(checklist: Checklist) -> None:
    for item in checklist.items:
        assert item.refs, f"{item.id} cites no source"


def test_every_quote_is_in_its_seed_text_word_for_word(checklist: Checklist) -> None:
    texts = {seed_id: _normalise(text) for seed_id, text in _seed_texts().items()}
    checked = 0
    for item in checklist.items:
        for ref in item.refs:
            source = checklist.source_index[ref.source]
            if not source.has_text:
                assert ref.quote is None and ref.locator, f"{item.id}: external source"
                continue
            assert source.seed in texts, f"{item.id}: unknown seed {source.seed!r}"
            assert ref.quote, f"{item.id}: a source with text needs a quote"
            assert _normalise(ref.quote) in texts[source.seed], (
                f"{item.id}: not in {source.seed}: {ref.quote!r}"
            )
            checked += 1
    assert checked >= len(checklist.items)


def test_limits_say_the_official_points_are_not_in_the_documents(
    checklist: Checklist,
) -> None:
    limits = " ".join(checklist.meta.limits.split())
    assert "official ten points of the Decalogue" in limits
    assert "are not in the documents" in limits
    dt = next(pillar for pillar in checklist.pillars if pillar.id == "DT")
    assert "not the official" in dt.summary


def test_a_broken_quote_is_refused_naming_the_item(tmp_path: Path) -> None:
    text = CHECKLIST.read_text(encoding="utf-8")
    original = 'quote = "a recovery and reflection period"'
    assert text.count(original) == 1
    broken = tmp_path / "broken.toml"
    broken.write_text(
        text.replace(original, 'quote = "a recovery and rest period"'), encoding="utf-8"
    )
    with pytest.raises(ChecklistError) as raised:
        load_checklist(broken)
    assert "LF-04" in str(raised.value)
    assert "quote not found" in str(raised.value)
