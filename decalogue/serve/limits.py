"""What one browser may ask of the server: how many sessions, how big a screen, which messages.

Every app process costs tens of megabytes, and a terminal's memory grows with
its size, so both are capped. A websocket message is read as textual-serve's
page sends it (`["stdin", text]`, `["resize", {...}]`, `["ping", text]`,
`["focus"]`, `["blur"]`); anything else is refused with one log line, never a
traceback.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

#: App processes running at once, all links together (a room of groups, with reloads).
DEFAULT_MAX_SESSIONS = 40
#: The largest websocket message (a long paste into a note fits many times over).
MAX_MESSAGE_BYTES = 64 * 1024
#: Terminal sizes a session may ask for: a wall-sized screen fits; 10000 x 10000 does not.
MIN_WIDTH, MAX_WIDTH = 20, 400
MIN_HEIGHT, MAX_HEIGHT = 8, 150
#: Malformed messages logged per session; the rest are dropped quietly.
LOGGED_PER_SESSION = 3

log = logging.getLogger("decalogue.serve")


def clamp_width(value: object, default: int = 80) -> int:
    return clamp(value, default, MIN_WIDTH, MAX_WIDTH)


def clamp_height(value: object, default: int = 24) -> int:
    return clamp(value, default, MIN_HEIGHT, MAX_HEIGHT)


def clamp(value: object, default: int, low: int, high: int) -> int:
    """`value` (a number, or text of one) within low..high; `default` when it is neither."""
    if isinstance(value, bool):
        return default
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            return default
    if not isinstance(value, int):
        return default
    return max(low, min(high, value))


@dataclass(frozen=True)
class Message:
    """One well-formed message from the page."""

    kind: str
    text: str = ""
    width: int = 0
    height: int = 0


class Malformed(ValueError):
    """A message that is not one the page sends; the text says what is wrong, briefly."""


def parse(raw: str) -> Message:
    """The page's message, or Malformed."""
    try:
        envelope = json.loads(raw)
    except (ValueError, RecursionError):
        raise Malformed("not JSON") from None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        raise Malformed("not a [type, data] list")
    kind = envelope[0]
    data = envelope[1] if len(envelope) > 1 else None
    if kind in ("stdin", "ping"):
        if not isinstance(data, str):
            raise Malformed(f"{kind}: the data is not text")
        return Message(kind, text=data)
    if kind == "resize":
        if not isinstance(data, dict) or not all(
            isinstance(data.get(key), int) and not isinstance(data.get(key), bool)
            for key in ("width", "height")
        ):
            raise Malformed("resize: no whole-number width and height")
        return Message(kind, width=clamp_width(data["width"]), height=clamp_height(data["height"]))
    if kind in ("focus", "blur"):
        return Message(kind)
    raise Malformed(f"unknown type {kind[:20]!r}")


PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


class Pastes:
    """Drops the escape characters inside pasted text, the one place they are not keys.

    The page wraps a paste in PASTE_START and PASTE_END. Textual's parser reads an escape
    inside it as the escape key: the note editor closed and the pasted text was lost.
    A paste may end in the next message: the state, and an unfinished end marker, carry.
    """

    def __init__(self) -> None:
        self._pasting = False
        self._held = ""

    def clean(self, text: str) -> str:
        rest, out = self._held + text, []
        self._held = ""
        while rest:
            if not self._pasting:
                start = rest.find(PASTE_START)
                if start == -1:
                    out.append(rest)
                    break
                out.append(rest[: start + len(PASTE_START)])
                rest, self._pasting = rest[start + len(PASTE_START) :], True
                continue
            end = rest.find(PASTE_END)
            if end == -1:
                cut = _unfinished(rest)
                out.append(rest[:cut].replace("\x1b", ""))
                self._held = rest[cut:]
                break
            out += [rest[:end].replace("\x1b", ""), PASTE_END]
            rest, self._pasting = rest[end + len(PASTE_END) :], False
        return "".join(out)


def _unfinished(text: str) -> int:
    """Where an end marker that the next message may finish starts (len(text) if none)."""
    for size in range(min(len(PASTE_END) - 1, len(text)), 0, -1):
        if PASTE_END.startswith(text[-size:]):
            return len(text) - size
    return len(text)


class Complaints:
    """Logs the first few malformed messages of one session, one line each."""

    def __init__(self, who: str) -> None:
        self.who = who
        self.count = 0

    def add(self, why: str) -> None:
        self.count += 1
        if self.count <= LOGGED_PER_SESSION:
            log.warning("%s: a malformed message was ignored (%s)", self.who, why)
        if self.count == LOGGED_PER_SESSION:
            log.warning("%s: further malformed messages are ignored without a word", self.who)
