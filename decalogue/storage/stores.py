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
from pathlib import Path

from decalogue.model.assessment import Assessment
from decalogue.model.checklist import Checklist
from decalogue.storage.pg.connection import store_url
from decalogue.storage.place import FilePlace, Place
from decalogue.storage.profile import profile_store
from decalogue.storage.workspace import Summary, Workspace


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


class FileStore(Store):
    """The folder workspace: one JSON file per assessment."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.label = str(workspace.root)

    def list(self) -> list[Summary]:
        return self.workspace.summaries()

    def place(self, ref: str) -> Place:
        path = Path(ref)
        return FilePlace(path if path.is_absolute() else self.workspace.root / path)

    def create(self, assessment: Assessment, checklist: Checklist) -> str:
        del checklist  # a file names its checklist; the resolver finds it
        return str(self.workspace.create(assessment).path)


class PgStore(Store):
    """A team's PostgreSQL database (storage/pg)."""

    def __init__(self, url: str) -> None:
        from decalogue.storage.pg.place import store_label

        self.url = url
        self.label = store_label(url)

    def list(self) -> list[Summary]:
        raise NotImplementedError("pg-batch: listing a database store as summaries")

    def place(self, ref: str) -> Place:
        from decalogue.storage.pg.place import PgPlace

        return PgPlace(self.url, ref)

    def create(self, assessment: Assessment, checklist: Checklist) -> str:
        raise NotImplementedError("pg-batch: creating an assessment in a database store")


def chosen_url(option: str | None = None) -> str | None:
    """--store, else $DECALOGUE_STORE, else the profile's `store`; None: the folder."""
    return store_url(option) or store_url(profile_store())


def open_store(option: str | None = None, workspace: Path | None = None) -> Store:
    """The store this run uses (see the module's docstring)."""
    url = chosen_url(option)
    if url is not None:
        return PgStore(url)
    return FileStore(Workspace.resolve(workspace))
