"""Real windows on one file: two `decalogue open` processes, each in its own pty.

Two people scoring different items both keep their answers, without a dialog;
a terminal closed in the middle of a conflict keeps both answers; an open
window takes in a CLI import within seconds and says who changed what.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from pathlib import Path

from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.tui.pty_app import drain, new_file, read_until, running, wait_until_shown

ITEMS = [item.id for item in load_checklist().items]
GENEROUS = 60


def answer_values(path: Path, item_id: str) -> set[object]:
    """Every value the file's history gave the item's answer."""
    history = store.read(path).assessment.history
    return {
        value
        for change in history
        if change.item == item_id and change.field == "answer"
        for value in (change.old, change.new)
    }


def test_two_windows_scoring_different_items_keep_both_without_a_dialog(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with (
        running(path, workspace, user="A. Official") as first,
        running(path, workspace, user="B. Focal") as second,
    ):
        wait_until_shown(first)
        wait_until_shown(second)
        first.type(b"3")  # the first item
        second.type(b"j2")  # the second item
        screens = b""
        deadline = time.monotonic() + 8  # a few autosaves and polls of both
        while time.monotonic() < deadline:
            time.sleep(0.2)
            for window in (first, second):
                screens += drain(window.leader)
        first.type(b"\x11")
        second.type(b"\x11")
        first.wait(timeout=GENEROUS)
        second.wait(timeout=GENEROUS)
    responses = store.read(path).assessment.responses
    assert (responses[ITEMS[0]].level, responses[ITEMS[1]].level) == (3, 2)
    assert b"Conflict 1 of" not in screens


def test_a_terminal_closed_during_a_conflict_keeps_both_answers(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    with (
        running(path, workspace, user="A. Official", controlling=True) as first,
        running(path, workspace, user="B. Focal", controlling=True) as second,
    ):
        wait_until_shown(first)
        wait_until_shown(second)
        second.type(b"1")  # the same item, differently, before either is saved
        first.type(b"3")
        time.sleep(4)  # both save; whoever saves second meets the conflict
        drain(first.leader)
        drain(second.leader)
        first.close_terminal()
        second.close_terminal()
        first.wait(timeout=GENEROUS)
        second.wait(timeout=GENEROUS)
    assert store.read(path).assessment.responses[ITEMS[0]].level in {1, 3}
    assert {1, 3} <= answer_values(path, ITEMS[0])  # neither answer is dropped
    remarks = [c.remark or "" for c in store.read(path).assessment.history]
    assert any(remark.startswith("conflict") for remark in remarks), remarks


def test_an_open_window_takes_in_a_cli_import_within_seconds(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    path = new_file(workspace)
    command = [sys.executable, "-m", "decalogue"]
    exported = subprocess.run(
        [*command, "export", str(path), "--format", "csv"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    rows[2]["level"] = "4"
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with running(path, workspace) as window:
        wait_until_shown(window)
        subprocess.run(
            [*command, "import", str(path), "--csv", str(edited), "--by", "C. Importer"],
            check=True,
            capture_output=True,
        )
        read_until(window.leader, b"C. Importer changed", timeout=20)
        window.type(b"\x11")
        window.wait(timeout=GENEROUS)
    assert store.read(path).assessment.responses[ITEMS[2]].level == 4
