"""The source documents checklists cite: the bundled seeds and their metadata."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import tomli
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from decalogue.errors import ChecklistError, Problem, display_path
from decalogue.model.textmatch import NormalisedText
from decalogue.resources import seeds_dir

SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class SeedMetadata(BaseModel):
    """What a seed document says about itself, recorded as printed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: SourceId
    """The stable id checklists use to cite this document."""
    title: str
    """The title as printed; a bracketed title describes an untitled text."""
    publisher: str = ""
    """Who published it, or empty when the text does not say."""
    date_printed: str = ""
    """The date exactly as printed, or empty when none is printed."""
    place_printed: str = ""
    """The dateline's place, if any."""
    kind: str
    """Press release, op-ed, ..."""
    note: str = ""
    """Anything a reader should know: discrepancies, what the text does not contain."""


class Document:
    """A source text, loaded once and searchable for verbatim quotes."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self._normalised: NormalisedText | None = None

    def find_quote(self, quote: str) -> tuple[int, int] | None:
        if self._normalised is None:
            self._normalised = NormalisedText.of(self.text)
        return self._normalised.find(quote)


class Seed(BaseModel):
    """A bundled document with its metadata."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    meta: SeedMetadata
    path: Path

    @property
    def document(self) -> Document:
        return read_document(self.path)


@cache
def read_document(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ChecklistError(
            [Problem(display_path(path), f"cannot read this source document: {error}")]
        ) from None
    return Document(path, text)


@cache
def bundled_seeds() -> dict[str, Seed]:
    """Seeds by their stable id; raises ChecklistError if a metadata file is broken."""
    seeds: dict[str, Seed] = {}
    problems: list[Problem] = []
    for meta_path in sorted(seeds_dir().glob("*.toml")):
        text_path = meta_path.with_suffix(".txt")
        try:
            raw = tomli.loads(meta_path.read_text(encoding="utf-8"))
            meta = SeedMetadata.model_validate(raw)
        except (OSError, tomli.TOMLDecodeError, ValidationError) as error:
            problems.append(Problem(display_path(meta_path), f"bad seed metadata: {error}"))
            continue
        if not text_path.is_file():
            problems.append(Problem(display_path(meta_path), f"no document {text_path.name}"))
            continue
        seeds[meta.id] = Seed(meta=meta, path=text_path)
    if problems:
        raise ChecklistError(problems)
    return seeds
