"""`decalogue fill` and `show`: driven through a pipe and through a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decalogue.model.assessment import Evidence, new_assessment
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

ESCAPE = re.compile(rb"\x1b")


@pytest.fixture
def assessment_file(tmp_path: Path) -> Path:
    checklist = load_checklist()
    path = tmp_path / "XX-2025.json"
    store.create(path, new_assessment(checklist, "XX", "2025", country_name="Exampleland"))
    return path


def run(
    *args: str, stdin: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "DECALOGUE_USER": "Ana Example", **(env or {})},
    )


def filling(path: Path) -> subprocess.Popen[bytes]:
    """`decalogue fill PATH` as Ana Example, its input and output pipes to the test."""
    process = subprocess.Popen(
        [sys.executable, "-m", "decalogue", "fill", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "DECALOGUE_USER": "Ana Example"},
    )
    assert process.stdin is not None and process.stdout is not None
    return process


def responses(path: Path) -> dict[str, object]:
    return {k: v.model_dump() for k, v in store.read(path).assessment.responses.items()}


def test_answers_na_notes_flag_skip_back_and_quit_land_in_the_file(assessment_file: Path) -> None:
    script = "3\nn\nNo shelters exist\ne\nFirst line\nsecond line\n.\nf\nt\n4\ns\nb\nq\n"
    done = run("fill", str(assessment_file), stdin=script)
    assert done.returncode == 0, done.stderr
    saved = store.read(assessment_file).assessment.responses
    assert saved["LF-01"].level == 3
    assert saved["LF-02"].not_applicable and saved["LF-02"].na_reason == "No shelters exist"
    assert saved["LF-03"].notes == "First line\nsecond line"
    assert saved["LF-03"].flagged
    assert saved["LF-03"].target == 4
    assert "LF-04" not in saved  # skipped, then went back to LF-03 and quit
    out = done.stdout.decode("utf-8")
    assert "Item 1 of " in out and "Question: " in out
    assert "Saved. LF-01 Answer: 3 Substantial." in out
    assert out.count("\nLF-03: ") == 2  # shown again after `b`
    history = store.read(assessment_file).assessment.history
    assert {change.by for change in history if change.item} == {"Ana Example"}


def test_plain_output_has_no_escape_sequences_unless_asked(assessment_file: Path) -> None:
    plain = run("fill", str(assessment_file), stdin="2\nq\n")
    assert not ESCAPE.search(plain.stdout)
    coloured = run("fill", str(assessment_file), "--color", stdin="q\n")
    assert ESCAPE.search(coloured.stdout)
    refused = run("fill", str(assessment_file), "--color", stdin="q\n", env={"NO_COLOR": "1"})
    assert not ESCAPE.search(refused.stdout)


def test_a_second_run_resumes_at_the_first_unanswered_item(assessment_file: Path) -> None:
    run("fill", str(assessment_file), stdin="1\n2\nq\n")
    again = run("fill", str(assessment_file), stdin="q\n").stdout.decode("utf-8")
    first_item = again.split("\n\n", 1)[1]
    assert first_item.startswith("Item 3 of ")


def test_end_of_input_saves_and_a_bad_choice_is_explained(assessment_file: Path) -> None:
    done = run("fill", str(assessment_file), "--item", "LF-02", stdin="x\n9\n1")
    out = done.stdout.decode("utf-8")
    assert "Not a choice: 'x'" in out
    assert "Not changed: LF-02: level 9 is not on the scale" in out
    assert store.read(assessment_file).assessment.responses["LF-02"].level == 1


def test_a_superscript_digit_is_not_a_choice_not_a_crash(assessment_file: Path) -> None:
    """AltGr+2 types ² on many keyboards: str.isdigit says yes, int() says no."""
    done = run("fill", str(assessment_file), "--item", "LF-02", stdin="²\nt\n³\n1")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0 and b"unexpected error" not in done.stderr, done.stderr
    assert "Not a choice: '²'" in out and "Not a level: '³'" in out
    assert store.read(assessment_file).assessment.responses["LF-02"].level == 1


def test_unanswered_and_section_choose_what_to_walk(assessment_file: Path) -> None:
    run("fill", str(assessment_file), stdin="1\nq\n")
    done = run("fill", str(assessment_file), "--unanswered", "--section", "LF-A", stdin="q\n")
    out = done.stdout.decode("utf-8")
    assert "LF-01: " not in out and "LF-02: " in out


def test_show_reads_an_item_and_the_summary_in_words(assessment_file: Path) -> None:
    run("fill", str(assessment_file), stdin="3\nq\n")
    item = run("show", str(assessment_file), "LF-01", stdin="").stdout.decode("utf-8")
    assert "Answer: 3 Substantial." in item and "Target: not set." in item
    summary = run("show", str(assessment_file), stdin="").stdout.decode("utf-8")
    assert "1 of " in summary and "percent coverage" in summary
    assert "Left to do: " in summary
    missing = run("show", str(assessment_file), "NOPE-1", stdin="")
    assert missing.returncode == 1 and b"no item 'NOPE-1'" in missing.stderr


def test_an_item_id_typed_in_lower_case_is_the_item(assessment_file: Path) -> None:
    """Ids are typed by people: 'lf-02' is LF-02 for show and fill --item."""
    run("fill", str(assessment_file), "--item", "lf-02", stdin="2\nq\n")
    assert store.read(assessment_file).assessment.responses["LF-02"].level == 2
    item = run("show", str(assessment_file), "lf-02", stdin="")
    assert item.returncode == 0, item.stderr
    assert "LF-02" in item.stdout.decode() and "Answer: 2 Partial." in item.stdout.decode()


def _read_until(fd: int, needle: bytes, timeout: float = 60.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{needle!r} never came; got {seen[-500:]!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_fill_in_a_terminal_answers_and_quits(assessment_file: Path) -> None:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "decalogue", "fill", str(assessment_file)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "DECALOGUE_USER": "Ana Example", "TERM": "xterm-256color"},
        close_fds=True,
    )
    os.close(follower)
    try:
        screen = _read_until(leader, b"answer (0-4")
        assert not ESCAPE.search(screen)
        os.write(leader, b"2\n")
        _read_until(leader, b"LF-02 answer")
        os.write(leader, b"q\n")
        _read_until(leader, b"Saved ")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert store.read(assessment_file).assessment.responses["LF-01"].level == 2


def test_fill_merges_with_a_colleague_who_saves_meanwhile(assessment_file: Path) -> None:
    process = filling(assessment_file)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"3\n")
    process.stdin.flush()
    while b"Saved. LF-01" not in process.stdout.readline():
        pass
    colleague = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from decalogue.session import Session; "
            "from decalogue.model.assessment import Answer; "
            "s = Session.open(Path(sys.argv[1]), user='Ben Example'); "
            "s.set_answer('LF-05', Answer(level=1)); s.save()",
            str(assessment_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert colleague.returncode == 0, colleague.stderr
    out, _ = process.communicate(b"2\nq\n", timeout=120)
    assert process.returncode == 0
    assert b"Taken in: Ben Example changed LF-05 answer." in out
    saved = store.read(assessment_file).assessment.responses
    assert (saved["LF-01"].level, saved["LF-02"].level, saved["LF-05"].level) == (3, 2, 1)


def test_a_note_typed_while_a_colleague_saved_one_is_added_to_theirs(assessment_file: Path) -> None:
    """`e` adds to the note as it is when the note is kept, not as it was when shown."""
    process = filling(assessment_file)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"e\nMy line.\n")
    process.stdin.flush()
    while b"end it with a line with a single dot" not in process.stdout.readline():
        pass
    theirs = store.read(assessment_file)
    theirs.assessment.apply("LF-01", "notes", "Their line.", "Ben Example")
    theirs.assessment.apply("LF-01", "evidence", [Evidence(description="Their law")], "Ben Example")
    store.save(assessment_file, theirs.assessment, theirs.fingerprint)
    out, _ = process.communicate(b".\nv\nMy decree\n\nq\n", timeout=120)
    assert process.returncode == 0
    assert b"Conflict" not in out
    saved = store.read(assessment_file).assessment.responses["LF-01"]
    assert saved.notes == "Their line.\n\nMy line."
    assert [e.description for e in saved.evidence] == ["Their law", "My decree"]
