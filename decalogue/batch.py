"""Opening many assessment files at once, each with its checklist.

Compare, trend, aggregate, merge and their screens all start the same way:
read every file (one error listing the problems of all unreadable ones), find
each file's checklist through the one resolver, check the answers against it,
and collect notes a user should see (an answer read against another version of
its checklist, answers to items the checklist no longer has).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from decalogue.analysis.compare import Subject
from decalogue.analysis.decisions import Resumable, latest_consensus
from decalogue.analysis.workshop import (
    Group,
    WorkshopError,
    check_groups,
    expand_paths,
    is_consensus,
    make_groups,
)
from decalogue.errors import AssessmentError, Problem, display_path
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.plural import counted
from decalogue.storage import store
from decalogue.storage.assessment_file import check_against
from decalogue.storage.checklists import Checklists
from decalogue.storage.pg.collection import Fetched, checklist_of, shown_ref
from decalogue.storage.stores import Store

#: How many orphaned item ids a note names before "...".
NAMED = 8


@dataclass(frozen=True)
class Opened:
    """One assessment (a file, or one kept in a database), checked against its checklist."""

    assessment: Assessment
    checklist: Checklist
    shown: str
    """The file's path, or the stored assessment's country, period and id, as the user sees it."""


@dataclass(frozen=True)
class Batch:
    files: list[Opened]
    notes: list[str]

    def subjects(self) -> list[Subject]:
        return [Subject(f.assessment, f.checklist, f.shown) for f in self.files]


@dataclass(frozen=True)
class Gathered:
    """A workshop's group files, with the one checklist they all answer."""

    groups: list[Group]
    checklist: Checklist
    notes: list[str]
    resume: Resumable | None = None
    """With `open_groups(resume=True)`: the newest consensus saved among the files, whose
    decisions the workshop screen picks up (`analysis.decisions`)."""


def read_all(paths: Sequence[Path], *, scorecards: bool = False) -> list[store.Stored]:
    """Every file read, or one error listing the problems of every unreadable one.

    `scorecards`: a scorecard is read as the assessment it was exported from (for the
    commands that only read: compare, trend, matrix); otherwise it is refused.
    """
    read = store.read_input if scorecards else store.read
    problems: list[Problem] = []
    stored = []
    for path in paths:
        try:
            stored.append(read(path))
        except AssessmentError as error:
            problems.extend(error.problems)
    if problems:
        raise AssessmentError(problems)
    return stored


def fit(stored: Sequence[store.Stored | Fetched], checklists: Checklists) -> Batch:
    """Each assessment's checklist, its answers checked against it.

    A file's checklist is found through the resolver (once per id and version); an
    assessment kept in a database comes with the exact checklist it answers.
    """
    found: dict[tuple[str, str], Checklist] = {}
    problems: list[Problem] = []
    files: list[Opened] = []
    notes: list[str] = []
    for entry in stored:
        shown = _shown(entry)
        if isinstance(entry, Fetched):
            checklist = checklist_of(entry.checklist, shown)
        else:
            ref = entry.assessment.checklist
            key = (ref.id, ref.version)
            if key not in found:
                found[key] = checklists.find(ref, shown)
            checklist = found[key]
        problems.extend(check_against(entry.assessment, checklist, shown))
        notes.extend(drift_notes(shown, entry.assessment, checklist))
        files.append(Opened(entry.assessment, checklist, shown))
    if problems:
        raise AssessmentError(problems)
    return Batch(files, notes)


def drift_notes(shown: str, assessment: Assessment, checklist: Checklist) -> list[str]:
    """What a reader should know when the answers meet another version of their checklist."""
    ref = assessment.checklist
    notes = []
    if checklist.meta.version != ref.version:
        notes.append(
            f"{shown} answers {ref.id} {ref.version}; read against {checklist.meta.version}, "
            f"the version available (register {ref.version} with `decalogue checklists add` "
            "to read it as answered)"
        )
    orphans = assessment.orphaned(checklist)
    if orphans:
        named = ", ".join(orphans[:NAMED]) + (" ..." if len(orphans) > NAMED else "")
        notes.append(
            f"{shown}: {counted(len(orphans), 'answered item')} not in {ref.id} "
            f"{checklist.meta.version}, left out: {named}"
        )
    return notes


def open_files(paths: Sequence[Path], checklists: Checklists, *, scorecards: bool = False) -> Batch:
    """Read every file, then fit each to its checklist."""
    return fit(read_all(paths, scorecards=scorecards), checklists)


def open_many(
    sources: Sequence[Path | str],
    checklists: Checklists,
    store: Store | None = None,
    *,
    scorecards: bool = False,
    history: bool = True,
) -> Batch:
    """Files (paths) and assessments of a database store (refs), in the order given.

    The stored ones are read in one batch, each with the checklist stored with it, so
    they open without the checklist's file (without their histories unless `history`).
    """
    refs = [source for source in sources if isinstance(source, str)]
    files = iter(read_all([s for s in sources if isinstance(s, Path)], scorecards=scorecards))
    if refs and store is None:
        raise AssessmentError([Problem(refs[0], "no such file")])
    stored = iter(store.fetch(refs, history=history) if refs and store is not None else [])
    return fit([next(stored) if isinstance(s, str) else next(files) for s in sources], checklists)


def open_groups(
    paths: Sequence[Path],
    checklists: Checklists,
    output: Path | None = None,
    *,
    resume: bool = False,
) -> Gathered:
    """A workshop's group files: folders expanded, earlier consensus files left out.

    Duplicates and mixed checklist versions are refused before any checklist is looked
    for; every group is then checked against the first group's checklist. `output`, the
    consensus about to be written, is left out of the groups (and refused if it is one).
    """
    files = expand_paths(list(paths))
    if output is not None:
        target = output.resolve()
        inputs = [p for p in files if p.resolve() != target]
        if len(inputs) < len(files) and not is_consensus(store.read(output).assessment):
            raise WorkshopError(
                f"{display_path(output)}: is one of the group files; write the consensus to "
                "another file (-o)"
            )
        files = inputs
    if not files:
        raise WorkshopError("no group files to read")
    stored = read_all(files)
    named = {path.resolve() for path in paths if not path.is_dir()}
    notes: list[str] = []
    made = [e for e in stored if is_consensus(e.assessment)]
    # A consensus named on purpose is a group (a room of rooms), but not for the workshop
    # screen (`resume`) beside groups: there it came with a selection of every row on the
    # home screen, or a shell's room/*.json, and is the consensus to resume.
    beside_groups = resume and len(made) < len(stored)
    found = [
        Resumable(e.path, e.assessment, e.fingerprint)
        for e in made
        if beside_groups or e.path.resolve() not in named
    ]
    resumed = latest_consensus(found) if resume else None
    for left in found:
        if left is not resumed:
            notes.append(f"{display_path(left.path)}: a consensus from an earlier merge, left out")
    stored = [e for e in stored if all(e.path != f.path for f in found)]
    return _gathered(stored, checklists, notes, resumed)


def open_stored_groups(store: Store, refs: Sequence[str], *, resume: bool = False) -> Gathered:
    """A workshop's groups kept in a database store (by id), each with its stored checklist.

    A consensus among them is left out (with `resume`, the newest is picked up, as with
    files).
    """
    fetched = store.fetch(refs)
    found = [
        Resumable(Path(f.assessment.id), f.assessment, f.fingerprint)
        for f in fetched
        if is_consensus(f.assessment)
    ]
    resumed = latest_consensus(found) if resume else None
    notes = [
        f"{shown_ref(left.assessment)}: a consensus from an earlier merge, left out"
        for left in found
        if left is not resumed
    ]
    groups = [f for f in fetched if not is_consensus(f.assessment)]
    return _gathered(groups, Checklists(), notes, resumed)


def _gathered(
    entries: Sequence[store.Stored | Fetched],
    checklists: Checklists,
    notes: list[str],
    resumed: Resumable | None,
) -> Gathered:
    """The groups named apart, checked alike, and the first group's checklist for all."""
    if not entries:
        raise WorkshopError("no group files to read")
    shown = [_shown(entry) for entry in entries]
    groups = make_groups(
        (entry.assessment, name, entry.fingerprint)
        for entry, name in zip(entries, shown, strict=True)
    )
    check_groups(groups)
    first = fit(entries[:1], checklists)
    checklist = first.files[0].checklist
    problems: list[Problem] = []
    for entry, name in zip(entries[1:], shown[1:], strict=True):
        problems.extend(check_against(entry.assessment, checklist, name))
    if problems:
        raise AssessmentError(problems)
    return Gathered(groups, checklist, notes + first.notes, resumed)


def _shown(entry: store.Stored | Fetched) -> str:
    return shown_ref(entry.assessment) if isinstance(entry, Fetched) else display_path(entry.path)
