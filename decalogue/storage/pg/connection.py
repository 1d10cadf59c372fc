"""Connecting to the team's database, with one clear line for each way it can fail."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from decalogue.errors import DecalogueError
from decalogue.storage.place import Unreachable

if TYPE_CHECKING:
    import psycopg

#: Where the store's address comes from when no --store is given.
STORE_ENV = "DECALOGUE_STORE"

#: Seconds to wait for the server before saying it cannot be reached.
CONNECT_TIMEOUT = 5


class StoreError(DecalogueError):
    """The database cannot be used as asked; the message says what to do."""


class ServerAway(StoreError, Unreachable):
    """The server cannot be reached (down, restarting, the network): try again later."""


def is_database_url(value: str | None) -> bool:
    return bool(value) and re.match(r"^postgres(ql)?://", value or "") is not None


def store_url(option: str | None) -> str | None:
    """--store, else DECALOGUE_STORE; None means the file workspace."""
    value = option or os.environ.get(STORE_ENV) or None
    if value is not None and not is_database_url(value):
        raise StoreError(
            f"store {value!r}: not a PostgreSQL address; give postgresql://USER@HOST/DATABASE "
            "(or leave --store out to use the folder workspace)"
        )
    return value


def shown(url: str) -> str:
    """The address without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "the PostgreSQL store needs psycopg: pip install 'decalogue[postgres]' "
            "(in a clone: .venv/bin/pip install -e '.[postgres]')"
        ) from None
    return psycopg


def explain(error: Exception, url: str) -> StoreError:
    """A driver error as one line that says what to do."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    where = shown(url)
    lowered = text.lower()
    if "password authentication failed" in lowered or "authentication failed" in lowered:
        return StoreError(f"{where}: the server refused the user name or password; check them")
    if "role" in lowered and "does not exist" in lowered:
        return StoreError(f"{where}: {text}; ask the database's administrator for a login")
    if "database" in lowered and "does not exist" in lowered:
        return StoreError(f"{where}: {text}; create it (createdb) or fix the address")
    if any(
        part in lowered
        for part in ("connection refused", "could not connect", "no such file", "timeout")
    ) or _lost(error):
        return ServerAway(
            f"{where}: the server cannot be reached ({text}); check that it runs and the address"
        )
    if "row-level security" in lowered:
        return StoreError(
            f"{where}: your database role may not change this assessment; ask the store's "
            "administrator for access (`decalogue store grant`)"
        )
    if "permission denied" in lowered:
        return StoreError(f"{where}: {text}; your database role lacks the right to do this")
    return StoreError(f"{where}: {text}")


def _lost(error: Exception) -> bool:
    """The connection broke or the server is shutting down (not a refused request)."""
    import psycopg

    if isinstance(error, psycopg.OperationalError):
        return True  # authentication and missing roles or databases are matched before
    state = getattr(getattr(error, "diag", None), "sqlstate", None) or ""
    return state.startswith(("08", "57P"))  # connection exception; operator intervention


@contextmanager
def connect(url: str, *, autocommit: bool = False) -> Iterator[psycopg.Connection[Any]]:
    """A connection that turns every driver error into a StoreError."""
    driver = _driver()
    try:
        connection = driver.connect(url, connect_timeout=CONNECT_TIMEOUT, autocommit=autocommit)
    except driver.Error as error:
        raise explain(error, url) from None
    try:
        with connection:
            yield connection
    except driver.Error as error:
        raise explain(error, url) from None
    finally:
        connection.close()
