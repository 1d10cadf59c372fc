"""Last period's answers and the status, as the official meets them on the assess screen."""

from __future__ import annotations

import re
from pathlib import Path

from textual.geometry import Region
from textual.widgets import Input, OptionList, Static

from decalogue.model.assessment import Answer, carry_forward, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.helpers import (
    SIZE,
    home_rows,
    notes_of,
    on_top,
    open_assess,
    settle,
    status,
    tree_line,
)
from tests.tui.conftest import AppFactory


def carried_file(scored_file: Path, checklist: Checklist) -> Path:
    """The scored 2025 file carried forward to 2026."""
    previous = store.read(scored_file).assessment
    path = scored_file.with_name("XX-2026.json")
    store.create(path, carry_forward(previous, checklist, "2026", "Tester"))
    return path


async def test_carried_answers_are_marked_in_the_tree_until_confirmed(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=carried_file(scored_file, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert tree_line(screen, "PR-01").startswith("↻ 3")
        assert tree_line(screen, "PR-04").startswith("↻ N/A")
        assert tree_line(screen, "PR-03").startswith("○")  # nothing to carry
        await pilot.press("c")  # PR-01 confirmed as this period's
        assert tree_line(screen, "PR-01").startswith("● 3")
        await pilot.press("j", "2")  # PR-02 changed: no longer last period's
        assert tree_line(screen, "PR-02").startswith("● 2")


async def test_the_carried_filter_finds_the_answers_left_to_confirm(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=carried_file(scored_file, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("c", "slash", *"carried")
        await pilot.pause()
        assert set(screen.checklist_tree._items) == {"PR-02", "PR-04", "JU-02"}


async def test_a_final_assessment_says_so_and_refuses_a_level(
    make_app: AppFactory, scored_file: Path
) -> None:
    """Its reports said final: a key press must not change the figures under that word."""
    final = store.read(scored_file)
    final.assessment.set_status("final", "Head of Unit")
    store.save(scored_file, final.assessment, final.fingerprint)
    before = scored_file.read_bytes()
    app = make_app(open_path=scored_file)
    said = notes_of(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert "· Final ·" in status(screen)
        await pilot.press("1")  # PR-01 is 3
        assert tree_line(screen, "PR-01").startswith("● 3")
        assert any("is final by Head of Unit" in message for message in said), said
        await pilot.press("ctrl+q")
    assert scored_file.read_bytes() == before


async def test_the_home_line_about_recovery_copies_is_whole_at_80_columns(
    make_app: AppFactory, scored_file: Path
) -> None:
    """The one place after a restart that says answers are waiting: not cut off mid-word."""
    recovery = scored_file.parent / "recovery"
    recovery.mkdir()
    (recovery / "XX-2025-recovered-20261127T1000Z.json").write_bytes(scored_file.read_bytes())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_rows(pilot)
        title = app.screen.query_one("#home-title", Static)
        region = Region(0, 0, title.size.width, title.size.height)
        shown = " ".join(" ".join(strip.text for strip in title.render_lines(region)).split())
        assert "1 recovery copy in recovery/: answers a closed session could not save" in shown


async def test_the_dashboard_keeps_a_groups_carried_count_on_its_line_at_80_columns(
    make_app: AppFactory, workspace: Path
) -> None:
    bundled = load_checklist()
    previous = new_assessment(bundled, "XX", "2025", country_name="Exampleland")
    for item in bundled.items[:12]:  # a two-digit count of carried answers: LF's "↻12"
        previous.apply(item.id, "answer", Answer(level=2), "Tester")
    path = workspace / "XX-2026.json"
    store.create(path, carry_forward(previous, bundled, "2026", "Tester"))
    app = make_app(open_path=path, checklist=bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assess(pilot)
        await pilot.press("d")
        await settle(pilot)
        listing = app.screen.query_one(OptionList)
        region = Region(0, 0, listing.size.width, listing.size.height)
        lines = [strip.text for strip in listing.render_lines(region)]
        alone = [line for line in lines if re.fullmatch(r"↻\d+", line.strip(" ▎▊▁▃▅▆▇"))]
        assert not alone, lines  # a count wrapped under its group
        assert any("↻12" in line and "Legal-framework" in line for line in lines), lines


async def test_the_help_wraps_a_long_key_text_under_its_own_column_at_80_columns(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_assess(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.query_one("#help-text", Static)
        region = Region(0, 0, text.size.width, text.size.height)
        lines = [strip.text.rstrip() for strip in text.render_lines(region)]
        start = next(i for i, line in enumerate(lines) if line.startswith("  /   "))
        column = lines[start].index("Filter")
        rest = lines[start + 1]
        assert rest[:column].strip() == "" and "pillar:X" in " ".join(lines[start : start + 3])


async def test_the_header_says_how_many_answers_behind_the_score_are_carried(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=carried_file(scored_file, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert "(↻4 carried)" in status(screen)
        await pilot.press("c")
        assert "(↻3 carried)" in status(screen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "overall 50.0 ↻3" in status(screen)  # the score stays, the words go


async def test_a_digit_beyond_the_scale_says_so_and_changes_nothing(
    make_app: AppFactory, scored_file: Path
) -> None:
    app = make_app(open_path=scored_file)
    said = notes_of(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        top = screen.checklist.scale.max_level
        await pilot.press(str(top + 1))
        await pilot.pause()
        assert tree_line(screen, "PR-01").startswith("● 3")
        assert any(f"the scale is 0-{top}" in message for message in said), said


async def test_importing_a_copy_of_an_assessment_already_here_is_refused(
    make_app: AppFactory, scored_file: Path, tmp_path: Path
) -> None:
    """A recovery copy imported read as a second 'Exampleland 2025', figures apart."""
    copy = tmp_path / "XX-2025-recovered-20261128T000829Z.json"
    copy.write_bytes(scored_file.read_bytes())
    before = sorted(p.name for p in scored_file.parent.glob("*.json"))
    app = make_app()
    said = notes_of(app)
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("i")
        app.screen.query_one(Input).value = str(copy)
        await pilot.pause()
        await pilot.press("enter")
        rows = await home_rows(pilot)
        assert len(rows) == 1, rows
    assert sorted(p.name for p in scored_file.parent.glob("*.json")) == before
    assert any(f"already in the workspace as {scored_file.name}" in m for m in said), said


async def test_the_history_shows_each_version_of_a_note_in_full(
    make_app: AppFactory, scored_file: Path, checklist: Checklist
) -> None:
    """A note replaced by a colleague's is found again here, whole: not 'empty → empty'."""
    theirs = "B's version of the housing note, " + "long enough to be cut short " * 4 + "END."
    session = Session.open(scored_file, checklist, user="B. Focal")
    session.set_field("PR-02", "notes", theirs)
    session.save()
    session = Session.open(scored_file, checklist, user="A. Official")
    session.set_field("PR-02", "notes", "A's text.")
    session.save()
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("j", "h")
        await pilot.pause()
        shown = " ".join(str(app.screen.query_one("#history-text", Static).visual).split())
        assert "empty → empty" not in shown
        assert f"“{theirs}”" in shown and "→ “A's text.”" in shown, shown


async def test_on_a_final_assessment_an_editor_does_not_open_to_lose_what_is_typed(
    make_app: AppFactory, scored_file: Path
) -> None:
    final = store.read(scored_file)
    final.assessment.set_status("final", "Head of Unit")
    store.save(scored_file, final.assessment, final.fingerprint)
    app = make_app(open_path=scored_file)
    said = notes_of(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        for key in ("e", "r", "v", "n", "t", "a"):
            await pilot.press(key)
            await pilot.pause()
            assert on_top(app) is screen, key  # nothing typed there could be kept
        assert sum("is final by Head of Unit" in message for message in said) == 6, said
