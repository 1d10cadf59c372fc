"""Helpers shared by test files: one copy each, imported from here, never from a test file."""

from __future__ import annotations

import csv
import io
import os
import re
import select
import subprocess
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Static

from decalogue.model.assessment import Answer, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.reports.csv_io import render_csv
from decalogue.session import Session
from decalogue.storage import store
from decalogue.tui.screens.assess import AssessScreen
from decalogue.tui.screens.browse import ChecklistScreen
from decalogue.tui.screens.new import NewAssessmentScreen
from decalogue.tui.screens.presenter import PresenterScreen
from decalogue.tui.screens.workshop import WorkshopScreen
from tests.tui.conftest import FIXED


def run_in_terminal(command: Sequence[str], timeout: float = 30) -> tuple[int, str]:
    """Run `command` with a pseudo-terminal as stdout and stderr: (exit code, what it showed).

    The terminal's own CR before each LF is taken out; every other byte is as sent.
    """
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    output = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], timeout)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed (EIO on Linux)
                break
            if not chunk:
                break
            output += chunk
    finally:
        process.wait(timeout=60)
        os.close(leader)
    return process.returncode, re.sub(r"\r+\n", "\n", output.decode("utf-8", "replace"))


SIZE = (120, 40)
#: The two terminal sizes every screen's snapshot is taken at.
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def big_checklist(folder: Path, per_section: int) -> Path:
    """A fictional checklist of 4 pillars x 10 sections x `per_section` items, as TOML."""
    lines = [
        '[meta]\nid = "big"\ntitle = "Big"\nversion = "1"\n',
        '[[scale.levels]]\nvalue = 0\nlabel = "No"\n[[scale.levels]]\nvalue = 1\nlabel = "Yes"\n',
    ]
    for p in range(4):
        lines.append(f'[[pillars]]\nid = "P{p}"\ntitle = "Pillar {p}"\n')
        for s in range(10):
            lines.append(f'[[pillars.sections]]\nid = "P{p}S{s}"\ntitle = "Section {s}"\n')
            for i in range(per_section):
                lines.append(
                    f'[[pillars.sections.items]]\nid = "I{p}-{s}-{i}"\ntitle = "Item {i}"\n'
                    'question = "Q?"\n'
                )
    toml = folder / "big.toml"
    toml.write_text("".join(lines), encoding="utf-8")
    return toml


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish, and the workers their messages start (a delete, then a re-list)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_assess(pilot: Pilot[Any]) -> AssessScreen:
    """Wait until the assessment given with open_path is on screen."""
    for _ in range(50):
        await settle(pilot)
        if isinstance(pilot.app.screen, AssessScreen):
            return pilot.app.screen
    raise AssertionError(f"assess screen not shown; screen is {pilot.app.screen}")


async def open_new_form(pilot: Pilot[Any]) -> NewAssessmentScreen:
    """From the home screen, `n`: the new-assessment form, on top."""
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, NewAssessmentScreen)
    return form


def plain(screen: ChecklistScreen) -> str:
    return str(screen.detail._body.visual)


def label_text(label: str | Text) -> str:
    """A tree node's label as plain text."""
    return label.plain if isinstance(label, Text) else label


def tree_line(screen: ChecklistScreen, item_id: str) -> str:
    return label_text(screen.checklist_tree._items[item_id].label)


def on_top(app: App[Any]) -> object:
    """The screen shown now, read afresh (a key press may have changed it since the last look).

    Typed `object`, so `on_top(app) is screen` leaves what mypy knows of `screen` as it was.
    """
    return app.screen


def focused(app: App[Any]) -> Widget | None:
    """The focused widget, read afresh (a key press may have moved the focus)."""
    return app.focused


def status(screen: ChecklistScreen) -> str:
    return str(screen.status.visual)


def run(
    *args: str | Path, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`decalogue ARGS` as a user runs it (a new process), its output as text."""
    result = subprocess.run(
        [sys.executable, "-m", "decalogue", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=None if env is None else dict(env),
        check=False,
        timeout=60,
    )
    assert "Traceback" not in result.stderr
    return result


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DECALOGUE_WORKSPACE": str(cwd / "workspace")}
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *map(str, args)],
        capture_output=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    assert b"Traceback" not in result.stdout


async def home_rows(pilot: Pilot[Any]) -> list[list[str]]:
    """The home screen's table, row by row, as plain text."""
    await settle(pilot)
    table = pilot.app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


#: pytest-textual-snapshot's `snap_compare` fixture.
Compare = Callable[..., bool]


def steps(*keys: str, assess: bool = False) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Wait for the workers (and the assess screen), press keys, drop the toasts."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if assess:
            await open_assess(pilot)
        pilot.app.clear_notifications()
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


def edited_csv(file: Path, checklist: Checklist, folder: Path, levels: dict[str, str]) -> Path:
    """The file's CSV export with some levels changed, as a user would edit it."""
    session = Session.open(file, checklist, "Tester")
    text = render_csv(session.checklist, session.assessment, session.board)
    rows = list(csv.reader(io.StringIO(text)))
    level = rows[0].index("level")
    for row in rows[1:]:
        if row and row[0] in levels:
            row[level] = levels[row[0]]
    edited = folder / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return edited


#: Each group's answers: a level, or a string (N/A with that reason).
GROUPS: dict[str, dict[str, int | str]] = {
    "Group A": {"PR-01": 3, "PR-02": 1, "PR-03": 2, "PR-04": "No survey is planned.", "JU-01": 2,
                "JU-02": 4},
    "Group B": {"PR-01": 3, "PR-02": 4, "PR-03": 2, "PR-04": "Not this period.", "JU-01": 1,
                "JU-02": 3},
    "Group C": {"PR-01": 2, "PR-02": 2, "PR-03": 3, "PR-04": 1, "JU-01": 2},
}  # fmt: skip
NOTES = {
    "Group A": {"PR-02": "Care depends on co-operation with the police [bold]really[/]."},
    "Group B": {"PR-02": "The law grants care to all identified victims."},
    "Group C": {"PR-04": "A pilot survey ran in one region."},
}


def write_groups(folder: Path, checklist: Checklist) -> list[Path]:
    """The three group files, with fixed timestamps, as `<letter>.json`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, answers in GROUPS.items():
        assessment = new_assessment(
            checklist, "XX", "2025", country_name="Exampleland", assessor=name, title=name
        )
        assessment.created = assessment.updated = FIXED
        for item_id, value in answers.items():
            answer = Answer(level=value) if isinstance(value, int) else Answer(na_reason=value)
            assessment.apply(item_id, "answer", answer, name, at=FIXED)
        for item_id, note in NOTES.get(name, {}).items():
            assessment.apply(item_id, "notes", note, name, at=FIXED)
        path = folder / f"{name[-1].lower()}.json"
        store.create(path, assessment)
        paths.append(path)
    return paths


async def open_workshop(pilot: Pilot[Any], paths: list[Path]) -> WorkshopScreen:
    await settle(pilot)
    screen = WorkshopScreen(paths)
    await pilot.app.push_screen(screen)
    for _ in range(50):
        await settle(pilot)
        if screen.workshop is not None or not screen.query_one(DataTable).display:
            return screen
    raise AssertionError("the workshop did not load")


def row(screen: WorkshopScreen, item_id: str) -> list[str]:
    return [
        str(getattr(cell, "plain", cell)) for cell in screen.query_one(DataTable).get_row(item_id)
    ]


def shown(screen: WorkshopScreen | PresenterScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).visual)


async def go_to(pilot: Pilot[Any], screen: WorkshopScreen, item_id: str) -> None:
    assert screen.workshop is not None
    ids = [item.item_id for item in screen.workshop.ranking]
    screen.query_one(DataTable).move_cursor(row=ids.index(item_id))
    await pilot.pause()


def notes_of(app: App[Any]) -> list[str]:
    """Every message the app shows from now on (kept, though a notice fades)."""
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(message)
        shown(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return said
