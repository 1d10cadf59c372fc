"""Many assessments of a PostgreSQL store at once: what list, compare, trend, matrix and
workshops read, and what `new` and `import` add.

Assessments are read a batch at a time (one query per table, not per assessment)
with the checklist each answers as the store keeps it (TOML text and source
texts, by hash), so a team member opens them without the checklist's file. An
assessment is named by its id or an unambiguous start of it (as `list` shows).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist, parse_checklist
from decalogue.storage.assessment_file import dumps, fingerprint
from decalogue.storage.checklists import Checklists
from decalogue.storage.pg.connection import StoreError, connect, shown
from decalogue.storage.pg.documents import ChecklistText, assemble, missing, push
from decalogue.storage.pg.schema import check
from decalogue.storage.workspace import Summary, summarize

#: The shortest start of an id accepted for the whole id.
MIN_PREFIX = 6
#: The start of an id shown to a person (as batch output and the workshop screen show it).
SHOWN_PREFIX = 8


@dataclass(frozen=True)
class Fetched:
    """One stored assessment with the checklist it answers and its revision."""

    assessment: Assessment
    checklist: ChecklistText
    revision: int

    @property
    def fingerprint(self) -> str:
        return fingerprint(dumps(self.assessment))


def resolve(connection: Any, url: str, refs: Sequence[str]) -> list[str]:
    """The ids named by `refs` (ids, or unambiguous starts of ids), in order."""
    ids = []
    for ref in refs:
        found = _one(connection, url, ref)
        if found is None:
            raise missing(url, ref)
        ids.append(found)
    return ids


def _one(connection: Any, url: str, ref: str) -> str | None:
    exact = connection.execute("SELECT id FROM assessments WHERE id = %s", (ref,)).fetchone()
    if exact is not None:
        return str(exact[0])
    found = []
    if len(ref) >= MIN_PREFIX and all(c in "0123456789abcdef" for c in ref.lower()):
        found = connection.execute(
            "SELECT id FROM assessments WHERE id LIKE %s ORDER BY id LIMIT 2",
            (ref.lower() + "%",),
        ).fetchall()
    if len(found) > 1:
        raise StoreError(
            f"{shown(url)}: {ref!r} is the start of several assessments' ids; give more of it"
        )
    return str(found[0][0]) if found else None


def find_id(url: str, ref: str) -> str | None:
    """The id `ref` names (an id or an unambiguous start of one); None: no such assessment."""
    with connect(url) as connection:
        check(connection, url)
        return _one(connection, url, ref)


def short_ids(url: str, ids: Sequence[str]) -> dict[str, str]:
    """Each whole id's start that a person reads and types: 8 characters, more where
    another assessment's id starts the same, so `find_id` takes it back to that id alone."""
    shortened = {}
    with connect(url) as connection:
        check(connection, url)
        for ident in ids:
            others = [
                str(row[0])
                for row in connection.execute(
                    "SELECT id FROM assessments WHERE id LIKE %s AND id <> %s",
                    (ident[:SHOWN_PREFIX] + "%", ident),
                )
            ]
            length = SHOWN_PREFIX
            while length < len(ident) and any(o.startswith(ident[:length]) for o in others):
                length += 1
            shortened[ident] = ident[:length]
    return shortened


def fetch(url: str, refs: Sequence[str], *, history: bool = True) -> list[Fetched]:
    """The assessments `refs` name, in that order (a missing one: one line, nothing read)."""
    with connect(url) as connection:
        check(connection, url)
        ids = resolve(connection, url, refs)
        return _read(connection, ids, history=history)


def country_ids(url: str, code: str) -> list[str]:
    """The ids of one country's assessments, oldest period first."""
    with connect(url) as connection:
        check(connection, url)
        rows = connection.execute(
            "SELECT id FROM assessments WHERE country_code = %s ORDER BY period, title, id",
            (code.upper(),),
        ).fetchall()
    return [str(row[0]) for row in rows]


def every_id(url: str | None) -> list[str]:
    """The ids of every assessment the store holds (that this role may read), by country
    and period."""
    if url is None:
        return []
    with connect(url) as connection:
        check(connection, url)
        rows = connection.execute(
            "SELECT id FROM assessments ORDER BY country_code, period, title, id"
        ).fetchall()
    return [str(row[0]) for row in rows]


def every(url: str, *, history: bool = True) -> list[Fetched]:
    """Every assessment the store holds (that this role may read), by country and period."""
    with connect(url) as connection:
        check(connection, url)
        rows = connection.execute(
            "SELECT id FROM assessments ORDER BY country_code, period, title, id"
        ).fetchall()
        return _read(connection, [str(row[0]) for row in rows], history=history)


def summaries(url: str) -> list[Summary]:
    """The store's listing, scored against each assessment's stored checklist.

    A summary's `path` is the assessment's id (what names it in this store).
    """
    found = every(url, history=False)
    result = []
    for entry in found:
        shown = shown_ref(entry.assessment)
        checklist = checklist_of(entry.checklist, shown)
        result.append(summarize(Path(entry.assessment.id), entry.assessment, checklist, shown))
    return result


def _read(connection: Any, ids: list[str], *, history: bool) -> list[Fetched]:
    headers = {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT id, header, revision, checklist_hash FROM assessments WHERE id = ANY(%s)",
            (ids,),
        )
    }
    # One JSON document per assessment (not one per row): the driver decodes 570, not 20,000.
    answers: dict[str, dict[str, Any]] = {ident: {} for ident in ids}
    answers.update(
        connection.execute(
            "SELECT assessment_id, json_object_agg(item_id, data ORDER BY item_id) "
            "FROM responses WHERE assessment_id = ANY(%s) GROUP BY assessment_id",
            (ids,),
        ).fetchall()
    )
    entries: dict[str, list[Any]] = {ident: [] for ident in ids}
    if history:
        entries.update(
            connection.execute(
                "SELECT assessment_id, json_agg(entry ORDER BY seq) FROM history "
                "WHERE assessment_id = ANY(%s) GROUP BY assessment_id",
                (ids,),
            ).fetchall()
        )
    hashes = sorted({str(h[2]) for h in headers.values()})
    texts = {
        row[0]: ChecklistText(row[0], row[1], row[2], row[3], dict(row[4]))
        for row in connection.execute(
            "SELECT hash, id, version, toml, files FROM checklists WHERE hash = ANY(%s)",
            (hashes,),
        )
    }
    result = []
    for ident in ids:
        header, revision, checklist_hash = headers[ident]
        assessment = assemble(header, answers[ident], entries[ident])
        result.append(Fetched(assessment, texts[checklist_hash], int(revision)))
    return result


_PARSED: dict[str, Checklist] = {}


def checklist_of(text: ChecklistText, origin: str) -> Checklist:
    """The checklist as stored (TOML and its source texts), parsed once per hash."""
    if text.hash in _PARSED:
        return _PARSED[text.hash]
    if not text.files:
        checklist = parse_checklist(text.toml, origin=origin)
    else:
        with tempfile.TemporaryDirectory(prefix="decalogue-checklist-") as folder:
            for name, content in text.files.items():
                if Path(name).is_absolute() or ".." in Path(name).parts:
                    raise StoreError(f"{origin}: source file name {name!r} leaves its folder")
                target = Path(folder) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
            checklist = parse_checklist(text.toml, origin=origin, base_dir=Path(folder))
    _PARSED[text.hash] = checklist
    return checklist


def text_of(
    checklist: Checklist, checklists: Checklists, given: Path | None = None
) -> ChecklistText:
    """What the store keeps of a checklist: its file's TOML and the source texts it cites."""
    candidates = [given] if given else [entry.path for entry in checklists.entries()]
    loaded_from = Path(checklist.origin).expanduser()
    if given is None and loaded_from.suffix == ".toml" and loaded_from.is_file():
        candidates.insert(0, loaded_from)  # a --checklist file: where it was read from
    for path in candidates:
        found = checklists.load(path)
        if found.meta.id == checklist.meta.id and found.content_hash == checklist.content_hash:
            files = {
                source.file: (path.parent / source.file).read_text(encoding="utf-8")
                for source in found.sources
                if source.file
            }
            toml = path.read_text(encoding="utf-8")
            return ChecklistText(found.content_hash, found.meta.id, found.meta.version, toml, files)
    raise StoreError(
        f"checklist {checklist.meta.id} {checklist.meta.version} ({checklist.origin}): its "
        "file was not found to keep in the store; register it (`decalogue checklists add`) "
        "or give it with --checklist PATH"
    )


def twin_of(url: str, assessment: Assessment) -> str | None:
    """A stored assessment of the same country, period, checklist and title (its id), if any."""
    with connect(url) as connection:
        check(connection, url)
        found = connection.execute(
            "SELECT a.id FROM assessments a JOIN checklists c ON c.hash = a.checklist_hash "
            "WHERE a.country_code = %s AND a.period = %s AND c.id = %s "
            "AND lower(btrim(a.title)) = %s LIMIT 1",
            (
                assessment.country.code,
                assessment.period,
                assessment.checklist.id,
                assessment.title.strip().casefold(),
            ),
        ).fetchone()
    return None if found is None else str(found[0])


def create(url: str, assessment: Assessment, text: ChecklistText) -> str:
    """Keep a new assessment in the store; its id (an existing id is refused)."""
    said = push(url, assessment, text)
    if said != "added":
        raise StoreError(f"{shown(url)}: assessment {assessment.id} is already in the store")
    return assessment.id


def shown_ref(assessment: Assessment) -> str:
    """How batch output names a stored assessment: country, period and the start of its id."""
    return f"{assessment.country.code} {assessment.period} ({assessment.id[:8]})"
