"""A workshop kept in a PostgreSQL store: setup, aggregate, merge and report by the trainer.

One database for the file with the three groups of tests/helpers.py pushed into it; every
command is a real `decalogue` process with `--store` and the groups' ids.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from decalogue.roles import parse_group
from decalogue.serve.auth import make_links
from decalogue.serve.room import check_groups
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, schema
from tests.helpers import run, write_groups
from tests.postgres import Cluster, checklist_text


class Room:
    """The file's database: the groups' files, and the same groups in the store."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.files = write_groups(folder, load_checklist())
        self.ids = []
        for path in self.files:
            assessment = store.read(path).assessment
            documents.push(url, assessment, checklist_text())
            self.ids.append(assessment.id)


@pytest.fixture(scope="module")
def room(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Room:
    url = cluster.create_database(f"workshop_{os.getpid()}")
    schema.migrate(url, create=True)
    return Room(url, tmp_path_factory.mktemp("groups"))


def _cli(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECALOGUE_WORKSPACE=str(where / "workspace"), DECALOGUE_USER="Trainer")
    env.pop("DECALOGUE_STORE", None)
    return run(*args, cwd=where, env=env)


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_setup_keeps_one_assessment_per_group_in_the_store(
    cluster: Cluster, tmp_path: Path
) -> None:
    url = cluster.create_database(f"workshop_setup_{os.getpid()}")
    schema.migrate(url, create=True)
    given = ("--groups", "Group A,Group B", "--country", "XX", "--country-name", "Exampleland")
    out = _ok(_cli(tmp_path, "workshop", "setup", *given, "--period", "2025", "--store", url))
    lines = out.splitlines()
    ids = [line.split(": ")[1] for line in lines[1:3]]
    assert lines[1:3] == [f"  Group A: {ids[0]}", f"  Group B: {ids[1]}"]
    assert "Workshop set up in the store" in out
    assert f"decalogue aggregate --store {url} {ids[0]} {ids[1]}" in out.replace("'", "")
    # The `decalogue serve` command for a browser workshop on the store, and its links.
    words = shlex.split(next(line for line in lines if "decalogue serve" in line))
    assert words[words.index("--store") + 1] == url
    options = [parse_group(words[i + 1]) for i, w in enumerate(words) if w == "--group"]
    assert [(o.name, o.file) for o in options] == [("Group A", ids[0]), ("Group B", ids[1])]
    assert check_groups(tmp_path, options, url) == options  # serve takes them as they are
    master = words[words.index("--token") + 1]
    for link in make_links(master, [(o.name, o.file) for o in options]):
        assert f"/?token={link.token}" in out
    # A link line names its group's assessment by the start of its id, not 32 characters.
    links = [line for line in lines if "/?token=" in line and line.startswith("  Group")]
    assert [line.split(": http")[0] for line in links] == [
        f"  Group A ({ids[0][:8]})",
        f"  Group B ({ids[1][:8]})",
    ]
    rows = {r.id: r.title for r in documents.listing(url)}
    assert rows == {ids[0]: "Group A", ids[1]: "Group B"}
    assert not list(tmp_path.glob("**/*.json"))  # nothing written as files
    again = _cli(tmp_path, "workshop", "setup", *given, "--period", "2025", "--store", url)
    assert again.returncode == 1 and "already has a group" in again.stderr
    assert len(documents.listing(url)) == 2


def test_aggregate_of_stored_groups_reads_as_their_files_would(room: Room, tmp_path: Path) -> None:
    stored = _ok(_cli(tmp_path, "aggregate", "--store", room.url, *room.ids, "--format", "json"))
    files = _ok(_cli(tmp_path, "aggregate", *map(str, room.files), "--format", "json"))
    assert _without_places(json.loads(stored)) == _without_places(json.loads(files))
    assert "Group A" in stored and "Group C" in stored


def _without_places(value: object) -> object:
    """The aggregate without where each group was read from (a path here, an id there)."""
    if isinstance(value, dict):
        return {k: _without_places(v) for k, v in value.items() if k not in {"file", "path"}}
    if isinstance(value, list):
        return [_without_places(v) for v in value]
    return value


def test_merge_then_report_with_the_consensus_kept_in_the_store(room: Room, tmp_path: Path) -> None:
    consensus = tmp_path / "consensus.json"
    merged = _cli(tmp_path, "merge", "--store", room.url, *room.ids, "-o", str(consensus))
    assert merged.returncode == 0, merged.stderr
    assert consensus.is_file()
    kept = store.read(consensus).assessment
    documents.push(room.url, kept, checklist_text())  # the trainer keeps it with the groups
    everyone = [*room.ids, kept.id]
    report = _ok(_cli(tmp_path, "workshop", "report", "--store", room.url, *everyone))
    assert f"the consensus saved in XX 2025 ({kept.id[:8]})" in report
    again = _cli(tmp_path, "aggregate", "--store", room.url, *everyone)
    assert again.returncode == 0, again.stderr
    assert f"({kept.id[:8]}): a consensus from an earlier merge, left out" in again.stderr


def test_a_missing_group_id_names_the_store(room: Room, tmp_path: Path) -> None:
    done = _cli(tmp_path, "aggregate", "--store", room.url, room.ids[0], "feedfacecafe")
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "no assessment 'feedfacecafe' in the store" in line
    assert "decalogue list --store" in line


def test_merge_without_a_file_keeps_the_consensus_in_the_store(room: Room, tmp_path: Path) -> None:
    before = {row.id for row in documents.listing(room.url)}
    merged = _ok(_cli(tmp_path, "merge", "--store", room.url, *room.ids, "--title", "Room 1"))
    (new,) = {row.id for row in documents.listing(room.url)} - before
    assert "Merged 3 groups" in merged and new in merged
    rows = {row.id: row.title for row in documents.listing(room.url)}
    assert rows[new] == "Room 1"
    assert not list(tmp_path.glob("**/*.json"))  # no file written
    report = _ok(_cli(tmp_path, "workshop", "report", "--store", room.url, *room.ids, new))
    assert f"({new[:8]})" in report


def test_merge_of_files_without_o_says_to_give_one(room: Room, tmp_path: Path) -> None:
    done = _cli(tmp_path, "merge", *map(str, room.files))
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "give -o CONSENSUS.json" in line
