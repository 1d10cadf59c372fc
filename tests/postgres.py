"""A throw-away PostgreSQL server for the tests, started by the tests themselves.

Debian's `postgresql` package provides the binaries (.ci/run installs it). The
cluster lives in a temporary folder and listens only on a Unix socket there;
each test gets a database of its own. As root (CI), the server runs as the
`postgres` account the package creates, since PostgreSQL refuses to run as root.
Without the binaries the tests are skipped with that reason on a developer's
machine, and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(versions[0]).parent if versions else None


class Cluster:
    """initdb + pg_ctl start in a temporary folder; `url(db)` for psycopg."""

    def __init__(self, *, durable: bool = False) -> None:
        found = bindir()
        if found is None:
            message = "PostgreSQL binaries not found (apt-get install postgresql)"
            if os.environ.get("CI"):
                pytest.fail(message + ": the PostgreSQL tests must run in CI")
            pytest.skip(message)
        self.bin = found
        self.durable = durable
        """fsync on, as a real server: for the benchmark's figures (the tests need no fsync)."""
        # Short path: a Unix socket's path is limited to about 100 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="dpg"))
        self.data = self.root / "data"
        self.socket = self.root
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "decalogue", "--no-sync")
        self.start()

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        fsync = "on" if self.durable else "off"
        options = f"-k {self.socket} -c listen_addresses='' -c fsync={fsync} -c max_connections=60"
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres", user: str = "decalogue") -> str:
        return f"postgresql://{user}@/{database}?host={self.socket}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    server = Cluster()
    try:
        yield server
    finally:
        server.remove()


_COUNT = iter(range(1_000_000))


@pytest.fixture
def pg_url(cluster: Cluster) -> str:
    """A new, empty database on the test server."""
    return cluster.create_database(f"test_{os.getpid()}_{next(_COUNT)}")


def checklist_text() -> Any:
    """The bundled checklist as the database keeps it (`documents.ChecklistText`)."""
    from decalogue.resources import bundled_checklist_paths
    from decalogue.storage.checklists import load_checklist
    from decalogue.storage.pg import documents

    checklist = load_checklist()
    path = next(p for p in bundled_checklist_paths() if p.stem == checklist.meta.id)
    return documents.ChecklistText(
        checklist.content_hash,
        checklist.meta.id,
        checklist.meta.version,
        path.read_text(encoding="utf-8"),
        {},
    )
