"""Pilot tests of the assess screen: every scoring key, notes, filter, jumps, saving."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from decalogue.model.assessment import Answer
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.tui.app import DecalogueApp
from decalogue.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextEditor, TextPrompt
from decalogue.tui.screens.explore import ExploreScreen
from tests.helpers import (
    SIZE,
    focused,
    label_text,
    on_top,
    open_assess,
    plain,
    settle,
    status,
    tree_line,
)
from tests.tui.conftest import CHECKLIST, AppFactory, write_assessment


async def test_opens_with_tree_focused_on_first_item(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert app.focused is screen.checklist_tree
        assert screen.checklist_tree.current_item == "PR-01"
        assert "Shelter" in plain(screen)
        await pilot.press("down")
        assert screen.checklist_tree.current_item == "PR-02"
        await pilot.press("j", "j")
        # down/j cross into the next section straight onto its first item
        assert screen.checklist_tree.current_item == "PR-04"
        await pilot.press("k")
        assert screen.checklist_tree.current_item == "PR-03"
        assert "Exampleland (XX) · 2025" in status(screen)


async def test_each_scoring_key_sets_the_level(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    path = write_assessment(workspace, checklist)
    app = make_app(open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        items = ["PR-01", "PR-02", "PR-03", "PR-04", "JU-01"]
        for level, item_id in enumerate(items):
            assert screen.checklist_tree.current_item == item_id
            await pilot.press(str(level), "j")
        assert screen.session is not None
        responses = screen.session.assessment.responses
        assert {i: responses[i].level for i in items} == {i: n for n, i in enumerate(items)}
        assert tree_line(screen, "PR-04").startswith("● 3")
        assert "Substantial" not in tree_line(screen, "PR-04")
        # 5 is not on the 0-4 scale: nothing happens
        await pilot.press("5")
        assert "JU-02" not in responses
        overall = screen.session.board.overall
        assert f"overall {overall.score:.1f}" in status(screen)
        assert "coverage 71% (5/7)" in status(screen)
        section = label_text(screen.checklist_tree._sections["PR-A"].label)
        assert section.startswith("3/3")


async def test_not_applicable_needs_a_reason_and_backspace_clears(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j")  # PR-03, unanswered
        await pilot.press("n")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # empty reason: refused
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"No regions")
        await pilot.press("enter")
        await pilot.pause()
        assert on_top(app) is screen
        assert screen.session is not None
        response = screen.session.assessment.responses["PR-03"]
        assert response.not_applicable and response.na_reason == "No regions"
        assert tree_line(screen, "PR-03").startswith("⊘ N/A")
        assert "N/A reason  No regions" in plain(screen)
        await pilot.press("backspace")
        assert not screen.session.assessment.responses["PR-03"].answered
        assert tree_line(screen, "PR-03").startswith("○")


async def test_flag_and_target(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert screen.session is not None
        await pilot.press("f")
        assert screen.session.assessment.responses["PR-01"].flagged
        assert tree_line(screen, "PR-01").startswith("● 3   ⚑     PR-01")
        assert "⚑ flagged for review" in plain(screen)
        await pilot.press("f")
        assert not screen.session.assessment.responses["PR-01"].flagged
        await pilot.press("t")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("home", "down", "down", "down", "down", "enter")  # 0 → 4
        await pilot.pause()
        assert screen.session.assessment.responses["PR-01"].target == 4
        assert "◎ 4 Full" in plain(screen)
        assert "(gap 1)" in plain(screen)


async def test_jump_to_next_and_previous_unanswered(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        tree = screen.checklist_tree
        await pilot.press("right_square_bracket")
        assert tree.current_item == "PR-03"
        await pilot.press("right_square_bracket")
        assert tree.current_item == "JU-01"  # PR-04 is N/A, so answered
        await pilot.press("right_square_bracket")
        assert tree.current_item == "JU-03"
        await pilot.press("left_square_bracket")
        assert tree.current_item == "JU-01"


async def test_filter_by_state_tag_pillar_and_words(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        tree = screen.checklist_tree
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"flagged")
        await pilot.pause()
        assert set(tree._items) == {"PR-02"}
        field = screen.filter_input
        for text, expected in [
            ("unanswered", {"PR-03", "JU-01", "JU-03"}),
            ("tag:prosecution", {"JU-01", "JU-02", "JU-03"}),
            ("pillar:ju unanswered", {"JU-01", "JU-03"}),
            ("money", {"JU-02"}),
            ("nothing-matches-this", set()),
        ]:
            field.value = text
            await pilot.pause()
            assert set(tree._items) == expected, text
        field.value = "unanswered"
        await pilot.pause()
        await pilot.press("enter")
        assert focused(app) is tree
        # scoring in a filtered tree keeps the item until the filter changes
        await pilot.press("2")
        assert screen.session is not None
        assert screen.session.assessment.responses["PR-03"].level == 2
        await pilot.press("escape")
        assert len(tree._items) == 7
        assert not field.display


async def test_notes_edited_and_shown_literally(make_app: AppFactory, scored_file: Path) -> None:
    note = "See [bold]law 12[/bold] and [link=https://example.org]here[/link]"
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, TextEditor)
        app.screen.query_one(TextArea).text = note
        await pilot.press("escape")
        await pilot.pause()
        assert screen.session is not None
        assert screen.session.assessment.responses["PR-01"].notes == note
        assert note in plain(screen)
        await pilot.press("e")
        assert isinstance(app.screen, TextEditor)
        assert app.screen.query_one(TextArea).text == note
        app.screen.query_one(TextArea).text = "thrown away"
        await pilot.press("ctrl+g")
        assert screen.session.assessment.responses["PR-01"].notes == note


async def test_evidence_and_finding(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("v")
        await pilot.press(*"Law 12/2024")
        await pilot.press("tab", *"https://example.org/law")
        await pilot.press("enter")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.session is not None
        evidence = screen.session.assessment.responses["PR-01"].evidence
        assert [(e.description, e.link) for e in evidence] == [
            ("Law 12/2024", "https://example.org/law")
        ]
        assert "• Law 12/2024 — https://example.org/law" in plain(screen)
        await pilot.press("r")
        assert isinstance(app.screen, TextEditor)
        await pilot.press(*"Fund the shelters.", "ctrl+s")
        await pilot.pause()
        assert screen.session.assessment.responses["PR-01"].finding == "Fund the shelters."


async def test_autosave_writes_after_a_pause(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 0.01)
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j", "4")
        for _ in range(20):
            await pilot.pause(0.02)
            await settle(pilot)
            if "✓ saved" in status(screen):
                break
        assert "✓ saved" in status(screen)
        assert store.read(scored_file).assessment.responses["PR-03"].level == 4


async def test_quit_saves_and_reopen_keeps_everything(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j", "3", "f")
        assert "● unsaved" in status(screen)  # the autosave waits for a pause
        await pilot.press("e")
        app.screen.query_one(TextArea).text = "Regional offices: 4 of 9."
        await pilot.press("escape")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    saved = store.read(scored_file).assessment.responses["PR-03"]
    assert (saved.level, saved.flagged, saved.notes) == (3, True, "Regional offices: 4 of 9.")
    again = make_app(open_path=scored_file)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert tree_line(screen, "PR-03").startswith("● 3")
        assert tree_line(screen, "PR-03").startswith("● 3   ⚑✎    PR-03")
        screen.checklist_tree.select_item("PR-03")
        await pilot.pause()
        assert "Regional offices: 4 of 9." in plain(screen)
        assert screen.session is not None
        assert f"overall {screen.session.board.overall.score:.1f}" in status(screen)


async def test_a_save_error_is_shown_and_quitting_asks(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, expected: str | None, produce: object, seen: object) -> store.Written:
        raise store.SaveError(f"{path.name}: not saved: disk full; the file on disk is unchanged")

    monkeypatch.setattr("decalogue.storage.store.save_merged", refuse)
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 0.01)
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j", "1")
        for _ in range(20):
            await pilot.pause(0.02)
            await settle(pilot)
            if "error" in status(screen):
                break
        assert "✗ error: XX-2025.json: not saved: disk full" in status(screen)
        assert any("disk full" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # stay
        assert app.is_running
    assert store.read(scored_file).assessment.responses.get("PR-03") is None


async def test_a_colleagues_save_is_merged_without_a_dialog(
    make_app: AppFactory, scored_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: two people scoring different items never see a dialog; both answers land."""
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 0.01)
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        # another program saves the file meanwhile
        theirs = store.read(scored_file)
        theirs.assessment.apply("JU-01", "answer", Answer(level=4), "Colleague")
        store.save(scored_file, theirs.assessment, theirs.fingerprint)
        await pilot.press("j", "j", "1")
        for _ in range(20):
            await pilot.pause(0.02)
            await settle(pilot)
            if "✓ saved" in status(screen):
                break
        assert not isinstance(app.screen, ChoiceDialog)
        assert "✓ saved" in status(screen)
        assert screen.session is not None
        assert screen.session.assessment.responses["JU-01"].level == 4
        assert screen.session.assessment.responses["PR-03"].level == 1
    saved = store.read(scored_file).assessment.responses
    assert (saved["JU-01"].level, saved["PR-03"].level) == (4, 1)


async def test_a_file_replaced_by_another_assessment_offers_keep_mine_as_a_copy(
    make_app: AppFactory, scored_file: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("decalogue.tui.screens.keeping.AUTOSAVE_DELAY", 0.01)
    monkeypatch.setattr("decalogue.tui.screens.keeping.POLL", 600)  # the save finds it
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        other = store.read(scored_file)
        other.assessment.id = "another-assessment"
        other.assessment.apply("JU-01", "answer", Answer(level=4), "Colleague")
        store.save(scored_file, other.assessment, other.fingerprint)
        await pilot.press("j", "j", "1")
        for _ in range(20):
            await pilot.pause(0.02)
            await settle(pilot)
            if isinstance(app.screen, ChoiceDialog):
                break
        await pilot.press("enter")  # keep mine as a copy
        await pilot.pause()
        assert screen.session is not None
        copy = screen.session.path
        assert copy is not None  # a file-backed session
        assert copy != scored_file and copy.parent == workspace
    assert store.read(copy).assessment.responses["PR-03"].level == 1
    assert store.read(scored_file).assessment.responses["JU-01"].level == 4


async def test_explore_mode_browses_without_scoring(make_app: AppFactory) -> None:
    app = make_app(explore=CHECKLIST)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        assert not hasattr(app.screen, "session")  # the screen just checked
        await pilot.press("3", "n", "f")
        assert on_top(app) is screen  # no dialog: the scoring keys do nothing here
        assert "Explore · Exampleland test checklist · v1.0.0 · 7 items" in status(screen)
        assert tree_line(screen, "PR-01").startswith("PR-01 Shelter")
        await pilot.press("slash", *"children", "enter")
        assert set(screen.checklist_tree._items) == {"PR-04"}
        assert "1 of 7 items" in status(screen)


async def test_command_palette_runs_screen_actions(make_app: AppFactory, scored_file: Path) -> None:
    app: DecalogueApp = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"review flag")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session is not None
        assert screen.session.assessment.responses["PR-01"].flagged


async def test_theme_toggles(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"


async def test_a_pillar_or_section_line_shows_its_summary(make_app: AppFactory) -> None:
    """The cursor on a group says what it is: the Decalogue pillar holds themes, not the points."""
    from decalogue.storage.checklists import load_checklist

    bundled = load_checklist()
    app = make_app(explore=bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        tree = screen.checklist_tree
        pillar_line = next(
            index
            for index in range(tree.last_line + 1)
            if (node := tree.get_node_at_line(index)) is not None
            and node.data is not None
            and node.data.id == "DT"
        )
        tree.cursor_line = pillar_line
        await pilot.pause()
        shown = plain(screen)
        assert shown.startswith("DT  Decalogue themes")
        assert "not the official ten points" in " ".join(shown.split())
        tree.cursor_line = pillar_line + 1
        await pilot.pause()
        assert plain(screen).startswith("DT-A  Will and leadership")
        await pilot.press("down")  # down walks items: from a section line to its first item
        await pilot.pause()
        assert plain(screen).startswith("DT-01  Political will")


async def test_a_recovery_copy_is_announced_once(make_app: AppFactory, scored_file: Path) -> None:
    copy = scored_file.with_name(f"{scored_file.stem}-recovered-20261127-1000.json")
    copy.write_bytes(scored_file.read_bytes())
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await settle(pilot)
        titles = [n.title for n in app._notifications]
        assert titles.count("Recovery copy") == 1, titles
