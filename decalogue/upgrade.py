"""Moving an assessment to a newer version of its checklist, saying what happens to each answer.

Answers to unchanged items are kept. Answers to reworded items are kept and
flagged for review (the rewording is shown). Answers to items the new version
no longer has stay in the file as orphans, listed, not scored. Nothing is
written on a dry run; otherwise the file is saved through its Session, so the
history records the move and a concurrent edit is not lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import Assessment, ChecklistRef
from decalogue.model.checklist import Checklist
from decalogue.model.checklist_diff import ChecklistDiff, ItemRef, Reworded, diff_checklists
from decalogue.session import Session
from decalogue.storage import store
from decalogue.storage.assessment_file import check_against
from decalogue.storage.checklists import Checklists, is_older


@dataclass(frozen=True)
class Upgrade:
    shown: str
    """The assessment file, as the user sees it."""
    answers: ChecklistRef
    """The checklist the file answered before."""
    new: Checklist
    diff: ChecklistDiff | None
    """None when the version the file answers is not available to compare with."""
    kept: tuple[str, ...]
    """Answered items that did not change: kept as they are."""
    review: tuple[Reworded, ...]
    """Answered items that were reworded: kept, flagged for review."""
    unknown: tuple[str, ...]
    """Answered items kept and flagged because the old version could not be compared."""
    orphans: tuple[str, ...]
    """Answered items the new version does not have: kept in the file, not scored."""
    added: tuple[ItemRef, ...]
    written: bool

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(r.item.id for r in self.review) + self.unknown


def plan(
    assessment: Assessment, old: Checklist | None, new: Checklist
) -> tuple[ChecklistDiff | None, list[str], list[Reworded], list[str], list[str]]:
    """(diff, kept, reworded, not comparable, orphans) for the answered items."""
    answered = sorted(i for i, r in assessment.responses.items() if not r.is_empty())
    orphans = [i for i in answered if i not in new.item_index]
    carried = [i for i in answered if i in new.item_index]
    if old is None:
        return None, [], [], carried, orphans
    diff = diff_checklists(old, new)
    review = [r for i in carried if (r := diff.rewording(i)) is not None]
    reworded = {r.item.id for r in review}
    return diff, [i for i in carried if i not in reworded], review, [], orphans


def upgrade(
    path: Path,
    to: str,
    checklists: Checklists,
    *,
    dry_run: bool = False,
    user: str | None = None,
) -> Upgrade:
    stored = store.read(path)
    shown = display_path(path)
    ref = stored.assessment.checklist
    new = checklists.load(to)
    if new.meta.id != ref.id:
        raise DecalogueError(
            f"{shown}: answers checklist {ref.id}, not {new.meta.id}; an upgrade moves to "
            f"another version of the same checklist (--to {ref.id}@VERSION)"
        )
    if is_older(new.meta.version, ref.version):
        raise DecalogueError(
            f"{shown}: answers {ref.id} {ref.version}; {new.meta.version} is older, and an "
            "upgrade only moves forward (nothing was written)"
        )
    problems = check_against(stored.assessment, new, shown)
    if problems:
        raise DecalogueError(
            f"{problems[0]} (on {new.meta.id} {new.meta.version}'s scale; change these answers "
            "before upgrading; nothing was written)"
        )
    old = next((c for c in checklists.versions(ref.id) if c.meta.version == ref.version), None)
    if old is not None and ref.hash not in (old.content_hash, new.content_hash):
        old = None  # that version was edited since: its items cannot be trusted as answered
    if new.content_hash == ref.hash:
        old = new  # already there: nothing to review
    diff, kept, review, unknown, orphans = plan(stored.assessment, old, new)
    added = diff.added if diff is not None else ()
    written = False
    if not dry_run and new.content_hash != ref.hash:
        session = Session.open(path, new, user, checklists=checklists)
        for item_id in [r.item.id for r in review] + unknown:
            session.set_field(item_id, "flagged", True)
        session.adopt_checklist()
        written = session.save().saved
    return Upgrade(
        shown,
        ref,
        new,
        diff,
        tuple(kept),
        tuple(review),
        tuple(unknown),
        tuple(orphans),
        tuple(added),
        written,
    )
