"""Writing an export to disk so that it is either complete or not there at all.

An export is what gets sent onward, so a half-written file is worse than none:
the data goes to a temporary file in the target folder, is flushed to disk, and
only then renamed over the target. Any failure removes the temporary file and
raises an ExportError that says nothing was written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from decalogue.errors import FileProblems, Problem, display_path


class ExportError(FileProblems):
    """An export could not be written; the target was left as it was."""


def _fail(path: Path, message: str) -> ExportError:
    return ExportError([Problem(display_path(path), message)])


def write_file(path: Path | str, data: str | bytes, *, create_parents: bool = False) -> Path:
    """Write `data` to `path` atomically; returns the path written.

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
                path, f"cannot create folder {display_path(folder)}: {_reason(error)}"
            ) from None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o600
    except OSError as error:
        raise _fail(path, f"cannot write: {_reason(error)}; nothing was written") from None
    temp_name: str | None = None
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".partial")
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
        temp_name = None
    except OSError as error:
        raise _fail(path, f"cannot write: {_reason(error)}; nothing was written") from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    _sync_folder(folder)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__
