"""Each shortcut taken for speed gives exactly what the plain way gives."""

from __future__ import annotations

import gc
import json
import weakref
from datetime import timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from decalogue.model.assessment import (
    Answer,
    Assessment,
    CountryRef,
    Evidence,
    Response,
    checklist_ref,
)
from decalogue.model.checklist import Checklist, collector_paused
from decalogue.model.textmatch import _TABLE, normalise
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.checklists import load_checklist

CHECKLIST: Checklist = load_checklist()

# Any text a user can type (lone surrogates are refused by the models).
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)


def _assessment() -> Assessment:
    return Assessment(
        checklist=checklist_ref(CHECKLIST),
        country=CountryRef(code="XX", name="Exampleland"),
        period="2025",
    )


def _plain_dumps(assessment: Assessment) -> bytes:
    """The file format as first written: the stdlib's indented encoder."""
    raw = assessment.model_dump(mode="json")
    raw["responses"] = dict(sorted(raw["responses"].items()))
    return (json.dumps(raw, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(
    notes=TEXT,
    finding=TEXT,
    evidence=st.lists(TEXT.filter(str.strip), max_size=3),
    level=st.integers(0, 4),
    order=st.permutations([item.id for item in CHECKLIST.items[:6]]),
)
def test_saved_bytes_are_those_of_the_stdlib_encoder(
    notes: str, finding: str, evidence: list[str], level: int, order: list[str]
) -> None:
    assessment = Assessment(
        checklist=checklist_ref(CHECKLIST),
        country=CountryRef(code="XX", name="Exampleland"),
        period="2025",
    )
    for index, item_id in enumerate(order):  # responses inserted out of order
        assessment.apply(item_id, "answer", Answer(level=(level + index) % 5), "Ana")
    first = order[0]
    assessment.apply(first, "notes", notes, "Ana")
    assessment.apply(first, "finding", finding, "Bo")
    assessment.apply(first, "evidence", [Evidence(description=e) for e in evidence], "Bo")
    assessment.apply(order[1], "answer", Answer(na_reason="No coast " + notes), "Bo")
    assessment.apply(order[2], "target", 4, "Bo")
    assert dumps(assessment) == _plain_dumps(assessment)


@given(TEXT)
def test_ascii_quotes_normalise_as_the_full_translation_does(text: str) -> None:
    assert normalise(text) == " ".join(text.translate(_TABLE).split())


def test_published_schemas_describe_fields_with_their_docstrings() -> None:
    """The models no longer ask pydantic to read their docstrings at import; the schemas do."""
    from decalogue.reports.schemas import json_schema

    checklist = json_schema("checklist")
    item = checklist["$defs"]["Item"]["properties"]
    assert item["id"]["description"].startswith("Stable identifier, e.g. LF-01")
    assert checklist["$defs"]["Reference"]["properties"]["quote"]["description"].startswith(
        "Word for word"
    )
    assessment = json_schema("assessment")
    assert assessment["$defs"]["Response"]["properties"]["flagged"]["description"] == (
        "Marked for a colleague's review."
    )
    scorecard = json_schema("scorecard")
    assert "decalogue schema scorecard" in scorecard["properties"]["$schema"]["description"]


def test_saves_that_reuse_the_history_text_write_what_a_fresh_save_writes() -> None:
    """The history's text is kept between saves; every later change of it shows in the bytes."""
    from decalogue import clock
    from decalogue.model.assessment import Change
    from decalogue.storage.assessment_file import trim_history

    assessment = Assessment(
        checklist=checklist_ref(CHECKLIST),
        country=CountryRef(code="XX", name="Exampleland"),
        period="2025",
    )
    items = [item.id for item in CHECKLIST.items[:8]]
    assert dumps(assessment) == _plain_dumps(assessment)  # no history yet
    for round_ in range(3):
        for index, item_id in enumerate(items):
            assessment.apply(item_id, "answer", Answer(level=(round_ + index) % 5), "Ana")
            assessment.apply(item_id, "notes", f"note {round_} «ü» \n line", "Bo")
            assert dumps(assessment) == _plain_dumps(assessment)
    # An entry replaced in the middle (as a merge does), then the oldest dropped (a trim).
    history = assessment.history
    odd = Change(at=clock.now(), by="Cy", item=items[0], field="flagged", old=False, new=True)
    assessment.history = [*history[:5], odd, *history[6:]]
    assert dumps(assessment) == _plain_dumps(assessment)
    assessment.history = history[10:]
    assert dumps(assessment) == _plain_dumps(assessment)
    assessment.history = history[:3]  # shorter than what was kept
    assert dumps(assessment) == _plain_dumps(assessment)
    assert trim_history(assessment, "Ana") == 0  # small files are never trimmed
    assessment.history = []
    assert dumps(assessment) == _plain_dumps(assessment)


def test_saves_that_reuse_each_answers_text_write_what_a_fresh_save_writes(
    tmp_path: Path,
) -> None:
    """A save keeps the text of every answer: an answer changed here, taken in from another
    writer's save (a merge, or a refresh) or gone shows in the very next file, byte for byte."""
    path = tmp_path / "XX-2025.json"
    store.create(path, _assessment())
    mine = Session.open(path, CHECKLIST, "Ana")
    items = [item.id for item in CHECKLIST.items[:8]]

    def saved(session: Session) -> None:
        assert session.save().saved
        assert path.read_bytes() == _plain_dumps(session.assessment)

    for index, item_id in enumerate(items):
        mine.set_answer(item_id, Answer(level=index % 5))
        saved(mine)
    mine.set_field(items[0], "notes", "«ü» \n line \u2028 \x7f")
    saved(mine)
    mine.set_field(items[1], "evidence", [Evidence(description="Act 12", link="https://x.test")])
    mine.set_answer(items[2], Answer(na_reason="No coast"))
    saved(mine)
    # Another writer changes answers whose text this session keeps, while this one changes
    # another: its save merges theirs.
    theirs = Session.open(path, CHECKLIST, "Bo")
    theirs.set_answer(items[3], Answer(level=4))
    theirs.set_field(items[4], "finding", "theirs")
    theirs.set_field(items[1], "evidence", [])
    saved(theirs)
    mine.set_field(items[5], "flagged", True)
    saved(mine)  # takes theirs in first
    assert mine.assessment.responses[items[3]].level == 4
    assert mine.assessment.responses[items[1]].evidence == []
    # Their edits taken in without one of mine (a refresh), then a save of mine.
    theirs.set_answer(items[6], Answer())
    saved(theirs)
    assert [change.item for change in mine.refresh()] == [items[6]]
    mine.set_field(items[7], "target", 4)
    saved(mine)
    # Undone, and the same value set again (a new object, equal to the one saved).
    mine.undo()
    saved(mine)
    mine.set_field(items[7], "target", 4)
    saved(mine)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["answer", "notes", "drop", "equal", "copy"]), st.integers(0, 5)),
        max_size=25,
    ),
    text=TEXT,
)
def test_any_sequence_of_changes_saves_what_a_fresh_save_writes(
    steps: list[tuple[str, int]], text: str
) -> None:
    """Answers edited, removed, replaced by an equal new one (a merge does), or a copy of
    the whole assessment saved in between: each save's bytes are the plain encoder's."""
    assessment = _assessment()
    items = [item.id for item in CHECKLIST.items[:6]]
    for step, (what, index) in enumerate(steps):
        item_id = items[index]
        response = assessment.responses.get(item_id)
        if what == "answer":
            assessment.apply(item_id, "answer", Answer(level=step % 5), "Ana")
        elif what == "notes":
            assessment.apply(item_id, "notes", f"{text} {step}", "Bo")
        elif what == "drop":
            assessment.responses.pop(item_id, None)
        elif what == "equal" and response is not None:
            assessment.responses[item_id] = Response.model_validate(response.model_dump())
        elif what == "copy":
            copy = assessment.model_copy(deep=True)
            copy.apply(item_id, "answer", Answer(level=(step + 1) % 5), "Cy")
            assert dumps(copy) == _plain_dumps(copy)
        assert dumps(assessment) == _plain_dumps(assessment)


def test_an_equal_answer_written_differently_is_saved_as_it_is_now() -> None:
    """Kept texts are matched by identity, not equality: the same instant in another time
    zone is an equal answer (and history entry) with other bytes."""
    assessment = _assessment()
    item_id = CHECKLIST.items[0].id
    assessment.apply(item_id, "answer", Answer(level=2), "Ana")
    dumps(assessment)
    response, entry = assessment.responses[item_id], assessment.history[0]
    assert response.changed_at is not None
    elsewhere = response.changed_at.astimezone(timezone(timedelta(hours=2)))
    assessment.responses[item_id] = response.model_copy(update={"changed_at": elsewhere})
    assessment.history[0] = entry.model_copy(update={"at": elsewhere})
    assert assessment.responses[item_id] == response and assessment.history[0] == entry
    assert dumps(assessment) == _plain_dumps(assessment)
    assert b"+02:00" in dumps(assessment)


def test_an_assessment_let_go_takes_the_texts_kept_for_it_along() -> None:
    """What a save keeps for the next one lives only as long as the assessment itself."""
    assessment = _assessment()
    assessment.apply(CHECKLIST.items[0].id, "answer", Answer(level=2), "Ana")
    answer = weakref.ref(assessment.responses[CHECKLIST.items[0].id])
    entry = weakref.ref(assessment.history[0])
    dumps(assessment)
    del assessment
    gc.collect()
    assert answer() is None and entry() is None


def test_answers_cannot_change_once_made() -> None:
    """A save reuses an answer's text, so an answer changed in place would be saved stale."""
    import pytest
    from pydantic import ValidationError

    response = Response(level=1, evidence=[Evidence(description="Act 12")])
    with pytest.raises(ValidationError):
        response.level = 2  # type: ignore[misc]
    with pytest.raises(ValidationError):
        response.evidence[0].description = "Act 13"  # type: ignore[misc]


def test_history_entries_cannot_change_once_made() -> None:
    """A save reuses an entry's text, so an entry changed in place would be saved stale."""
    import pytest
    from pydantic import ValidationError

    from decalogue import clock
    from decalogue.model.assessment import Change

    entry = Change(at=clock.now(), by="Ana", field="status", old="draft", new="review")
    with pytest.raises(ValidationError):
        entry.by = "Bo"  # type: ignore[misc]


def test_a_pause_of_the_collector_keeps_what_it_built_only_when_it_succeeded() -> None:
    """An opened assessment is frozen out of the collector's walks; a failed open is not
    (its traceback's cycles would never be collected), and the collector runs again."""
    frozen = gc.get_freeze_count()
    try:
        try:
            with collector_paused(keep=True):
                built = [[index] for index in range(100)]
                raise ValueError("the file cannot be read")
        except ValueError:
            pass
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        with collector_paused(keep=True):
            built = [[index] for index in range(100)]
        assert gc.get_freeze_count() >= frozen + len(built) and gc.isenabled()
    finally:
        gc.unfreeze()
