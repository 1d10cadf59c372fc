"""The bundled checklist: its shape, what it claims, and every quote checked against the seeds.

The quote check here is written independently of decalogue.model.textmatch, so a bug
in the loader's matching cannot hide a misquotation. Version 1.0.0 is kept in
tests/fixtures so that assessments made with it are shown to open with drift.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

from decalogue.errors import ChecklistError
from decalogue.model.assessment import Answer, new_assessment
from decalogue.model.checklist import Checklist, parse_checklist
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

REPO = Path(__file__).resolve().parent.parent
CHECKLIST = REPO / "checklists" / "osce-national-action.toml"
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VERSION_1_0_0 = FIXTURES / "osce-national-action-1.0.0.toml"

#: Ids of items removed from the bundled checklist; never to be given to another item.
RETIRED = {"AP-13"}

#: The seeds that report on the 2023 conference, the only ones the DT pillar may quote.
DT_SEEDS = {"alliance-decalogue-call", "political-will-op-ed"}

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


def test_ap_groups_its_measures_by_area_and_by_group_at_risk(checklist: Checklist) -> None:
    ap = next(pillar for pillar in checklist.pillars if pillar.id == "AP")
    titles = " ".join(section.title.lower() for section in ap.sections)
    for area in ("prevention", "prosecution", "protection", "partnership", "follow-up"):
        assert area in titles, area
    tags = {tag for section in ap.sections for item in section.items for tag in item.tags}
    assert {"children", "migrants", "gender"} <= tags


def test_ap_says_what_it_is_not_an_action_plan(checklist: Checklist) -> None:
    ap = next(pillar for pillar in checklist.pillars if pillar.id == "AP")
    assert ap.title == "Measures the OSCE texts call for"
    summary = " ".join(ap.summary.split())
    assert "does not restate the OSCE Action Plan" in summary
    assert "not the item's basis" in summary


def _action_plan_sources(checklist: Checklist) -> set[str]:
    """External sources that are the Action Plan or one of its addenda."""
    return {
        source.id
        for source in checklist.sources
        if not source.has_text and "Action Plan" in (source.title or "")
    }


def _unsourced_under_an_action_plan_title(checklist: Checklist) -> list[str]:
    """Items in a pillar or section titled after the Action Plan that do not cite it."""
    plan = _action_plan_sources(checklist)
    return [
        item.id
        for pillar, section, item in checklist.walk()
        if "action plan" in f"{pillar.title} {section.title}".lower()
        and not any(ref.source in plan for ref in item.refs)
    ]


def test_a_pillar_titled_after_the_action_plan_cites_it_on_every_item(
    checklist: Checklist,
) -> None:
    assert _unsourced_under_an_action_plan_title(checklist) == []
    # The rule bites: 1.0.0's title over 1.1.0's items is caught, naming the items.
    text = CHECKLIST.read_text(encoding="utf-8")
    old_title = text.replace(
        'title = "Measures the OSCE texts call for"', 'title = "OSCE Action Plan commitments"'
    )
    assert old_title != text
    retitled = parse_checklist(old_title, origin="retitled.toml")
    unsourced = _unsourced_under_an_action_plan_title(retitled)
    assert {"AP-06", "AP-10", "AP-11", "AP-16", "AP-17", "AP-18", "AP-20"} <= set(unsourced)


def test_the_action_plan_is_cited_by_its_official_title_and_number_without_quotes(
    checklist: Checklist,
) -> None:
    plan = checklist.source_index["osce-action-plan-2003"]
    assert plan.title is not None and "PC.DEC/557" in plan.title
    assert plan.date == "24 July 2003"
    assert "Decision No. 1107" in str(
        checklist.source_index["osce-action-plan-addendum-2013"].title
    )
    for item in checklist.items:
        for ref in item.refs:
            if ref.source in _action_plan_sources(checklist):
                assert ref.quote is None, item.id
                assert ref.locator and ref.locator.startswith("related area, not quoted"), item.id


def test_limits_say_which_facts_come_from_outside_the_seeds(checklist: Checklist) -> None:
    limits = " ".join(checklist.meta.limits.split())
    assert "These facts come from outside the seed texts" in limits
    for fact in ("PC.DEC/557", "24 July 2003", "Decision No. 1107", "2005 addendum"):
        assert fact in limits, fact
    assert "never as the basis of an item" in limits


def test_every_item_describes_every_level_of_the_scale(checklist: Checklist) -> None:
    levels = sorted(level.value for level in checklist.scale.levels)
    generic = {level.description for level in checklist.scale.levels}
    for item in checklist.items:
        assert sorted(item.descriptors) == levels, f"{item.id} lacks descriptors"
        texts = [" ".join(text.split()) for text in item.descriptors.values()]
        assert all(texts), item.id
        assert len(set(texts)) == len(texts), f"{item.id}: two levels read the same"
        assert not generic & set(texts), f"{item.id}: a descriptor is the generic scale text"


def test_dt_quotes_only_the_texts_on_the_2023_conference(checklist: Checklist) -> None:
    for pillar, _, item in checklist.walk():
        if pillar.id == "DT":
            for ref in item.refs:
                assert checklist.source_index[ref.source].seed in DT_SEEDS, (item.id, ref.source)
    dt = next(pillar for pillar in checklist.pillars if pillar.id == "DT")
    assert "every quote in this pillar comes from one of the two" in " ".join(dt.summary.split())


def test_items_built_on_remarks_say_the_text_sets_no_national_duty(
    checklist: Checklist,
) -> None:
    for item_id in ("DT-08", "DT-09", "DT-10"):
        guidance = " ".join(checklist.item_index[item_id].guidance.split())
        assert "no particular national duty" in guidance or "Neither sets a duty" in guidance
        assert "this checklist's" in guidance, item_id


def test_version_1_1_0_with_a_changelog_naming_what_changed(checklist: Checklist) -> None:
    old = load_checklist(VERSION_1_0_0)
    assert (old.meta.version, checklist.meta.version) == ("1.0.0", "1.1.0")
    changelog = " ".join(checklist.meta.changelog.split())
    assert changelog.startswith("1.1.0:") and "1.0.0:" in changelog
    before, after = set(old.item_index), set(checklist.item_index)
    for item_id in (before - after) | (after - before):
        assert item_id in changelog, f"{item_id} was added or removed without a changelog line"
    for item_id in ("LF-04", "LF-06", "DT-07", "DT-08", "DT-09", "DT-10"):
        assert item_id in changelog, item_id


def test_item_ids_are_stable_and_retired_ids_are_not_reused(checklist: Checklist) -> None:
    old = set(load_checklist(VERSION_1_0_0).item_index)
    now = set(checklist.item_index)
    assert old - now == RETIRED
    assert not RETIRED & now
    assert len(now) == 43


def test_the_fixture_is_the_released_1_0_0() -> None:
    """Assessments of 1.0.0 record this hash; the fixture must be exactly that checklist."""
    recorded = (FIXTURES / "hardening" / "schema-0.json").read_text(encoding="utf-8")
    assert load_checklist(VERSION_1_0_0).content_hash in recorded


def test_an_assessment_of_1_0_0_opens_with_the_drift_shown(tmp_path: Path) -> None:
    old = load_checklist(VERSION_1_0_0)
    assessment = new_assessment(old, "XX", "2025", country_name="Exampleland")
    for item_id, level in (("LF-04", 3), ("AP-13", 2), ("AP-08", 1)):
        assessment.apply(item_id, "answer", Answer(level=level), "Example Assessor")
    path = store.create(tmp_path / "XX-2025.json", assessment).path
    before = path.read_bytes()

    session = Session.open(path)  # finds the bundled checklist by its id
    assert session.checklist.meta.version == "1.1.0"
    assert session.drift
    assert session.orphaned == ["AP-13"]
    assert session.board.items["LF-04"].level == 3
    assert session.board.items["AP-08"].level == 1
    assert path.read_bytes() == before  # opening writes nothing

    env = {**os.environ, "NO_COLOR": "1", "DECALOGUE_WORKSPACE": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "-m", "decalogue", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "1 answer to items the checklist no longer has, kept" in shown.stdout


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
