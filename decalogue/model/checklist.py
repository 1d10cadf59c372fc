"""The checklist: its file format (Pydantic models) and the one loader.

A checklist is read-only to the app. It is written in TOML by an author, so
every model forbids unknown fields (a typo is an error, not a silent default),
and the loader reports every problem it finds with the file, the line where it
can tell, the field path and the id of the item concerned.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, get_args

import tomli
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from decalogue.errors import ChecklistError, Problem, decode_utf8
from decalogue.model.checklist_check import (
    Located,
    meaning_problems,
    schema_problems,
    toml_problem,
)
from decalogue.model.sources import Document, SourceId, bundled_seeds

#: Larger checklists are refused before parsing: a national action plan of
#: 10,000 items is about 5 MB of TOML, so this leaves room without letting a
#: stray file exhaust memory.
MAX_CHECKLIST_BYTES = 32 * 1024 * 1024

ItemId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=40)]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]
Text = Annotated[str, Field(max_length=20_000)]
Line = Annotated[str, Field(min_length=1, max_length=300)]
Weight = Annotated[float, Field(gt=0, le=1000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Meta(_Model):
    """Who wrote the checklist, what it is drawn from, and what it cannot claim."""

    id: SourceId
    """Stable identifier; assessments record it, so never change it for an edit."""
    title: Line
    """The checklist's title, as reports show it."""
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z.+-]{1,40}$")]
    """Raise it whenever items change; assessments record the version they answer."""
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    """BCP 47 language tag of the checklist's text."""
    description: Text = ""
    """What the checklist is for and what it is drawn from."""
    limits: Text = ""
    """What the sources do not say, so no user mistakes the checklist for more than it is."""
    attribution: Text = ""
    """Authors, and the sources to credit."""
    licence: Line | None = None
    """The licence of the checklist's text, e.g. CC-BY-4.0."""
    changelog: Text = Field(default="", exclude_if=lambda text: not text)
    """What changed in each version; left out of the content hash while empty."""


class Level(_Model):
    """One step of the scale."""

    value: Annotated[int, Field(ge=0, le=100, strict=True)]
    """The level's number; levels run from 0 upwards without gaps."""
    label: Annotated[str, Field(min_length=1, max_length=60)]
    """The level's short name, e.g. Partial."""
    description: Text = ""
    """What the level means, for items without their own descriptor."""


class NotApplicable(_Model):
    """How the scale names the answer 'does not apply here'; it never counts as zero."""

    label: Annotated[str, Field(min_length=1, max_length=60)] = "N/A"
    """How the answer 'does not apply here' is named, e.g. N/A."""
    description: Text = "Does not apply in this country; a reason is required."
    """What N/A means and what it asks of the assessor."""


class Scale(_Model):
    levels: Annotated[tuple[Level, ...], Field(min_length=2, max_length=11)]
    """Contiguous levels from 0 upwards; the highest is the full score."""
    not_applicable: NotApplicable = NotApplicable()
    """The N/A answer: it needs a reason and never counts as zero."""

    @cached_property
    def max_level(self) -> int:
        return max(level.value for level in self.levels)

    @cached_property
    def by_value(self) -> dict[int, Level]:
        return {level.value: level for level in self.levels}

    def label(self, value: int) -> str:
        level = self.by_value.get(value)
        return level.label if level else f"level {value}"


class Source(_Model):
    """A document the checklist cites: a bundled seed, a text file beside it, or an external one."""

    id: SourceId
    """What references use to cite it."""
    seed: SourceId | None = None
    """The id of a bundled seed document; quotes are checked against its text."""
    file: Annotated[str, Field(max_length=500)] | None = None
    """A UTF-8 text file, relative to the checklist; quotes are checked against it."""
    title: Line | None = None
    """Required unless `seed` gives it."""
    publisher: str = ""
    """Who published the document, as printed."""
    date: str = ""
    """As printed in the document."""
    kind: str = ""
    """What kind of document it is: press release, op-ed, decision, report."""
    url: str = ""
    """Where the document can be read."""
    note: Text = ""
    """Anything a reader should know about the document (e.g. a date as printed)."""

    @model_validator(mode="after")
    def _one_origin(self) -> Source:
        if self.seed and self.file:
            raise ValueError("give either `seed` or `file`, not both")
        if not self.seed and not self.title:
            raise ValueError("a source without `seed` needs a `title`")
        return self

    @property
    def has_text(self) -> bool:
        return bool(self.seed or self.file)


class Reference(_Model):
    """Where an item comes from: a verbatim quote, or a locator in an external source."""

    source: SourceId
    """The id of a source listed in `sources`."""
    quote: Text | None = None
    """Word for word from the source's text; required when the source has a text."""
    locator: Annotated[str, Field(max_length=300)] | None = None
    """Chapter, paragraph or page, for sources cited without a quote."""


class Item(_Model):
    """One commitment to score."""

    id: ItemId
    """Stable identifier, e.g. LF-01; assessments key their answers on it."""
    title: Line
    """A short title for lists and reports."""
    question: Annotated[str, Field(min_length=1, max_length=2000)]
    """What the assessor answers, as one precise, neutral question."""
    guidance: Text = ""
    """What to look at, and what counts as evidence."""
    descriptors: dict[int, Text] = Field(default_factory=dict)
    """What each level of the scale means for this item, keyed by level."""
    tags: Annotated[tuple[Tag, ...], Field(max_length=30)] = ()
    """Lower-case tags for filtering, e.g. the four Ps, children, gender."""
    weight: Weight = 1.0
    """Share of the item in its section's score (1 by default)."""
    refs: Annotated[tuple[Reference, ...], Field(max_length=50)] = ()
    """Where the item comes from: quotes from, or locators in, its sources."""


class Section(_Model):
    id: ItemId
    """Stable identifier of the section, e.g. LF-A."""
    title: Line
    """The section's title."""
    summary: Text = ""
    """What the section's items measure and what not; reports show it beside its scores."""
    weight: Weight = 1.0
    """Share of the section in its pillar's score."""
    items: tuple[Item, ...] = ()
    """The items to score, in order."""


class Pillar(_Model):
    id: ItemId
    """Stable identifier of the pillar, e.g. LF."""
    title: Line
    """The pillar's title; it must say what the pillar is, not more."""
    summary: Text = ""
    """What the pillar's items measure and what not; reports show it beside its scores."""
    weight: Weight = 1.0
    """Share of the pillar in the overall score."""
    sections: tuple[Section, ...] = ()
    """The sections of the pillar, in order."""


@dataclass(frozen=True, slots=True)
class ItemPlace:
    """Where an item sits, for display and roll-ups (one per item: slots, no dict each)."""

    pillar: Pillar
    section: Section
    index: int


class Checklist(_Model):
    """A whole checklist file."""

    meta: Meta
    """Who wrote the checklist, what it is drawn from, and what it cannot claim."""
    scale: Scale
    """The levels every item is scored on, and the N/A answer."""
    sources: tuple[Source, ...] = ()
    """The documents the items cite."""
    pillars: tuple[Pillar, ...] = ()
    """The checklist's pillars, in order."""

    _origin: str = PrivateAttr(default="<memory>")
    _documents: dict[str, Document] = PrivateAttr(default_factory=dict)

    @property
    def origin(self) -> str:
        """The file it was loaded from, as shown to users."""
        return self._origin

    @cached_property
    def content_hash(self) -> str:
        """Stable across TOML formatting: hashes the validated content, not the bytes."""
        return "sha256:" + hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for _, _, item in self.walk())

    @cached_property
    def item_index(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def places(self) -> dict[str, ItemPlace]:
        return {
            item.id: ItemPlace(pillar, section, index)
            for index, (pillar, section, item) in enumerate(self.walk())
        }

    @cached_property
    def source_index(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for item in self.items for tag in item.tags}))

    def walk(self) -> Iterator[tuple[Pillar, Section, Item]]:
        for pillar in self.pillars:
            for section in pillar.sections:
                for item in section.items:
                    yield pillar, section, item

    def item_id(self, typed: str) -> str | None:
        """The item a person typed, in any case ('lf-03' is LF-03); None when there is no
        such item, or when the case alone tells two apart."""
        if typed in self.item_index:
            return typed
        folded = typed.casefold()
        found = [item_id for item_id in self.item_index if item_id.casefold() == folded]
        return found[0] if len(found) == 1 else None

    def document(self, source_id: str) -> Document | None:
        """The text of a cited source, or None for external sources."""
        return self._documents.get(source_id)

    def source_label(self, source: Source) -> str:
        """Title and date as a reader should see them, with the seed's metadata filled in."""
        title, date = source.title, source.date
        if source.seed:
            seed = bundled_seeds().get(source.seed)
            if seed is not None:
                title = title or seed.meta.title
                date = date or seed.meta.date_printed
        return f"{title} ({date})" if date else f"{title} (date not printed)"


# --------------------------------------------------------------------------- loading


@contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """Pause the cycle collector while a checklist (or an assessment) is built.

    A checklist of 10,000 items is hundreds of thousands of new objects, none in
    a reference cycle; the collector would walk the growing heap over and over
    (a third of the load time at 10,000 items) and find nothing to free.

    `keep`: what was built is kept for long (an assessment a window opens), so it is
    frozen (`gc.freeze`) when the pause ends, unless that is by an error: the first
    collections after the pause walked all of it twice (30 ms and more at 10,000 items,
    before the first frame), to find nothing. Whoever keeps it unfreezes when done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        gc.enable()


#: What a JSON file given as a checklist is told.
NOT_A_CHECKLIST = (
    "an assessment or a scorecard (JSON), not a checklist (.toml); open an assessment "
    "with `decalogue open FILE.json`, or give the checklist's .toml file"
)


def parse_checklist(data: bytes | str, *, origin: str, base_dir: Path | None = None) -> Checklist:
    if isinstance(data, bytes):
        text = decode_utf8(data, origin, ChecklistError)
    else:
        text = data.removeprefix("\ufeff")
    with collector_paused():
        try:
            raw = tomli.loads(text)
        except tomli.TOMLDecodeError as error:
            if text.lstrip().startswith("{") or origin.lower().endswith(".json"):
                raise ChecklistError([Problem(origin, NOT_A_CHECKLIST)]) from None
            raise ChecklistError([toml_problem(error, text, origin)]) from None
        except RecursionError:
            raise ChecklistError(
                [Problem(origin, "TOML nested too deeply (over 400 levels); flatten the file")]
            ) from None
        return checklist_from_data(raw, text=text, origin=origin, base_dir=base_dir)


def checklist_from_data(
    raw: dict[str, Any], *, text: str = "", origin: str, base_dir: Path | None = None
) -> Checklist:
    """Validate parsed TOML, reporting every problem; `text` places them at their keys."""
    found = Located(raw, text, origin)
    documents = meaning_problems(found, base_dir)
    try:
        checklist = Checklist.model_validate(raw)
    except ValidationError as error:
        schema_problems(error, found, _fields_at)
    if found.problems:
        raise ChecklistError(found.sorted())
    checklist._origin = origin
    checklist._documents = documents
    return checklist


def _fields_at(loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the model at `loc` in a checklist, for "did you mean" suggestions."""
    model: Any = Checklist
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if _is_model(model) else None
        if field is None:
            return []
        model = _model_in(field.annotation)
    return list(model.model_fields) if _is_model(model) else []


def _model_in(annotation: Any) -> Any:
    """The model class an annotation holds (directly, or as the items of a tuple)."""
    if _is_model(annotation):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
