"""Blocking work (reading, parsing, writing files) in a thread; its outcome on the UI thread.

Screens used to declare a pair of message classes per job (`Listed`/`Failed`,
`Saved`/`SaveFailed`, ...). Now a job is one call: `run_blocking(self, job,
done, failed, group=...)`. The worker thread only runs `job` and posts one
`Finished` message; the screen (a `HandlesWork`) runs `done(result)` or
`failed(message)` on the UI thread, where widgets may be touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from decalogue.errors import DecalogueError

T = TypeVar("T")


class Finished(Message, bubble=False):
    """A job's outcome, posted by its worker to the node that started it."""

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self.then = then
        """What to do with the outcome, on the UI thread."""


class HandlesWork:
    """Mixin for the app and its screens: runs each `Finished` job's follow-up."""

    def on_finished(self, event: Finished) -> None:
        event.then()


def run_blocking(
    node: DOMNode,
    job: Callable[[], T],
    done: Callable[[T], None],
    failed: Callable[[str], None],
    *,
    group: str,
    exclusive: bool = False,
) -> Worker[None]:
    """Run `job` in a thread; then `done(result)`, or `failed(message)` if it raised a
    DecalogueError (the one-line message a user reads). `exclusive` cancels the group's
    earlier jobs first, as Textual's `@work(exclusive=True)` does."""

    def run() -> None:
        try:
            result = job()
        except DecalogueError as error:
            message = str(error)
            node.post_message(Finished(lambda: failed(message)))
        else:
            node.post_message(Finished(lambda: done(result)))

    return node.run_worker(run, thread=True, group=group, exclusive=exclusive)
