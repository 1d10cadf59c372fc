"""Who else has an assessment open: a small presence file per open window.

A window that opens `NAME.json` writes `.NAME.json.open-<pid>-<n>.json` beside it
(name, account, host, pid, since) and removes it when it closes. Another window
lists these files to say "A. Official has this file open since 10:02". A file left
by a process that died is ignored (and removed): on the same computer when its
process is gone, from another computer when it has not been touched for
`STALE_AFTER` seconds (an open window touches its file now and then).
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from decalogue import clock
from decalogue.storage.atomic import atomic_write

#: A presence file from another computer untouched for this long is stale.
STALE_AFTER = 600.0

#: How often an open window touches its presence file.
HEARTBEAT = 60.0

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Presence:
    name: str
    account: str
    host: str
    pid: int
    since: datetime
    file: Path | None
    """The presence file (None in a database, where a row says it)."""


def _pattern(path: Path) -> str:
    return f".{path.name}.open-*.json"


def announce(path: Path, name: str, account: str) -> Path | None:
    """Write this window's presence file beside `path`; None if the folder is read-only."""
    file = path.with_name(f".{path.name}.open-{os.getpid()}-{next(_numbers)}.json")
    record = {
        "name": name,
        "account": account,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": clock.now().isoformat(),
    }
    try:
        atomic_write(file, json.dumps(record).encode("utf-8"), durable=False)
    except OSError:
        return None
    return file


def touch(file: Path) -> None:
    with suppress(OSError):
        os.utime(file)


def withdraw(file: Path) -> None:
    with suppress(OSError):
        file.unlink()


def present(path: Path, own: Path | None = None) -> list[Presence]:
    """The other windows that have `path` open, oldest first; stale files are removed."""
    found = []
    for file in path.parent.glob(_pattern(path)):
        if file == own:
            continue
        presence = _read(file)
        if presence is None:
            continue
        if _stale(presence):
            withdraw(file)
            continue
        found.append(presence)
    return sorted(found, key=lambda p: p.since)


def _read(file: Path) -> Presence | None:
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        return Presence(
            name=str(raw["name"]),
            account=str(raw["account"]),
            host=str(raw["host"]),
            pid=int(raw["pid"]),
            since=datetime.fromisoformat(str(raw["since"])),
            file=file,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _stale(presence: Presence) -> bool:
    if presence.file is None:
        return False
    if presence.host == socket.gethostname() and os.name != "nt":
        return not _alive(presence.pid)
    try:
        age = time.time() - presence.file.stat().st_mtime
    except OSError:
        return True
    return age > STALE_AFTER


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True
