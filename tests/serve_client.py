"""A websocket client for `decalogue serve`, speaking textual-serve's protocol, for the tests.

It plays a browser without one: opens a session, keeps a small terminal
screen (cursor moves and text; colours ignored) to read what the app shows,
and types keys. Run as a program (`python -m tests.serve_client URL`) it opens
a session and waits, so a test can kill it like a browser that disappears.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
import time
from typing import Any

import aiohttp

KEYS = {"enter": "\r", "escape": "\x1b", "space": " ", "down": "\x1b[B", "up": "\x1b[A"}

_CONTROL = re.compile(
    r"\x1b\[(?P<params>[0-9;?<>=]*)(?P<final>[A-Za-z@`~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[()][A-Za-z0-9]|\x1b[=>78cM]"
)


class Screen:
    """The text of a terminal of the given size, fed with an app's output."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]
        self.row = self.col = 0
        self._pending = ""
        self.furthest = (0, 0)
        """The largest row and column the app moved the cursor to (1-based, unclamped)."""

    def feed(self, data: bytes | str) -> None:
        text = self._pending + (
            data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        )
        cut = text.rfind("\x1b")
        if cut != -1 and _CONTROL.match(text, cut) is None and len(text) - cut < 64:
            text, self._pending = text[:cut], text[cut:]  # an escape split across packets
        else:
            self._pending = ""
        position = 0
        for match in _CONTROL.finditer(text):
            self._put(text[position : match.start()])
            position = match.end()
            if match.group("final") in ("H", "f"):
                parts = (match.group("params") or "").split(";")
                with contextlib.suppress(ValueError):
                    row = int(parts[0] or 1)
                    column = int((parts[1] if len(parts) > 1 else "") or 1)
                    self.furthest = (max(self.furthest[0], row), max(self.furthest[1], column))
                self.row = max(0, min(self.height - 1, int(parts[0] or 1) - 1))
                wanted = parts[1] if len(parts) > 1 else ""
                self.col = max(0, min(self.width - 1, int(wanted or 1) - 1))
            elif match.group("final") == "J" and match.group("params") in ("2", "3"):
                self.rows = [[" "] * self.width for _ in range(self.height)]
        self._put(text[position:])

    def _put(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row = min(self.height - 1, self.row + 1)
            elif char >= " ":
                if self.col < self.width:
                    self.rows[self.row][self.col] = char
                self.col += 1

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.rows)


PAGE_WEBSOCKET = re.compile(r'data-session-websocket-url="([^"]+)"')


def origin_of(url: str) -> str:
    """`http://host:port` of a link."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"


class Browser:
    """One session: the page (with its token, which sets the cookie), its websocket, and
    the screen it draws; as a browser does it, the websocket carries the page's Origin."""

    def __init__(self, url: str, width: int = 100, height: int = 30) -> None:
        self.url, self.width, self.height = url, width, height
        self.screen = Screen(width, height)
        self.closed = False
        self.messages: list[Any] = []
        """The text messages the server sent (downloads, urls), decoded."""
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse[bool] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def open(self) -> Browser:
        self._http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with self._http.get(self.url) as response:
            response.raise_for_status()
            found = PAGE_WEBSOCKET.search(await response.text())
        assert found is not None, "the page names no websocket"
        self._ws = await self._http.ws_connect(
            found.group(1),
            params={"width": str(self.width), "height": str(self.height)},
            origin=origin_of(self.url),
        )
        await self._ws.send_str(
            json.dumps(["resize", {"width": self.width, "height": self.height}])
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.ERROR):
                break
        self.closed = True

    async def send(self, data: str | bytes) -> None:
        """A raw message, as a page that does not play by the rules would send it."""
        assert self._ws is not None
        if isinstance(data, bytes):
            await self._ws.send_bytes(data)
        else:
            await self._ws.send_str(data)

    async def press(self, *keys: str) -> None:
        assert self._ws is not None
        for key in keys:
            await self._ws.send_str(json.dumps(["stdin", KEYS.get(key, key)]))
            await asyncio.sleep(0.05)

    async def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        """The screen once it shows `needle`; AssertionError with the screen after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen.text()
            if needle in text:
                return text
            if self.closed:
                break
            await asyncio.sleep(0.1)
        raise AssertionError(
            f"{needle!r} not shown within {timeout}s; screen:\n{self.screen.text()}"
        )

    async def press_until(self, key: str, needle: str, tries: int = 5) -> str:
        """Press `key` until the screen shows `needle`: a key typed while a screen is still
        being set up can be dropped, and the keys used with this are idempotent."""
        for _ in range(tries - 1):
            await self.press(key)
            try:
                return await self.wait_for(needle, 3)
            except AssertionError:
                continue
        await self.press(key)
        return await self.wait_for(needle, 10)

    @property
    def http(self) -> aiohttp.ClientSession:
        """The session's HTTP client, holding the link's cookie as the browser would."""
        assert self._http is not None
        return self._http

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
        if self._http is not None:
            await self._http.close()


async def _hold(url: str) -> None:
    browser = await Browser(url).open()
    await browser.wait_for("decalogue")
    print("ready", flush=True)
    await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(_hold(sys.argv[1]))
