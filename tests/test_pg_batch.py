"""list, new, compare, trend and matrix on a PostgreSQL store, as a user runs them.

One database for the file (made once, with three assessments of Exampleland and one
of Sampleland); every command runs as a real `decalogue` process with `--store`.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.generate import checklist_toml
from decalogue.model.assessment import Answer, Assessment, new_assessment
from decalogue.model.checklist import Checklist
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, schema
from tests.helpers import run
from tests.postgres import Cluster, checklist_text

NAMES = {"XX": "Exampleland", "XY": "Sampleland"}


def _made(checklist: Checklist, code: str, period: str, levels: dict[str, int]) -> Assessment:
    assessment = new_assessment(checklist, code, period, country_name=NAMES[code])
    for item_id, level in levels.items():
        assessment.apply(item_id, "answer", Answer(level=level), "Ana")
    return assessment


class Shelf:
    """The file's database and what was put in it."""

    def __init__(self, url: str) -> None:
        self.url = url
        checklist = load_checklist()
        self.old = _made(checklist, "XX", "2023", {"LF-01": 1, "LF-02": 2})
        self.mid = _made(checklist, "XX", "2024", {"LF-01": 2, "LF-02": 2})
        self.new = _made(checklist, "XX", "2025", {"LF-01": 4, "LF-02": 1, "LF-03": 3})
        self.other = _made(checklist, "XY", "2025", {"LF-01": 3})
        for assessment in (self.new, self.old, self.other, self.mid):
            documents.push(url, assessment, checklist_text())


@pytest.fixture(scope="module")
def shelf(cluster: Cluster) -> Shelf:
    url = cluster.create_database(f"batch_{os.getpid()}")
    schema.migrate(url, create=True)
    return Shelf(url)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """An empty workspace: nothing registered, so only the store's checklists are there."""
    yield tmp_path / "workspace"


def _cli(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECALOGUE_WORKSPACE=str(workspace), DECALOGUE_USER="Ana")
    env.pop("DECALOGUE_STORE", None)
    return run(*args, cwd=workspace.parent, env=env)


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_list_shows_every_stored_assessment_by_id_with_its_score(
    shelf: Shelf, workspace: Path
) -> None:
    table = _ok(_cli(workspace, "list", "--store", shelf.url))
    lines = table.strip().splitlines()
    assert lines[0].split()[0] == "ID" and len(lines) == 5
    assert lines[1].startswith(shelf.old.id) and "XX Exampleland" in lines[1]
    assert lines[-1].startswith(shelf.other.id) and "Sampleland" in lines[-1]
    rows = json.loads(_ok(_cli(workspace, "list", "--store", shelf.url, "--format", "json")))
    newest = next(r for r in rows["assessments"] if r["assessment_id"] == shelf.new.id)
    assert (newest["answered"], newest["total"], newest["file"]) == (3, 43, None)
    assert newest["overall"] is not None


def test_a_missing_id_names_the_store_and_how_to_list_it(shelf: Shelf, workspace: Path) -> None:
    for command in ("compare", "trend", "matrix"):
        done = _cli(workspace, command, "--store", shelf.url, shelf.old.id, "0123456789abcdef")
        assert done.returncode == 1 and done.stdout == ""
        (line,) = done.stderr.strip().splitlines()
        assert "no assessment '0123456789abcdef' in the store" in line
        assert f"`decalogue list --store {shelf.url}` shows the ids" in line
    ambiguous = _cli(workspace, "compare", "--store", shelf.url, shelf.old.id, "xyz")
    assert ambiguous.returncode == 1 and "no assessment 'xyz'" in ambiguous.stderr


def test_compare_by_ids_reads_as_the_same_files_would(
    shelf: Shelf, workspace: Path, tmp_path: Path
) -> None:
    stored = _ok(
        _cli(
            workspace,
            "compare",
            "--store",
            shelf.url,
            shelf.mid.id[:8],  # the start of an id, as list shows it, is enough
            shelf.new.id,
            "--format",
            "json",
        )
    )
    files = []
    for assessment in (shelf.mid, shelf.new):
        path = tmp_path / f"{assessment.period}.json"
        store.create(path, assessment)
        files.append(str(path))
    from_files = _ok(_cli(workspace, "compare", *files, "--format", "json"))
    assert _without_labels(json.loads(stored)) == _without_labels(json.loads(from_files))
    assert '"improved"' in stored and "LF-01" in stored


def _without_labels(value: object) -> object:
    """The comparison without the names of its inputs (paths here, ids there)."""
    if isinstance(value, dict):
        return {k: _without_labels(v) for k, v in value.items() if k not in {"file", "label"}}
    if isinstance(value, list):
        return [_without_labels(v) for v in value]
    return value


def test_trend_of_a_country_reads_its_stored_assessments_in_period_order(
    shelf: Shelf, workspace: Path
) -> None:
    out = _ok(_cli(workspace, "trend", "--store", shelf.url, "XX"))
    assert "3 periods, 2023 to 2025" in out
    assert out.index("2023: XX 2023") < out.index("2024: XX 2024") < out.index("2025: XX 2025")
    missing = _cli(workspace, "trend", "--store", shelf.url, "QZ")
    assert missing.returncode == 1 and "no assessment of QZ in the store" in missing.stderr


def test_matrix_of_the_whole_store_and_of_one_country(shelf: Shelf, workspace: Path) -> None:
    every = json.loads(_ok(_cli(workspace, "matrix", "--store", shelf.url, "--format", "json")))
    assert len(every["rows"]) == 4
    one = json.loads(_ok(_cli(workspace, "matrix", "--store", shelf.url, "XY", "--format", "json")))
    assert [row["country"]["code"] for row in one["rows"]] == ["XY"]
    refused = _cli(workspace, "matrix")
    assert refused.returncode == 1 and "--store URL" in refused.stderr


def test_new_in_the_store_then_carried_forward_from_a_stored_id(
    cluster: Cluster, workspace: Path
) -> None:
    url = cluster.create_database(f"batch_new_{os.getpid()}")
    assert _cli(workspace, "store", "init", "--store", url).returncode == 0
    made = ("--country", "XX", "--country-name", "Exampleland", "--period", "2025")
    first = _ok(_cli(workspace, "new", "--store", url, *made)).strip()
    twin = _cli(workspace, "new", "--store", url, *made)
    assert twin.returncode == 1 and f"already has XX 2025 of osce-national-action ({first})" in (
        twin.stderr
    )
    group = _ok(_cli(workspace, "new", "--store", url, *made, "--title", "Group B")).strip()
    later = _ok(_cli(workspace, "new", "--store", url, "--from", first[:8], "--period", "2026"))
    listed = _ok(_cli(workspace, "list", "--store", url))
    for ident in (first, group, later.strip()):
        assert ident in listed
    carried, _ = documents.pull(url, later.strip())
    assert carried.period == "2026" and carried.country.code == "XX"
    assert not any(workspace.glob("*.json"))  # nothing written to the folder workspace
    refused = _cli(workspace, "new", "--store", url, *made, "-o", str(workspace / "x.json"))
    assert refused.returncode == 1 and "leave it out with --store" in refused.stderr


def test_the_stored_checklist_is_used_by_a_member_who_lacks_its_file(
    cluster: Cluster, tmp_path: Path
) -> None:
    """An assessment of a checklist only one member has: the others compare it anyway."""
    url = cluster.create_database(f"batch_custom_{os.getpid()}")
    schema.migrate(url, create=True)
    path = tmp_path / "custom.toml"
    path.write_text(checklist_toml(30), encoding="utf-8")
    checklist = load_checklist(path)
    ids = []
    for period, level in (("2024", 1), ("2025", 3)):
        assessment = new_assessment(checklist, "XX", period, country_name="Exampleland")
        assessment.apply(checklist.items[0].id, "answer", Answer(level=level), "Ana")
        file = tmp_path / f"{period}.json"
        store.create(file, assessment)
        pushed = _cli(
            tmp_path / "mine", "push", str(file), "--checklist", str(path), "--store", url
        )
        assert pushed.returncode == 0, pushed.stderr
        ids.append(assessment.id)
    path.unlink()  # gone from this machine too: only the store has it now
    elsewhere = tmp_path / "colleague"
    out = _ok(_cli(elsewhere, "compare", "--store", url, *ids))
    assert "improved" in out and checklist.items[0].id in out
    files = _cli(elsewhere, "compare", str(tmp_path / "2024.json"), str(tmp_path / "2025.json"))
    assert files.returncode == 1 and "synthetic-30" in files.stderr  # the files alone: not found
    assert "synthetic-30" in _ok(_cli(elsewhere, "list", "--store", url))
