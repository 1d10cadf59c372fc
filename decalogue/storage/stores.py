"""Where a person's assessments are: the folder workspace (the default) or a team database.

`open_store` chooses, once per command or app: `--store URL`, else
`$DECALOGUE_STORE`, else the `store` preference in the user's profile, else the
folder workspace. A `Store` lists its assessments, creates new ones and hands
out the `Place` of one (`decalogue.storage.place`), which is all a session uses.
A reference (`ref`) names an assessment within its store: a file's path for the
workspace, the assessment's id in a database.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from decalogue.errors import DecalogueError, display_path
from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.storage.checklists import Checklists
from decalogue.storage.pg import collection
from decalogue.storage.pg.collection import Fetched
from decalogue.storage.pg.connection import shown, store_url
from decalogue.storage.place import FilePlace, Place
from decalogue.storage.profile import profile_store
from decalogue.storage.workspace import Summary, Workspace

#: The length of an assessment's id (a uuid's hex digits); shorter refs are starts of one.
ID_LENGTH = 32

#: Refs of assessments, and stored assessments read at once (`list` is a Store method's
#: name, so the class bodies use these).
Refs = list[str]
Many = list[Fetched]


class Store(ABC):
    label: str
    """For people: the workspace folder, or `host/database`."""

    @abstractmethod
    def list(self) -> list[Summary]:
        """One line per assessment (unreadable ones with their error)."""

    @abstractmethod
    def place(self, ref: str) -> Place:
        """The place of one assessment (a path, or an id in a database)."""

    @abstractmethod
    def create(self, assessment: Assessment, checklist: Checklist) -> str:
        """Keep a new assessment (never over an existing one); its ref."""

    # -- many at once (list, compare, trend, matrix, workshops)

    @property
    def where(self) -> str:
        """The store in a sentence: "the workspace DIR" or "the store URL"."""
        return f"the workspace {self.label}"

    @abstractmethod
    def of_country(self, code: str) -> Refs:
        """The refs of one country's assessments."""

    @abstractmethod
    def twin_of(self, assessment: Assessment) -> str | None:
        """An assessment of the same country, period, checklist and title (its ref), if any."""

    def fetch(self, refs: Sequence[str], *, history: bool = True) -> Many:
        """Assessments by ref with the checklist stored with each (a database store);
        without `history`, their histories are left out (quicker, for the scores)."""
        raise DecalogueError(f"{refs[0]}: no such file")

    def every(self) -> Refs:
        """The refs of every assessment, by country and period (a database store)."""
        return []


class FileStore(Store):
    """The folder workspace: one JSON file per assessment."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.label = str(workspace.root)

    def list(self) -> list[Summary]:
        return self.workspace.summaries()

    def place(self, ref: str) -> Place:
        return FilePlace(Path(ref))  # a path as listed (under the workspace) or given

    def create(self, assessment: Assessment, checklist: Checklist) -> str:
        del checklist  # a file names its checklist; the resolver finds it
        return str(self.workspace.create(assessment).path)

    def of_country(self, code: str) -> Refs:
        return [str(path) for path in self.workspace.of_country(code)]

    def twin_of(self, assessment: Assessment) -> str | None:
        found = self.workspace.twin_of(assessment)
        return None if found is None else display_path(found)


class PgStore(Store):
    """A team's PostgreSQL database (storage/pg)."""

    def __init__(self, url: str) -> None:
        from decalogue.storage.pg.place import store_label

        self.url = url
        self.label = store_label(url)

    @property
    def where(self) -> str:
        return f"the store {shown(self.url)}"

    def list(self) -> list[Summary]:
        """Scored against each assessment's stored checklist; a summary's path is its id."""
        return collection.summaries(self.url)

    def place(self, ref: str) -> Place:
        """By id, or by the start of one (as `list` shows them), looked up once here."""
        from decalogue.storage.pg.place import PgPlace

        if len(ref) < ID_LENGTH:
            ref = self.find_id(ref) or ref  # none: the place says so on reading
        return PgPlace(self.url, ref)

    def find_id(self, ref: str) -> str | None:
        """The whole id `ref` names (an id or an unambiguous start of one); None: none such.
        DecalogueError in one line for an ambiguous start or a store that cannot be read."""
        return collection.find_id(self.url, ref)

    def short_ids(self, ids: Sequence[str]) -> dict[str, str]:
        """Each id as a person reads and types it: its start that names it alone here."""
        return collection.short_ids(self.url, ids)

    def create(self, assessment: Assessment, checklist: Checklist) -> str:
        """Kept with the checklist's TOML (and source texts), found as a file by the resolver."""
        return collection.create(self.url, assessment, collection.text_of(checklist, Checklists()))

    def of_country(self, code: str) -> Refs:
        return collection.country_ids(self.url, code)

    def twin_of(self, assessment: Assessment) -> str | None:
        return collection.twin_of(self.url, assessment)

    def fetch(self, refs: Sequence[str], *, history: bool = True) -> Many:
        return collection.fetch(self.url, refs, history=history)

    def every(self) -> Refs:
        return collection.every_id(self.url)


def chosen_url(option: str | None = None) -> str | None:
    """--store, else $DECALOGUE_STORE, else the profile's `store`; None: the folder."""
    return store_url(option) or store_url(profile_store())


def open_store(option: str | None = None, workspace: Path | None = None) -> Store:
    """The store this run uses (see the module's docstring)."""
    url = chosen_url(option)
    if url is not None:
        return PgStore(url)
    return FileStore(Workspace.resolve(workspace))
