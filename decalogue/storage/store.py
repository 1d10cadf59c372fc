"""Saving and loading one assessment file safely.

An assessment is days of an official's work, so every write is atomic (see
`storage.atomic`), keeps the previous version as `<name>.bak`, is readable only by
its owner, and happens under a lock on the file: a save whose file moved since it
was loaded gets the bytes on disk first (`save_merged`) so that the session
merges them, and two windows or two programs never silently overwrite each other.
A file that cannot be parsed is never written over.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from decalogue import clock
from decalogue.errors import (
    DecalogueError,
    display_path,
)
from decalogue.model.assessment import (
    Assessment,
)
from decalogue.paths import recovery_folder
from decalogue.storage.assessment_file import (
    MAX_ASSESSMENT_BYTES,
    dumps,
    fingerprint,
    parse_assessment,
    parse_input,
    read_bytes,
)
from decalogue.storage.atomic import TEMP_SUFFIX, atomic_write, move_into_place, why, write_temp

#: How long a save waits for another program's save of the same file.
LOCK_TIMEOUT = 10.0


class SaveError(DecalogueError):
    """A write failed (disk full, permission, read-only folder); the old file is intact."""


class ConflictError(DecalogueError):
    """The file on disk is not the version that was loaded; nothing was written."""


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class Stored:
    """An assessment as loaded, with the fingerprint that later saves check against."""

    path: Path
    assessment: Assessment
    fingerprint: str
    """sha256 of the bytes on disk."""
    scorecard: bool = False
    """Read from a scorecard (an export): for reading only, never saved back."""


def read(path: Path) -> Stored:
    data = read_bytes(path)
    return Stored(path, parse_assessment(data, display_path(path)), fingerprint(data))


def read_input(path: Path) -> Stored:
    """An assessment file or a scorecard, for the commands that only read."""
    data = read_bytes(path)
    assessment, scorecard = parse_input(data, display_path(path))
    return Stored(path, assessment, fingerprint(data), scorecard)


def create(path: Path, assessment: Assessment) -> Stored:
    """Write a new file; never overwrites an existing one (ConflictError)."""
    return Stored(path, assessment, save(path, assessment, None))


def save(path: Path, assessment: Assessment, expected: str | None) -> str:
    """Write `assessment` to `path` if the file is still the version `expected`; new fingerprint.

    `expected` is None only for a file that must not exist yet.
    """
    return save_bytes(path, dumps(assessment), expected)


def save_bytes(path: Path, data: bytes, expected: str | None) -> str:
    """`save` for bytes already produced by `dumps`: refused if the file moved since `expected`."""
    shown = display_path(path)

    def unchanged(current: bytes | None) -> bytes:
        if current is not None:
            if expected is None:
                raise ConflictError(
                    f"{shown}: already exists; nothing was written (choose another file name)"
                )
            raise ConflictError(
                f"{shown}: changed on disk since it was opened (another window or program "
                "saved it); nothing was written: open it again to take that version"
            )
        return data

    return save_merged(path, expected, unchanged).fingerprint


@dataclass(frozen=True)
class Written:
    fingerprint: str
    """sha256 of the bytes written."""
    signature: Signature | None
    """The file's identity on disk just after the write (see `signature`)."""


#: inode, device, size, modification and change times: a different value means the file
#: was replaced or changed since (every save renames a new file into place).
Signature = tuple[int, int, int, int, int]


def signature(path: Path) -> Signature | None:
    """A cheap check for "changed on disk?" (one stat, no read); None if there is no file."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def save_merged(
    path: Path,
    expected: str | None,
    produce: Callable[[bytes | None], bytes],
    seen: Signature | None = None,
) -> Written:
    """Write what `produce` returns, under the file's lock.

    `produce` is called under the lock with the bytes on disk when they are no longer
    the version `expected` (None when they are, or when the file is gone), so a
    session can merge them with its own edits before anything is written. A
    symbolic link is saved through: the new version replaces the link's target,
    atomically, beside it, and the link stays.

    `seen` is the file's signature when it was the version `expected` (read or
    written by this session): while the file still has it, nothing replaced or
    changed it, and it is not read and hashed again (a tenth of an autosave). (Other
    programs' saves rename a new file in, or change its times; a change in place, at
    the same size, within the grain of the file's times, a few milliseconds on older
    kernels, would go unseen, and the .bak made of that file would keep it.)
    """
    target = target_of(path)
    if _special(target):
        # Reading it could block (a pipe, a terminal) and the rename would replace it (as
        # root, -o /dev/stdout would replace the device for everyone).
        raise SaveError(
            f"{display_path(path)}: not saved: not a regular file (a device or pipe); "
            "save to a file"
        )
    try:
        with file_lock(target):
            _remove_leftovers(target)
            if expected is not None and seen is not None and signature(target) == seen:
                current, exists, moved = None, True, False
            else:
                current = _current_bytes(target)
                exists = current is not None
                moved = current is not None and (
                    expected is None or fingerprint(current) != expected
                )
            data = produce(current if moved else None)
            if len(data) > MAX_ASSESSMENT_BYTES:
                raise SaveError(
                    f"{display_path(path)}: not saved: the assessment would be {len(data):,} "
                    "bytes, over "
                    f"the limit of {MAX_ASSESSMENT_BYTES:,}; the file on disk is unchanged"
                )
            # A file deleted since it was opened is written again: the user's edits are the
            # only copy left, and there is nothing on disk to overwrite.
            # The new version goes to disk before the backup is touched: a full disk fails
            # here, and the previous .bak survives.
            temp = write_temp(target, data)
            try:
                if exists:
                    _keep_backup(target, current)
            except BaseException:
                with suppress(OSError):
                    temp.unlink()
                raise
            move_into_place(temp, target)
            # Taken under the lock: no other save can have replaced the file yet.
            written = Written(fingerprint(data), signature(target))
    except OSError as error:
        raise SaveError(
            f"{display_path(path)}: not saved: {why(error)}; the file on disk is unchanged"
        ) from None
    return written


def target_of(path: Path) -> Path:
    """The file a save replaces: a symbolic link's target, else the path itself."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


# --------------------------------------------------------------------------- recovery


def recovery_name(path: Path, stamp: str) -> str:
    return f"{path.stem}-recovered-{stamp}{path.suffix or '.json'}"


def write_recovery(path: Path, data: bytes, folder: Path | None = None) -> Path:
    """Keep work that could not be saved: a complete new file in `folder`, else beside the
    file, else in the user's data folder; the copy's path. Never replaces a file. Raises
    SaveError when no copy could be written."""
    target = target_of(path)
    folders = [folder] if folder is not None else [target.parent, recovery_folder()]
    return write_copy(folders, target.name, data, display_path(path))


def write_copy(folders: list[Path], name: str, data: bytes, shown: str) -> Path:
    """A recovery copy of `name` (e.g. `XX-2025.json`) in the first of `folders` that takes
    it, named `<stem>-recovered-<UTC time>.json`; SaveError naming `shown` if none does."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    errors = []
    for place in folders:
        for n in range(1, 100):
            copy = place / recovery_name(Path(name), stamp if n == 1 else f"{stamp}-{n}")
            try:
                place.mkdir(mode=0o700, parents=True, exist_ok=True)
                save_bytes(copy, data, None)
            except ConflictError:
                continue  # a copy of this second exists: the next number
            except (OSError, DecalogueError) as error:
                errors.append(f"{display_path(place)}: {error}")
                break
            return copy
    raise SaveError(f"{shown}: no recovery copy could be written ({'; '.join(errors)})")


def rewrite_copy(copy: Path, data: bytes) -> None:
    """Put newer bytes in a recovery copy this run wrote (atomically; its name stays, so
    the place already told to the user keeps the latest); SaveError if it cannot."""
    try:
        atomic_write(copy, data)
    except OSError as error:
        raise SaveError(f"{display_path(copy)}: {why(error)}") from None


def remove_copy(copy: Path) -> None:
    """A recovery copy whose contents have all been saved: gone (already gone is fine)."""
    with suppress(OSError):
        copy.unlink()


def find_recoveries(path: Path) -> list[Path]:
    """Recovery copies of `path` (beside it, or in the user's data folder), newest first."""
    target = target_of(path)
    shared = [recovery_folder()]
    if not any(copy for folder in shared for copy in folder.glob(_copy_pattern(target.name))):
        # Most starts: nothing there to compare, so the file is not parsed a second time
        # just for its id (at 10,000 items that parse cost as much as opening it).
        return find_copies(target.name, [target.parent], [], None)
    try:
        ident: str | None = parse_assessment(read_bytes(target), display_path(target)).id
    except DecalogueError:
        ident = None
    return find_copies(target.name, [target.parent], shared, ident)


def _copy_pattern(name: str) -> str:
    stem = Path(name)
    return f"{glob.escape(stem.stem)}-recovered-*{glob.escape(stem.suffix or '.json')}"


def find_copies(name: str, own: list[Path], shared: list[Path], ident: str | None) -> list[Path]:
    """Recovery copies of `name`: every one in the `own` folders, and those in `shared`
    folders that hold assessment `ident`; newest first."""
    pattern = _copy_pattern(name)
    found = {copy for folder in own for copy in folder.glob(pattern)}
    for copy in (copy for folder in shared for copy in folder.glob(pattern)):
        try:
            if parse_assessment(read_bytes(copy), display_path(copy)).id == ident:
                found.add(copy)
        except DecalogueError:
            continue
    return sorted(found, key=lambda p: p.name, reverse=True)


def _special(path: Path) -> bool:
    """A device, pipe or socket (after following links); folders are reported elsewhere."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _remove_leftovers(path: Path) -> None:
    """Delete temp files of earlier saves of `path` that a crash or kill left behind.

    Called under the file's lock: no other save of this file is running, so every
    such temp file is an orphan.
    """
    prefix = f".{path.name}."  # then anything, then TEMP_SUFFIX
    try:
        names = os.listdir(path.parent)  # a plain listing: a glob costs twice as much
    except OSError:
        return
    for name in names:
        if (
            name.startswith(prefix)
            and name.endswith(TEMP_SUFFIX)
            and len(name) >= len(prefix) + len(TEMP_SUFFIX)
        ):
            with suppress(OSError):
                (path.parent / name).unlink()


def _keep_backup(path: Path, current: bytes | None) -> None:
    """Make the version on disk the `.bak`: a second name (hard link) for the same file.

    Nothing is copied or flushed: the file's data is already on disk, and the rename
    becomes durable with the folder's fsync after the new version is moved in. That
    halves the fsyncs of a save (an autosave). File systems without hard links get a copy.
    """
    link = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        os.link(path, link)
    except OSError:
        atomic_write(backup_path(path), path.read_bytes() if current is None else current)
        return
    try:
        link.replace(backup_path(path))
    finally:
        # Gone after a rename, except when the .bak already was this file (a save killed
        # between its backup and its rename): rename() then leaves both names in place.
        with suppress(OSError):
            link.unlink()


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on the sidecar `.<name>.lock`, shared by every decalogue process."""
    lock = lock_path(path)
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise SaveError(
                    f"{display_path(path)}: another program is saving this file "
                    f"(lock {lock.name} is held); nothing was written, try again"
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        with suppress(OSError):
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
