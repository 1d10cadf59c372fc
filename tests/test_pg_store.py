"""The PostgreSQL store against a real server the tests start (tests/postgres.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from decalogue.model.assessment import Answer, Evidence, new_assessment
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps, parse_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, location, schema
from decalogue.storage.pg.connection import StoreError
from tests.postgres import Cluster, checklist_text


def _assessment() -> object:
    checklist = load_checklist()
    assessment = new_assessment(checklist, "XX", "2025", country_name="Exampleland")
    assessment.apply("LF-01", "answer", Answer(level=3), "Ana")
    assessment.apply("LF-02", "answer", Answer(na_reason="No shelters"), "Ben")
    assessment.apply("LF-01", "notes", "Line one\nline two", "Ana")
    assessment.apply("LF-01", "evidence", [Evidence(description="Law 12/2020")], "Ana")
    return assessment


def test_init_then_upgrade_then_a_second_init_is_refused(pg_url: str) -> None:
    assert schema.migrate(pg_url, create=True) == (None, schema.CURRENT)
    assert schema.migrate(pg_url, create=False) == (schema.CURRENT, schema.CURRENT)
    with pytest.raises(StoreError, match="already set up"):
        schema.migrate(pg_url, create=True)


def test_an_older_schema_is_refused_until_upgraded(pg_url: str) -> None:
    schema.migrate(pg_url, target=1, create=True)
    with pytest.raises(StoreError, match=r"schema version 1 is older .* store upgrade"):
        documents.listing(pg_url)
    schema.migrate(pg_url, create=False)
    assert documents.listing(pg_url) == []


def test_a_database_without_the_schema_says_to_run_init(pg_url: str) -> None:
    with pytest.raises(StoreError, match="store init"):
        documents.listing(pg_url)


def test_push_then_pull_gives_the_same_file(pg_url: str, tmp_path: Path) -> None:
    schema.migrate(pg_url, create=True)
    assessment = _assessment()
    assert documents.push(pg_url, assessment, checklist_text()) == "added"  # type: ignore[arg-type]
    pulled, checklist = documents.pull(pg_url, assessment.id)  # type: ignore[attr-defined]
    assert dumps(pulled) == dumps(assessment)  # type: ignore[arg-type]
    assert checklist.id == "osce-national-action"
    assert documents.push(pg_url, pulled, checklist) == "unchanged"
    rows = documents.listing(pg_url)
    assert [(r.country_code, r.period, r.answered) for r in rows] == [("XX", "2025", 2)]


def test_pushing_a_different_version_needs_replace(pg_url: str) -> None:
    schema.migrate(pg_url, create=True)
    assessment = _assessment()
    text = checklist_text()
    documents.push(pg_url, assessment, text)  # type: ignore[arg-type]
    assessment.apply("LF-03", "answer", Answer(level=1), "Ana")  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match="push --replace"):
        documents.push(pg_url, assessment, text)  # type: ignore[arg-type]
    assert documents.push(pg_url, assessment, text, replace=True) == "replaced"  # type: ignore[arg-type]
    pulled, _ = documents.pull(pg_url, assessment.id)  # type: ignore[attr-defined]
    assert pulled.responses["LF-03"].level == 1


def test_unreachable_server_and_unknown_role_get_one_clear_line(cluster: Cluster) -> None:
    with pytest.raises(StoreError, match="cannot be reached"):
        documents.listing("postgresql://nobody@/none?host=/nonexistent-socket-dir")
    with pytest.raises(StoreError, match=r"role .* does not exist"):
        documents.listing(cluster.url(user="no_such_role"))
    with pytest.raises(StoreError, match="does not exist; create it"):
        documents.listing(cluster.url("no_such_database"))


def test_the_database_announces_each_change(pg_url: str) -> None:
    schema.migrate(pg_url, create=True)
    with psycopg.connect(pg_url, autocommit=True) as listener:
        listener.execute(f"LISTEN {schema.CHANNEL}")
        assessment = _assessment()
        documents.push(pg_url, assessment, checklist_text())  # type: ignore[arg-type]
        notes = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.payload for n in notes] == [f"{assessment.id} 1"]  # type: ignore[attr-defined]
    _ = store  # the file store and this one share the format (dumps)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "decalogue", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_init_push_list_pull_round_trip(pg_url: str, tmp_path: Path) -> None:
    assert _cli("store", "list", "--store", pg_url).returncode == 1  # no schema yet
    done = _cli("store", "init", "--store", pg_url)
    assert done.returncode == 0 and "schema version" in done.stdout
    assessment = _assessment()
    path = tmp_path / "XX-2025.json"
    store.create(path, assessment)  # type: ignore[arg-type]
    pushed = _cli("push", str(path), "--store", pg_url)
    assert pushed.returncode == 0, pushed.stderr
    assert f"added as {assessment.id}" in pushed.stdout  # type: ignore[attr-defined]
    listed = _cli("store", "list", "--store", pg_url)
    assert assessment.id in listed.stdout and "2 answered" in listed.stdout  # type: ignore[attr-defined]
    out = tmp_path / "out"
    out.mkdir()
    pulled = _cli("pull", assessment.id, "-o", str(out), "--store", pg_url)  # type: ignore[attr-defined]
    assert pulled.returncode == 0, pulled.stderr
    (written,) = out.glob("*.json")
    assert written.read_bytes() == path.read_bytes()
    again = _cli("pull", assessment.id, "-o", str(out), "--store", pg_url)  # type: ignore[attr-defined]
    assert again.returncode == 1 and "already exists" in again.stderr


def test_two_writers_on_different_items_lose_nothing(pg_url: str) -> None:
    """Two saves that each read the stored version, edit one item, and save with a merge."""
    schema.migrate(pg_url, create=True)
    assessment = _assessment()
    documents.push(pg_url, assessment, checklist_text())  # type: ignore[arg-type]
    ident = assessment.id  # type: ignore[attr-defined]
    first, fingerprint_a, _ = location.load(pg_url, ident)
    second, fingerprint_b, _ = location.load(pg_url, ident)
    first.apply("LF-05", "answer", Answer(level=2), "Ana")
    second.apply("LF-06", "answer", Answer(level=4), "Ben")

    def producer(mine: object) -> object:
        def produce(current: bytes | None) -> bytes:
            if current is None:
                return dumps(mine)  # type: ignore[arg-type]
            theirs = parse_assessment(current, "store")
            for item_id, response in mine.responses.items():  # type: ignore[attr-defined]
                if theirs.responses.get(item_id) != response and item_id in ("LF-05", "LF-06"):
                    theirs.responses[item_id] = response
            return dumps(theirs)

        return produce

    saved_a = location.save_merged(pg_url, ident, fingerprint_a, producer(first))  # type: ignore[arg-type]
    saved_b = location.save_merged(pg_url, ident, fingerprint_b, producer(second))  # type: ignore[arg-type]
    assert (saved_a.revision, saved_b.revision) == (2, 3)
    final, fingerprint, revision = location.load(pg_url, ident)
    assert final.responses["LF-05"].level == 2 and final.responses["LF-06"].level == 4
    assert revision == 3 and fingerprint == saved_b.fingerprint
    assert location.revision(pg_url, ident) == 3
