"""The one checklist resolver: bundled checklists, registered ones, and files by path.

An assessment names its checklist by id and version. The resolver looks for it
among the checklists bundled with decalogue and those registered in the
workspace's `checklists/` folder (`decalogue checklists add`), one folder per
`ID@VERSION` holding the TOML file and the source texts it cites. Every
command and screen finds checklists here, so "not found" has one wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from decalogue.errors import AssessmentError, ChecklistError, Problem, display_path
from decalogue.model.assessment import ChecklistRef
from decalogue.model.checklist import (
    MAX_CHECKLIST_BYTES,
    Checklist,
    collector_paused,
    parse_checklist,
)
from decalogue.paths import default_workspace
from decalogue.resources import DEFAULT_CHECKLIST_ID, bundled_checklist_paths
from decalogue.storage import checklist_cache

#: The workspace's folder of registered checklists.
FOLDER = "checklists"

HOW_TO_REGISTER = (
    "register it with `decalogue checklists add FILE.toml`, or give its file with --checklist PATH"
)


def load_checklist(path: str | Path | None = None) -> Checklist:
    """Load and validate a checklist file (or a bundled id), or raise ChecklistError."""
    if path is None or not _looks_like_path(path):
        return Checklists().load(path)
    return _load_file(Path(path))


def _looks_like_path(ref: str | Path) -> bool:
    text = str(ref)
    return isinstance(ref, Path) or text.endswith(".toml") or "/" in text or Path(text).exists()


def _load_file(path: Path) -> Checklist:
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
        with collector_paused():
            cached = checklist_cache.lookup(path, size, origin=shown, base_dir=path.parent)
        if cached is not None:
            return cached
        data = path.read_bytes()
    except FileNotFoundError:
        raise ChecklistError([Problem(shown, "no such file")]) from None
    except IsADirectoryError:
        raise ChecklistError([Problem(shown, "is a folder, not a checklist file")]) from None
    except OSError as error:
        raise ChecklistError([Problem(shown, f"cannot read: {error.strerror}")]) from None
    with collector_paused():
        checklist = parse_checklist(data, origin=shown, base_dir=path.parent)
        checklist_cache.store(data, checklist)
    return checklist


_LOADED: dict[tuple[Path, int], Checklist] = {}


def _load_once(path: Path) -> Checklist:
    """A bundled or registered file, validated once per run while it is unchanged."""
    try:
        key = (path, path.stat().st_mtime_ns)
    except OSError:
        return _load_file(path)
    if key not in _LOADED:
        _LOADED[key] = _load_file(path)
    return _LOADED[key]


def other_checklist(file: str, answers: str, given: str, *, force: bool = False) -> AssessmentError:
    """The one wording of "this assessment answers another checklist than the one given"."""
    fix = f"give {answers}'s own checklist, or leave out --checklist"
    if force:
        fix += f", or pass --force to move the answers to {given}"
    return AssessmentError(
        [
            Problem(
                file,
                f"answers checklist {answers}, not the one given with --checklist ({given}); "
                f"its answers would not be scored: {fix}",
                field="checklist.id",
            )
        ]
    )


# --------------------------------------------------------------------------- versions


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders versions as people read them: 1.10 after 1.9, 1.0 after 1.0-rc1."""
    parts: list[tuple[int, int | str]] = []
    for part in re.split(r"[.+-]", version):
        parts.append((1, int(part)) if part.isdecimal() else (0, part))
    return tuple(parts)


def is_older(version: str, than: str) -> bool:
    return version_key(version) < version_key(than)


def split_spec(spec: str) -> tuple[str, str | None]:
    """`ID@VERSION` or `ID` -> (id, version or None)."""
    ident, _, version = spec.partition("@")
    return ident, version or None


# --------------------------------------------------------------------------- the resolver


@dataclass(frozen=True)
class Entry:
    """A checklist the resolver knows, without loading it."""

    id: str
    version: str | None
    """None for a bundled file, whose version is read only when it is loaded."""
    where: str
    """"bundled" or "registered"."""
    path: Path

    @property
    def label(self) -> str:
        """How lists name it: `id` when bundled, `id version (registered)` when registered."""
        if self.where == "bundled":
            return self.id
        return f"{self.id} {self.version} ({self.where})"


class Checklists:
    """Finds checklists by id and version: bundled, then registered in the workspace.

    `given` are checklists named on the command line (`--checklist`): they take
    precedence, and an assessment of another checklist id is refused.
    """

    def __init__(self, workspace: Path | None = None, given: Sequence[Checklist] = ()) -> None:
        self.workspace = workspace if workspace is not None else default_workspace()
        self.given = tuple(given)

    @property
    def folder(self) -> Path:
        return self.workspace / FOLDER

    def giving(self, *refs: str | Path | Checklist | None) -> Checklists:
        """This resolver with checklists given by the user (`--checklist` ids, paths, loaded)."""
        given = [r if isinstance(r, Checklist) else self.load(r) for r in refs if r is not None]
        return Checklists(self.workspace, given) if given else self

    # -- what there is

    def entries(self) -> list[Entry]:
        """Bundled files first, then registered checklists sorted by id and version."""
        result = [Entry(p.stem, None, "bundled", p) for p in bundled_checklist_paths()]
        registered: list[Entry] = []
        if self.folder.is_dir():
            for sub in self.folder.iterdir():
                if sub.name.startswith(".") or "@" not in sub.name or not sub.is_dir():
                    continue
                files = sorted(sub.glob("*.toml"))
                if files:
                    ident, version = split_spec(sub.name)
                    registered.append(Entry(ident, version, "registered", files[0]))
        registered.sort(key=lambda e: (e.id, version_key(e.version or "")))
        return result + registered

    def registered(self, ident: str, version: str | None = None) -> list[Entry]:
        return [
            e
            for e in self.entries()
            if e.where == "registered" and e.id == ident and version in (None, e.version)
        ]

    def versions(self, ident: str) -> list[Checklist]:
        """Every available checklist with this id, oldest version first."""
        found = [c for c in self.given if c.meta.id == ident]
        for entry in self.entries():
            if entry.where == "registered" and entry.id != ident:
                continue
            try:
                checklist = _load_once(entry.path)
            except ChecklistError:
                if entry.id == ident:
                    raise
                continue  # another broken checklist is not this one's problem
            if checklist.meta.id == ident:
                found.append(checklist)
        return sorted(found, key=lambda c: version_key(c.meta.version))

    # -- finding

    def load(self, ref: str | Path | None = None) -> Checklist:
        """A path to a .toml file, `ID@VERSION`, or `ID` (its newest version); None: default."""
        if ref is not None and _looks_like_path(ref):
            return _load_file(Path(ref))
        ident, version = split_spec(str(ref) if ref is not None else DEFAULT_CHECKLIST_ID)
        candidates = [c for c in self.versions(ident) if version in (None, c.meta.version)]
        if not candidates:
            raise self.not_found(ident, version)
        return candidates[-1]

    def find(self, ref: ChecklistRef, file: str = "") -> Checklist:
        """The checklist an assessment answers: its exact version, else the newest of its id.

        Callers compare `meta.version` with `ref.version` to say which was used.
        """
        if self.given:
            same = [c for c in self.given if c.meta.id == ref.id]
            if not same:
                given = ", ".join(sorted({c.meta.id for c in self.given}))
                raise other_checklist(file or ref.id, ref.id, given)
            exact = [c for c in same if c.meta.version == ref.version]
            return (exact or same)[0]
        available = self.versions(ref.id)
        exact = [c for c in available if c.meta.version == ref.version]
        if exact:
            return exact[0]
        if available:
            return available[-1]
        raise self.not_found(ref.id, ref.version, file)

    def find_or_none(self, ref: ChecklistRef) -> Checklist | None:
        try:
            return self.find(ref)
        except ChecklistError:
            if any(e.id == ref.id for e in self.entries()):
                raise  # it is there but broken: say so
            return None

    def not_found(self, ident: str, version: str | None, file: str = "") -> ChecklistError:
        """The one wording of "this checklist is neither bundled nor registered"."""
        what = f"{ident} {version}" if version else ident
        known = (
            ", ".join(
                e.label + (" (bundled)" if e.where == "bundled" else "") for e in self.entries()
            )
            or "none"
        )
        return ChecklistError(
            [
                Problem(
                    file or what,
                    f"checklist {what} is neither bundled nor registered (available: {known}); "
                    + HOW_TO_REGISTER,
                    field="checklist" if file else None,
                )
            ]
        )
