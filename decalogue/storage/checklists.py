"""Finding a checklist: by id among the bundled ones, or by path; loading it through the cache."""

from __future__ import annotations

from pathlib import Path

from decalogue.errors import (
    ChecklistError,
    Problem,
    display_path,
)
from decalogue.model.assessment import (
    ChecklistRef,
)
from decalogue.model.checklist import (
    MAX_CHECKLIST_BYTES,
    Checklist,
    collector_paused,
    parse_checklist,
)
from decalogue.resources import DEFAULT_CHECKLIST_ID, bundled_checklist_paths
from decalogue.storage import checklist_cache


def resolve_checklist(ref: str | Path | None) -> Path:
    """A bundled checklist's id (or None for the default), or a path to a TOML file."""
    if ref is None:
        ref = DEFAULT_CHECKLIST_ID
    candidate = Path(ref)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in str(ref):
        return candidate
    for path in bundled_checklist_paths():
        if path.stem == str(ref):
            return path
    known = ", ".join(path.stem for path in bundled_checklist_paths()) or "none"
    raise ChecklistError(
        [
            Problem(
                str(ref),
                f"no bundled checklist with this id (bundled: {known}); "
                "give a path to a .toml file instead",
            )
        ]
    )


def load_checklist(ref: str | Path | None = None) -> Checklist:
    """Load and validate a checklist, or raise ChecklistError listing every problem."""
    path = resolve_checklist(ref)
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CHECKLIST_BYTES:
            raise ChecklistError(
                [
                    Problem(
                        shown,
                        f"file is {size:,} bytes; checklists are limited to "
                        f"{MAX_CHECKLIST_BYTES:,} bytes (split it into several checklists)",
                    )
                ]
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ChecklistError([Problem(shown, "no such file")]) from None
    except IsADirectoryError:
        raise ChecklistError([Problem(shown, "is a folder, not a checklist file")]) from None
    except OSError as error:
        raise ChecklistError([Problem(shown, f"cannot read: {error.strerror}")]) from None
    with collector_paused():
        cached = checklist_cache.lookup(data, origin=shown, base_dir=path.parent)
        if cached is not None:
            return cached
        checklist = parse_checklist(data, origin=shown, base_dir=path.parent)
        checklist_cache.store(data, checklist)
    return checklist


# --------------------------------------------------------------------------- checklists


def find_checklist(ref: ChecklistRef) -> Checklist | None:
    """The bundled checklist with this id (any version; drift is the session's business)."""
    paths = bundled_checklist_paths()
    ordered = sorted(paths, key=lambda p: p.stem != ref.id)  # the likely file first
    for path in ordered:
        try:
            checklist = _bundled(path, path.stat().st_mtime_ns)
        except ChecklistError:
            if path.stem == ref.id:
                raise
            continue  # another broken checklist is not this one's problem
        if checklist.meta.id == ref.id:
            return checklist
    return None


_BUNDLED: dict[tuple[Path, int], Checklist] = {}


def _bundled(path: Path, mtime: int) -> Checklist:
    key = (path, mtime)
    if key not in _BUNDLED:
        _BUNDLED[key] = load_checklist(path)
    return _BUNDLED[key]
