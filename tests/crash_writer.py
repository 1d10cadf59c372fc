"""A process that saves an assessment in a loop, for tests/test_crash_safety.py to kill.

Run as `python tests/crash_writer.py FILE`. It loads decalogue once and then
waits for commands on stdin, one per line:

- `run`: fork a writer child that opens FILE in a Session and saves forever, each
  save a complete new version N (level, notes, flag and a note of varying length
  all derived from N). The child writes `pid P` first, then `start N` before and
  `done N` after each save, with single `os.write` calls (atomic on a pipe).
- `reap`: wait for the child (which the test has SIGKILLed) and print `reaped`.
- `quit`: exit.

Forking from an already-loaded process lets a test kill hundreds of real writer
processes in seconds; each child is an ordinary process, killed by the kernel.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from decalogue.model.assessment import Answer
from decalogue.model.checklist import Checklist
from decalogue.session import Session
from decalogue.storage.checklists import load_checklist

FIRST, SECOND = "LF-01", "LF-02"


def version_of(notes: str) -> int:
    """The save number a version's notes record (0 for a file never saved by the writer)."""
    return int(notes.split()[1]) if notes.startswith("save ") else 0


def expected(n: int, top: int) -> dict[str, object]:
    """What version `n` holds; the test checks a file against it."""
    return {
        "level": n % (top + 1),
        "notes": f"save {n}",
        "second_notes": f"save {n} " + "x" * (n % 7) * 2_000,
        "flagged": n % 2 == 1,
    }


def _emit(line: str) -> None:
    os.write(1, (line + "\n").encode())


def _write_forever(path: Path, checklist: Checklist) -> None:
    _emit(f"pid {os.getpid()}")
    session = Session.open(path, checklist, user="crash-writer")
    response = session.assessment.responses.get(FIRST)
    n = version_of(response.notes) if response else 0
    top = checklist.scale.max_level
    while True:
        n += 1
        want = expected(n, top)
        session.set_answer(FIRST, Answer(level=int(str(want["level"]))))
        session.set_field(FIRST, "notes", want["notes"])
        session.set_field(SECOND, "notes", want["second_notes"])
        session.set_field(SECOND, "flagged", want["flagged"])
        _emit(f"start {n}")
        session.save()
        _emit(f"done {n}")


def main() -> int:
    path = Path(sys.argv[1])
    checklist = load_checklist(None)
    child = 0
    for line in sys.stdin:
        command = line.strip()
        if command == "run":
            child = os.fork()
            if child == 0:
                try:
                    _write_forever(path, checklist)
                except BaseException as error:  # shown to the test, which fails on it
                    _emit(f"error {type(error).__name__}: {error}")
                finally:
                    os._exit(3)
        elif command == "reap":
            os.waitpid(child, 0)
            _emit("reaped")
        elif command == "quit":
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
