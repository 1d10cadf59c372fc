"""A working day in the workbench (issue 20): dialogs keep what was typed, keys match
their labels, go to an item, reopen where you left off, history, countries, CSV import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets._footer import FooterKey

from decalogue.model.actions import Action
from decalogue.model.assessment import Answer, Evidence
from decalogue.model.checklist import Checklist
from decalogue.resources import bundled_checklist_paths
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.tui.keys import action_keys
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, TextEditor, TextPrompt
from decalogue.tui.screens.evidence import EvidenceDialog
from decalogue.tui.screens.history import HistoryDialog
from tests.helpers import edited_csv, on_top, open_assess, plain, settle, tree_line
from tests.tui.conftest import AppFactory, write_assessment

SMALL = (80, 24)


def saved(path: Path, item_id: str) -> object:
    return store.read(path).assessment.responses.get(item_id)


async def press_until(pilot: Pilot[None], key: str, widget_id: str) -> None:
    """Tab (or another key) until the widget with this id has the focus."""
    for _ in range(12):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press(key)
    raise AssertionError(f"#{widget_id} never got the focus; {pilot.app.focused} has it")


# -- the evidence dialog


async def test_done_keeps_a_filled_in_evidence_entry(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("v")
        assert isinstance(app.screen, EvidenceDialog)
        await pilot.press(*"Law 12/2024", "tab", *"https://example.org/law")
        await press_until(pilot, "tab", "done")
        await pilot.press("enter")
        await pilot.pause()
        assert on_top(app) is screen
        assert screen.flush() is None
    response = store.read(scored_file).assessment.responses["PR-01"]
    assert response.evidence == [
        Evidence(description="Law 12/2024", link="https://example.org/law")
    ]


async def test_evidence_entries_are_edited_in_place_and_removed_with_delete_or_backspace(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    entries = [Evidence(description=name) for name in ("Decree 1", "Decree 2", "Decree 3", "Law 4")]
    path = write_assessment(workspace, checklist, fields={"PR-01": {"evidence": entries}})
    app = make_app(open_path=path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        listing = dialog.query_one("#evidence-list", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("enter")  # Decree 2 into the fields
        field = dialog.query_one("#ev-description", Input)
        assert field.value == "Decree 2"
        assert app.focused is field
        field.value = "Decree 2 of 2024"
        await pilot.press("tab", *"https://example.org/d2", "enter")
        assert [e.description for e in dialog.evidence][1] == "Decree 2 of 2024"
        assert dialog.evidence[1].link == "https://example.org/d2"
        assert len(dialog.evidence) == 4  # changed, not added
        listing.focus()
        listing.highlighted = 0
        await pilot.press("delete")
        await pilot.press("delete")  # again, with no move in between
        await pilot.press("backspace")  # the laptop key does the same
        assert [e.description for e in dialog.evidence] == ["Law 4"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen.flush()
    response = store.read(path).assessment.responses["PR-01"]
    assert [e.description for e in response.evidence] == ["Law 4"]


# -- one escape rule


async def test_escape_keeps_what_was_typed_in_every_item_dialog(
    make_app: AppFactory, scored_file: Path
) -> None:
    """Notes, finding, N/A reason, evidence: escape keeps the text, as Done or ctrl+s would."""
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j")  # PR-03
        for key, text in (("e", "A note"), ("r", "A finding")):
            await pilot.press(key)
            assert isinstance(app.screen, TextEditor)
            app.screen.query_one(TextArea).text = text
            await pilot.press("escape")
            await pilot.pause()
            assert on_top(app) is screen
        await pilot.press("v", *"Statistics 2024", "escape")
        await pilot.pause()
        await pilot.press("n")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"No such body", "escape")
        await pilot.pause()
        assert on_top(app) is screen
        assert screen.flush() is None
    response = store.read(scored_file).assessment.responses["PR-03"]
    assert response.notes == "A note"
    assert response.finding == "A finding"
    assert [e.description for e in response.evidence] == ["Statistics 2024"]
    assert (response.not_applicable, response.na_reason) == (True, "No such body")


async def test_escape_asks_before_dropping_what_cannot_be_kept(
    make_app: AppFactory, scored_file: Path
) -> None:
    """A link without a description cannot be kept: escape asks; Keep editing keeps it."""
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("v", "tab", *"https://example.org")
        dialog = app.screen
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # escape in the question: keep editing
        assert app.screen is dialog
        assert dialog.query_one("#ev-link", Input).value == "https://example.org"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # discard
        await pilot.pause()
        assert on_top(app) is screen
        assert screen.session is not None
        assert screen.session.assessment.responses["PR-01"].evidence == []


@pytest.mark.parametrize("keys", [("i", *"~/notes.json"), ("n", *"Austria")], ids=["import", "new"])
async def test_escape_asks_before_dropping_a_typed_action(
    make_app: AppFactory, scored_file: Path, keys: tuple[str, ...]
) -> None:
    """Dialogs that start something start nothing on escape, and ask when text would be lost."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press(keys[0])
        await settle(pilot)
        dialog = app.screen
        await pilot.press(*keys[1:])
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        assert app.screen is dialog
        await pilot.press("escape", "y")
        await settle(pilot)
        assert app.screen is home
        assert sorted(p.name for p in scored_file.parent.glob("*.json")) == [scored_file.name]


async def test_escape_closes_a_dialog_where_nothing_was_typed(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        for key, kind in (("t", ChoiceDialog), ("n", TextPrompt), ("v", EvidenceDialog)):
            await pilot.press(key)
            assert isinstance(app.screen, kind)
            await pilot.press("escape")
            await pilot.pause()
            assert on_top(app) is screen, key
        assert screen.session is not None
        assert not screen.session.dirty


# -- target digits, history, markers


async def test_a_digit_picks_the_target(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        assert screen.session is not None
        await pilot.press("t", "2")
        assert app.screen is screen
        assert screen.session.assessment.responses["PR-01"].target == 2
        await pilot.press("t", "backspace")
        assert screen.session.assessment.responses["PR-01"].target is None


async def test_history_shows_who_when_and_old_to_new(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("4", "h")
        assert isinstance(app.screen, HistoryDialog)
        text = str(app.screen.query_one("#history-text", Static).visual)
        lines = text.splitlines()
        assert lines[0].startswith("2025-03-14 09:30  Tester")
        assert lines[1] == "  answer: 3 Substantial → 4 Full"  # newest first
        assert "answer: unanswered → 3 Substantial" in text
        await pilot.press("escape")
        assert on_top(app) is screen


async def test_tree_marks_flag_notes_evidence_target_and_actions(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    path = write_assessment(
        workspace,
        checklist,
        answers={"PR-01": Answer(level=2)},
        fields={
            "PR-01": {
                "notes": "n",
                "evidence": [Evidence(description="Law")],
                "target": 3,
                "actions": [Action(what="Train the labour inspectors")],
            },
            "PR-02": {"flagged": True},
        },
    )
    app = make_app(open_path=path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        assert tree_line(screen, "PR-01").startswith("● 2    ✎§◎→ PR-01")
        assert tree_line(screen, "PR-02").startswith("○ ·   ⚑     PR-02")
        await pilot.press("e")
        app.screen.query_one(TextArea).text = ""
        await pilot.press("escape")
        assert tree_line(screen, "PR-01").startswith("● 2     §◎→ PR-01")


# -- keys and labels


def _binding_keys(screen: AssessScreen) -> dict[str, str]:
    return action_keys(screen._all_bindings())


async def test_every_key_shown_in_the_detail_pane_is_its_binding(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j")  # PR-02: flagged, target, notes
        text = plain(screen)
        keys = _binding_keys(screen)
        shown = {
            "target": r"Target .*\((\S+)\)",
            "flag": r"flagged for review\s+\((\S+)\)",
            "edit_notes": r"Notes\s+\((\S+)\)",
            "edit_evidence": r"Evidence\s+\((\S+)\)",
            "edit_finding": r"Finding / recommendation\s+\((\S+)\)",
            "edit_actions": r"Actions\s+\((\S+)\)",
            "history": r"history\s+\((\S+)\)",
            "source": r"Sources\s+\((\S+): open",
        }
        for action, pattern in shown.items():
            found = re.search(pattern, text)
            assert found is not None, action
            assert found.group(1) == keys[action], action
        assert re.search(r"Answer .*\(0-4, n\)", text)
        assert text.index("Notes") < text.index("Question")  # the answer block first
        # and each key does what its label says
        expected = {"e": TextEditor, "v": EvidenceDialog, "r": TextEditor, "h": HistoryDialog}
        for key, kind in expected.items():
            await pilot.press(key)
            assert isinstance(app.screen, kind), key
            await pilot.press("ctrl+g" if kind is TextEditor else "escape")


@pytest.mark.parametrize("open_file", [False, True], ids=["home", "assess"])
async def test_quit_and_help_lead_the_footer_at_80_columns(
    make_app: AppFactory, scored_file: Path, open_file: bool
) -> None:
    app = make_app(open_path=scored_file if open_file else None)
    async with app.run_test(size=SMALL) as pilot:
        if open_file:
            await open_assess(pilot)
        else:
            await settle(pilot)
        await pilot.pause()
        footer_keys = list(app.screen.query(FooterKey))
        assert [key.description for key in footer_keys[:2]] == ["Quit", "Help"]
        for key in footer_keys[:2]:
            assert key.region.right <= SMALL[0] and key.region.height == 1
        descriptions = {key.description: key.key_display for key in footer_keys}
        if open_file:
            keys = _binding_keys(app.screen)  # type: ignore[arg-type]
            assert descriptions["Evidence"] == keys["edit_evidence"]
            assert descriptions["Finding"] == keys["edit_finding"]


# -- every dialog at 80x24


DIALOG_KEYS = {
    "notes": ("e",),
    "na": ("n",),
    "target": ("t",),
    "evidence": ("v",),
    "history": ("h",),
    "export": ("x",),
    "actions": ("a",),
}


@pytest.mark.parametrize("name", list(DIALOG_KEYS))
async def test_every_field_and_button_of_a_dialog_is_reachable_at_80x24(
    make_app: AppFactory, workspace: Path, checklist: Checklist, name: str
) -> None:
    """On an item with a day's worth of evidence, notes and history (PR-02)."""
    evidence = [Evidence(description=f"Decree {n}", link="https://example.org") for n in range(6)]
    busy = {"notes": "Care depends on co-operation.", "target": 3, "evidence": evidence}
    path = write_assessment(workspace, checklist, fields={"PR-02": busy})
    app = make_app(open_path=path)
    async with app.run_test(size=SMALL) as pilot:
        await open_assess(pilot)
        await pilot.press("j", *DIALOG_KEYS[name])
        await settle(pilot)
        await _assert_reachable(pilot)


@pytest.mark.parametrize("key", ["i", "c", "d", "n"])
async def test_every_field_and_button_of_a_home_dialog_is_reachable_at_80x24(
    make_app: AppFactory, scored_file: Path, key: str
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        await _assert_reachable(pilot)


async def _assert_reachable(pilot: Pilot[None]) -> None:
    """Tab through the dialog: each field and button, once focused, is wholly on screen."""
    screen = pilot.app.screen
    width, height = SMALL
    boxes = list(screen.query(".dialog-box"))
    box = boxes[0].region if boxes else screen.region
    wanted = [w for w in screen.query("Button, Input, TextArea, OptionList, Select") if w.display]
    assert wanted, screen
    seen = set()
    for _ in range(3 * len(wanted) + 3):
        focused = pilot.app.focused
        if focused is not None and focused in wanted:
            await pilot.pause()
            region = focused.region
            assert region.x >= 0 and region.y >= 0, focused
            assert region.right <= width and region.bottom <= height - 1, (focused, region)
            assert box.contains_region(region), (focused, region, box)
            assert region.height >= 1, focused
            seen.add(focused)
        await pilot.press("tab")
    assert {w for w in wanted if w.focusable} <= seen  # every field and button reached


# -- go to an item, reopen where you left off


@pytest.fixture
def bundled_file(workspace: Path) -> tuple[Path, Path]:
    path = bundled_checklist_paths()[0]
    checklist = load_checklist(path)
    return write_assessment(workspace, checklist), path


async def test_the_palette_goes_to_an_item_by_id_or_title_words(
    make_app: AppFactory, bundled_file: tuple[Path, Path]
) -> None:
    file, checklist_path = bundled_file
    checklist = load_checklist(checklist_path)
    app = make_app(open_path=file, checklist=checklist_path, checklists=[checklist_path])
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"AP-05")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.checklist_tree.current_item == "AP-05"
        title = checklist.item_index["AP-05"].title
        words = " ".join(title.split()[:3])
        await pilot.press("ctrl+p", *words)
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.checklist_tree.current_item is not None
        found = checklist.item_index[screen.checklist_tree.current_item].title
        assert all(word.casefold() in found.casefold() for word in title.split()[:3])


async def test_reopening_lands_on_the_last_item_of_this_user(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("j", "j", "j", "j", "j")
        assert screen.checklist_tree.current_item == "JU-02"
        await pilot.press("ctrl+q")
    again = make_app(open_path=scored_file)
    async with again.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.pause()
        assert screen.checklist_tree.current_item == "JU-02"
        assert "Financial investigations" in plain(screen)
    someone_else = make_app(open_path=scored_file, user="Colleague")
    async with someone_else.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.pause()
        assert screen.checklist_tree.current_item == "PR-01"


# -- countries


async def test_turkey_finds_turkiye_in_the_new_assessment_form(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Turkey")
        picker = app.screen.query_one("#country-options", OptionList)
        first = str(picker.get_option_at_index(0).prompt)
        assert first.startswith("TR") and "Türkiye (Turkey)" in first
        await pilot.press("enter")
        assert app.screen.query_one("#country", Input).value == "Türkiye (TR)"


# -- import an edited CSV


async def test_import_an_edited_csv_shows_the_dry_run_then_applies_it(
    make_app: AppFactory, scored_file: Path, checklist: Checklist, tmp_path: Path
) -> None:
    edited = edited_csv(scored_file, checklist, tmp_path, {"PR-03": "2"})
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("i", *str(edited), "enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#csv-summary", Static).visual)
        assert "PR-03 answer: unanswered → 2  (row" in summary
        assert "1 item would change; nothing saved (--dry-run)" in summary
        assert saved(scored_file, "PR-03") is None  # a dry run changes nothing
        await press_until(pilot, "tab", "import")
        await pilot.press("enter")
        await settle(pilot)
    response = store.read(scored_file).assessment.responses["PR-03"]
    assert response.level == 2


async def test_escape_in_export_asks_only_for_a_file_name_not_yet_used(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("x", "escape")  # the suggested name: nothing typed, closes
        assert app.screen is screen
        await pilot.press("x")
        dialog = app.screen
        dialog.query_one("#path", Input).value = "~/ministry/report.md"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is dialog
        assert dialog.query_one("#path", Input).value == "~/ministry/report.md"
