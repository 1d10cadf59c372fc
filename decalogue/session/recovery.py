"""Recovery copies of an open assessment: work that cannot be saved where it belongs.

A session keeps at most one copy of its own. The first time its edits cannot be
saved (a database server away, a disk that refuses) the whole assessment goes to a
new file; each later time the same file is rewritten with the latest edits, so the
name the person was told stays the one that holds everything. Once a save lands
with every edit in the copy, the copy is removed. Copies left by earlier runs are
found through the place (`recoveries`).
"""

from __future__ import annotations

import threading
from pathlib import Path

from decalogue.errors import DecalogueError
from decalogue.model.assessment import Assessment
from decalogue.storage import store
from decalogue.storage.assessment_file import dumps
from decalogue.storage.place import Place


class Recovering:
    """The recovery side of `Kept` (which sets the attributes below)."""

    _lock: threading.RLock
    assessment: Assessment
    place: Place
    _edits: int

    _copy: Path | None = None
    """This session's recovery copy, while it holds edits not yet saved."""
    _copy_edits = -1
    """The session's edit count when the copy was written."""

    @property
    def recovery_copy(self) -> Path | None:
        """The recovery copy holding edits of this session not yet saved, if any."""
        return self._copy

    def save_recovery(self, folder: Path | None = None) -> Path:
        """The answers as they are, in this session's recovery copy: at first a new file in
        `folder` (a served workspace's recovery folder), else beside the file, else in the
        user's data folder (a database's copies: there); later the same file again. Its
        path; raises SaveError when no copy can be written."""
        with self._lock:
            data = dumps(self.assessment)
            edits, copy = self._edits, self._copy
            if copy is not None and edits == self._copy_edits:
                return copy  # it holds these edits already
            if copy is not None:
                try:
                    store.rewrite_copy(copy, data)
                except DecalogueError:
                    copy = None  # a new copy, then; the old one goes
            if copy is None:
                copy = self.place.write_recovery(data, folder)
                if self._copy is not None:
                    store.remove_copy(self._copy)
            self._copy, self._copy_edits = copy, edits
            return copy

    def _landed(self, edits: int) -> None:
        """A save of the session's first `edits` edits landed: a copy of no more is done."""
        with self._lock:
            if self._copy is not None and edits >= self._copy_edits:
                store.remove_copy(self._copy)
                self._copy, self._copy_edits = None, -1

    def recover_to(self, path: Path) -> Path:
        """Write the session's whole assessment to `path` (atomically; never over a file)."""
        with self._lock:
            data = dumps(self.assessment)
        store.save_bytes(path, data, None)
        return path

    def recoveries(self, folder: Path | None = None) -> list[Path]:
        """Recovery copies of this assessment left by earlier runs (also those in `folder`),
        newest first."""
        return self.place.find_recoveries(folder)
