"""Figure 8: `decalogue serve` with a room of browsers joining in the same second.

A server on 127.0.0.1 (a free port, a fixed token, a workspace with one
half-filled assessment) is started and warmed by one session. Then
`--browsers` websocket clients (30 by default) join at once, each as a page
does: the page with its token (the cookie), the websocket, the terminal size.
The time is from a client's first request to the first output that shows the
home screen (the assessment's country in its list); the row is the 95th
percentile of the burst. With every session on its home screen, the memory
each session's process holds of its own (unique set size: its private pages,
from /proc/PID/smaps_rollup) is read. The clients then leave, the server is
stopped with Ctrl+C (SIGINT) and must end every session; nothing else runs.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Row, Settings, percentile
from benchmarks.generate import bundled_path, synthetic_assessment, write_assessment
from benchmarks.launch import child_env

TOKEN = "benchmark-token-0123456789abcdefghij"
MARKER = "Exampleland"
_CONTROL = re.compile(r"\x1b\[[0-9;?<>=]*[A-Za-z@`~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_WEBSOCKET = re.compile(r'data-session-websocket-url="([^"]+)"')


def _workspace(folder: Path) -> Path:
    from decalogue.storage.checklists import load_checklist

    folder.mkdir(parents=True, exist_ok=True)
    checklist = load_checklist(bundled_path())
    write_assessment(folder / "XX-2025.json", synthetic_assessment(checklist))
    return folder


def _start(workspace: Path, forking: bool = True) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "decalogue", "--workspace", str(workspace), "serve"),
            *("--host", "127.0.0.1", "--port", "0", "--token", TOKEN, "--max-sessions", "100"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=child_env(None if forking else {"DECALOGUE_SERVE_EXEC": "1"}),
        start_new_session=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"(http://\S+\?token=" + TOKEN + ")", line)
        if found:
            return process, found.group(1)
    raise RuntimeError("decalogue serve printed no link")


async def _join(url: str, until: float) -> tuple[float, object]:
    """One browser: the seconds to the home screen, and its open connection."""
    import aiohttp

    start = time.perf_counter()
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with http.get(url) as response:
        found = _WEBSOCKET.search(await response.text())
    assert found is not None, "the page names no websocket"
    origin = url.split("/?", 1)[0]
    ws = await http.ws_connect(
        found.group(1), params={"width": "120", "height": "40"}, origin=origin
    )
    await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
    seen = ""
    while time.perf_counter() < until:
        message = await ws.receive(timeout=until - time.perf_counter())
        if message.type != aiohttp.WSMsgType.BINARY:
            continue
        seen = _CONTROL.sub("", seen[-200:] + message.data.decode("utf-8", "replace"))
        if MARKER in seen:
            return time.perf_counter() - start, (http, ws)
    raise TimeoutError("a browser never saw the home screen")


async def _leave(connections: list[object]) -> None:
    for http, ws in connections:  # type: ignore[misc]
        await ws.close()
        await http.close()


def _sessions(server: int) -> list[int]:
    """The server's session processes (its children but the helper it forks them from)."""
    from decalogue.serve.forks import HELPER_NAME

    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            name = (entry / "comm").read_bytes().strip()
        except (OSError, IndexError, ValueError):
            continue
        if parent == server and name != HELPER_NAME:
            found.append(int(entry.name))
    return found


def unique_megabytes(pid: int) -> float:
    """USS: the pages only this process maps (private clean + private dirty)."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


async def _burst(url: str, browsers: int, server: int) -> tuple[list[float], list[float]]:
    until = time.perf_counter() + 60
    joined = await asyncio.gather(*(_join(url, until) for _ in range(browsers)))
    await asyncio.sleep(0.5)  # every app idle on its home screen
    uss = [unique_megabytes(pid) for pid in _sessions(server)]
    await _leave([connection for _, connection in joined])
    return [seconds for seconds, _ in joined], uss


async def _warm(url: str) -> None:
    _, connection = await _join(url, time.perf_counter() + 60)
    await _leave([connection])


def _room(settings: Settings, forking: bool) -> tuple[list[float], list[float]]:
    """p95 of each burst, and every session's USS, on one server."""
    process, url = _start(_workspace(settings.workdir / "serve-workspace"), forking)
    p95s: list[float] = []
    uss: list[float] = []
    try:
        asyncio.run(_warm(url))
        for _ in range(1 if settings.quick else 3):
            time.sleep(3)  # the previous sessions have saved and ended
            times, sizes = asyncio.run(_burst(url, settings.browsers, process.pid))
            p95s.append(percentile(times, 95))
            uss += sizes
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return p95s, uss


def measure(settings: Settings) -> list[Row]:
    if not Path("/proc/self/smaps_rollup").exists():
        return [Row("8 Serve", "browsers joining at once", "s", [0.0], note="skipped: Linux only")]
    p95s, uss = _room(settings, forking=True)
    exec_p95s, exec_uss = _room(settings, forking=False)
    label = f"{settings.browsers} browsers joining at once on 127.0.0.1"
    before = "each session a new interpreter (DECALOGUE_SERVE_EXEC=1)"
    return [
        Row("8 Serve", f"{label}: to the home screen, p95", "s", p95s, judge="value", limit=2.0),
        Row("8 Serve", f"  the same, {before}", "s", exec_p95s),
        Row("8 Serve", "memory of its own per session (USS), median (min-max)", "MB", uss),
        Row("8 Serve", "memory of its own per session (USS), largest", "MB", [max(uss)],
            judge="value", limit=20.0),
        Row("8 Serve", f"  the same, {before}", "MB", [max(exec_uss)]),
    ]  # fmt: skip
