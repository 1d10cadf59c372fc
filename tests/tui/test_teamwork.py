"""Several people on one file, seen from one window (issue 12, the TUI side).

Another writer is this test process saving through the store or a second
session, as a colleague's window or a CLI command would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from decalogue.model.assessment import Answer
from decalogue.session import Session
from decalogue.storage import store
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.conflicts import ConflictScreen
from decalogue.tui.screens.dialogs import TextPrompt
from decalogue.tui.screens.export import ExportScreen
from tests.helpers import SIZE, on_top, open_assess, settle, status, tree_line
from tests.tui.conftest import CHECKLIST, AppFactory


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("decalogue.tui.screens.keeping.POLL", 0.1)


def colleague_scores(path: Path, item_id: str, level: int, by: str = "Colleague") -> None:
    """Another window saves one answer."""
    theirs = store.read(path)
    theirs.assessment.apply(item_id, "answer", Answer(level=level), by)
    store.save(path, theirs.assessment, theirs.fingerprint)


def notes(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in pilot.app._notifications]


async def wait_for(pilot: Pilot[None], condition: object, rounds: int = 100) -> None:
    for _ in range(rounds):
        await pilot.pause(0.05)
        assert callable(condition)
        if condition():
            return
    raise AssertionError("not seen in time")


async def test_a_colleagues_save_is_taken_in_and_named(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        colleague_scores(scored_file, "JU-01", 4, by="B. Focal")
        await wait_for(pilot, lambda: tree_line(screen, "JU-01").startswith("● 4"))
        assert "B. Focal changed JU-01" in notes(pilot)
        assert "✓ saved" in status(screen)
        assert not isinstance(app.screen, ConflictScreen)


async def test_a_real_conflict_is_shown_side_by_side_and_mine_can_be_kept(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 30)  # mine stays unsaved
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("2")  # PR-01: 3 → 2, not saved yet
        colleague_scores(scored_file, "PR-01", 4, by="B. Focal")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.pause()
        view = app.screen
        mine = str(view.query_one("#conflict-mine").visual)  # type: ignore[attr-defined]
        theirs = str(view.query_one("#conflict-theirs").visual)  # type: ignore[attr-defined]
        assert "Mine (Tester" in mine and "2 Partial" in mine
        assert "Theirs (B. Focal" in theirs and "4 Full" in theirs
        assert "Conflict 1 of 1: PR-01" in str(view.query_one("#conflict-title").visual)  # type: ignore[attr-defined]
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is screen
        assert tree_line(screen, "PR-01").startswith("● 2")
        await pilot.press("ctrl+q")
    saved = store.read(scored_file).assessment
    assert saved.responses["PR-01"].level == 2
    values = {(c.old, c.new) for c in saved.history if c.item == "PR-01" and c.field == "answer"}
    assert any(4 in pair for pair in values) and any(2 in pair for pair in values)


async def test_a_conflict_left_for_later_is_counted_and_shift_c_shows_it(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 30)
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("2")
        colleague_scores(scored_file, "PR-01", 4)
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("escape")
        assert "⚠ 1 conflict (C)" in status(screen)
        assert tree_line(screen, "PR-01").startswith("● 4")  # theirs until I choose
        await pilot.press("C")
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t")
        await settle(pilot)
        assert on_top(app) is screen
        assert "conflict" not in status(screen)


async def test_undo_restores_a_cleared_answer_and_redo_clears_it_again(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("backspace")
        assert tree_line(screen, "PR-01").startswith("○")
        await pilot.press("j", "ctrl+z")  # undo goes back to the item it changes
        assert screen.checklist_tree.current_item == "PR-01"
        assert tree_line(screen, "PR-01").startswith("● 3")
        await pilot.press("ctrl+y")
        assert tree_line(screen, "PR-01").startswith("○")
        await pilot.press("ctrl+z", "ctrl+q")
    assert store.read(scored_file).assessment.responses["PR-01"].level == 3


async def test_undo_and_redo_are_in_the_palette(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("backspace", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"undo my last")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssessScreen)
        assert tree_line(screen, "PR-01").startswith("● 3")


async def test_export_writes_what_is_on_disk_now(
    make_app: AppFactory, scored_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("decalogue.tui.screens.keeping.POLL", 600)  # only the export looks
    app = make_app(open_path=scored_file)
    out = tmp_path / "out.json"
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        colleague_scores(scored_file, "JU-01", 4)
        app.screen.query_one("#path").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
    scorecard = json.loads(out.read_text(encoding="utf-8"))
    assert '"JU-01"' in json.dumps(scorecard) and scorecard_level(scorecard, "JU-01") == 4


def scorecard_level(scorecard: object, item_id: str) -> object:
    """The level the JSON scorecard gives an item, wherever the item sits in it."""
    if isinstance(scorecard, dict):
        if scorecard.get("id") == item_id and "level" in scorecard:
            return scorecard["level"]
        children = list(scorecard.values())
    elif isinstance(scorecard, list):
        children = list(scorecard)
    else:
        return None
    for child in children:
        found = scorecard_level(child, item_id)
        if found is not None:
            return found
    return None


async def test_the_name_is_asked_once_saved_and_shown(
    make_app: AppFactory, scored_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "profile.toml"
    monkeypatch.setenv("DECALOGUE_PROFILE", str(profile))
    monkeypatch.delenv("DECALOGUE_USER", raising=False)
    app = make_app(open_path=scored_file, user=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"A. Official", "enter")
        screen = await open_assess(pilot)
        assert "A. Official" in status(screen)
        await pilot.press("j", "j", "4", "ctrl+q")
    assert "A. Official" in profile.read_text(encoding="utf-8")
    last = store.read(scored_file).assessment.history[-1]
    assert (last.item, last.by) == ("PR-03", "A. Official")
    again = make_app(open_path=scored_file, user=None)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)  # no question the second time
        assert "A. Official" in status(screen)


async def test_start_says_who_else_has_the_file_and_where_a_recovery_copy_is(
    make_app: AppFactory, scored_file: Path
) -> None:
    other = Session.open(scored_file, CHECKLIST, user="B. Focal")
    other.announce()
    other.set_answer("JU-01", Answer(level=1))
    copy = other.save_recovery()
    try:
        app = make_app(open_path=scored_file)
        async with app.run_test(size=SIZE) as pilot:
            await open_assess(pilot)
            shown = " ".join(notes(pilot))
    finally:
        other.close()
    assert "B. Focal" in shown and "has this file open since" in shown
    assert copy.name in shown


def colleague_writes(path: Path, item_id: str, field: str, value: object, by: str) -> None:
    """Another window saves one field of one item."""
    theirs = store.read(path)
    theirs.assessment.apply(item_id, field, value, by)
    store.save(path, theirs.assessment, theirs.fingerprint)


async def test_notes_typed_while_a_colleague_saved_theirs_are_a_conflict_not_an_overwrite(
    make_app: AppFactory, scored_file: Path
) -> None:
    """The editor opened on the old note; their note, taken in meanwhile, is not dropped."""
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "e")  # PR-02's notes: "Care depends on co-operation."
        await pilot.press(*" Mine.")
        colleague_writes(scored_file, "PR-02", "notes", "Their note on care.", "B. Focal")
        await wait_for(pilot, lambda: "B. Focal changed PR-02" in notes(pilot))
        await pilot.press("escape")  # keeps what I typed
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        view = app.screen
        assert "Their note on care." in str(view.query_one("#conflict-theirs").visual)  # type: ignore[attr-defined]
        assert "co-operation. Mine." in str(view.query_one("#conflict-mine").visual)  # type: ignore[attr-defined]
        await pilot.press("escape")  # choose later
        assert "⚠ 1 conflict (C)" in status(screen)
        await pilot.press("ctrl+q")
    saved = store.read(scored_file).assessment
    assert saved.responses["PR-02"].notes == "Their note on care."  # theirs until someone chooses
    assert any(
        c.item == "PR-02" and c.field == "notes" and (c.remark or "").startswith("conflict")
        for c in saved.history
    )


async def test_an_editor_closed_unchanged_keeps_the_note_a_colleague_saved_meanwhile(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "e")  # only looking
        colleague_writes(scored_file, "PR-02", "notes", "Their note on care.", "B. Focal")
        await wait_for(pilot, lambda: "B. Focal changed PR-02" in notes(pilot))
        await pilot.press("escape")
        await settle(pilot)
        assert on_top(app) is screen
        assert "conflict" not in status(screen)
        await pilot.press("ctrl+q")
    assert store.read(scored_file).assessment.responses["PR-02"].notes == "Their note on care."


async def test_na_reason_typed_while_a_colleague_scored_the_item_does_not_replace_their_level(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("n")  # PR-01 (level 3): why N/A?
        await pilot.press(*"No such body.")
        colleague_writes(scored_file, "PR-01", "answer", Answer(level=4), "B. Focal")
        await wait_for(pilot, lambda: "B. Focal changed PR-01" in notes(pilot))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("escape", "ctrl+q")
    saved = store.read(scored_file).assessment
    assert saved.responses["PR-01"].level == 4
    assert any(c.item == "PR-01" and c.new == "N/A: No such body." for c in saved.history) or any(
        c.item == "PR-01" and "No such body." in str(c.new) for c in saved.history
    )
