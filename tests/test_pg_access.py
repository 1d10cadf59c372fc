"""Access per assessment or per country on the PostgreSQL store (row-level security).

Against the real server the tests start (tests/postgres.py): a login role given one
assessment cannot see, read or change any other, through decalogue or plain SQL, and
the history entries it adds carry its role.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from itertools import count
from pathlib import Path

import psycopg
import pytest

from decalogue.model.assessment import Answer, Assessment, new_assessment
from decalogue.model.merge import Base, merge_into
from decalogue.storage.assessment_file import dumps, parse_assessment
from decalogue.storage.checklists import load_checklist
from decalogue.storage.pg import access, documents, location, schema
from decalogue.storage.pg.connection import StoreError
from tests.helpers import run
from tests.postgres import checklist_text

_ROLES = count()

#: Fictional countries (user-assigned codes).
NAMES = {"XX": "Exampleland", "XY": "Sampleland"}


def _pushed(url: str, code: str, period: str) -> Assessment:
    assessment = new_assessment(load_checklist(), code, period, country_name=NAMES[code])
    assessment.apply("LF-01", "answer", Answer(level=2), "Ana")
    documents.push(url, assessment, checklist_text())
    return assessment


def _role(url: str) -> tuple[str, str]:
    """A new login role (roles belong to the whole server) and the address it logs in with."""
    name = f"focal_{next(_ROLES)}_{id(url) % 10_000}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE ROLE "{name}" LOGIN')
    return name, url.replace("//decalogue@", f"//{name}@", 1)


def _save(url: str, ident: str, item_id: str, level: int, who: str) -> location.Saved:
    """One edit saved the way a session saves: merged with what is stored."""
    mine, stored, _ = location.load(url, ident)
    base = Base.of(mine)
    mine.apply(item_id, "answer", Answer(level=level), who)

    def produce(current: bytes | None) -> bytes:
        if current is not None:
            merge_into(mine, base, parse_assessment(current, "store"))
        return dumps(mine)

    return location.save_merged(url, ident, stored, produce)


def _bytes_of(assessment: Assessment) -> Callable[[bytes | None], bytes]:
    return lambda _: dumps(assessment)


def _refused(url: str, statement: str, values: tuple[object, ...]) -> None:
    with psycopg.connect(url) as connection, pytest.raises(psycopg.Error, match="row-level"):
        connection.execute(statement, values)


def _changed(url: str, statement: str, values: tuple[object, ...]) -> int:
    with psycopg.connect(url) as connection:
        return connection.execute(statement, values).rowcount


def test_a_role_given_one_assessment_cannot_read_or_write_another(pg_url: str) -> None:
    schema.migrate(pg_url, create=True)
    mine, other, abroad = (
        _pushed(pg_url, "XX", "2025"),
        _pushed(pg_url, "XX", "2024"),
        _pushed(pg_url, "XY", "2025"),
    )
    role, focal = _role(pg_url)
    access.grant(pg_url, role, "assessment", mine.id, can_write=True)

    assert [row.id for row in documents.listing(focal)] == [mine.id]
    assert len(documents.listing(pg_url)) == 3  # the owner still sees everything
    for hidden in (other, abroad):
        with pytest.raises(StoreError, match="no assessment"):
            documents.pull(focal, hidden.id)
        with pytest.raises(StoreError, match="no assessment"):
            _save(focal, hidden.id, "LF-03", 4, "Ana")
        # Even with the stored version in hand (from a colleague), its save is refused.
        _, stored, _ = location.load(pg_url, hidden.id)
        with pytest.raises(StoreError, match="not in the store"):
            location.save_merged(focal, hidden.id, stored, _bytes_of(hidden))
    # Plain SQL with the role's own login is held too.
    assert (
        _changed(focal, "UPDATE responses SET data = '{}' WHERE assessment_id = %s", (other.id,))
        == 0
    )
    assert _changed(focal, "DELETE FROM assessments WHERE id = %s", (abroad.id,)) == 0
    _refused(
        focal,
        "INSERT INTO responses (assessment_id, item_id, data, revision) VALUES (%s, 'LF-09', "
        "'{}', 9)",
        (other.id,),
    )
    _refused(focal, "INSERT INTO history (assessment_id, entry) VALUES (%s, '{}')", (other.id,))
    # Its own assessment: read and saved, and its history entry names the role.
    saved = _save(focal, mine.id, "LF-03", 4, "Focal Point")
    assert saved.revision == 2
    with psycopg.connect(pg_url) as connection:
        rows = connection.execute(
            "SELECT entry->>'by', db_role FROM history WHERE assessment_id = %s ORDER BY seq",
            (mine.id,),
        ).fetchall()
    assert rows[-1] == ("Focal Point", role)
    assert rows[0] == ("Ana", "decalogue")  # pushed by the owner
    # ... and it cannot write another role into the history.
    _refused(
        focal,
        "INSERT INTO history (assessment_id, entry, db_role) VALUES (%s, '{}', 'decalogue')",
        (mine.id,),
    )
    assert documents.pull(pg_url, other.id)[0].responses["LF-01"].level == 2  # untouched


def test_a_country_grant_read_only_lets_the_role_read_but_not_save(pg_url: str) -> None:
    schema.migrate(pg_url, create=True)
    first, second, abroad = (
        _pushed(pg_url, "XY", "2024"),
        _pushed(pg_url, "XY", "2025"),
        _pushed(pg_url, "XX", "2025"),
    )
    role, reader = _role(pg_url)
    access.grant(pg_url, role, "country", "XY", can_write=False)
    assert sorted(row.id for row in documents.listing(reader)) == sorted([first.id, second.id])
    assert documents.pull(reader, second.id)[0].country.code == "XY"
    with pytest.raises(StoreError, match="may read this assessment but not change it"):
        _save(reader, first.id, "LF-02", 1, "Reader")
    with pytest.raises(StoreError, match="no assessment"):
        documents.pull(reader, abroad.id)
    # Given write access later, the same role saves (the grant of that scope is replaced).
    access.grant(pg_url, role, "country", "XY", can_write=True)
    assert [g.describe() for g in access.grants(pg_url)] == [f"{role}: country XY (read and write)"]
    assert _save(reader, first.id, "LF-02", 1, "Reader").revision == 2
    assert access.revoke(pg_url, role) == 1
    with pytest.raises(StoreError, match="permission denied"):
        documents.listing(reader)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=Path.cwd())


def test_store_upgrade_brings_a_version_3_store_to_4_and_grant_works(pg_url: str) -> None:
    schema.migrate(pg_url, target=3, create=True)
    role, focal = _role(pg_url)
    refused = _cli("store", "grant", role, "--all", "--store", pg_url)
    assert refused.returncode == 1 and "store upgrade" in refused.stderr
    upgraded = _cli("store", "upgrade", "--store", pg_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "from schema version 3 to 4" in upgraded.stdout
    mine = _pushed(pg_url, "XX", "2025")
    _pushed(pg_url, "XX", "2024")
    granted = _cli("store", "grant", role, "--assessment", mine.id, "--store", pg_url)
    assert granted.returncode == 0, granted.stderr
    assert f"granted {role}: assessment {mine.id} (read and write)" in granted.stdout
    status = _cli("store", "status", "--store", pg_url)
    assert f"access: {role}: assessment {mine.id}" in status.stdout
    listed = _cli("store", "list", "--store", focal)
    assert listed.returncode == 0, listed.stderr
    assert mine.id in listed.stdout and len(listed.stdout.strip().splitlines()) == 1
    unknown = _cli("store", "grant", "nobody_here", "--all", "--store", pg_url)
    assert unknown.returncode == 1 and "no database role 'nobody_here'" in unknown.stderr
    revoked = _cli("store", "revoke", role, "--store", pg_url)
    assert revoked.returncode == 0 and "1 grant removed" in revoked.stdout
    after = _cli("store", "list", "--store", focal)
    assert after.returncode == 1 and "permission denied" in after.stderr
