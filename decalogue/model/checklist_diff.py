"""What changed between two versions of a checklist, item by item.

Items are matched by id, which authors keep stable across versions. An item
is reworded when what an assessor reads or what its answer counts for has
changed (title, question, guidance, descriptors, weight), and moved when it
sits in another pillar or section. A change of the scale concerns every item
and is listed once.
"""

from __future__ import annotations

from dataclasses import dataclass

from decalogue.model.checklist import Checklist, Item, Scale

#: The item fields a reword is read from, in the order they are shown.
COMPARED = ("title", "question", "guidance", "descriptors", "weight")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemRef:
    id: str
    title: str
    place: str
    """"pillar / section" ids, where the item sits."""


@dataclass(frozen=True)
class Reworded:
    item: ItemRef
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Moved:
    item: ItemRef
    old_place: str


@dataclass(frozen=True)
class ChecklistDiff:
    old: Checklist
    new: Checklist
    added: tuple[ItemRef, ...]
    removed: tuple[ItemRef, ...]
    reworded: tuple[Reworded, ...]
    moved: tuple[Moved, ...]
    scale: tuple[FieldChange, ...]

    @property
    def unchanged(self) -> int:
        """Items in both versions, neither reworded nor moved."""
        touched = {r.item.id for r in self.reworded} | {m.item.id for m in self.moved}
        shared = set(self.old.item_index) & set(self.new.item_index)
        return len(shared - touched)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.moved or self.scale)

    def rewording(self, item_id: str) -> Reworded | None:
        return next((r for r in self.reworded if r.item.id == item_id), None)


def _ref(checklist: Checklist, item: Item) -> ItemRef:
    place = checklist.places[item.id]
    return ItemRef(item.id, item.title, f"{place.pillar.id} / {place.section.id}")


def _shown(item: Item, field: str) -> str:
    value = getattr(item, field)
    if field == "descriptors":
        return "; ".join(f"{level}: {text}" for level, text in sorted(value.items())) or "(none)"
    if field == "weight":
        return f"{value:g}"
    return str(value) if value else "(none)"


def _scale_changes(old: Scale, new: Scale) -> tuple[FieldChange, ...]:
    changes = []
    for value in sorted(set(old.by_value) | set(new.by_value)):
        before, after = old.by_value.get(value), new.by_value.get(value)
        shown_before = f"{before.label}: {before.description}" if before else "(no such level)"
        shown_after = f"{after.label}: {after.description}" if after else "(no such level)"
        if shown_before != shown_after:
            changes.append(FieldChange(f"level {value}", shown_before, shown_after))
    if old.not_applicable != new.not_applicable:
        changes.append(
            FieldChange(
                "not applicable",
                f"{old.not_applicable.label}: {old.not_applicable.description}",
                f"{new.not_applicable.label}: {new.not_applicable.description}",
            )
        )
    return tuple(changes)


def diff_checklists(old: Checklist, new: Checklist) -> ChecklistDiff:
    """Items added, removed, reworded and moved from `old` to `new`, in the new order."""
    old_items, new_items = old.item_index, new.item_index
    added = tuple(_ref(new, i) for i in new.items if i.id not in old_items)
    removed = tuple(_ref(old, i) for i in old.items if i.id not in new_items)
    reworded: list[Reworded] = []
    moved: list[Moved] = []
    for item in new.items:
        before = old_items.get(item.id)
        if before is None:
            continue
        ref = _ref(new, item)
        changes = tuple(
            FieldChange(field, _shown(before, field), _shown(item, field))
            for field in COMPARED
            if getattr(before, field) != getattr(item, field)
        )
        if changes:
            reworded.append(Reworded(ref, changes))
        old_place = _ref(old, before).place
        if old_place != ref.place:
            moved.append(Moved(ref, old_place))
    return ChecklistDiff(
        old,
        new,
        added,
        removed,
        tuple(reworded),
        tuple(moved),
        _scale_changes(old.scale, new.scale),
    )
