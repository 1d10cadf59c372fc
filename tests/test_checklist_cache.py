"""The validated-checklist cache: a large checklist loads the same with or without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from benchmarks.generate import checklist_toml
from decalogue.errors import ChecklistError
from decalogue.model import sources
from decalogue.model.checklist import parse_checklist
from decalogue.storage import checklist_cache
from decalogue.storage.checklists import load_checklist

#: Enough generated items to pass the cache's size threshold.
ITEMS = 260

OWN_SOURCE = """
[[sources]]
id = "nap"
file = "nap.txt"
title = "National action plan (example)"

[[pillars]]
id = "NAP"
title = "National action plan"
[[pillars.sections]]
id = "NAP-A"
title = "Plan"
[[pillars.sections.items]]
id = "NAP-01"
title = "Shelters"
question = "Are the shelters of the plan open?"
tags = ["1", "shelters"]
weight = 1
descriptors = { 1 = "1", 2 = "Shelters" }
[[pillars.sections.items.refs]]
source = "nap"
quote = "Exampleland opens two shelters"
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(checklist_cache.ENV, str(folder))
    return folder


@pytest.fixture(scope="module")
def large_text() -> str:
    text = checklist_toml(ITEMS) + OWN_SOURCE
    assert len(text.encode()) >= checklist_cache.MIN_BYTES
    return text


def _write(folder: Path, text: str, plan: str = "In 2026 Exampleland opens two shelters.") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "nap.txt").write_text(plan, encoding="utf-8")
    path = folder / "large.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_second_load_comes_from_the_cache_and_equals_the_first(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    path = _write(tmp_path / "work", large_text)
    first = load_checklist(path)
    assert len(list(cache_dir.glob("*.bin"))) == 1
    second = load_checklist(path)
    reference = parse_checklist(large_text, origin="x", base_dir=path.parent)

    assert second == first
    assert second.model_dump_json() == reference.model_dump_json()
    assert second.content_hash == reference.content_hash
    assert second.origin == first.origin
    assert second.items[5].refs == reference.items[5].refs
    assert second.places["NAP-01"].section.id == "NAP-A"
    assert second.scale.max_level == reference.scale.max_level
    document = second.document("nap")
    assert document is not None and document.find_quote("two shelters") is not None


def _same(cached: Any, validated: Any, where: str = "checklist") -> None:
    """Equal value by value, and of the same type: 1, 1.0 and True are equal in Python,
    but a cached weight of 1 (or a level of 1.0) would be another checklist."""
    assert type(cached) is type(validated), where
    if isinstance(validated, BaseModel):
        assert cached.model_fields_set == validated.model_fields_set, where
        for name in type(validated).model_fields:
            _same(getattr(cached, name), getattr(validated, name), f"{where}.{name}")
    elif isinstance(validated, (tuple, list)):
        assert len(cached) == len(validated), where
        for index, (one, other) in enumerate(zip(cached, validated, strict=True)):
            _same(one, other, f"{where}[{index}]")
    elif isinstance(validated, dict):
        assert len(cached) == len(validated), where
        for (key, value), (its_key, its_value) in zip(
            cached.items(), validated.items(), strict=True
        ):
            _same(key, its_key, f"{where} key {its_key!r}")
            _same(value, its_value, f"{where}[{its_key!r}]")
    else:
        assert repr(cached) == repr(validated), where


def test_a_cached_checklist_is_the_validated_one_field_by_field(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    """Equal values met again (tags, weights, texts) are one object in the cache: never
    one of another type, and the models stay frozen."""
    path = _write(tmp_path / "work", large_text)
    load_checklist(path)
    cached = load_checklist(path)
    validated = parse_checklist(large_text, origin="x", base_dir=path.parent)
    _same(cached, validated)
    item = cached.item_index["NAP-01"]
    assert item.weight == 1.0 and type(item.weight) is float
    assert item.tags == ("1", "shelters") and item.descriptors == {1: "1", 2: "Shelters"}
    with pytest.raises(ValidationError, match="frozen"):
        setattr(item, "title", "Safe houses")  # noqa: B010 (mypy knows it is read-only)
    assert cached.item_index["NAP-01"].title == "Shelters"


def test_a_changed_source_document_is_checked_again(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    path = _write(tmp_path / "work", large_text)
    load_checklist(path)
    (path.parent / "nap.txt").write_text("Exampleland plans one shelter.", encoding="utf-8")
    sources.read_document.cache_clear()  # as in a new process: documents are read once
    with pytest.raises(ChecklistError, match="quote not found"):
        load_checklist(path)


def test_the_same_bytes_beside_another_document_are_checked_again(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    load_checklist(_write(tmp_path / "one", large_text))
    other = _write(tmp_path / "two", large_text, plan="Nothing about shelters here.")
    with pytest.raises(ChecklistError, match="quote not found"):
        load_checklist(other)


def test_an_edited_checklist_is_not_served_from_the_cache(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    path = _write(tmp_path / "work", large_text)
    load_checklist(path)
    path.write_text(large_text.replace('title = "Shelters"', 'title = "Safe houses"'), "utf-8")
    assert load_checklist(path).item_index["NAP-01"].title == "Safe houses"


def test_an_edit_that_keeps_the_size_is_not_served_from_the_cache(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    path = _write(tmp_path / "work", large_text)
    load_checklist(path)
    edited = large_text.replace('title = "Shelters"', 'title = "Hostels."')
    assert len(edited) == len(large_text)
    path.write_text(edited, "utf-8")  # the file is hashed as it is read, never trusted by size
    assert load_checklist(path).item_index["NAP-01"].title == "Hostels."


def test_a_damaged_cache_file_is_ignored(tmp_path: Path, cache_dir: Path, large_text: str) -> None:
    path = _write(tmp_path / "work", large_text)
    expected = load_checklist(path).content_hash
    for cached in cache_dir.glob("*.bin"):
        cached.write_bytes(cached.read_bytes()[:1000])
    assert load_checklist(path).content_hash == expected
    for cached in cache_dir.glob("*.bin"):
        cached.write_bytes(b"not a cache file")
    assert load_checklist(path).content_hash == expected
    for cached in cache_dir.glob("*.bin"):
        cached.write_bytes(b"")  # an empty file cannot be mapped in memory
    assert load_checklist(path).content_hash == expected


def test_small_checklists_and_a_disabled_cache_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path, large_text: str
) -> None:
    load_checklist()  # the bundled checklist is far below the threshold
    assert not cache_dir.exists()
    monkeypatch.setenv(checklist_cache.ENV, "off")
    load_checklist(_write(tmp_path / "work", large_text))
    assert not cache_dir.exists()


def test_an_unwritable_cache_folder_does_not_stop_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large_text: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(checklist_cache.ENV, str(blocker / "cache"))
    path = _write(tmp_path / "work", large_text)
    assert load_checklist(path).item_index["NAP-01"].title == "Shelters"
    assert load_checklist(path).item_index["NAP-01"].title == "Shelters"


def test_equal_references_are_loaded_as_one(
    tmp_path: Path, cache_dir: Path, large_text: str
) -> None:
    """Items citing the same passage hold one frozen reference, not one each (at
    10,000 items, 5 MB less), and each still equals the validated item's."""
    path = _write(tmp_path / "work", large_text)
    load_checklist(path)
    cached = load_checklist(path)
    validated = parse_checklist(large_text, origin="x", base_dir=path.parent)
    refs = [ref for item in cached.items for ref in item.refs]
    assert len({id(ref) for ref in refs}) == len(set(refs)) < len(refs)
    for item, its in zip(cached.items, validated.items, strict=True):
        assert item.refs == its.refs
    first = refs[0]
    with pytest.raises(ValidationError, match="frozen"):
        setattr(first, "quote", "another passage")  # noqa: B010 (read-only for mypy too)
