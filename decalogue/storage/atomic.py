"""The one atomic writer: a file is either complete on disk or not there at all.

Saves, exports and the checklist cache all write through here: the data goes to a
temporary file in the target's folder (created readable by its owner only), is
flushed to disk, and only then renamed over the target; the folder is flushed so
the rename itself survives a power cut. Any failure removes the temporary file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from decalogue.errors import FileProblems, Problem, display_path

#: Temporary files end with this; a save removes its own leftovers after a crash.
TEMP_SUFFIX = ".tmp"


class ExportError(FileProblems):
    """An export could not be written; the target was left as it was."""


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600, durable: bool = True) -> None:
    """Temp file in the same folder, fsync, rename over the target, fsync the folder.

    `durable=False` skips both fsyncs, for files that can be rebuilt (the checklist
    cache): still never half-written, but a power cut may lose the newest version.
    """
    temp = write_temp(path, data, durable=durable)
    if mode != 0o600:
        try:
            os.chmod(temp, mode)
        except BaseException:
            with suppress(OSError):
                temp.unlink()
            raise
    move_into_place(temp, path, durable=durable)


def write_temp(path: Path, data: bytes, *, durable: bool = True) -> Path:
    """`data` in a new temp file beside `path` (created 0600), flushed to disk if `durable`."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
    except BaseException:
        with suppress(OSError):
            Path(temp).unlink()
        raise
    return Path(temp)


def move_into_place(temp: Path, path: Path, *, durable: bool = True) -> None:
    try:
        temp.replace(path)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    if durable:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable; some file systems cannot, and the file is in place anyway."""
    if os.name == "nt":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def why(error: OSError) -> str:
    """An OS error in words, with what the user can do about it."""
    reasons = {
        errno.ENOSPC: "the disk is full (free some space and save again)",
        errno.EACCES: "permission denied (check the folder's permissions or save elsewhere)",
        errno.EPERM: "permission denied (check the folder's permissions or save elsewhere)",
        errno.EROFS: "the folder is on a read-only file system (save elsewhere)",
        errno.ENOENT: "the folder does not exist",
        errno.EDQUOT: "the disk quota is exceeded (free some space and save again)",
    }
    return reasons.get(error.errno or 0) or (error.strerror or str(error) or type(error).__name__)


def _fail(path: Path, message: str) -> ExportError:
    return ExportError([Problem(display_path(path), message)])


#: The start of an assessment file: its first key is the schema version (a scorecard's is
#: "$schema", then "scorecard_version"), read from the first bytes only.
_ASSESSMENT_START = re.compile(rb'^\s*\{\s*"schema_version"\s*:\s*\d')


def _holds_assessment(path: Path) -> bool:
    """True when `path` is an assessment file, which no export may replace."""
    try:
        with path.open("rb") as stream:
            start = stream.read(256)
    except OSError:
        return False
    return _ASSESSMENT_START.match(start.lstrip(b"\xef\xbb\xbf")) is not None


def write_file(path: Path | str, data: str | bytes, *, create_parents: bool = False) -> Path:
    """Write an export to `path` atomically; returns the path written.

    A missing folder is an error unless `create_parents` is set, so a typo in a
    folder name does not silently scatter files. New files are readable by
    their owner only (exports hold the same answers as the assessment); an
    existing file keeps its permissions.
    """
    path = Path(path)
    if path.is_symlink() and path.exists():
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise _fail(path, "is a folder; give a file name to export to")
    if path.exists() and not path.is_file():
        # Renaming over a device or pipe would replace it (as root, /dev/null itself).
        raise _fail(path, "is not a regular file (a device or pipe); nothing was written")
    if _holds_assessment(path):
        raise _fail(
            path,
            "is an assessment file; an export never replaces one (its answers and history "
            "would be lost): choose another -o file; nothing was written",
        )
    if not path.name:
        raise _fail(path, "no file name given")
    folder = path.parent
    if not folder.is_dir():
        if folder.exists():
            raise _fail(path, f"{display_path(folder)} is not a folder")
        if not create_parents:
            raise _fail(
                path,
                f"folder {display_path(folder)} does not exist; create it first "
                "(or pass --parents to create it); nothing was written",
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _fail(
                path, f"cannot create folder {display_path(folder)}: {why(error)}"
            ) from None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o600
    except OSError as error:
        raise _fail(path, f"cannot write: {why(error)}; nothing was written") from None
    try:
        atomic_write(path, payload, mode=mode)
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise _fail(path, f"cannot write: {reason}; nothing was written") from None
    return path
