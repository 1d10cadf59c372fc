"""Pilot tests of home, the new-assessment form, dashboard, export, source, help and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textual.widgets import Button, DataTable, Input, Label, OptionList, TextArea

from decalogue.model.assessment import carry_forward
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.dashboard import DashboardScreen
from decalogue.tui.screens.dialogs import ConfirmDialog, TextPrompt
from decalogue.tui.screens.export import ExportScreen
from decalogue.tui.screens.help import HelpScreen
from decalogue.tui.screens.home import HomeScreen
from decalogue.tui.screens.source import CLOSE, OPEN, SourceScreen
from decalogue.tui.widgets.checklist_tree import CONTEXT, EAGER_LIMIT
from tests.helpers import SIZE, big_checklist, home_rows, open_assess, open_new_form, settle, status
from tests.tui.conftest import AppFactory, write_assessment


async def test_empty_workspace_explains_what_to_do(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        empty = app.screen.query_one("#empty")
        assert empty.display
        assert "Press n to start one" in str(empty.visual)  # type: ignore[attr-defined]


async def test_new_assessment_form_validates_as_you_type_and_creates(
    make_app: AppFactory, workspace: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
        create = form.query_one("#create", Button)
        assert create.disabled
        await pilot.press("X", "X")
        assert "✓ XX: user-assigned code" in str(form.query_one("#country-status", Label).visual)
        assert form.query_one("#country-name").display
        await pilot.press("tab", *"Exampleland", "tab")
        await pilot.press(*"20x5")
        error = str(form.query_one("#period-error", Label).visual)
        assert error.startswith("✗ period must be a year")
        assert create.disabled
        form.query_one("#period", Input).value = "2026-2025"
        await pilot.pause()
        assert "ends before it starts" in str(form.query_one("#period-error", Label).visual)
        form.query_one("#period", Input).value = "2025"
        await pilot.pause()
        assert str(form.query_one("#period-error", Label).visual) == ""
        assert not create.disabled
        await pilot.press("ctrl+s")
        screen = await open_assess(pilot)
        assert app.focused is screen.checklist_tree
        assert screen.checklist_tree.current_item == "PR-01"
    created = store.read(workspace / "XX-2025.json").assessment
    assert (created.country.code, created.country.name, created.period) == (
        "XX",
        "Exampleland",
        "2025",
    )
    assert created.assessors[0].name == "Tester"


async def test_country_picker_type_ahead_osce_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
        await pilot.press(*"aus")
        picker = form.query_one(OptionList)
        first = str(picker.get_option_at_index(0).prompt)
        assert "AT  OSCE  Austria" in first
        assert any(
            "AU" in str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)
        )
        await pilot.press("enter")
        assert form.query_one("#country", Input).value == "Austria (AT)"
        assert "✓ AT: Austria" in str(form.query_one("#country-status", Label).visual)
        assert not form.query_one("#country-name").display


async def test_home_lists_sorts_and_opens(
    make_app: AppFactory, workspace: Path, checklist: Checklist, scored_file: Path
) -> None:
    write_assessment(workspace, checklist, code="XY", name="Otherland", period="2024")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = await home_rows(pilot)
        assert [row[0] for row in rows] == ["Exampleland (XX)", "Otherland (XY)"] or [
            row[0] for row in rows
        ] == ["Otherland (XY)", "Exampleland (XX)"]
        assert next(row for row in rows if row[0].startswith("Example")) == [
            "Exampleland (XX)",
            "2025",
            "Draft",
            "4/7 57%",
            "50.0",
            "1",
            "2025-03-14 09:30",
            "exampleland-test 1.0.0",
        ]
        await pilot.press("s", "s")  # last change → checklist → country
        rows = await home_rows(pilot)
        assert [row[0] for row in rows] == ["Exampleland (XX)", "Otherland (XY)"]
        table = app.screen.query_one(DataTable)
        assert str(table.ordered_columns[0].label) == "Country ▲"
        await pilot.press("s")  # → period
        rows = await home_rows(pilot)
        assert [row[1] for row in rows] == ["2024", "2025"]
        await pilot.press("down", "enter")
        screen = await open_assess(pilot)
        assert screen.session is not None and screen.session.path == scored_file
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_workspace_is_listed_behind_a_file_opened_at_start(
    make_app: AppFactory, workspace: Path, scored_file: Path
) -> None:
    broken = workspace / "XX-2024.json"
    broken.write_text("{ not an assessment", encoding="utf-8")
    app = make_app(open_path=broken)  # cannot be opened: the home screen shows at once
    async with app.run_test(size=SIZE) as pilot:
        rows = await home_rows(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any(row[0] == "Exampleland (XX)" for row in rows), rows
        assert any(n.title == "Error" for n in app._notifications)
    app = make_app(open_path=scored_file)  # opened: listed when the user comes back
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("escape")
        rows = await home_rows(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any(row[0] == "Exampleland (XX)" for row in rows), rows


async def test_delete_is_confirmed_and_undone(
    make_app: AppFactory, workspace: Path, scored_file: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        assert scored_file.exists()
        await pilot.press("d")
        await pilot.press("enter")
        await settle(pilot)
        assert not scored_file.exists()
        assert await home_rows(pilot) == []
        assert app.screen.query_one("#empty").display
        await pilot.press("u")
        rows = await home_rows(pilot)
        assert scored_file.exists()
        assert rows[0][0] == "Exampleland (XX)"


async def test_carry_forward_opens_next_period_carried(
    make_app: AppFactory, workspace: Path, scored_file: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await home_rows(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value == "2026"
        await pilot.press("enter")
        screen = await open_assess(pilot)
        assert screen.session is not None
        assert screen.session.assessment.period == "2026"
        assert screen.session.assessment.responses["PR-01"].carried
        assert "Exampleland (XX) · 2026" in status(screen)
    assert (workspace / "XX-2026.json").exists()


async def test_import_copies_a_file_into_the_workspace(
    make_app: AppFactory, tmp_path: Path, checklist: Checklist, workspace: Path
) -> None:
    elsewhere = tmp_path / "inbox"
    elsewhere.mkdir()
    source = write_assessment(elsewhere, checklist, code="XZ", name="Farland")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.press(*"nope.json")
        assert app.screen.query_one("#ok", Button).disabled
        app.screen.query_one(Input).value = str(source)
        await pilot.pause()
        await pilot.press("enter")
        rows = await home_rows(pilot)
        assert rows[0][0] == "Farland (XZ)"
    assert (workspace / "XZ-2025.json").exists() and source.exists()


async def test_dashboard_figures_and_jump(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("d")
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        listing = dashboard.query_one(OptionList)
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert screen.session is not None
        assert screen.session.board.overall.score == 50.0
        assert lines[0].startswith("Overall score 50.0 · coverage 57% (4/7: 3 scored, 1 N/A")
        assert any(line.startswith("Protection") and " 50.0 " in line for line in lines)
        assert any("PR-02 Medical care" in line and "gap 2" in line for line in lines)
        assert any(line.startswith("⚑ PR-02") for line in lines)
        gap = next(i for i, line in enumerate(lines) if "JU-02" in line and "gap" in line)
        listing.highlighted = gap
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.checklist_tree.current_item == "JU-02"


async def test_export_writes_the_file_and_shows_the_result(
    make_app: AppFactory, scored_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "card.json"
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one("#path", Input)
        assert field.value == "~/ws/exports/XX-2025-scorecard.json"
        field.value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = str(app.screen.query_one("#export-result").visual)  # type: ignore[attr-defined]
        assert result == "✓ written: ~/out/card.json"
        field.value = str(tmp_path)  # a folder: refused, and said so
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = str(app.screen.query_one("#export-result").visual)  # type: ignore[attr-defined]
        assert result.startswith("✗ ") and "folder" in result
    card = json.loads(target.read_text(encoding="utf-8"))
    assert card["overall"]["score"] == 50.0  # as the dashboard shows it


async def test_source_viewer_selects_the_quote(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("j", "j", "s")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, SourceScreen)
        area = viewer.query_one(TextArea)
        assert area.selected_text == (
            f"{OPEN}the national referral mechanism must\nwork in every region{CLOSE}"
        )
        assert "[bold]survey[/bold]" in area.text  # shown as printed
        await pilot.press("escape")
        assert isinstance(app.screen, AssessScreen)


async def test_help_shows_keys_scale_and_rules(make_app: AppFactory, scored_file: Path) -> None:
    app = make_app(open_path=scored_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").visual)  # type: ignore[attr-defined]
        assert "Jump to the next unanswered item" in text
        assert "3 Substantial — In place with gaps." in text
        assert "N/A (with a reason) leaves an item out of the average" in text
        await pilot.press("escape")
        assert isinstance(app.screen, AssessScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_bundled_checklist_scoring(make_app: AppFactory, workspace: Path) -> None:
    from decalogue.storage.checklists import load_checklist

    bundled = load_checklist()
    path = write_assessment(workspace, bundled)
    app = make_app(open_path=path, checklist=None, checklists=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assess(pilot)
        for level in "3241032234":
            await pilot.press(level, "j")
        assert screen.session is not None
        assert screen.session.board.overall.answered == 10
        await pilot.press("ctrl+q")
    assert len(store.read(path).assessment.responses) == 10


async def test_an_assessment_of_the_bundled_1_0_0_opens_with_the_drift_shown(
    make_app: AppFactory, workspace: Path
) -> None:
    from decalogue.model.assessment import Answer
    from decalogue.storage.checklists import load_checklist

    old = load_checklist(
        Path(__file__).parent.parent / "fixtures" / "osce-national-action-1.0.0.toml"
    )
    path = write_assessment(
        workspace, old, answers={"LF-04": Answer(level=3), "AP-13": Answer(level=2)}
    )
    app = make_app(open_path=path, checklist=None, checklists=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_assess(pilot)
        assert screen.session is not None
        assert screen.session.checklist.meta.version == "1.1.0"
        for _ in range(50):  # the notices come from the opening worker: wait for them
            shown = [(n.title, n.message) for n in app._notifications]
            if any(title == "Checklist changed" for title, _ in shown):
                break
            await pilot.pause(0.05)
        assert any(title == "Checklist changed" for title, _ in shown), shown
        assert any("AP-13" in message and "kept in the file" in message for _, message in shown)
        await pilot.press("ctrl+q")


async def test_home_rows_say_the_status_and_the_answers_carried_from_last_period(
    make_app: AppFactory, scored_file: Path, checklist: Checklist, workspace: Path
) -> None:
    read = store.read(scored_file)
    last = read.assessment
    last.set_status("final", "Tester")
    store.save(scored_file, last, read.fingerprint)
    store.create(workspace / "XX-2026.json", carry_forward(last, checklist, "2026", "Tester"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        rows = {row[1]: row for row in await home_rows(pilot)}
        assert rows["2025"][2] == "Final"
        assert rows["2026"][2] == "Draft ↻4"  # four answers are 2025's, not yet confirmed
        await pilot.press("ctrl+q")


async def test_large_checklist_fills_sections_lazily(
    make_app: AppFactory, tmp_path: Path, workspace: Path
) -> None:
    from decalogue.storage.checklists import load_checklist

    toml = big_checklist(tmp_path, EAGER_LIMIT // 30)
    big = load_checklist(toml)
    path = write_assessment(workspace, big)
    app = make_app(open_path=path, checklist=toml)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        tree = screen.checklist_tree
        per_section = EAGER_LIMIT // 30
        await pilot.pause()
        # The first section, and the one after the cursor's, opened once the frame is out.
        assert len(tree._items) == 2 * per_section
        assert "P0S1" not in tree._pending and "P0S2" in tree._pending
        for _ in range(per_section):
            await pilot.press("1", "j")
        assert tree.current_item == "I0-1-0"  # down went on into the next section
        await pilot.pause()
        assert "P0S2" not in tree._pending  # and the one after it opened
        top = tree.scroll_offset.y
        for _ in range(per_section):  # `]` down the section's unanswered items
            await pilot.press("right_square_bracket")
            if tree.scroll_offset.y != top:
                break
        assert tree.scroll_offset.y > top
        line = tree.cursor_node._line if tree.cursor_node is not None else -1
        # Past the bottom edge the view moved a page, not a line: the item is near the top.
        assert line - tree.scroll_offset.y == CONTEXT
        await pilot.press("slash", *"I3-9-", "enter")
        await pilot.press("right_square_bracket")
        assert tree.current_item is not None and tree.current_item.startswith("I3-9-")


def test_help_of_the_cli_does_not_load_textual() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from decalogue.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'explore' in out.getvalue() and 'open' in out.getvalue()\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_open_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "decalogue", "open", str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
        check=False,
        env={"DECALOGUE_WORKSPACE": str(tmp_path / "ws"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().endswith("none.json: no such file")
    assert "Traceback" not in result.stderr


async def test_dashboard_shows_carried_answers_and_readiness_and_c_confirms(
    make_app: AppFactory, workspace: Path, checklist: Checklist, scored_file: Path
) -> None:
    previous = store.read(scored_file).assessment
    carried = carry_forward(previous, checklist, None, by="Tester")
    path = store.create(workspace / "XX-2026.json", carried).path
    app = make_app(open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert screen.session is not None
        await pilot.press("d")
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        title = str(app.screen.query_one("#dashboard-title").visual)  # type: ignore[attr-defined]
        assert title.endswith("· 2026 · Draft")
        assert any(
            line.startswith("↻ 4 answers carried forward from 2025, not yet reviewed")
            # PR-04 is N/A: not in the score, so 3 of the 3 levels the score rests on
            and ": 3 of the 3 scored answers behind the overall score" in line
            for line in lines
        )
        assert "Ready for final? not yet" in lines
        assert any(line.startswith("✗ 4 items carried forward from 2025") for line in lines)
        assert any(line.startswith("✗ 1 item flagged for review: PR-02") for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        screen.checklist_tree.select_item("PR-01")
        await pilot.press("c")
        await pilot.pause()
        assert not screen.session.assessment.responses["PR-01"].carried
        assert screen.session.assessment.responses["JU-02"].carried
        await pilot.press("c")  # no longer carried: says so, changes nothing
        await pilot.pause()
        assert screen.session.assessment.history[-1].field == "carried"
        assert screen.session.assessment.carried_items() == ["JU-02", "PR-02", "PR-04"]
