"""Registering checklists in a workspace: validated, copied with their sources, removed.

A registered checklist lives in `WORKSPACE/checklists/ID@VERSION/`: the TOML
file under its own name and every source text it cites, at the same relative
paths, so the copy validates on its own and the original can move or change.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from decalogue.errors import ChecklistError, DecalogueError, Problem, display_path
from decalogue.model.checklist import Checklist
from decalogue.storage.atomic import why
from decalogue.storage.checklists import Checklists, Entry, load_checklist, split_spec


def add(path: Path, checklists: Checklists) -> tuple[Checklist, Path, bool]:
    """Validate and copy; returns (checklist, where, added). Not added: the same was there."""
    checklist = load_checklist(path)
    meta = checklist.meta
    shown = display_path(path)
    for bundled in (e for e in checklists.entries() if e.where == "bundled"):
        if bundled.id == meta.id and load_checklist(bundled.path).meta.version == meta.version:
            raise DecalogueError(
                f"{shown}: {meta.id} {meta.version} is bundled with decalogue; "
                "raise `version` in [meta] to register your own edition"
            )
    target = checklists.folder / f"{meta.id}@{meta.version}"
    if target.exists():
        existing = list(checklists.registered(meta.id, meta.version))
        if existing and load_checklist(existing[0].path).content_hash == checklist.content_hash:
            return checklist, existing[0].path, False
        raise DecalogueError(
            f"{shown}: {meta.id} {meta.version} is already registered with other content; "
            f"raise `version` in [meta], or first `decalogue checklists remove "
            f"{meta.id}@{meta.version}`"
        )
    files = _source_files(path, checklist)
    try:
        checklists.folder.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{meta.id}@", dir=checklists.folder))
    except OSError as error:
        raise DecalogueError(
            f"{display_path(checklists.folder)}: cannot create the folder: {why(error)}"
        ) from None
    try:
        shutil.copyfile(path, temp / path.name)
        for relative in files:
            (temp / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path.parent / relative, temp / relative)
        load_checklist(temp / path.name)  # the copy stands on its own
        os.rename(temp, target)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise DecalogueError(f"{display_path(target)}: not registered: {why(error)}") from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return checklist, target / path.name, True


def _source_files(path: Path, checklist: Checklist) -> list[Path]:
    """The cited source files, each inside the checklist's folder (else it cannot be copied)."""
    base = path.parent.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    for index, source in enumerate(checklist.sources):
        if not source.file:
            continue
        resolved = (path.parent / source.file).resolve()
        try:
            files.append(resolved.relative_to(base))
        except ValueError:
            problems.append(
                Problem(
                    display_path(path),
                    f"source file {source.file!r} is outside the checklist's folder; move it "
                    "beside the checklist (or below it) so it can be registered with it",
                    field=f"sources[{index}].file",
                    owner=f"source {source.id}",
                )
            )
    if problems:
        raise ChecklistError(problems)
    return files


def remove(spec: str, checklists: Checklists) -> list[Entry]:
    """Remove `ID@VERSION`, or `ID` when only one version of it is registered."""
    ident, version = split_spec(spec)
    found = checklists.registered(ident, version)
    if not found:
        if version is None and any(
            e.where == "bundled" and e.id == ident for e in checklists.entries()
        ):
            raise DecalogueError(f"{ident}: is bundled with decalogue; it cannot be removed")
        registered = ", ".join(
            f"{e.id}@{e.version}" for e in checklists.entries() if e.where == "registered"
        )
        raise DecalogueError(
            f"{spec}: not registered in {display_path(checklists.folder)} "
            f"(registered: {registered or 'none'})"
        )
    if version is None and len(found) > 1:
        versions = ", ".join(f"{e.id}@{e.version}" for e in found)
        raise DecalogueError(
            f"{ident}: {len(found)} versions are registered ({versions}); name one as ID@VERSION"
        )
    for entry in found:
        try:
            shutil.rmtree(entry.path.parent)
        except OSError as error:
            raise DecalogueError(
                f"{display_path(entry.path.parent)}: not removed: {why(error)}"
            ) from None
    return found
