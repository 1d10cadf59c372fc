"""Two programs editing the same assessment: every save merges, nothing is lost.

Each writer is a real process (a Python driver around `Session`) controlled
line by line over a pipe, so the test decides who saves when. The race test
lets two processes save as fast as they can; every change either of them made
must be in the final file and its history, with no conflict (different items).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from decalogue.errors import AssessmentError
from decalogue.model.assessment import new_assessment
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

DRIVER = r"""
import random
import sys
import time
from pathlib import Path
from decalogue.errors import DecalogueError
from decalogue.model.assessment import Answer
from decalogue.session import Session

path = Path(sys.argv[1])
session = None
for line in sys.stdin:
    command, _, argument = line.rstrip("\n").partition(" ")
    try:
        if command == "open":
            session = Session.open(path, user=argument)
            result = "ok"
        elif command == "note":
            item, _, text = argument.partition(" ")
            session.set_field(item, "notes", text)
            result = "ok"
        elif command == "score":
            item, _, level = argument.partition(" ")
            session.set_answer(item, Answer(level=int(level)))
            result = "ok"
        elif command == "save":
            saved = session.save()
            taken = ",".join(f"{c.item}:{c.field}:{c.by}" for c in saved.merged) or "-"
            conflicts = ",".join(f"{c.item_id}:{c.field}:{c.their_by}" for c in saved.conflicts)
            result = f"{'saved' if saved.saved else 'clean'} {taken} {conflicts or '-'}"
        elif command == "refresh":
            result = ",".join(f"{c.item}:{c.field}:{c.by}" for c in session.refresh()) or "-"
        elif command == "race":
            # Edit and save as fast as a person could, `count` times: every save merges.
            who, count, item = argument.split()
            conflicts = 0
            for n in range(int(count)):
                time.sleep(random.uniform(0, 0.04))  # a person between two saves
                session.set_field(item, "notes", f"{who} {n}")
                session.set_answer(item, Answer(level=n % 5))
                conflicts += len(session.save().conflicts)
            result = f"raced {conflicts}"
        elif command == "quit":
            break
        else:
            result = f"unknown {command}"
    except DecalogueError as error:
        result = f"{type(error).__name__}: {error}"
    print(result, flush=True)
"""


class Writer:
    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the writer process died"
        return line.rstrip("\n")

    def do(self, command: str) -> str:
        self.send(command)
        return self.answer()

    def close(self) -> None:
        try:
            self.send("quit")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    checklist = load_checklist(None)
    target = tmp_path / "XX-2025.json"
    store.create(target, new_assessment(checklist, "XX", "2025", country_name="Exampleland"))
    return target


@pytest.fixture
def writers(path: Path) -> Iterator[tuple[Writer, Writer]]:
    a, b = Writer(path), Writer(path)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def notes(path: Path, item: str) -> str:
    response = store.read(path).assessment.responses.get(item)
    return response.notes if response else ""


def test_two_writers_of_different_items_both_land_without_a_conflict(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, b = writers
    assert a.do("open Alice") == b.do("open Bob") == "ok"
    assert a.do("note LF-01 Alice's note") == "ok"
    assert a.do("score LF-01 3") == "ok"
    assert b.do("note LF-02 Bob's note") == "ok"
    assert b.do("score LF-02 1") == "ok"
    assert a.do("save") == "saved - -"
    # Bob saves a file Alice changed meanwhile: her answers are merged in, his are added.
    assert b.do("save") == "saved LF-01:answer:Alice,LF-01:notes:Alice -"
    assert (notes(path, "LF-01"), notes(path, "LF-02")) == ("Alice's note", "Bob's note")
    responses = store.read(path).assessment.responses
    assert (responses["LF-01"].level, responses["LF-02"].level) == (3, 1)
    # Alice's window takes Bob's answers in, saying who changed what.
    assert a.do("refresh") == "LF-02:answer:Bob,LF-02:notes:Bob"
    assert a.do("refresh") == "-"


def test_the_same_field_changed_twice_is_a_conflict_on_that_item_with_both_values_kept(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, b = writers
    assert a.do("open Alice") == b.do("open Bob") == "ok"
    a.do("score LF-01 3")
    b.do("score LF-01 1")
    b.do("score LF-02 2")
    assert a.do("save") == "saved - -"
    assert b.do("save") == "saved - LF-01:answer:Alice"
    saved = store.read(path).assessment
    assert saved.responses["LF-01"].level == 3  # theirs (Alice's) until someone chooses
    assert saved.responses["LF-02"].level == 2  # Bob's other answer is not held up
    entries = [(c.by, c.new) for c in saved.history if c.item == "LF-01"]
    assert entries[:2] == [("Alice", 3), ("Bob", 1)]  # both values in the history
    assert json.loads(path.read_bytes())["history"][-1]["remark"].startswith("conflict with Alice")


def test_a_file_broken_by_another_program_is_never_overwritten(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, _ = writers
    assert a.do("open Alice") == "ok"
    a.do("note LF-01 Alice's note")
    path.write_text('{"schema_version": 1, "half a file from a text editor')
    broken = path.read_bytes()
    refused = a.do("save")
    assert refused.startswith("AssessmentError") and path.name in refused
    assert path.read_bytes() == broken


def test_a_file_deleted_meanwhile_is_written_again(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, _ = writers
    assert a.do("open Alice") == "ok"
    a.do("note LF-01 the only copy left")
    path.unlink()
    assert a.do("save") == "saved - -"
    assert notes(path, "LF-01") == "the only copy left"


def test_a_new_file_never_replaces_an_existing_one(path: Path) -> None:
    before = path.read_bytes()
    other = new_assessment(load_checklist(None), "XX", "2025", country_name="Exampleland")
    with pytest.raises(store.ConflictError, match="already exists"):
        store.create(path, other)
    assert path.read_bytes() == before


def test_racing_writers_lose_no_change(path: Path, writers: tuple[Writer, Writer]) -> None:
    """Two processes scoring different items at the same time: every save lands."""
    a, b = writers
    assert a.do("open A") == b.do("open B") == "ok"
    rounds = 40
    a.send(f"race A {rounds} LF-01")
    b.send(f"race B {rounds} LF-02")
    results = [a.answer(), b.answer()]
    assert results == ["raced 0", "raced 0"]  # different items never conflict
    history = store.read(path).assessment.history
    for who, item in (("A", "LF-01"), ("B", "LF-02")):
        entries = [h for h in history if h.item == item]
        assert [h.field for h in entries] == ["notes", "answer"] * rounds, who
        assert {h.by for h in entries} == {who}
    responses = store.read(path).assessment.responses
    assert notes(path, "LF-01") == f"A {rounds - 1}"
    assert notes(path, "LF-02") == f"B {rounds - 1}"
    assert responses["LF-01"].level == responses["LF-02"].level == (rounds - 1) % 5


def test_the_session_merges_in_process_too(path: Path) -> None:
    """The TUI's own path: two sessions in one program behave like two programs."""
    first, second = Session.open(path, user="First"), Session.open(path, user="Second")
    first.set_field("LF-01", "notes", "first")
    second.set_field("LF-01", "notes", "second")
    assert first.save().saved
    result = second.save()
    assert [(c.item_id, c.mine, c.theirs) for c in result.conflicts] == [
        ("LF-01", "second", "first")
    ]
    assert not second.dirty and notes(path, "LF-01") == "first"
    path.write_text("{}")
    second.set_field("LF-02", "notes", "more")
    with pytest.raises(AssessmentError):
        second.save()
    assert path.read_text() == "{}"
    assert second.dirty
