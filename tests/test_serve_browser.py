"""`decalogue serve` in a real browser: Debian's chromium, headless, driven over DevTools.

The page's terminal (xterm.js) draws on a canvas, so the test reads what it
shows from xterm's own buffer: a script installed before the page loads keeps
a reference to each terminal the page creates, and `Runtime.evaluate` reads its
lines. Keys go in as the browser's own key events. Every wait is bounded and a
watchdog kills chromium and the server if the test hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.serve_client import Browser
from tests.serving import Served, mentioning, running, wait_until

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]


#: Keeps every xterm.js Terminal the page builds: its constructor assigns `this._core`.
HOOK = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "_core", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "_core", {value, writable: true, configurable: true});
    window.__terminals.push(this);
  },
});
"""

#: The terminal's visible lines, from xterm's buffer (or its DOM rows, if it draws those).
READ = """
(() => {
  const term = (window.__terminals || []).find((t) => t.buffer && t.buffer.active);
  if (term) {
    const buffer = term.buffer.active, lines = [];
    for (let row = 0; row < term.rows; row++) {
      const line = buffer.getLine(buffer.viewportY + row);
      lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\\n");
  }
  const rows = document.querySelector(".xterm-rows");
  return rows ? rows.innerText : "";
})()
"""

#: Points the page's websocket at a link the server does not know: the server refuses it.
REFUSED = """
const RealWebSocket = window.WebSocket;
window.WebSocket = function (url, ...rest) {
  return new RealWebSocket(String(url).replace("/ws/", "/ws/x"), ...rest);
};
"""

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1200,800",
)

WATCHDOG = 180.0


class Chromium:
    """A headless chromium in its own process group, and its DevTools port."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        self.profile = profile
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        active = profile / "DevToolsActivePort"
        wait_until(lambda: active.exists() and active.read_text().strip(), 60, "chromium starts")
        self.port = int(active.read_text().split()[0])

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


class DevTools:
    """A minimal Chrome DevTools Protocol client over aiohttp's websocket."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse[bool] | None = None
        self._reader: asyncio.Task[None] | None = None
        self.events: list[dict[str, Any]] = []
        """Every event chromium sent (method and params), in order."""

    async def open(self, port: int) -> DevTools:
        self._http = aiohttp.ClientSession()
        async with self._http.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json(content_type=None)
        page = next(t for t in targets if t["type"] == "page")
        self._ws = await self._http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "method" in data:
                self.events.append(data)
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        assert self._ws is not None
        ident = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = future
        await self._ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise AssertionError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def screen(self) -> str:
        return str(await self.evaluate(READ) or "")

    async def wait_for(self, needle: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = await self.screen()
            if needle in text:
                return text
            await asyncio.sleep(0.25)
        raise AssertionError(f"{needle!r} not shown within {timeout}s; the page shows:\n{text}")

    async def wait_for_page(self, needle: str, timeout: float = 30.0) -> str:
        """The page's visible text (not the terminal's) once it holds `needle`."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = str(await self.evaluate("document.body.innerText") or "")
            if needle in text:
                return text
            await asyncio.sleep(0.25)
        raise AssertionError(f"{needle!r} not on the page within {timeout}s; it shows:\n{text}")

    async def type(self, key: str) -> None:
        """One printable key, as the browser's own key events."""
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        for kind in ("keyDown", "keyUp"):
            params: dict[str, Any] = {"type": kind, "key": key}
            if kind == "keyDown":
                params.update(text=key, unmodifiedText=key)
            await self.send("Input.dispatchKeyEvent", **params)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._http is not None:
            await self._http.close()


@contextlib.contextmanager
def watched(browser: Chromium, served: Served) -> Iterator[Chromium]:
    """The browser, killed at the end; both killed if the test hangs past WATCHDOG."""

    def watchdog() -> None:
        browser.kill()
        served.kill()

    timer = threading.Timer(WATCHDOG, watchdog)
    timer.daemon = True
    timer.start()
    try:
        yield browser
    finally:
        timer.cancel()
        browser.kill()


@pytest.fixture
def chromium(tmp_path: Path, served: Served) -> Iterator[Chromium]:
    with watched(Chromium(tmp_path / "profile"), served) as browser:
        yield browser


async def test_the_app_in_headless_chromium(served: Served, chromium: Chromium) -> None:
    devtools = await DevTools().open(chromium.port)
    try:
        await devtools.send("Page.enable")
        await devtools.send("Runtime.enable")
        await devtools.send("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
        await devtools.send("Page.navigate", url=served.url)
        home = await devtools.wait_for("Exampleland (XX)")
        assert "workspace" in home and "2025" in home
        wait_until(lambda: len(served.apps()) == 1, 20, "the page's session runs an app")

        await devtools.type("n")
        new = await devtools.wait_for("New assessment")
        assert "Exampleland (XX)" not in new
    finally:
        await devtools.close()

    # The browser disappears without a word: its app process must end all the same.
    apps = served.apps()
    chromium.kill()
    wait_until(lambda: not served.apps(), 30, "the app of the killed browser ends")
    assert not any(running(pid) for pid in apps)
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(30) == 0
    assert mentioning(str(served.workspace)) == []


async def test_a_phone_gets_a_terminal_as_wide_as_its_screen(
    served: Served, chromium: Chromium
) -> None:
    """A participant's phone (390 by 844 CSS pixels): without a viewport, the page was
    laid out 980 pixels wide and shrunk, about 100 columns too small to read."""
    devtools = await DevTools().open(chromium.port)
    try:
        await devtools.send(
            "Emulation.setDeviceMetricsOverride",
            width=390,
            height=844,
            deviceScaleFactor=2,
            mobile=True,
        )
        await devtools.send("Page.enable")
        await devtools.send("Runtime.enable")
        await devtools.send("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
        await devtools.send("Page.navigate", url=served.url)
        await devtools.wait_for("Exampleland (XX)")
        columns = await devtools.evaluate(
            "(window.__terminals || []).map((t) => t.cols).find((c) => c > 0) || 0"
        )
    finally:
        await devtools.close()
    assert 30 <= int(columns) <= 50, columns


async def test_the_page_asks_no_other_host_for_anything(served: Served, chromium: Chromium) -> None:
    """No outside fonts, scripts or requests: every request goes to the server itself."""
    devtools = await DevTools().open(chromium.port)
    try:
        await devtools.send("Network.enable")
        await devtools.send("Page.enable")
        await devtools.send("Runtime.enable")
        await devtools.send("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
        await devtools.send("Page.navigate", url=served.url)
        await devtools.wait_for("Exampleland (XX)")
        await devtools.evaluate("document.fonts.ready.then(() => true)")
        await asyncio.sleep(1)  # anything the page asks for late
        requested = [
            event["params"]["request"]["url"]
            for event in devtools.events
            if event["method"] == "Network.requestWillBeSent"
        ]
        sockets = [
            event["params"]["url"]
            for event in devtools.events
            if event["method"] == "Network.webSocketCreated"
        ]
        family = await devtools.evaluate(
            "getComputedStyle(document.body).fontFamily + ' ' + "
            "document.fonts.check('16px \"Roboto Mono\"')"
        )
    finally:
        await devtools.close()
    server = served.base.split("://", 1)[1]
    assert requested and sockets
    assert all(url.split("://", 1)[1].startswith(server + "/") for url in requested), requested
    assert all(url.startswith(f"ws://{server}/ws/") for url in sockets), sockets
    assert any("/static/fonts/RobotoMono" in url for url in requested), requested
    assert "Roboto Mono" in str(family)


async def test_a_page_that_cannot_start_says_so_and_a_full_server_says_why(
    tmp_path: Path, served: Served
) -> None:
    """A participant whose session never started was told "The session ended. Reload
    the page to go on from what was saved.", and reloading a full server said it again:
    nothing had ended, nothing was saved, and the reason never reached the page."""
    workspace = tmp_path / "full"
    shutil.copytree(served.workspace, workspace)
    server = Served(workspace, "--max-sessions", "1")
    holder = None
    try:
        with watched(Chromium(tmp_path / "profile"), server) as browser:
            devtools = await DevTools().open(browser.port)
            try:
                await devtools.send("Page.enable")
                await devtools.send("Runtime.enable")
                await devtools.send("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
                # The page loads but its connection is refused (the server filled up, or
                # was restarted, between the two; here: a link id it does not know).
                refuse = await devtools.send(
                    "Page.addScriptToEvaluateOnNewDocument", source=REFUSED
                )
                await devtools.send("Page.navigate", url=server.url)
                shown = await devtools.wait_for_page("The session could not start")
                assert "what was saved" not in shown and "ended" not in shown
                await devtools.send("Page.removeScriptToEvaluateOnNewDocument", **refuse)
                # The one place is taken: the page itself says the server is full, and
                # what to do.
                holder = await Browser(server.url).open()
                await holder.wait_for("Exampleland (XX)")
                await devtools.send("Page.reload")
                full = await devtools.wait_for_page("as many sessions")
                assert "Reload this page" in full
                # The place is free again: the same page, reloaded, runs the app.
                await holder.close()
                holder = None
                wait_until(lambda: not server.apps(), 30, "the holder's app ends")
                await devtools.send("Page.reload")
                await devtools.wait_for("Exampleland (XX)")
            finally:
                await devtools.close()
    finally:
        if holder is not None:
            await holder.close()
        server.kill()
    assert not any("Traceback" in line for line in server.errors), server.errors
