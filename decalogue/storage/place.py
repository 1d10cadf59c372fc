"""The place of ONE open assessment: a file, or a row set in the team's database.

A session (`decalogue.session`) reads, saves, takes in others' changes, keeps
recovery copies and says who else is editing through a `Place`, never through
paths, so the workbench, `fill`, `plan` and `serve` work the same on the
folder workspace and on PostgreSQL. The contract (tests/test_store_contract.py
runs it on both):

- `read()` is the assessment as stored now, with its fingerprint (sha256 of the
  canonical bytes, as `assessment_file.dumps` gives them) and its signature.
- `signature()` is the cheap "changed since?" check: equal signatures, same
  version (a file's stat; the database row's revision). None: not there.
- `save_merged(expected, produce)` writes what `produce` returns under the
  place's lock (a file lock; the row locked for the transaction). `produce` gets
  the bytes stored now when they are no longer the version `expected`, so the
  session merges them item by item first; else None.
- recovery copies are complete assessment files (`write_recovery`,
  `find_recoveries`), kept on this computer even for a database place.
- presence: `announce` tells others this window has it open, `others` lists the
  other windows, `close` withdraws (and stops listening).
- `listen(on_change)` asks to be told when someone else saves; False when the
  place cannot push (files: the caller polls `signature`).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.storage import presence, store


class Unreachable(DecalogueError):
    """The place cannot be reached now (a database server away); trying again later may
    land the save. The session keeps its edits meanwhile."""


#: Produce the bytes to write from the bytes stored now (None: unchanged since expected).
Produce = Callable[[bytes | None], bytes]


@dataclass(frozen=True)
class Loaded:
    """An assessment as read from its place, with what later saves check against."""

    assessment: Assessment
    fingerprint: str
    signature: Hashable | None


@dataclass(frozen=True)
class Saved:
    fingerprint: str
    """sha256 of the bytes written."""
    signature: Hashable | None
    """The place's signature just after the write (this session's own save)."""


class Place(ABC):
    """Where one assessment lives; see the module's docstring for the contract."""

    label: str
    """For people: the file (`~/…/XX-2025.json`) or `host/database: id`."""
    path: Path | None = None
    """The file, for a file place; None in a database."""

    @abstractmethod
    def read(self) -> Loaded:
        """The assessment stored now; DecalogueError in one line if it cannot be read."""

    @abstractmethod
    def signature(self) -> Hashable | None:
        """Cheap: changes whenever a save lands; None when the assessment is not there."""

    @abstractmethod
    def save_merged(self, expected: str | None, produce: Produce) -> Saved:
        """Write `produce`'s bytes under the place's lock (see the module's docstring)."""

    @abstractmethod
    def write_recovery(self, data: bytes, folder: Path | None = None) -> Path:
        """A recovery copy of `data` in `folder`, else where this place keeps them."""

    @abstractmethod
    def find_recoveries(self, folder: Path | None = None) -> list[Path]:
        """Recovery copies of this assessment (also those in `folder`), newest first."""

    @abstractmethod
    def announce(self, name: str, account: str) -> None:
        """Tell other windows this one has the assessment open."""

    @abstractmethod
    def others(self) -> list[presence.Presence]:
        """The other windows that have it open (who, since when), oldest first."""

    def keep_present(self) -> None:  # noqa: B027 (most places need no heartbeat)
        """Called now and then by an open window (a heartbeat where the place needs one)."""

    @abstractmethod
    def close(self) -> None:
        """This window no longer has it open (and stops listening)."""

    def listen(self, on_change: Callable[[], None]) -> bool:
        """Call `on_change` (from another thread) when someone else saves; False: poll."""
        del on_change
        return False

    def checklist(self) -> Checklist | None:
        """The checklist stored with the assessment (a database keeps it); None for files."""
        return None

    def is_at(self, ref: Path) -> bool:
        """This place is `ref` (a served group's own file, or its id in a database)."""
        return self.path is not None and _same(self.path, ref)


class FilePlace(Place):
    """An assessment file in a folder (the default workspace); `storage.store` does the work."""

    def __init__(self, path: Path) -> None:
        self.file = self.path = path
        self.label = display_path(path)
        self._presence: Path | None = None
        self._heartbeat = 0.0
        self._seen: tuple[str, store.Signature | None] | None = None
        """The last version read or written here, and the file's signature then."""

    def read(self) -> Loaded:
        signature = store.signature(self.file)  # before reading: a later change shows
        stored = store.read(self.file)
        self._seen = (stored.fingerprint, signature)
        return Loaded(stored.assessment, stored.fingerprint, signature)

    def signature(self) -> Hashable | None:
        return store.signature(self.file)

    def save_merged(self, expected: str | None, produce: Produce) -> Saved:
        seen = self._seen[1] if self._seen is not None and self._seen[0] == expected else None
        written = store.save_merged(self.file, expected, produce, seen)
        self._seen = (written.fingerprint, written.signature)
        return Saved(written.fingerprint, written.signature)

    def write_recovery(self, data: bytes, folder: Path | None = None) -> Path:
        return store.write_recovery(self.file, data, folder)

    def find_recoveries(self, folder: Path | None = None) -> list[Path]:
        found = set(store.find_recoveries(self.file))
        if folder is not None and folder.is_dir():
            found.update(store.find_copies(store.target_of(self.file).name, [folder], [], None))
        return sorted(found, key=lambda p: p.name, reverse=True)

    def announce(self, name: str, account: str) -> None:
        if self._presence is None:
            self._presence = presence.announce(store.target_of(self.file), name, account)
            self._heartbeat = time.monotonic()

    def others(self) -> list[presence.Presence]:
        return presence.present(store.target_of(self.file), self._presence)

    def keep_present(self) -> None:
        if self._presence is not None and time.monotonic() - self._heartbeat > presence.HEARTBEAT:
            presence.touch(self._presence)
            self._heartbeat = time.monotonic()

    def close(self) -> None:
        if self._presence is not None:
            presence.withdraw(self._presence)
            self._presence = None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
