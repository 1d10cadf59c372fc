"""Whole assessments in and out of the database: push, pull and listing.

An assessment is kept item by item (one row per answered item, one per history
entry) so that team members' saves touch only the rows they change; `pull`
puts the rows back together into the same JSON file format as the folder
workspace, history included, so a pushed-then-pulled file has the same content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from decalogue.model.assessment import Assessment
from decalogue.storage.pg.connection import StoreError, connect, shown
from decalogue.storage.pg.schema import check


@dataclass(frozen=True)
class ChecklistText:
    """A checklist as the database keeps it: its TOML and the source texts it cites."""

    hash: str
    id: str
    version: str
    toml: str
    files: dict[str, str]


@dataclass(frozen=True)
class Row:
    """One assessment in a listing."""

    id: str
    country_code: str
    period: str
    title: str
    checklist_id: str
    checklist_version: str
    revision: int
    answered: int


def as_json(value: Any) -> Any:
    from psycopg.types.json import Json

    return Json(value)


def header_of(assessment: Assessment) -> dict[str, Any]:
    """Everything in the file but the answers and the history."""
    return assessment.model_dump(mode="json", exclude={"responses", "history"})


def put_checklist(connection: Any, checklist: ChecklistText) -> None:
    connection.execute(
        "INSERT INTO checklists (hash, id, version, toml, files) VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (hash) DO NOTHING",
        (checklist.hash, checklist.id, checklist.version, checklist.toml, as_json(checklist.files)),
    )


def push(
    url: str, assessment: Assessment, checklist: ChecklistText, *, replace: bool = False
) -> str:
    """Store a whole assessment; 'added', 'replaced' or 'unchanged'."""
    with connect(url) as connection:
        check(connection, url)
        existing = connection.execute(
            "SELECT revision FROM assessments WHERE id = %s FOR UPDATE", (assessment.id,)
        ).fetchone()
        if existing is not None:
            if read(connection, assessment.id) == assessment:
                return "unchanged"
            if not replace:
                raise StoreError(
                    f"{shown(url)}: assessment {assessment.id} is already in the store and "
                    "differs from this file; pull it to see the store's version, or push "
                    "--replace to overwrite it (its history is replaced too)"
                )
            connection.execute("DELETE FROM responses WHERE assessment_id = %s", (assessment.id,))
            connection.execute("DELETE FROM history WHERE assessment_id = %s", (assessment.id,))
        put_checklist(connection, checklist)
        revision = 1 if existing is None else int(existing[0]) + 1
        connection.execute(
            "INSERT INTO assessments (id, country_code, period, title, checklist_hash, header, "
            "revision) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
            "country_code = EXCLUDED.country_code, period = EXCLUDED.period, "
            "title = EXCLUDED.title, checklist_hash = EXCLUDED.checklist_hash, "
            "header = EXCLUDED.header, revision = EXCLUDED.revision, updated_at = now()",
            (
                assessment.id,
                assessment.country.code,
                assessment.period,
                assessment.title,
                checklist.hash,
                as_json(header_of(assessment)),
                revision,
            ),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO responses (assessment_id, item_id, data, revision) "
                "VALUES (%s, %s, %s, %s)",
                [
                    (assessment.id, item_id, as_json(response.model_dump(mode="json")), revision)
                    for item_id, response in assessment.responses.items()
                ],
            )
            cursor.executemany(
                "INSERT INTO history (assessment_id, entry) VALUES (%s, %s)",
                [
                    (assessment.id, as_json(change.model_dump(mode="json")))
                    for change in assessment.history
                ],
            )
        return "added" if existing is None else "replaced"


def read(connection: Any, assessment_id: str) -> Assessment | None:
    """The assessment as the rows hold it now (inside the caller's transaction)."""
    found = connection.execute(
        "SELECT header FROM assessments WHERE id = %s", (assessment_id,)
    ).fetchone()
    if found is None:
        return None
    responses = dict(
        connection.execute(
            "SELECT item_id, data FROM responses WHERE assessment_id = %s ORDER BY item_id",
            (assessment_id,),
        )
    )
    history = [
        entry
        for (entry,) in connection.execute(
            "SELECT entry FROM history WHERE assessment_id = %s ORDER BY seq", (assessment_id,)
        )
    ]
    return assemble(found[0], responses, history)


def assemble(header: dict[str, Any], responses: dict[str, Any], history: list[Any]) -> Assessment:
    """An assessment from its rows: the header, the answers by item, the history in order."""
    return Assessment.model_validate({**header, "responses": responses, "history": history})


def missing(url: str, ref: str) -> StoreError:
    """The one line for an id the store does not have (or this login may not read)."""
    return StoreError(
        f"{shown(url)}: no assessment {ref!r} in the store; "
        f"`decalogue list --store {shown(url)}` shows the ids"
    )


def pull(url: str, assessment_id: str) -> tuple[Assessment, ChecklistText]:
    with connect(url) as connection:
        check(connection, url)
        assessment = read(connection, assessment_id)
        if assessment is None:
            raise missing(url, assessment_id)
        row = connection.execute(
            "SELECT c.hash, c.id, c.version, c.toml, c.files FROM checklists c "
            "JOIN assessments a ON a.checklist_hash = c.hash WHERE a.id = %s",
            (assessment_id,),
        ).fetchone()
        if row is None:  # the foreign key makes this impossible; say so if it happens
            raise StoreError(f"{shown(url)}: assessment {assessment_id} has no checklist row")
        return assessment, ChecklistText(row[0], row[1], row[2], row[3], dict(row[4]))


def listing(url: str) -> list[Row]:
    with connect(url) as connection:
        check(connection, url)
        rows = connection.execute(
            "SELECT a.id, a.country_code, a.period, a.title, c.id, c.version, a.revision, "
            "(SELECT count(*) FROM responses r WHERE r.assessment_id = a.id "
            " AND (r.data->>'level' IS NOT NULL OR (r.data->>'not_applicable')::boolean)) "
            "FROM assessments a JOIN checklists c ON c.hash = a.checklist_hash "
            "ORDER BY a.country_code, a.period, a.title, a.id"
        ).fetchall()
    return [Row(*row) for row in rows]
