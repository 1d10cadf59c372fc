"""`decalogue serve`: a real server process, real app processes, websocket clients as browsers.

What a trainer relies on: every browser gets its own app, two people on one
assessment never overwrite each other, and stopping the server (Ctrl+C or
SIGTERM) leaves no app process behind, even after a browser vanished without
saying goodbye. Processes are found by scanning /proc, and a watchdog kills
whatever a test started if it fails half-way.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decalogue.serve.forks import SESSION_NAME
from tests.serve_client import Browser
from tests.serving import (
    ROOT,
    Served,
    answered,
    children_of,
    is_fork_helper,
    mentioning,
    running,
    wait_until,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


# --------------------------------------------------------------------------- command line


def test_serve_without_textual_serve_says_how_to_install(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "textual_serve"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    env = {**os.environ, "PYTHONPATH": f"{shadow.parent}{os.pathsep}{ROOT}"}
    result = subprocess.run(
        [sys.executable, "-m", "decalogue", "serve", "--workspace", str(tmp_path / "ws")],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "decalogue serve needs textual-serve, which is not installed: "
        "pip install 'decalogue[serve]'"
    ]


def test_a_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "decalogue",
                "serve",
                "--port",
                str(port),
                "--workspace",
                str(tmp_path / "ws"),
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "choose another --port" in lines[0]


def test_serve_prints_its_loopback_address_and_serves_the_page(served: Served) -> None:
    import urllib.request

    assert served.url.startswith("http://127.0.0.1:") and "/?token=" in served.url
    with urllib.request.urlopen(served.url, timeout=10) as response:
        page = response.read().decode()
    assert "decalogue" in page and f"{served.base.replace('http', 'ws')}/ws/" in page
    # When the session ends, however it ended (closed, crashed, the network), the page
    # cannot know that every answer was saved: it promises only what was.
    assert "Reload the page to go on from what was saved." in page
    assert "answers are saved" not in page
    # Reached by another of its names, the page links back to that name.
    request = urllib.request.Request(served.url, headers={"Host": "localhost:8000"})
    with urllib.request.urlopen(request, timeout=10) as response:
        page = response.read().decode()
    assert "ws://localhost:8000/ws/" in page and "127.0.0.1" not in page


# --------------------------------------------------------------------------- sessions


async def test_two_participants_on_one_assessment_never_overwrite_each_other(
    served: Served,
) -> None:
    """Issue 12: two browsers scoring different items both keep their answers, no dialog."""
    path = served.workspace / "XX-2025.json"
    first = await Browser(served.url).open()
    second = await Browser(served.url).open()
    try:
        await first.wait_for("Exampleland (XX)")
        await second.wait_for("Exampleland (XX)")
        apps = served.apps()
        assert len(apps) == 2, f"one app process per session, found {apps}"
        for browser in (first, second):
            await browser.press("o")
            await browser.wait_for("Answer  ○ unanswered")
        await first.press_until("3", "Answer  ● 3")
        await second.press("j")
        await second.press_until("1", "Answer  ● 1")  # the next item
        wait_until(lambda: sorted(answered(path).values()) == [1, 3], 20, "both saves land")
        screen = await second.wait_for("● 3", 20)  # the first's answer shown in the second
        assert "Conflict" not in screen
        time.sleep(1.5)  # give a wrong save every chance to happen
        assert sorted(answered(path).values()) == [1, 3]
    finally:
        await first.close()
        await second.close()


async def test_the_facilitators_edits_are_recorded_under_the_name_of_who_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facilitator's link records the server's user (--user, $DECALOGUE_USER, the
    profile), not "facilitator"; the link line says whose it is."""
    from decalogue.model.assessment import new_assessment
    from decalogue.storage import store
    from decalogue.storage.checklists import load_checklist

    monkeypatch.setenv("DECALOGUE_USER", "Ana Trainer")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    path = workspace / "XX-2025.json"
    store.create(path, new_assessment(load_checklist(), "XX", "2025", country_name="Exampleland"))
    served = Served(workspace)
    try:
        [line] = [line for line in served.lines if line.startswith("  facilitator")]
        assert line.startswith("  facilitator 'Ana Trainer' (the whole workbench")
        browser = await Browser(served.url).open()
        try:
            await browser.wait_for("Exampleland (XX)")
            await browser.press("o")
            await browser.wait_for("Answer  ○ unanswered")
            await browser.press_until("3", "Answer  ● 3")
            wait_until(lambda: list(answered(path).values()) == [3], 20, "the answer is saved")
        finally:
            await browser.close()
    finally:
        served.kill()
    [change] = [c for c in store.read(path).assessment.history if c.field == "answer"]
    assert change.by == "Ana Trainer"


@pytest.mark.parametrize("how", ["browser closes", "server stops"])
async def test_an_answer_not_yet_autosaved_is_saved_when_the_session_ends(
    served: Served, how: str
) -> None:
    path = served.workspace / "XX-2025.json"
    browser = await Browser(served.url, width=160).open()
    try:
        await browser.wait_for("Exampleland (XX)")
        await browser.press("o")
        await browser.wait_for("Exampleland (XX) · 2025")
        await browser.wait_for("Answer  ○ unanswered")
        # At once when the answer shows, well within the autosave's delay.
        await browser.press_until("3", "Answer  ● 3")
        if how == "browser closes":
            await browser.close()
        else:
            served.process.send_signal(signal.SIGINT)
            assert served.process.wait(30) == 0
        wait_until(lambda: list(answered(path).values()) == [3], 20, "the answer is saved")
    finally:
        await browser.close()


#: A served app's output, as its driver writes it: screen updates from the app's thread
#: while a download's 64 KiB chunks go from the driver's input thread (`deliver_text`).
_WRITER = """
import asyncio, sys, threading
from pathlib import Path
from decalogue.tui.app import create_app

app = create_app(Path(sys.argv[1]))

async def make():
    return app.get_driver_class()(app)

driver = asyncio.run(make())
chunk = bytes(range(256)) * 256
frames = threading.Thread(target=lambda: [driver.write("x" * 20000) for _ in range(100)])
download = threading.Thread(
    target=lambda: [driver.write_binary_encoded(("deliver_chunk", "k", chunk)) for _ in range(30)]
)
for thread in (frames, download):
    thread.start()
for thread in (frames, download):
    thread.join()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sets a pipe's size (Linux)")
def test_a_download_and_screen_updates_reach_the_server_whole(tmp_path: Path) -> None:
    """A download cut short on a busy machine: the screen and a download's chunks share
    the pipe to the server, and a pipe keeps a write whole only up to 4 KiB. With the pipe
    that small (as a full one is), every packet must still arrive whole and in one piece."""
    import fcntl

    env = {**os.environ, "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(tmp_path / "ws")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert child.stdout is not None
    fcntl.fcntl(child.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ: the smallest pipe
    data = child.stdout.read()
    assert child.wait(60) == 0
    packets: dict[bytes, int] = {}
    position = 0
    while position < len(data):
        kind, size = data[position : position + 1], data[position + 1 : position + 5]
        payload = data[position + 5 : position + 5 + int.from_bytes(size, "big")]
        assert kind in (b"D", b"P"), f"a packet broken at byte {position}"
        assert kind == b"P" or payload == b"x" * 20000, f"a screen update broken at {position}"
        packets[kind] = packets.get(kind, 0) + 1
        position += 5 + len(payload)
    assert packets == {b"D": 100, b"P": 30}


@pytest.mark.parametrize(
    "stop",
    [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
    ids=["ctrl-c", "sigterm", "terminal-closed"],
)
async def test_stopping_the_server_leaves_no_app_process_behind(
    served: Served, stop: signal.Signals
) -> None:
    # A browser that vanishes without closing its websocket: a client process, killed.
    vanishing = subprocess.Popen(
        [sys.executable, "-m", "tests.serve_client", served.url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    staying = await Browser(served.url).open()
    try:
        assert vanishing.stdout is not None
        assert vanishing.stdout.readline().strip() == "ready"
        await staying.wait_for("Exampleland (XX)")
        wait_until(lambda: len(served.apps()) == 2, 20, "two app processes run")
        before = set(served.apps())
        os.killpg(vanishing.pid, signal.SIGKILL)
        vanishing.wait(10)
        wait_until(lambda: len(served.apps()) == 1, 20, "the vanished browser's app ends")
        left = set(served.apps())
        assert left < before
        gone = before - left
        assert not any(running(pid) for pid in gone)

        served.process.send_signal(stop)
        assert served.process.wait(30) == 0
        assert not any(running(pid) for pid in before), "an app process outlived the server"
        assert mentioning(str(served.workspace)) == []
    finally:
        await staying.close()
        if vanishing.poll() is None:
            os.killpg(vanishing.pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
async def test_even_a_killed_server_leaves_no_app_process_behind(served: Served) -> None:
    browser = await Browser(served.url).open()
    try:
        await browser.wait_for("Exampleland (XX)")
        apps = served.apps()
        assert len(apps) == 1
        # Forked from the helper that has the app imported (not a new interpreter), and
        # still the server's own child: the kernel's parent-death signal reaches it.
        assert Path(f"/proc/{apps[0]}/comm").read_bytes().strip() == SESSION_NAME
        os.kill(served.process.pid, signal.SIGKILL)  # no chance to clean up
        served.process.wait(10)
        wait_until(lambda: not any(running(pid) for pid in apps), 30, "the orphaned app ends")
        assert mentioning(str(served.workspace)) == []
    finally:
        await browser.close()


@pytest.fixture
def large_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server environment of about 60 kB: each session's request carries it to the fork
    helper, so a few requests fill the socket's buffer."""
    monkeypatch.setenv("DECALOGUE_TEST_PADDING", "x" * 60_000)


async def test_a_room_joining_at_once_gets_a_forked_session_each(
    large_environment: None, served: Served
) -> None:
    # More browsers than the helper's socket holds ask while the helper is held up: every
    # request waits its turn, none falls back to a new interpreter, and each reply reaches
    # its own browser.
    def helpers() -> list[int]:
        return [pid for pid in children_of(served.process.pid) if is_fork_helper(pid)]

    wait_until(helpers, 30, "the fork helper runs")
    [helper] = helpers()
    browsers = [Browser(served.url) for _ in range(14)]
    os.kill(helper, signal.SIGSTOP)
    try:
        await asyncio.gather(*(browser.open() for browser in browsers))
        await asyncio.sleep(1)  # the requests pile up meanwhile
        os.kill(helper, signal.SIGCONT)
        for browser in browsers:
            await browser.wait_for("Exampleland (XX)", 60)
        apps = served.apps()
        assert len(apps) == len(browsers)
        assert all(Path(f"/proc/{pid}/comm").read_bytes().strip() == SESSION_NAME for pid in apps)
        assert not [line for line in served.errors if "by exec" in line]
    finally:
        os.kill(helper, signal.SIGCONT)
        await asyncio.gather(*(browser.close() for browser in browsers), return_exceptions=True)
