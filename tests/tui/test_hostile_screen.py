"""Hostile text on screen: markup and control characters are shown, never obeyed.

Notes, findings, evidence and N/A reasons typed (or pasted) by a user, and the
titles and questions of a checklist written by someone else, hold Rich/Textual
markup (`[bold]`, `[link=...]`, `[@click=app.quit]`), ANSI escape sequences and
other terminal control characters. The screen must show the brackets as typed,
make nothing bold, clickable or linked because of them, and keep control
characters from reaching the terminal. A snapshot shows the screen; the Pilot
tests read the rendered cells and click where the fake action is drawn.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rich.cells import cell_len
from textual.pilot import Pilot
from textual.strip import Strip

from decalogue.model.assessment import Answer, Evidence
from decalogue.model.checklist import Checklist
from decalogue.storage.checklists import load_checklist
from decalogue.tui.app import DecalogueApp
from tests.helpers import open_assess, plain, settle, tree_line
from tests.tui.conftest import CHECKLIST, AppFactory, write_assessment

SIZE = (120, 40)
MARKUP = "[bold]not bold[/bold] [link=https://evil.example]no link[/link] [@click=app.quit]QUIT[/]"
CONTROLS = "red:\x1b[31mRED\x1b[0m title:\x1b]0;pwned\x07 bell:\x07 back:\x08 cr:\rCR"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_file(workspace: Path, checklist: Checklist, *, controls: bool = True) -> Path:
    return write_assessment(
        workspace,
        checklist,
        answers={
            "PR-01": Answer(level=2),
            "PR-04": Answer(na_reason="[italic]N/A[/italic] [@click=app.quit]QUIT[/]"),
        },
        fields={
            "PR-01": {
                "notes": f"{MARKUP}\n{CONTROLS}" if controls else MARKUP,
                "finding": "[reverse]finding[/reverse] [@click=app.bell]BELL[/]",
                "evidence": [
                    Evidence(
                        description="[b]decree[/b]" + (" \x1b[5mblink" if controls else ""),
                        link="[link=https://evil.example]x[/link]",
                        document="[@click=app.quit]doc[/]",
                    )
                ],
            }
        },
    )


def hostile_checklist(folder: Path) -> Path:
    """The TUI test checklist with markup and escapes in an item's title and question."""
    shutil.copy(CHECKLIST.with_name("source.txt"), folder / "source.txt")
    text = CHECKLIST.read_text(encoding="utf-8")
    text = text.replace(
        'title = "Shelter"', 'title = "[bold]Shelter[/bold] [@click=app.quit]QUIT[/]"', 1
    )
    text = text.replace(
        'question = "Do all identified victims have access to shelter?"',
        'question = "[link=https://evil.example]Access?[/link] \\u001b[31mred\\u001b[0m"',
        1,
    )
    path = folder / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def screen_lines(app: DecalogueApp) -> list[Strip]:
    return app.screen._compositor.render_strips()


def screen_text(app: DecalogueApp) -> str:
    return "\n".join(strip.text for strip in screen_lines(app))


def find(app: DecalogueApp, needle: str) -> tuple[int, int]:
    """The cell (x, y) where `needle` is drawn."""
    for y, strip in enumerate(screen_lines(app)):
        line = strip.text
        if needle in line:
            return cell_len(line[: line.index(needle)]), y
    raise AssertionError(f"{needle!r} is not on screen:\n{screen_text(app)}")


def obeyed_markup(app: DecalogueApp) -> list[str]:
    """Cells whose style came from user markup: an action to quit, a link to evil.example."""
    width, height = app.size
    found = []
    for y in range(height):
        for x in range(width):
            style = app.screen.get_style_at(x, y)
            click = str(style.meta.get("@click", ""))
            if "quit" in click or "bell" in click or "evil.example" in (style.link or ""):
                found.append(f"({x},{y}) {click or style.link}")
    return found


async def test_notes_show_markup_literally_and_its_action_does_nothing(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=hostile_file(workspace, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert screen.checklist_tree.current_item == "PR-01"
        detail = plain(screen)
        assert "[bold]not bold[/bold]" in detail
        assert "[@click=app.quit]QUIT[/]" in detail
        assert "[link=https://evil.example]no link[/link]" in detail
        assert "[bold]not bold[/bold]" in screen_text(app)
        assert obeyed_markup(app) == []
        x, y = find(app, "QUIT[/]")
        await pilot.click(offset=(x + 1, y))
        await settle(pilot)
        assert app.is_running
        assert app.screen is screen
        # The N/A reason of another item, shown the same way.
        screen.checklist_tree.focus()  # the click focused the detail pane
        await pilot.press("j", "j", "j")
        assert screen.checklist_tree.current_item == "PR-04"
        assert "[italic]N/A[/italic] [@click=app.quit]QUIT[/]" in plain(screen)
        assert obeyed_markup(app) == []


async def test_checklist_text_shows_markup_literally(
    make_app: AppFactory, workspace: Path, tmp_path: Path
) -> None:
    path = hostile_checklist(tmp_path)
    checklist = load_checklist(path)
    app = make_app(
        open_path=write_assessment(workspace, checklist), checklist=path, checklists=[path]
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        assert "[bold]Shelter[/bold] [@click=app.quit]QUIT[/]" in tree_line(screen, "PR-01")
        assert "[link=https://evil.example]Access?[/link]" in plain(screen)
        assert "[bold]Shelter[/bold]" in screen_text(app)
        assert obeyed_markup(app) == []
        x, y = find(app, "QUIT[/]")
        await pilot.click(offset=(x + 1, y))
        await settle(pilot)
        assert app.is_running


async def test_no_control_character_reaches_the_terminal(
    make_app: AppFactory, workspace: Path, tmp_path: Path
) -> None:
    path = hostile_checklist(tmp_path)
    checklist = load_checklist(path)
    app = make_app(open_path=hostile_file(workspace, checklist), checklist=path, checklists=[path])
    async with app.run_test(size=SIZE) as pilot:
        await open_assess(pilot)
        shown = "".join(segment.text for strip in screen_lines(app) for segment in strip)
        assert "RED" in shown and "red" in shown
        found = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(shown)})
        assert found == [], f"sent to the terminal: {found}"


async def test_the_notes_editor_shows_markup_as_typed(
    make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    from textual.widgets import TextArea

    app = make_app(open_path=hostile_file(workspace, checklist))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_assess(pilot)
        await pilot.press("e")
        await settle(pilot)
        editors = list(app.screen.query(TextArea))
        assert editors, "e opens the notes editor"
        assert editors[0].text.startswith(MARKUP)
        assert "[bold]not bold[/bold]" in screen_text(app)
        assert obeyed_markup(app) == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
        assert screen.session is not None


def test_snapshot_of_hostile_notes(
    snap_compare: object, make_app: AppFactory, workspace: Path, checklist: Checklist
) -> None:
    app = make_app(open_path=hostile_file(workspace, checklist, controls=False))

    async def run_before(pilot: Pilot[None]) -> None:
        await open_assess(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)  # type: ignore[operator]
