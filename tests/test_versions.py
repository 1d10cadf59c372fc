"""Files from other versions of decalogue: older ones open, newer ones are refused untouched.

The fixtures in tests/fixtures/hardening/ are committed and never rewritten:
`schema-0.json` is the draft layout (country as a bare code, N/A as the level
"na"), `schema-3.json` comes from a future decalogue with fields this one does
not know. Every way of opening a file is tried on a copy, and the copy's bytes
and modification time are compared before and after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from decalogue.errors import AssessmentError
from decalogue.model.assessment import SCHEMA_VERSION, Answer
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "hardening"
OLD = FIXTURES / "schema-0.json"
NEWER = FIXTURES / "schema-3.json"
V1 = Path(__file__).parent / "fixtures" / "assessment-v1.json"


@dataclass(frozen=True)
class Untouched:
    """A file's bytes and modification time, to prove nothing wrote to it."""

    path: Path
    data: bytes
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Untouched:
        return cls(path, path.read_bytes(), path.stat().st_mtime_ns)

    def check(self) -> None:
        assert self.path.read_bytes() == self.data
        assert self.path.stat().st_mtime_ns == self.mtime_ns


def copy(fixture: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or fixture.name)
    shutil.copyfile(fixture, target)
    # An old mtime, so that a rewrite within the same clock tick would still show.
    os.utime(target, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return target


def decalogue(*args: str, workspace: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DECALOGUE_WORKSPACE": str(workspace), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=workspace,
        check=False,
    )


def test_the_fixtures_are_what_they_claim() -> None:
    assert b'"schema_version": 0' in OLD.read_bytes()
    assert b'"schema_version": 1' in V1.read_bytes()
    assert b'"schema_version": 3' in NEWER.read_bytes()
    assert SCHEMA_VERSION == 2, "a new schema version needs a new fixture and migration test"


def test_an_old_file_opens_upgraded_in_memory_and_is_not_written(tmp_path: Path) -> None:
    path = copy(OLD, tmp_path)
    before = Untouched.of(path)
    session = Session.open(path)
    assessment = session.assessment
    assert assessment.schema_version == SCHEMA_VERSION
    assert (assessment.country.code, assessment.country.name) == ("XX", "Exampleland")
    first, second, third = (assessment.responses[i] for i in ("LF-01", "LF-02", "LF-03"))
    assert (first.level, first.target, first.notes) == (2, 4, "Written before schema 1.")
    assert second.not_applicable and second.level is None
    assert second.na_reason.startswith("Exampleland has no such services")
    assert third.flagged and not third.answered
    upgrade = assessment.history[-1]
    assert (upgrade.field, upgrade.old, upgrade.new) == ("schema_version", 0, SCHEMA_VERSION)
    assert session.board.items["LF-02"].not_applicable
    assert not session.dirty
    before.check()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_saving_an_upgraded_file_keeps_the_old_bytes_as_the_backup(tmp_path: Path) -> None:
    path = copy(OLD, tmp_path)
    old_bytes = path.read_bytes()
    session = Session.open(path)
    session.set_answer("LF-03", Answer(level=1))
    assert session.save()
    assert store.backup_path(path).read_bytes() == old_bytes
    reread = store.read(path).assessment
    assert reread.schema_version == SCHEMA_VERSION
    assert reread.responses["LF-03"].level == 1
    assert reread.responses["LF-02"].not_applicable
    fields = [change.field for change in reread.history]
    assert fields.count("schema_version") == 1  # the upgrade is recorded once, not per load


def test_the_cli_reads_an_old_file_without_writing_it(tmp_path: Path) -> None:
    path = copy(OLD, tmp_path)
    before = Untouched.of(path)
    checked = decalogue("validate", path.name, workspace=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "XX 2023" in checked.stdout
    exported = decalogue("export", path.name, "--format", "json", workspace=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert '"XX"' in exported.stdout
    listed = decalogue("list", workspace=tmp_path)
    assert listed.returncode == 0 and "unreadable" not in listed.stdout
    before.check()


def test_a_newer_file_is_refused_by_the_store_and_the_session(tmp_path: Path) -> None:
    path = copy(NEWER, tmp_path)
    before = Untouched.of(path)
    for opening in (store.read, Session.open):
        with pytest.raises(AssessmentError) as raised:
            opening(path)
        message = str(raised.value)
        assert "\n" not in message
        assert path.name in message
        assert "newer decalogue" in message and "upgrade decalogue" in message
        assert "unknown field" not in message  # the version is checked before the fields
        assert raised.value.problems[0].line == 2
    listing = Workspace(tmp_path).summaries()
    assert [s.error for s in listing] != [None]
    assert "upgrade decalogue" in str(listing[0].error)
    before.check()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{file}"],
        ["export", "{file}", "--format", "html", "-o", "report.html"],
        ["export", "{file}", "--format", "csv"],
        ["import", "{file}", "--csv", "edited.csv"],
        ["new", "--from", "{file}", "--period", "2028", "-o", "next.json"],
        ["compare", "{file}", "schema-0.json"],
    ],
    ids=lambda c: c[0] + ("-o" if "-o" in c else ""),
)
def test_every_command_refuses_a_newer_file_and_leaves_it(
    tmp_path: Path, command: list[str]
) -> None:
    path = copy(NEWER, tmp_path)
    (tmp_path / "edited.csv").write_text("item_id,level\nLF-01,1\n")
    copy(OLD, tmp_path)
    before = Untouched.of(path)
    others = sorted(p.name for p in tmp_path.iterdir())
    result = decalogue(*[part.format(file=path.name) for part in command], workspace=tmp_path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()  # validate reports on stdout
    assert len(lines) == 1, (result.stdout, result.stderr)
    assert path.name in lines[0] and "upgrade decalogue" in lines[0]
    before.check()
    assert sorted(p.name for p in tmp_path.iterdir()) == others  # no export, no new file


def test_the_workspace_listing_says_to_upgrade(tmp_path: Path) -> None:
    copy(NEWER, tmp_path, "XX-2027.json")
    copy(OLD, tmp_path, "XX-2023.json")
    result = decalogue("list", workspace=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "XX-2023.json" in result.stdout
    unreadable = [line for line in result.stdout.splitlines() if "unreadable" in line]
    assert len(unreadable) == 1
    assert "XX-2027.json" in unreadable[0] and "upgrade decalogue" in unreadable[0]


def test_a_save_over_a_file_a_newer_decalogue_wrote_is_refused(tmp_path: Path) -> None:
    path = copy(OLD, tmp_path, "XX-2023.json")
    session = Session.open(path)
    session.set_field("LF-01", "notes", "my edit, made with the older decalogue")
    shutil.copyfile(NEWER, path)  # meanwhile a colleague's newer decalogue saved the file
    before = Untouched.of(path)
    with pytest.raises(AssessmentError, match="upgrade decalogue"):
        session.save()  # it cannot be merged: it is not read, and not written over
    before.check()
    assert session.dirty
    outcome = session.save_or_recover()  # the work goes to a recovery copy instead
    assert outcome.result is None and outcome.recovered is not None
    assert outcome.error is not None and "upgrade decalogue" in outcome.error
    kept = store.read(outcome.recovered).assessment
    assert kept.responses["LF-01"].notes == "my edit, made with the older decalogue"
    before.check()


def test_a_version_1_file_opens_upgraded_and_is_written_as_version_2(tmp_path: Path) -> None:
    path = copy(V1, tmp_path)
    before = Untouched.of(path)
    session = Session.open(path, Path(__file__).parent / "fixtures" / "mini-checklist.toml")
    assert session.assessment.schema_version == SCHEMA_VERSION
    assert not session.dirty
    before.check()
    session.set_field("A-01", "notes", "kept")
    assert session.save().saved
    assert b'"schema_version": 2' in path.read_bytes()
    history = store.read(path).assessment.history
    assert [(c.field, c.old, c.new) for c in history if c.field == "schema_version"] == [
        ("schema_version", 1, 2)
    ]


@pytest.mark.parametrize("version", ["-1", "0.5", "true", '"1"', "null", "99999999999999999999"])
def test_impossible_versions_are_refused_with_the_field(tmp_path: Path, version: str) -> None:
    path = tmp_path / "odd.json"
    text = NEWER.read_text().replace('"schema_version": 3', f'"schema_version": {version}')
    path.write_text(text)
    before = Untouched.of(path)
    with pytest.raises(AssessmentError) as raised:
        store.read(path)
    problem = raised.value.problems[0]
    assert problem.field == "schema_version"
    before.check()
