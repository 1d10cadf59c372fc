"""Two programs editing the same assessment: neither overwrites the other silently.

Each writer is a real process (a Python driver around `Session`) controlled
line by line over a pipe, so the test decides who saves when. The race test
lets two processes save as fast as they can; every change either of them made
must be in the final file's history.
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
from decalogue.storage import store
from decalogue.errors import DecalogueError
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
        elif command == "save":
            result = "saved" if session.save(overwrite=argument == "overwrite") else "clean"
        elif command == "reload":
            session.reload()
            result = "ok"
        elif command == "race":
            # Save `argument` edits as fast as possible; on a conflict take the other
            # version and apply the edit again, as a user choosing "reload" would.
            who, count = argument.split()
            conflicts = 0
            for n in range(int(count)):
                time.sleep(random.uniform(0, 0.04))  # a person between two saves
                session.set_field("LF-0" + ("1" if who == "A" else "2"), "notes", f"{who} {n}")
                while True:
                    try:
                        session.save()
                        break
                    except store.ConflictError:
                        conflicts += 1
                        session.reload()
                        session.set_field(
                            "LF-0" + ("1" if who == "A" else "2"), "notes", f"{who} {n}"
                        )
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


def test_the_second_save_is_refused_and_says_what_to_do(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, b = writers
    assert a.do("open Alice") == b.do("open Bob") == "ok"
    assert a.do("note LF-01 Alice's note") == "ok"
    assert b.do("note LF-02 Bob's note") == "ok"
    assert a.do("save") == "saved"
    after_alice = path.read_bytes()
    refused = b.do("save")
    assert refused.startswith("ConflictError: ")
    assert path.name in refused
    assert "changed on disk" in refused and "nothing was written" in refused
    assert "reload" in refused and "overwrite" in refused
    assert path.read_bytes() == after_alice
    # Bob's edits are still his to keep: a second attempt is refused again, not lost.
    assert b.do("save").startswith("ConflictError: ")
    # Choice 1: take Alice's version (Bob's unsaved note is dropped by his choice).
    assert b.do("reload") == "ok"
    assert b.do("note LF-02 Bob again") == "ok"
    assert b.do("save") == "saved"
    assert (notes(path, "LF-01"), notes(path, "LF-02")) == ("Alice's note", "Bob again")


def test_overwriting_keeps_the_other_version_as_the_backup(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, b = writers
    assert a.do("open Alice") == b.do("open Bob") == "ok"
    a.do("note LF-01 Alice's note")
    b.do("note LF-02 Bob's note")
    assert a.do("save") == "saved"
    assert b.do("save").startswith("ConflictError")
    assert b.do("save overwrite") == "saved"
    assert (notes(path, "LF-01"), notes(path, "LF-02")) == ("", "Bob's note")
    backup = store.backup_path(path)
    assert notes(backup, "LF-01") == "Alice's note"
    # Alice now holds a stale version: her next save is refused in turn.
    a.do("note LF-01 Alice, later")
    assert a.do("save").startswith("ConflictError")


def test_a_file_broken_by_another_program_is_never_overwritten(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, _ = writers
    assert a.do("open Alice") == "ok"
    a.do("note LF-01 Alice's note")
    path.write_text('{"schema_version": 1, "half a file from a text editor')
    broken = path.read_bytes()
    assert a.do("save").startswith("ConflictError")
    refused = a.do("save overwrite")
    assert refused.startswith("AssessmentError") and path.name in refused
    assert path.read_bytes() == broken


def test_a_file_deleted_meanwhile_is_written_again(
    path: Path, writers: tuple[Writer, Writer]
) -> None:
    a, _ = writers
    assert a.do("open Alice") == "ok"
    a.do("note LF-01 the only copy left")
    path.unlink()
    assert a.do("save") == "saved"
    assert notes(path, "LF-01") == "the only copy left"


def test_a_new_file_never_replaces_an_existing_one(path: Path) -> None:
    before = path.read_bytes()
    other = new_assessment(load_checklist(None), "XX", "2025", country_name="Exampleland")
    with pytest.raises(store.ConflictError, match="already exists"):
        store.create(path, other)
    assert path.read_bytes() == before


def test_racing_writers_lose_no_change(path: Path, writers: tuple[Writer, Writer]) -> None:
    a, b = writers
    assert a.do("open A") == b.do("open B") == "ok"
    rounds = 40
    a.send(f"race A {rounds}")
    b.send(f"race B {rounds}")
    results = [a.answer(), b.answer()]
    assert all(r.startswith("raced") for r in results), results
    conflicts = sum(int(r.split()[1]) for r in results)
    print(f"\ntwo writers: {rounds} saves each, {conflicts} conflicts resolved by reloading")
    history = json.loads(path.read_bytes())["history"]
    for who, item in (("A", "LF-01"), ("B", "LF-02")):
        values = [h["new"] for h in history if h["item"] == item]
        assert values == [f"{who} {n}" for n in range(rounds)], (who, values)
    assert notes(path, "LF-01") == f"A {rounds - 1}"
    assert notes(path, "LF-02") == f"B {rounds - 1}"


def test_the_session_reports_a_conflict_in_process_too(path: Path) -> None:
    """The TUI's own path: two sessions in one program behave like two programs."""
    first, second = Session.open(path), Session.open(path)
    first.set_field("LF-01", "notes", "first")
    second.set_field("LF-01", "notes", "second")
    assert first.save()
    with pytest.raises(store.ConflictError):
        second.save()
    assert second.dirty
    assert notes(path, "LF-01") == "first"
    path.write_text("{}")
    with pytest.raises(AssessmentError):
        second.save(overwrite=True)
    assert path.read_text() == "{}"
