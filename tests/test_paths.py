"""Paths users type: spaces, accents, emoji, `..`, missing folders, folders, pipes.

Every command runs as a real `decalogue` process in a scratch tree, and the
whole tree is compared before and after: an export or a new file appears
exactly where the path resolves and nowhere else, a refused command adds
nothing, and no temp file is left behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from decalogue.model.assessment import Answer, new_assessment
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist

ODD = "Rapports 2025 – Ünïcødé ✓ 📄"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under root (folders as None), by relative path."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        found[key] = None if path.is_dir() or not path.is_file() else path.read_bytes()
    return found


def added(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> set[str]:
    assert set(before) <= set(after), f"removed: {set(before) - set(after)}"
    return set(after) - set(before)


def decalogue(*args: str | Path, cwd: Path, workspace: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DECALOGUE_WORKSPACE": str(workspace)}
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,  # a hang (e.g. reading a pipe) fails the test instead of stalling it
        env=env,
        cwd=cwd,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """tmp/<ODD>/work/<assessment>, tmp/<ODD>/ws (workspace); commands run in work/."""
    root = tmp_path / ODD
    work = root / "work"
    work.mkdir(parents=True)
    (root / "ws").mkdir()
    checklist = load_checklist(None)
    path = work / "Exampleland 2025 – draft ✓.json"
    store.create(path, new_assessment(checklist, "XX", "2025", country_name="Exampleland"))
    session = Session.open(path, checklist)
    session.set_answer("LF-01", Answer(level=2))
    session.set_field("LF-01", "notes", "Note ✓ with spaces")
    session.save()
    return root


def assessment_in(root: Path) -> Path:
    return root / "work" / "Exampleland 2025 – draft ✓.json"


@pytest.mark.parametrize(
    ("output", "where"),
    [
        ("report – ✓ 2025.html", "work/report – ✓ 2025.html"),
        (f"../{ODD} out.md", f"{ODD} out.md"),
        ("./sub/../scorecard ü.json", "work/scorecard ü.json"),
        ("../ws/../work/items 📄.csv", "work/items 📄.csv"),
    ],
)
def test_an_export_lands_exactly_where_the_path_resolves(
    scratch: Path, output: str, where: str
) -> None:
    work = scratch / "work"
    if "sub/" in output:
        (work / "sub").mkdir()
    before = tree(scratch)
    result = decalogue(
        "export", assessment_in(scratch).name, "-o", output, cwd=work, workspace=scratch / "ws"
    )
    assert result.returncode == 0, result.stderr
    assert added(before, tree(scratch)) == {where}
    written = (scratch / where).read_text(encoding="utf-8")
    assert "LF-01" in written
    assert (work / output).resolve() == (scratch / where).resolve()


def test_an_absolute_output_path_with_odd_characters(scratch: Path, tmp_path: Path) -> None:
    target = tmp_path / "Ziel ordner ✓" / "bericht – 2025.md"
    target.parent.mkdir()
    before = tree(tmp_path)
    result = decalogue(
        "export", assessment_in(scratch), "-o", target, cwd=scratch, workspace=scratch / "ws"
    )
    assert result.returncode == 0, result.stderr
    assert added(before, tree(tmp_path)) == {target.relative_to(tmp_path).as_posix()}


def test_a_missing_folder_is_refused_unless_asked_for(scratch: Path) -> None:
    work = scratch / "work"
    before = tree(scratch)
    out = "nouveau dossier ✓/deeper/report.html"
    message = one_line_error(
        decalogue("export", assessment_in(scratch).name, "-o", out, cwd=work, workspace=work)
    )
    assert "does not exist" in message and "--parents" in message
    assert tree(scratch) == before
    created = decalogue(
        "export", assessment_in(scratch).name, "-o", out, "--parents", cwd=work, workspace=work
    )
    assert created.returncode == 0, created.stderr
    assert added(before, tree(scratch)) == {
        "work/nouveau dossier ✓",
        "work/nouveau dossier ✓/deeper",
        "work/nouveau dossier ✓/deeper/report.html",
    }


@pytest.mark.parametrize("output", [".", "..", "sub folder ✓", "sub folder ✓/"])
def test_a_folder_as_output_is_refused(scratch: Path, output: str) -> None:
    work = scratch / "work"
    (work / "sub folder ✓").mkdir()
    before = tree(scratch)
    message = one_line_error(
        decalogue(
            "export",
            assessment_in(scratch).name,
            "-f",
            "md",
            "-o",
            output,
            cwd=work,
            workspace=work,
        )
    )
    assert "folder" in message
    assert tree(scratch) == before


def test_a_pipe_or_device_as_output_is_not_replaced(scratch: Path) -> None:
    """As root, `-o /dev/null` once replaced the device with a file; a FIFO shows it safely."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    work = scratch / "work"
    fifo = work / "pipe ✓"
    os.mkfifo(fifo)
    before = tree(scratch)
    message = one_line_error(
        decalogue(
            "export",
            assessment_in(scratch).name,
            "-f",
            "md",
            "-o",
            fifo.name,
            cwd=work,
            workspace=work,
        )
    )
    assert "not a regular file" in message
    assert tree(scratch) == before
    assert fifo.is_fifo()


def test_an_export_through_a_symlink_updates_its_target(scratch: Path) -> None:
    work = scratch / "work"
    target = scratch / "ws" / "real report.md"
    target.write_text("old\n")
    link = work / "latest.md"
    link.symlink_to(target)
    before = tree(scratch)
    result = decalogue(
        "export", assessment_in(scratch).name, "-o", link.name, cwd=work, workspace=work
    )
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert "Exampleland" in target.read_text(encoding="utf-8")
    assert added(before, tree(scratch)) == set()


def test_new_and_list_in_a_workspace_with_odd_characters(scratch: Path) -> None:
    workspace = scratch / "Arbeits bereich – ✓"
    before = tree(scratch)
    made = decalogue(
        "new",
        "--country",
        "XX",
        "--country-name",
        "Exampleland ✓",
        "--period",
        "2026",
        cwd=scratch / "work",
        workspace=workspace,
    )
    assert made.returncode == 0, made.stderr
    new_file = Path(made.stdout.strip())
    assert new_file.parent == workspace and new_file.name == "XX-2026.json"
    assert {p for p in added(before, tree(scratch)) if not p.endswith(".lock")} == {
        workspace.name,
        f"{workspace.name}/XX-2026.json",
    }
    listed = decalogue("list", cwd=scratch, workspace=workspace)
    assert listed.returncode == 0 and "XX-2026.json" in listed.stdout
    assert "Exampleland ✓" in listed.stdout


def test_new_with_an_output_path_writes_there_or_nowhere(scratch: Path) -> None:
    work = scratch / "work"
    before = tree(scratch)
    args = ["new", "--country", "XX", "--country-name", "Exampleland", "--period", "2027"]
    message = one_line_error(
        decalogue(*args, "-o", "missing folder ✓/next.json", cwd=work, workspace=work)
    )
    assert "missing folder ✓" in message and "does not exist" in message
    assert tree(scratch) == before
    made = decalogue(*args, "-o", "../next year ✓.json", cwd=work, workspace=work)
    assert made.returncode == 0, made.stderr
    assert {p for p in added(before, tree(scratch)) if not p.endswith(".lock")} == {
        "next year ✓.json"
    }


def test_import_reads_paths_with_odd_characters_and_names_missing_ones(scratch: Path) -> None:
    work = scratch / "work"
    name = assessment_in(scratch).name
    exported = decalogue("export", name, "-o", "édits ✓.csv", cwd=work, workspace=work)
    assert exported.returncode == 0, exported.stderr
    csv_path = work / "édits ✓.csv"
    csv_path.write_text(
        csv_path.read_text(encoding="utf-8").replace("Note ✓ with spaces", "Edited ✓"),
        encoding="utf-8",
    )
    before = tree(scratch)
    message = one_line_error(
        decalogue("import", name, "--csv", "nowhere ✓.csv", cwd=work, workspace=work)
    )
    assert "nowhere ✓.csv" in message
    assert tree(scratch) == before
    result = decalogue("import", name, "--csv", csv_path.name, cwd=work, workspace=work)
    assert result.returncode == 0, result.stderr
    assert store.read(assessment_in(scratch)).assessment.responses["LF-01"].notes == "Edited ✓"
    assert {p for p in added(before, tree(scratch)) if not p.endswith(".lock")} == {
        f"work/{name}.bak"
    } - set(before)
    assert not [p for p in tree(scratch) if p.endswith((".tmp", ".partial"))]


def test_a_new_assessment_is_never_saved_onto_a_pipe(scratch: Path) -> None:
    """Reading the pipe to check for a conflict would hang; renaming would replace it."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    work = scratch / "work"
    fifo = work / "pipe ✓.json"
    os.mkfifo(fifo)
    before = tree(scratch)
    args = ["new", "--country", "XX", "--country-name", "Exampleland", "--period", "2027"]
    message = one_line_error(decalogue(*args, "-o", fifo.name, cwd=work, workspace=work))
    assert "not a regular file" in message and fifo.name in message
    assert tree(scratch) == before
    assert fifo.is_fifo()
