"""A checklist diff as terminal text, Markdown or JSON (`decalogue checklists diff`)."""

from __future__ import annotations

import json
from typing import Any

from decalogue.model.checklist_diff import ChecklistDiff, FieldChange, ItemRef
from decalogue.plural import counted
from decalogue.reports.text import inline, one_line
from decalogue.upgrade import Upgrade

#: Bump when the JSON document changes.
DIFF_VERSION = 1


def summary(result: ChecklistDiff) -> str:
    old, new = result.old.meta, result.new.meta
    counts = (
        f"{len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.reworded)} reworded, {len(result.moved)} moved, "
        f"{result.unchanged} unchanged"
    )
    scale = "; the scale changed" if result.scale else ""
    return f"{old.id} {old.version} → {new.id} {new.version}: {counts}{scale}"


def change_lines(change: FieldChange, indent: str = "    ") -> list[str]:
    """One changed field as two lines, before and after, for a terminal."""
    return [
        f"{indent}{change.field}: {one_line(change.old)}",
        f"{indent}{' ' * len(change.field)}→ {one_line(change.new)}",
    ]


def _item(ref: ItemRef) -> str:
    return f"{ref.id}  {one_line(ref.title)}"


def render_text(result: ChecklistDiff) -> str:
    lines = [summary(result)]
    if result.empty:
        lines.append("No item changed.")
    if result.added:
        lines += ["", "Added:"]
        lines += [f"  + {_item(r)}  ({r.place})" for r in result.added]
    if result.removed:
        lines += ["", "Removed (answers to them are kept in files, not scored):"]
        lines += [f"  - {_item(r)}  ({r.place})" for r in result.removed]
    if result.reworded:
        lines += ["", "Reworded (answers are kept and flagged for review on upgrade):"]
        for reworded in result.reworded:
            lines.append(f"  ~ {_item(reworded.item)}")
            for change in reworded.changes:
                lines += change_lines(change)
    if result.moved:
        lines += ["", "Moved:"]
        lines += [f"  > {_item(m.item)}: {m.old_place} → {m.item.place}" for m in result.moved]
    if result.scale:
        lines += ["", "Scale:"]
        for change in result.scale:
            lines += change_lines(change)
    return "\n".join(lines) + "\n"


def render_markdown(result: ChecklistDiff) -> str:
    old, new = result.old.meta, result.new.meta
    out = [f"# Changes from {inline(old.id)} {inline(old.version)} to {inline(new.version)}", ""]
    out += [inline(summary(result)), ""]

    def listed(title: str, refs: tuple[ItemRef, ...]) -> None:
        if refs:
            out.extend([f"## {title}", ""])
            out.extend(f"- **{inline(r.id)}** {inline(r.title)} ({inline(r.place)})" for r in refs)
            out.append("")

    def changed(changes: tuple[FieldChange, ...]) -> None:
        for change in changes:
            out.append(f"  - {inline(change.field)}: {inline(change.old)} → {inline(change.new)}")

    listed("Added", result.added)
    listed("Removed", result.removed)
    if result.reworded:
        out.extend(["## Reworded", ""])
        for reworded in result.reworded:
            out.append(f"- **{inline(reworded.item.id)}** {inline(reworded.item.title)}")
            changed(reworded.changes)
        out.append("")
    if result.moved:
        out.extend(["## Moved", ""])
        out.extend(
            f"- **{inline(m.item.id)}** {inline(m.item.title)}: {inline(m.old_place)} → "
            f"{inline(m.item.place)}"
            for m in result.moved
        )
        out.append("")
    if result.scale:
        out.extend(["## Scale", ""])
        changed(result.scale)
        out.append("")
    return "\n".join(out)


def diff_document(result: ChecklistDiff) -> dict[str, Any]:
    def ref(r: ItemRef) -> dict[str, str]:
        return {"id": r.id, "title": r.title, "place": r.place}

    def change(c: FieldChange) -> dict[str, str]:
        return {"field": c.field, "old": c.old, "new": c.new}

    return {
        "diff_version": DIFF_VERSION,
        "old": {"id": result.old.meta.id, "version": result.old.meta.version},
        "new": {"id": result.new.meta.id, "version": result.new.meta.version},
        "added": [ref(r) for r in result.added],
        "removed": [ref(r) for r in result.removed],
        "reworded": [
            {**ref(r.item), "changes": [change(c) for c in r.changes]} for r in result.reworded
        ],
        "moved": [{**ref(m.item), "old_place": m.old_place} for m in result.moved],
        "scale": [change(c) for c in result.scale],
        "unchanged": result.unchanged,
    }


def render(result: ChecklistDiff, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(diff_document(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_markdown(result)
    return render_text(result)


def render_upgrade(result: Upgrade, dry_run: bool) -> str:
    """What an upgrade did, or would do, to each answer."""
    new = result.new.meta
    ref = result.answers
    if ref.version == new.version and result.diff is not None and result.diff.empty:
        return f"{result.shown}: already answers {ref.id} {ref.version}; nothing to do\n"
    verb = "would be" if dry_run else "were"
    lines = [f"{result.shown}: {ref.id} {ref.version} → {new.version}"]
    if result.diff is not None:
        lines.append(f"  {summary(result.diff)}")
    kept = "it is" if len(result.kept) == 1 else "they are"
    lines.append(
        f"  {counted(len(result.kept), 'answer')} to unchanged items {verb} kept as {kept}."
    )
    if result.review:
        lines.append(
            f"  {counted(len(result.review), 'answer')} to reworded items {verb} kept and "
            "flagged for review:"
        )
        for reworded in result.review:
            lines.append(f"    ~ {_item(reworded.item)}")
            for change in reworded.changes:
                lines += change_lines(change, "        ")
    if result.unknown:
        lines.append(
            f"  {ref.version} is not available to compare with, so "
            f"{counted(len(result.unknown), 'answer')} {verb} kept and flagged for review: "
            f"{', '.join(result.unknown)}"
        )
    if result.orphans:
        lines.append(
            f"  {counted(len(result.orphans), 'answer')} to items {new.version} no longer has "
            f"{verb} kept in the file as orphans (not scored): {', '.join(result.orphans)}"
        )
    if result.added:
        lines.append(f"  {counted(len(result.added), 'new item')} to answer:")
        lines += [f"    + {_item(r)}  ({r.place})" for r in result.added]
    if dry_run:
        lines.append("Dry run: nothing was written.")
    elif result.written:
        lines.append(f"Saved {result.shown} (the history records the move).")
    return "\n".join(lines) + "\n"
