"""One assessment in the database, saved the way a file is: merge under a lock, then write.

The session merges exactly as it does for a file (`Session.save` hands a
`produce` function the version now stored); here the "lock" is the assessment's
row, locked for the transaction, and the write touches only what changed: the
rows of the items whose answers changed, new history entries, and the header.
Two officials on different machines saving different items therefore never
conflict, and the database announces each save (see `schema.CHANNEL`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from decalogue.errors import DecalogueError
from decalogue.model.assessment import Assessment
from decalogue.storage.assessment_file import (
    MAX_ASSESSMENT_BYTES,
    dumps,
    fingerprint,
    parse_assessment,
)
from decalogue.storage.pg.connection import StoreError, connect, shown
from decalogue.storage.pg.documents import as_json, header_of, missing, read
from decalogue.storage.pg.schema import check


@dataclass(frozen=True)
class Saved:
    fingerprint: str
    """sha256 of the assessment's canonical bytes, as a file would hold them."""
    revision: int
    """The row's revision after the save: what `revision` reports until the next save."""


def revision(url: str, assessment_id: str) -> int | None:
    """The cheap "changed?" check: the assessment's revision, None if it is not there."""
    with connect(url) as connection:
        row = connection.execute(
            "SELECT revision FROM assessments WHERE id = %s", (assessment_id,)
        ).fetchone()
    return None if row is None else int(row[0])


def load(url: str, assessment_id: str) -> tuple[Assessment, str, int]:
    """(assessment, fingerprint, revision) as stored now."""
    with connect(url) as connection:
        check(connection, url)
        row = connection.execute(
            "SELECT revision FROM assessments WHERE id = %s", (assessment_id,)
        ).fetchone()
        assessment = read(connection, assessment_id)
    if row is None or assessment is None:
        raise missing(url, assessment_id)
    return assessment, fingerprint(dumps(assessment)), int(row[0])


def save_merged(
    url: str,
    assessment_id: str,
    expected: str | None,
    produce: Callable[[bytes | None], bytes],
) -> Saved:
    """`store.save_merged` for the database, in one transaction with the row locked."""
    origin = f"{shown(url)} {assessment_id}"
    with connect(url) as connection:
        check(connection, url)
        row = connection.execute(
            "SELECT revision FROM assessments WHERE id = %s FOR UPDATE", (assessment_id,)
        ).fetchone()
        if row is None and _visible(connection, assessment_id):
            raise StoreError(
                f"{origin}: not saved: your database role may read this assessment but not "
                "change it; ask the store's administrator for access (`decalogue store grant`)"
            )
        if row is None:
            raise StoreError(
                f"{origin}: not in the store any more (deleted?); your edits are kept: "
                "save a copy with `decalogue pull` from a colleague's store, or push yours"
            )
        before = read(connection, assessment_id)
        assert before is not None
        current = dumps(before)
        moved = expected is None or fingerprint(current) != expected
        data = produce(current if moved else None)
        if len(data) > MAX_ASSESSMENT_BYTES:
            raise StoreError(f"{origin}: not saved: the assessment would be {len(data):,} bytes")
        try:
            after = parse_assessment(data, origin)
        except DecalogueError as error:  # produce writes what dumps gives: cannot happen
            raise StoreError(f"{origin}: not saved: {error}") from None
        new_revision = int(row[0]) + 1
        _write_changes(connection, before, after, new_revision)
    return Saved(fingerprint(data), new_revision)


def _visible(connection: Any, assessment_id: str) -> bool:
    """Readable though not lockable: row-level security lets this role read it only."""
    found = connection.execute("SELECT 1 FROM assessments WHERE id = %s", (assessment_id,))
    return found.fetchone() is not None


def _write_changes(connection: Any, before: Assessment, after: Assessment, revision: int) -> None:
    """Only what differs: changed items' rows, new history entries, the header."""
    ident = after.id
    for item_id in sorted(set(before.responses) | set(after.responses)):
        old, new = before.responses.get(item_id), after.responses.get(item_id)
        if old == new:
            continue
        if new is None:
            connection.execute(
                "DELETE FROM responses WHERE assessment_id = %s AND item_id = %s",
                (ident, item_id),
            )
        else:
            connection.execute(
                "INSERT INTO responses (assessment_id, item_id, data, revision) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (assessment_id, item_id) "
                "DO UPDATE SET data = EXCLUDED.data, revision = EXCLUDED.revision",
                (ident, item_id, as_json(new.model_dump(mode="json")), revision),
            )
    kept = len(before.history)
    if after.history[:kept] != before.history:
        # The history was trimmed (a file near its size limit): rewrite it whole.
        connection.execute("DELETE FROM history WHERE assessment_id = %s", (ident,))
        kept = 0
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO history (assessment_id, entry) VALUES (%s, %s)",
            [(ident, as_json(change.model_dump(mode="json"))) for change in after.history[kept:]],
        )
    connection.execute(
        "UPDATE assessments SET header = %s, title = %s, period = %s, country_code = %s, "
        "revision = %s, updated_at = now() WHERE id = %s",
        (
            as_json(header_of(after)),
            after.title,
            after.period,
            after.country.code,
            revision,
            ident,
        ),
    )
