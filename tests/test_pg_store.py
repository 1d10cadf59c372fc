"""The PostgreSQL store against a real server the tests start (tests/postgres.py)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from decalogue.model.assessment import Answer, Evidence, new_assessment
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import documents, schema
from decalogue.storage.pg.connection import StoreError
from tests.postgres import Cluster


def _checklist_text() -> documents.ChecklistText:
    checklist = load_checklist()
    from decalogue.resources import bundled_checklist_paths

    path = next(p for p in bundled_checklist_paths() if p.stem == checklist.meta.id)
    return documents.ChecklistText(
        checklist.content_hash,
        checklist.meta.id,
        checklist.meta.version,
        path.read_text(encoding="utf-8"),
        {},
    )


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
    assert documents.push(pg_url, assessment, _checklist_text()) == "added"  # type: ignore[arg-type]
    pulled, checklist = documents.pull(pg_url, assessment.id)  # type: ignore[attr-defined]
    assert dumps(pulled) == dumps(assessment)  # type: ignore[arg-type]
    assert checklist.id == "osce-national-action"
    assert documents.push(pg_url, pulled, checklist) == "unchanged"
    rows = documents.listing(pg_url)
    assert [(r.country_code, r.period, r.answered) for r in rows] == [("XX", "2025", 2)]


def test_pushing_a_different_version_needs_replace(pg_url: str) -> None:
    schema.migrate(pg_url, create=True)
    assessment = _assessment()
    text = _checklist_text()
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
        documents.push(pg_url, assessment, _checklist_text())  # type: ignore[arg-type]
        notes = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.payload for n in notes] == [f"{assessment.id} 1"]  # type: ignore[attr-defined]
    _ = store  # the file store and this one share the format (dumps)
