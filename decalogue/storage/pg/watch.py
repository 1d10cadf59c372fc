"""An open window's own connection: it says who has the assessment open and hears saves.

One thread per open window holds a connection that LISTENs on the channel the
database announces every save on (`schema.CHANNEL`) and keeps the window's
presence row, which counts as alive while that connection is. When the server
goes away, the thread reconnects every `RETRY` seconds and, once back, calls
the window as if a save had been announced (it may have missed some).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from decalogue.storage.pg.schema import CHANNEL

#: Seconds between two attempts to reach a server that went away.
RETRY = 1.0

#: How long the thread waits for a notification before looking at its stop flag.
TICK = 0.5


class Watch:
    """The listening, present connection of one open window (see the module's docstring)."""

    def __init__(self, url: str, assessment_id: str) -> None:
        self.url = url
        self.assessment_id = assessment_id
        self.backend: int | None = None
        """The server process of the connection (its presence row's key); None when down."""
        self._who: tuple[str, str] | None = None
        self._callbacks: list[Callable[[], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def present_as(self, name: str, account: str) -> None:
        with self._lock:
            self._who = (name, account)
        self._start()

    def on_change(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._callbacks.append(callback)
        self._start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._run, name=f"decalogue-listen-{self.assessment_id[:8]}", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        import psycopg

        first = True
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
                    self._serve(connection, missed=not first)
            except psycopg.Error:
                pass  # the server went away (or never answered): try again
            self.backend = None
            first = False
            self._stop.wait(RETRY)

    def _serve(self, connection: Any, *, missed: bool) -> None:
        connection.execute(f"LISTEN {CHANNEL}")
        self.backend = int(connection.info.backend_pid)
        present = self._present(connection)
        if missed:
            self._tell()
        try:
            while not self._stop.is_set():
                for note in connection.notifies(timeout=TICK):
                    if note.payload.split(" ", 1)[0] == self.assessment_id:
                        self._tell()
                if not present:  # announced after the connection was made
                    present = self._present(connection)
        finally:
            if not connection.closed:
                with suppress(Exception):
                    connection.execute(
                        "DELETE FROM presence WHERE assessment_id = %s AND backend = %s",
                        (self.assessment_id, self.backend),
                    )

    def _present(self, connection: Any) -> bool:
        """Write this window's presence row (and drop those of windows gone); False: nobody
        has announced yet."""
        who = self._who
        if who is None:
            return False
        connection.execute(
            "DELETE FROM presence WHERE assessment_id = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_stat_activity a WHERE a.pid = presence.backend "
            "AND a.datname = current_database())",
            (self.assessment_id,),
        )
        connection.execute(
            "INSERT INTO presence (assessment_id, backend, name, account, host) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (assessment_id, backend) DO UPDATE SET "
            "name = EXCLUDED.name, account = EXCLUDED.account, host = EXCLUDED.host, "
            "since = now()",
            (self.assessment_id, self.backend, who[0], who[1], socket.gethostname()),
        )
        return True

    def _tell(self) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            with suppress(Exception):  # a window's trouble must not end the listening
                callback()
