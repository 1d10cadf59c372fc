"""`decalogue serve` in a workshop room: each attack of issue 10, tried against a real server.

A real `decalogue serve` on 127.0.0.1 with a free port, real websockets
(aiohttp), real app processes. Every test says what a participant, or a web
page the facilitator has open, tries, and checks what the server does: refuse
with 401/403/503 (and start no app), clamp, or log one line.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from decalogue.model.assessment import new_assessment
from decalogue.serve import limits
from decalogue.storage import store
from decalogue.storage.checklists import load_checklist
from tests.serve_client import PAGE_WEBSOCKET, Browser, origin_of
from tests.serving import Served, answered, running, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

GROUP = "Group A=XX-2025.json"


def workspace_with_two(root: Path) -> Path:
    workspace = root / "ws"
    workspace.mkdir()
    checklist = load_checklist()
    for code, name in (("XX", "Exampleland"), ("XY", "Otherland")):
        assessment = new_assessment(
            checklist, code, "2025", country_name=name, assessor="Facilitator"
        )
        store.create(workspace / f"{code}-2025.json", assessment)
    return workspace


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Served]:
    """A server with a group link, as a facilitator starts it for a room."""
    server = Served(workspace_with_two(tmp_path), "--group", GROUP)
    try:
        yield server
    finally:
        server.kill()


def jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def websocket_of(http: aiohttp.ClientSession, link: str) -> str:
    """The page's websocket address (the visit also sets the link's cookie in `http`)."""
    async with http.get(link) as response:
        assert response.status == 200
        found = PAGE_WEBSOCKET.search(await response.text())
    assert found is not None
    return found.group(1)


async def refused(http: aiohttp.ClientSession, url: str, **options: object) -> int:
    """The status a websocket handshake is refused with (fails the test if it is accepted)."""
    try:
        ws = await http.ws_connect(url, **options)  # type: ignore[arg-type]
    except aiohttp.WSServerHandshakeError as error:
        return error.status
    await ws.close()
    raise AssertionError(f"the websocket {url} was accepted")


def no_traceback(served: Served) -> None:
    text = "\n".join(served.errors)
    assert "Traceback" not in text and 'File "' not in text, text


# --------------------------------------------------------------------------- the token


async def test_without_the_token_the_page_and_the_websocket_are_refused(room: Served) -> None:
    async with jar() as http:
        for address in (room.base + "/", room.base + "/?token=wrong", room.base + "/download/x"):
            async with http.get(address) as response:
                assert response.status == 401, address
                assert "token" in await response.text()
        ws_url = await websocket_of(http, room.url)  # this jar now holds the cookie
    origin = origin_of(room.url)
    async with jar() as stranger:  # the same address, but no token and no cookie
        assert await refused(stranger, ws_url, origin=origin) == 401
        assert await refused(stranger, ws_url + "?token=wrong", origin=origin) == 401
        # Another link's token does not open this link's session either.
        viewer_token = room.links["viewer"].split("token=")[1]
        assert await refused(stranger, f"{ws_url}?token={viewer_token}", origin=origin) == 401
    assert room.apps() == [], "a refused websocket started an app"


async def test_a_wrong_or_stale_link_is_told_apart_from_a_missing_token(room: Served) -> None:
    """A group pastes a link cut short, or one from yesterday's server: the page says the
    link itself is not valid, not that it lacks a token it plainly has."""
    async with jar() as http:
        cut_short = room.links["Group A"][:-3]
        async with http.get(cut_short) as response:
            assert response.status == 401
            text = await response.text()
        assert "not (or no longer) valid" in text and "earlier start" in text
        async with http.get(room.base + "/") as response:
            assert response.status == 401
            assert "needs its full link" in await response.text()
    assert room.apps() == []


async def test_the_first_visit_sets_a_strict_http_only_cookie_that_opens_the_page(
    room: Served,
) -> None:
    async with jar() as http:
        async with http.get(room.url) as response:
            assert response.status == 200
            cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        async with http.get(room.base + "/") as response:  # the cookie alone, no token
            assert response.status == 200
            assert "data-session-websocket-url" in await response.text()


def test_every_link_has_its_own_token_of_at_least_128_bits(room: Served) -> None:
    tokens = [link.split("?token=")[1] for link in room.links.values()]
    assert sorted(room.links) == ["Group A", "facilitator", "viewer"]
    assert len(set(tokens)) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,}", token) for token in tokens)


def test_a_fixed_token_gives_the_same_links_at_every_start(tmp_path: Path) -> None:
    workspace = workspace_with_two(tmp_path)
    token = "room-4-fixed-token-0123456789"
    seen = []
    for _ in range(2):
        server = Served(workspace, "--group", GROUP, "--token", token)
        try:
            seen.append(server.links)
        finally:
            server.kill()
    assert seen[0]["facilitator"].endswith(f"/?token={token}")
    assert {k: v.split("?")[1] for k, v in seen[0].items()} == {
        k: v.split("?")[1] for k, v in seen[1].items()
    }


# --------------------------------------------------------------------------- Origin and Host


async def test_a_websocket_from_another_site_is_refused(room: Served) -> None:
    """Cross-site websocket hijacking: a page elsewhere, in the facilitator's browser."""
    async with jar() as http:
        ws_url = await websocket_of(http, room.url)  # the browser holds the cookie
        assert await refused(http, ws_url, origin="http://evil.example") == 403
        assert await refused(http, ws_url, origin="null") == 403
        assert await refused(http, ws_url) == 403  # no Origin at all
    assert room.apps() == []
    no_traceback(room)


async def test_a_request_for_another_host_name_is_refused(room: Served) -> None:
    """DNS rebinding: another site's name, resolved to this computer, reaches the server."""
    port = room.base.rsplit(":", 1)[1]
    evil = {"Host": f"rebind.evil.example:{port}"}
    async with jar() as http:
        async with http.get(room.url, headers=evil) as response:
            assert response.status == 403
        ws_url = await websocket_of(http, room.url)
        token = room.url.split("token=")[1]
        status = await refused(
            http,
            f"{ws_url}?token={token}",
            headers=evil,
            origin=f"http://rebind.evil.example:{port}",
        )
        assert status == 403
        async with http.get(room.url, headers={"Host": f"localhost:{port}"}) as response:
            assert response.status == 200  # a name this server does answer to
    assert room.apps() == []


async def test_a_host_header_with_more_than_a_name_and_a_port_is_refused(room: Served) -> None:
    """The Host header becomes the page's websocket address: `127.0.0.1:PORT@evil`
    would send the page's websocket to evil, so only `name[:port]` is let through."""
    port = room.base.rsplit(":", 1)[1]
    async with jar() as http:
        for host in (f"127.0.0.1:{port}@evil.example", f"127.0.0.1:{port}/x", "127.0.0.1:x"):
            async with http.get(room.url, headers={"Host": host}) as response:
                assert response.status == 403, host
        async with http.get(room.url, headers={"Host": f"127.0.0.1:{port}"}) as response:
            assert response.status == 200
            assert f"ws://127.0.0.1:{port}/ws/" in await response.text()


# --------------------------------------------------------------------------- roles


async def test_a_group_link_opens_its_assessment_and_keeps_an_answer_when_the_tab_closes(
    room: Served,
) -> None:
    path = room.workspace / "XX-2025.json"
    browser = await Browser(room.links["Group A"], width=160).open()
    try:
        await browser.wait_for("Exampleland (XX) · 2025")
        await browser.wait_for("Answer  ○ unanswered")
        assert len(room.apps()) == 1  # its own process, started (forked) with the link's role,
        # file and user in its environment: the title above, no home screen and the
        # history's name below show the app received them
        await browser.press("escape", "escape")  # no home screen behind it
        await asyncio.sleep(1)
        assert "Otherland" not in browser.screen.text()
        # At once, well within the autosave's delay, then the tab closes.
        await browser.press_until("3", "Answer  ● 3")
    finally:
        await browser.close()
    wait_until(lambda: list(answered(path).values()) == [3], 20, "the answer is saved")
    history = store.read(path).assessment.history
    assert history[-1].by == "Group A"
    assert answered(room.workspace / "XY-2025.json") == {}
    wait_until(lambda: not room.apps(), 20, "the closed tab's app ends")


async def test_a_closed_tab_whose_save_cannot_land_leaves_a_recovery_copy(room: Served) -> None:
    """Another program left the file unreadable; the tab closes with the save failing."""
    path = room.workspace / "XX-2025.json"
    browser = await Browser(room.links["Group A"], width=160).open()
    try:
        await browser.wait_for("Answer  ○ unanswered")
        broken = b'{"schema_version": 2, "half a file'
        path.write_bytes(broken)
        await browser.press_until("3", "Answer  ● 3")
        await browser.wait_for("JSON syntax", 20)
    finally:
        await browser.close()
    wait_until(lambda: not room.apps(), 30, "the closed tab's app ends")
    [copy] = (room.workspace / "recovery").glob("XX-2025-*.json")
    assert list(answered(copy).values()) == [3]
    assert path.read_bytes() == broken, "a file that cannot be read is never written over"


async def test_a_pasted_text_with_escape_characters_lands_in_the_open_note(room: Served) -> None:
    """The page sends a paste between ESC [200~ and ESC [201~; an escape character in the
    text (copied from a terminal's coloured output, or its last character) closed the
    note editor as the escape key does, and the pasted text went nowhere."""
    browser = await Browser(room.links["Group A"], width=160, height=40).open()
    try:
        await browser.wait_for("Answer  ○ unanswered")
        await browser.press_until("e", "LF-01: notes")
        pasted = "Law 12/2019 \x1b[1marticle 5\x1b[0m covers this.\x1b"
        # One paste, as the page sends it; the end marker may come in the next message.
        await browser.press(f"\x1b[200~{pasted}\x1b[2", "01~")
        await browser.wait_for("Law 12/2019 [1marticle 5[0m covers this.")
        assert "LF-01: notes" in browser.screen.text(), "the editor was closed"
        await browser.press("\x1b")  # the escape key itself still closes it, keeping the text
        await browser.wait_for("✎ Notes  (e)\n")
    finally:
        await browser.close()
    wait_until(lambda: not room.apps(), 30, "the closed tab's app ends, saving")
    notes = json.loads((room.workspace / "XX-2025.json").read_text())["responses"]["LF-01"]
    assert notes["notes"] == "Law 12/2019 [1marticle 5[0m covers this."
    no_traceback(room)


async def test_a_group_export_reaches_the_browser_as_a_download(room: Served) -> None:
    browser = await Browser(room.links["Group A"], width=160, height=40).open()
    try:
        await browser.wait_for("Answer  ○ unanswered")
        await browser.press("x")
        await browser.wait_for("Download to this browser")
        await browser.press("\x13")  # ctrl+s, as a terminal sends it
        deadline = asyncio.get_running_loop().time() + 20
        while asyncio.get_running_loop().time() < deadline and not browser.messages:
            await asyncio.sleep(0.1)
        [(kind, key)] = browser.messages
        assert kind == "deliver_file_start"
        async with browser.http.get(f"{room.base}/download/{key}") as response:
            assert response.status == 200
            assert "XX-2025-scorecard.json" in response.headers["Content-Disposition"]
            card = json.loads(await response.text())
        assert card["overall"]["coverage"] == 0
    finally:
        await browser.close()
    assert not (room.workspace / "exports").exists(), "a download wrote into the workspace"


async def test_two_groups_exporting_to_the_workspace_keep_both_files(tmp_path: Path) -> None:
    """Every group's export was called XX-2025-scorecard.json: Group B's, written to the
    exports folder, silently replaced Group A's (and the facilitator's exports of each
    group in turn left only the last)."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    checklist = load_checklist()
    for title in ("Group A", "Group B"):
        store.create(
            workspace / f"XX-2025-{title[-1].lower()}.json",
            new_assessment(checklist, "XX", "2025", country_name="Exampleland", title=title),
        )
    server = Served(
        workspace, "--group", "Group A=XX-2025-a.json", "--group", "Group B=XX-2025-b.json"
    )
    try:
        for group in ("Group A", "Group B"):
            browser = await Browser(server.links[group], width=160, height=40).open()
            try:
                await browser.wait_for("Answer  ○ unanswered")
                await browser.press("x")
                await browser.wait_for("Download to this browser")
                for key in ("\t", "\r", "\x1b[B", "\r"):  # To: the exports folder
                    await browser.press(key)
                await browser.wait_for("Save in the workspace's exports folder")
                await browser.press("\x13")  # ctrl+s
                await browser.wait_for("✓ written: exports/")
            finally:
                await browser.close()
        exports = workspace / "exports"
        cards = {json.loads(f.read_text())["title"]: f.name for f in exports.iterdir()}
        assert cards == {
            "Group A": "XX-2025-group-a-scorecard.json",
            "Group B": "XX-2025-group-b-scorecard.json",
        }
        no_traceback(server)
    finally:
        server.kill()


# --------------------------------------------------------------------------- limits


async def test_the_session_cap_holds(tmp_path: Path) -> None:
    server = Served(workspace_with_two(tmp_path), "--max-sessions", "2")
    browsers = []
    try:
        async with jar() as http:
            ws_url = await websocket_of(http, server.url)  # a page loaded before it filled
            for _ in range(2):
                browsers.append(await Browser(server.url).open())
            for browser in browsers:
                await browser.wait_for("Exampleland (XX)")
            for _ in range(2):
                assert await refused(http, ws_url, origin=origin_of(server.url)) == 503
            # A page loaded now says so itself, and what to do (a failed connection cannot).
            async with http.get(server.url) as response:
                assert response.status == 503
                assert "--max-sessions" in await response.text()
                assert "Reload this page in a minute" in await response.text()
        assert len(server.apps()) == 2
        await browsers.pop().close()
        wait_until(lambda: len(server.apps()) == 1, 20, "the closed session's app ends")
        browsers.append(await Browser(server.url).open())  # room again
        await browsers[-1].wait_for("Exampleland (XX)")
        assert sum("--max-sessions" in line for line in server.errors) == 3
        no_traceback(server)
    finally:
        for browser in browsers:
            await browser.close()
        server.kill()


def resident_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def test_an_oversized_resize_is_clamped(room: Served) -> None:
    browser = await Browser(room.url).open()
    try:
        await browser.wait_for("Exampleland (XX)")
        await browser.send('["resize", {"width": 10000, "height": 10000}]')
        await browser.press("s")  # the app redraws (at whatever size it was given)
        deadline = asyncio.get_running_loop().time() + 20
        while browser.screen.furthest[0] <= 30 and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        rows, columns = browser.screen.furthest
        assert 30 < rows <= limits.MAX_HEIGHT, browser.screen.furthest
        assert columns <= limits.MAX_WIDTH
        [app] = room.apps()
        assert resident_megabytes(app) < 300
    finally:
        await browser.close()


async def test_malformed_messages_are_one_line_each_never_a_traceback(room: Served) -> None:
    browser = await Browser(room.url).open()
    try:
        await browser.wait_for("Exampleland (XX)")
        for bad in (
            "not json",
            "[]",
            "{}",
            "[1, 2]",
            '["stdin", 5]',
            '["resize", "big"]',
            '["resize", {"width": "x", "height": null}]',
            '["ping"]',
            '["exec", "rm -rf /"]',
            "[" * 100_00 + "]" * 100_00,
        ):
            await browser.send(bad)
        await browser.send(b"\x00binary")
        await browser.press("s")  # still alive and answering: the sort moves on
        await browser.wait_for("Checklist ▲")
        await browser.send('["stdin", "' + "x" * (limits.MAX_MESSAGE_BYTES + 10) + '"]')
        deadline = asyncio.get_running_loop().time() + 20
        while not browser.closed and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        assert browser.closed, "an oversized message did not end the connection"
    finally:
        await browser.close()
    wait_until(lambda: not room.apps(), 20, "the session's app ends")
    no_traceback(room)
    lines = [line for line in room.errors if line.strip()]
    assert all(line.startswith("decalogue serve: ") for line in lines), lines
    assert sum("malformed" in line for line in lines) == limits.LOGGED_PER_SESSION + 1
    assert any("closed a websocket" in line for line in lines), lines
    assert all(running(pid) is False for pid in room.seen)
    assert os.path.exists(room.workspace / "XX-2025.json")
