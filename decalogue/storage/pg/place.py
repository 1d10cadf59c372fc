"""One assessment in the team's database as a `Place` (see `decalogue.storage.place`).

Saves go through `location.save_merged` (the row locked, only changed items
written); the signature is the row's revision; recovery copies are files on
this computer (in the recovery folder: the database is what could not be
reached); presence and live updates come from the window's own listening
connection (`watch.Watch`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from decalogue.model.checklist import Checklist
from decalogue.paths import recovery_folder
from decalogue.storage import store
from decalogue.storage.pg import collection, location
from decalogue.storage.pg.connection import connect
from decalogue.storage.pg.watch import Watch
from decalogue.storage.place import Loaded, Place, Produce, Saved
from decalogue.storage.presence import Presence


def store_label(url: str) -> str:
    """`host/database` of an address, for people (no user, no password)."""
    parts = urlsplit(url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["localhost"])[0]
    if host.startswith("/"):
        host = "localhost"
    database = parts.path.lstrip("/") or "postgres"
    return f"{host}/{database}"


class PgPlace(Place):
    """An assessment in a PostgreSQL store, by its id."""

    def __init__(self, url: str, assessment_id: str) -> None:
        self.url = url
        self.assessment_id = assessment_id
        self.label = f"{store_label(url)}: {assessment_id}"
        self._watch: Watch | None = None

    def read(self) -> Loaded:
        assessment, stamp, revision = location.load(self.url, self.assessment_id)
        return Loaded(assessment, stamp, revision)

    def signature(self) -> Hashable | None:
        return location.revision(self.url, self.assessment_id)

    def save_merged(self, expected: str | None, produce: Produce) -> Saved:
        saved = location.save_merged(self.url, self.assessment_id, expected, produce)
        return Saved(saved.fingerprint, saved.revision)

    @property
    def _copy_name(self) -> str:
        return f"store-{self.assessment_id}.json"

    def write_recovery(self, data: bytes, folder: Path | None = None) -> Path:
        folders = [folder] if folder is not None else [recovery_folder()]
        return store.write_copy(folders, self._copy_name, data, self.label)

    def find_recoveries(self, folder: Path | None = None) -> list[Path]:
        folders = [recovery_folder(), *([folder] if folder is not None else [])]
        own = [f for f in folders if f.is_dir()]
        return store.find_copies(self._copy_name, own, [], self.assessment_id)

    def announce(self, name: str, account: str) -> None:
        self._watching().present_as(name, account)

    def others(self) -> list[Presence]:
        with connect(self.url) as connection:
            rows = connection.execute(
                "SELECT name, account, host, backend, since FROM presence p "
                "WHERE assessment_id = %s AND EXISTS "
                "(SELECT 1 FROM pg_stat_activity a WHERE a.pid = p.backend "
                "AND a.datname = current_database()) ORDER BY since",
                (self.assessment_id,),
            ).fetchall()
        # This window's own row is left out by its backend read after the query: its
        # listening thread may have written the row while the query ran.
        own = self._watch.backend if self._watch is not None else None
        return [_presence(*row) for row in rows if row[3] != own]

    def close(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None

    def listen(self, on_change: Callable[[], None]) -> bool:
        self._watching().on_change(on_change)
        return True

    def is_at(self, ref: Path) -> bool:
        return str(ref) == self.assessment_id

    def checklist(self) -> Checklist | None:
        """The checklist stored with the assessment (its TOML and source texts)."""
        (fetched,) = collection.fetch(self.url, [self.assessment_id], history=False)
        return collection.checklist_of(fetched.checklist, f"{self.label} (its checklist)")

    def _watching(self) -> Watch:
        if self._watch is None:
            self._watch = Watch(self.url, self.assessment_id)
        return self._watch


def _presence(name: str, account: str, host: str, backend: int, since: datetime) -> Presence:
    return Presence(name=name, account=account, host=host, pid=backend, since=since, file=None)
