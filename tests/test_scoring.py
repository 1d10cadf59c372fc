"""The scoring rules on hand-worked examples, and invariants over random assessments."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decalogue.model.assessment import (
    Answer,
    Assessment,
    Response,
    checklist_ref,
    country,
    new_assessment,
)
from decalogue.model.checklist import Checklist
from decalogue.model.scoring import GroupScore, ScoreBoard
from decalogue.storage.assessment_file import dumps, parse_assessment
from decalogue.storage.checklists import load_checklist

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mini() -> Checklist:
    return load_checklist(FIXTURES / "mini-checklist.toml")


def level(value: int, target: int | None = None, flagged: bool = False) -> Response:
    return Response(level=value, target=target, flagged=flagged)


def na(reason: str = "does not apply") -> Response:
    return Response(not_applicable=True, na_reason=reason)


def test_weighted_means_roll_up_from_items_to_overall(mini: Checklist) -> None:
    # Levels out of 4: A-01 4 (100), A-02 2 (50, weight 3), A-03 N/A, B-01 1 (25), B-02 unanswered.
    board = ScoreBoard(mini, {"A-01": level(4), "A-02": level(2), "A-03": na(), "B-01": level(1)})
    assert board.items["A-02"].score == 50.0
    assert board.sections["A1"].score == pytest.approx((1 * 100 + 3 * 50) / 4)  # 62.5
    assert board.sections["A2"].score is None  # only N/A: no score, not zero
    assert board.pillars["A"].score == pytest.approx(62.5)  # A2 leaves the mean
    assert board.sections["B1"].score == 25.0  # B-02 unanswered: not a zero
    assert board.overall.score == pytest.approx((2 * 62.5 + 1 * 25) / 3)  # pillar A weighs 2
    assert board.overall.coverage == pytest.approx(80.0)  # 4 of 5 answered, N/A included
    assert board.overall.levels == {4: 1, 2: 1, 1: 1}


def test_carried_answers_are_counted_and_those_a_score_rests_on_apart(mini: Checklist) -> None:
    """A carried N/A is a carried answer but not part of any score: a figure saying how
    much of the score rests on carried answers counts only carried levels."""
    carried = {
        "A-01": Response(level=4, carried=True),
        "A-02": Response(level=2),
        "A-03": Response(not_applicable=True, na_reason="does not apply", carried=True),
        "B-01": Response(level=1, carried=True),
    }
    board = ScoreBoard(mini, carried)
    assert (board.overall.carried, board.overall.carried_scored, board.overall.answered) == (
        3,
        2,
        3,
    )
    assert (board.sections["A2"].carried, board.sections["A2"].carried_scored) == (1, 0)
    carried["A-01"] = Response(level=4)  # confirmed: this period's own
    board.refresh("A-01")
    assert (board.overall.carried, board.overall.carried_scored) == (2, 1)


def test_an_all_na_section_and_an_all_na_checklist_have_no_score(mini: Checklist) -> None:
    board = ScoreBoard(mini, {"A-03": na(), "A-01": level(0)})
    assert board.sections["A2"].score is None
    assert board.pillars["A"].score == 0.0  # A-01 at level 0 is a real zero
    every_na = ScoreBoard(mini, {item.id: na() for item in mini.items})
    assert every_na.overall.score is None
    assert every_na.overall.coverage == 100.0
    assert all(section.score is None for section in every_na.sections.values())


def test_an_empty_assessment_has_no_score_and_no_coverage(mini: Checklist) -> None:
    board = ScoreBoard(mini, {})
    assert board.overall.score is None
    assert board.overall.coverage == 0.0
    assert board.overall.unanswered == 5
    assert board.top_gaps() == []
    assert board.flagged() == []


def test_gaps_to_target_per_item_and_rolled_up(mini: Checklist) -> None:
    board = ScoreBoard(
        mini,
        {
            "A-01": level(4, target=2),  # above target: no gap
            "A-02": level(2, target=4),  # 2 levels short, weight 3
            "B-01": level(1, target=3),  # 2 levels short, weight 1
        },
    )
    assert [board.items[i].gap for i in ("A-01", "A-02", "B-01")] == [0, 2, 2]
    a1 = board.sections["A1"]
    assert a1.score == pytest.approx(62.5)
    assert a1.target_score == pytest.approx(100.0)  # each item at max(level, target)
    assert a1.gap == pytest.approx(37.5)
    assert a1.below_target == 1
    assert board.sections["B1"].gap == pytest.approx(75.0 - 25.0)
    assert board.overall.target_score == pytest.approx((2 * 100 + 75) / 3)
    assert board.overall.gap == pytest.approx((2 * 100 + 75) / 3 - (2 * 62.5 + 25) / 3)


def test_top_gaps_rank_by_weighted_gap_then_checklist_order(mini: Checklist) -> None:
    board = ScoreBoard(
        mini,
        {
            "A-01": level(3, target=4),  # weighted gap 1
            "A-02": level(2, target=4),  # weighted gap 3 x 2 = 6
            "B-02": level(1, target=3),  # weighted gap 2
            "B-01": level(2, target=4),  # weighted gap 2, earlier in the checklist than B-02
        },
    )
    assert [s.item_id for s in board.top_gaps()] == ["A-02", "B-01", "B-02", "A-01"]
    assert [s.item_id for s in board.top_gaps(2)] == ["A-02", "B-01"]


def test_flagged_items_in_checklist_order(mini: Checklist) -> None:
    board = ScoreBoard(mini, {"B-02": level(1, flagged=True), "A-01": Response(flagged=True)})
    assert board.flagged() == ["A-01", "B-02"]
    assert board.overall.flagged == 2


def test_weights_change_the_overall_score(mini: Checklist) -> None:
    # Same levels in both pillars; only pillar A's weight of 2 makes the difference.
    board = ScoreBoard(mini, {"A-01": level(4), "B-01": level(0)})
    assert board.overall.score == pytest.approx((2 * 100 + 1 * 0) / 3)


# --------------------------------------------------------------------------- properties

edits = st.lists(
    st.tuples(
        st.sampled_from(["A-01", "A-02", "A-03", "B-01", "B-02"]),
        st.sampled_from(["answer", "target", "flagged"]),
        st.one_of(st.none(), st.integers(0, 4), st.just("na"), st.booleans()),
    ),
    max_size=30,
)


def _value(field: str, raw: object) -> object:
    if field == "answer":
        if raw == "na":
            return Answer(na_reason="n/a here")
        return Answer(level=raw if isinstance(raw, int) and not isinstance(raw, bool) else None)
    if field == "target":
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    return bool(raw)


def _figures(board: ScoreBoard) -> tuple[object, ...]:
    return (board.items, board.sections, board.pillars, board.overall)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=edits)
def test_refresh_equals_a_full_recount_after_random_edits(
    mini: Checklist, steps: list[tuple[str, str, object]]
) -> None:
    assessment = new_assessment(mini, "XX", "2025", country_name="Exampleland")
    board = ScoreBoard(mini, assessment.responses)
    for item_id, field, raw in steps:
        assessment.apply(item_id, field, _value(field, raw), "tester")
        board.refresh(item_id)
    assert _figures(board) == _figures(ScoreBoard(mini, assessment.responses))


@pytest.fixture(scope="module")
def bundled() -> Checklist:
    return load_checklist()


def responses_for(checklist: Checklist) -> st.SearchStrategy[dict[str, Response]]:
    top = checklist.scale.max_level
    answer = st.one_of(
        st.none(),
        st.integers(0, top).map(lambda v: {"level": v}),
        st.text(min_size=1, max_size=20)
        .filter(str.strip)
        .map(lambda r: {"not_applicable": True, "na_reason": r}),
    )
    response = st.builds(
        lambda a, target, flagged, notes: Response(
            **(a or {}), target=target, flagged=flagged, notes=notes
        ),
        answer,
        st.one_of(st.none(), st.integers(0, top)),
        st.booleans(),
        st.text(max_size=30),
    )
    ids = [item.id for item in checklist.items]
    return st.dictionaries(st.sampled_from(ids), response, max_size=len(ids))


def _all_groups(board: ScoreBoard) -> list[GroupScore]:
    return [*board.sections.values(), *board.pillars.values(), board.overall]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_invariants_over_random_assessments_of_the_bundled_checklist(
    bundled: Checklist, data: st.DataObject
) -> None:
    responses = data.draw(responses_for(bundled))
    board = ScoreBoard(bundled, responses)
    for group in _all_groups(board):
        for value in (group.score, group.target_score, group.gap):
            assert value is None or 0.0 <= value <= 100.0 + 1e-9
    for item in board.items.values():
        assert item.score is None or 0.0 <= item.score <= 100.0
    answered = sum(1 for i in bundled.items if i.id in responses and responses[i.id].answered)
    assert board.overall.coverage == pytest.approx(100.0 * answered / len(bundled.items))

    unanswered = [
        i.id for i in bundled.items if i.id not in responses or not responses[i.id].answered
    ]
    if unanswered:
        target = data.draw(st.sampled_from(unanswered))
        before = [(g.id, g.score, g.target_score) for g in _all_groups(board)]
        with_na = dict(responses)
        with_na[target] = (responses.get(target) or Response()).model_copy(
            update={"not_applicable": True, "na_reason": "not here"}
        )
        after = [(g.id, g.score, g.target_score) for g in _all_groups(ScoreBoard(bundled, with_na))]
        assert after == before  # N/A never moves a score, up or down

    assessment = Assessment(
        checklist=checklist_ref(bundled),
        country=country("XX", "Exampleland"),
        period="2025",
        responses=responses,
    )
    assert parse_assessment(dumps(assessment), "<test>") == assessment


def test_the_unanswered_items_follow_every_edit_in_either_direction(mini: Checklist) -> None:
    """`]` and `[` ask the board: answering or clearing an item updates its answer."""
    ids = [item.id for item in mini.items]
    responses: dict[str, Response] = {ids[1]: level(2)}
    board = ScoreBoard(mini, responses)
    assert list(board.unanswered_after(-1)) == [i for i in ids if i != ids[1]]
    assert next(board.unanswered_after(0)) == ids[2]  # the answered one is skipped
    responses[ids[2]] = na()
    board.refresh(ids[2])
    assert ids[2] not in list(board.unanswered_after(0))
    del responses[ids[1]]  # an answer cleared: unanswered again
    board.refresh(ids[1])
    assert next(board.unanswered_after(0)) == ids[1]
    # Backward from the second item: the first, then around from the end.
    backward = list(board.unanswered_after(1, -1))
    assert backward[0] == ids[0] and backward[1] == ids[-1]
    # Wrapping forward from the last item starts again at the first.
    assert next(board.unanswered_after(len(ids) - 1)) == ids[0]
    for item_id in ids:
        responses[item_id] = level(1)
        board.refresh(item_id)
    assert list(board.unanswered_after(-1)) == []
