"""The place of one assessment, the same contract on both backends (files and PostgreSQL).

Each test runs once on a file in a temporary folder and once on an assessment in a
throw-away PostgreSQL database (tests/postgres.py): two writers, each with its own
session, read, save and merge exactly alike.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from decalogue.model.assessment import Answer, Assessment, new_assessment
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.assessment_file import parse_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.place import FilePlace, Place
from decalogue.storage.stores import PgStore
from tests.postgres import checklist_text

T = TypeVar("T")

#: A new Place for the same assessment each call (one per window).
Opener = Callable[[], Place]


def _assessment() -> Assessment:
    assessment = new_assessment(load_checklist(), "XX", "2025", country_name="Exampleland")
    assessment.apply("LF-01", "answer", Answer(level=3), "Ana")
    return assessment


@pytest.fixture(params=["file", "postgresql"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    assessment = _assessment()
    if request.param == "file":
        path = tmp_path / "XX-2025.json"
        store.create(path, assessment)
        return lambda: FilePlace(path)
    from decalogue.storage.pg import documents, schema

    url: str = request.getfixturevalue("pg_url")
    schema.migrate(url, create=True)
    documents.push(url, assessment, checklist_text())
    return lambda: PgStore(url).place(assessment.id)


def _session(opener: Opener, user: str) -> Session:
    return Session.open(opener(), user=user)


def _level(place: Place, item_id: str) -> int | None:
    response = place.read().assessment.responses.get(item_id)
    return None if response is None else response.level


def test_read_gives_the_assessment_its_fingerprint_and_signature(opener: Opener) -> None:
    place = opener()
    loaded = place.read()
    assert loaded.assessment.responses["LF-01"].level == 3
    assert loaded.signature is not None and loaded.signature == place.signature()
    assert place.read().fingerprint == loaded.fingerprint
    assert "XX-2025" in place.label or loaded.assessment.id in place.label


def test_a_save_changes_the_signature_others_see(opener: Opener) -> None:
    ana, ben = _session(opener, "Ana"), _session(opener, "Ben")
    before = ben.place.signature()
    ana.set_answer("LF-02", Answer(level=2))
    assert ana.save().saved
    assert ben.place.signature() != before
    taken = ben.refresh()
    assert [(c.item, c.by) for c in taken] == [("LF-02", "Ana")]
    assert ben.assessment.responses["LF-02"].level == 2
    assert ben.refresh() == []  # nothing new since


def test_two_writers_on_different_items_both_keep_their_answers(opener: Opener) -> None:
    ana, ben = _session(opener, "Ana"), _session(opener, "Ben")
    ana.set_answer("LF-02", Answer(level=2))
    ben.set_answer("LF-03", Answer(level=4))
    assert ana.save().saved
    result = ben.save()  # stale: merges Ana's save first
    assert result.saved and result.conflicts == []
    assert [(c.item, c.by) for c in result.merged] == [("LF-02", "Ana")]
    place = opener()
    assert (_level(place, "LF-02"), _level(place, "LF-03")) == (2, 4)
    history = place.read().assessment.history
    assert {(c.item, c.by) for c in history} >= {("LF-02", "Ana"), ("LF-03", "Ben")}


def test_the_same_field_changed_differently_is_a_per_item_conflict(opener: Opener) -> None:
    ana, ben = _session(opener, "Ana"), _session(opener, "Ben")
    ana.set_answer("LF-02", Answer(level=1))
    ben.set_answer("LF-02", Answer(level=4))
    ben.set_answer("LF-03", Answer(level=2))
    ana.save()
    result = ben.save()
    assert [(c.item_id, c.field, c.theirs.level, c.mine.level) for c in result.conflicts] == [
        ("LF-02", "answer", 1, 4)
    ]
    place = opener()
    assert (_level(place, "LF-02"), _level(place, "LF-03")) == (1, 2)  # theirs stays for now
    remarks = [c.remark for c in place.read().assessment.history if c.item == "LF-02"]
    assert any("conflict with Ana" in r for r in remarks)
    ben.resolve("LF-02", "answer", "mine")
    ben.save()
    assert _level(opener(), "LF-02") == 4


def test_a_recovery_copy_is_found_again_and_holds_the_edits(opener: Opener) -> None:
    session = _session(opener, "Ana")
    session.set_answer("LF-04", Answer(level=3))
    copy = session.save_recovery()
    assert copy in opener().find_recoveries()
    kept = parse_assessment(copy.read_bytes(), str(copy))
    assert kept.id == session.assessment.id and kept.responses["LF-04"].level == 3


def test_a_session_keeps_one_recovery_copy_with_its_latest_edits_until_they_land(
    opener: Opener, tmp_path: Path
) -> None:
    session = _session(opener, "Ana")
    session.set_answer("LF-04", Answer(level=3))
    copy = session.save_recovery(tmp_path / "kept")
    session.set_answer("LF-05", Answer(level=1))
    assert session.save_recovery(tmp_path / "elsewhere") == copy  # the same file, rewritten
    kept = parse_assessment(copy.read_bytes(), str(copy))
    assert (kept.responses["LF-04"].level, kept.responses["LF-05"].level) == (3, 1)
    assert [p.name for p in (tmp_path / "kept").glob("*.json")] == [copy.name]
    assert not (tmp_path / "elsewhere").exists()
    assert session.save().saved
    assert not copy.exists()  # everything in it landed
    assert session.recovery_copy is None


def test_presence_names_the_other_window_until_it_closes(opener: Opener) -> None:
    ana, ben = _session(opener, "Ana Example"), _session(opener, "Ben")
    ana.announce()
    ben.announce()
    others = _eventually(ben.others_editing)
    assert [o.name for o in others] == ["Ana Example"]
    ana.close()
    assert _eventually(lambda: not ben.others_editing())
    ben.close()


def test_a_database_place_tells_an_open_window_of_others_saves(opener: Opener) -> None:
    ana, ben = _session(opener, "Ana"), _session(opener, "Ben")
    heard = threading.Event()
    pushed = ben.place.listen(heard.set)
    if ben.place.path is not None:
        assert not pushed  # a file is polled (its signature), not pushed
        return
    assert pushed
    try:
        ana.set_answer("LF-02", Answer(level=2))
        ana.save()
        assert heard.wait(30)
        assert [c.item for c in ben.refresh()] == ["LF-02"]
    finally:
        ben.close()


def _eventually(probe: Callable[[], T]) -> T:
    """`probe()` once it is truthy (a database window announces itself from a thread)."""
    done = threading.Event()
    for _ in range(300):
        value = probe()
        if value:
            return value
        done.wait(0.1)
    return probe()
