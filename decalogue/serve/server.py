"""`decalogue serve`: the workbench in browsers, one app process per browser session.

textual-serve (the `serve` extra) relays an app's terminal over a websocket.
We keep its protocol, its JavaScript terminal and its download manager, and
replace everything a participant reaches: the routes (every one behind the
Host check, the page and the websocket behind a link's token or cookie, the
websocket behind an Origin check too), the page (nothing from another host),
the message loop (sizes clamped, bad messages one log line) and the start of
an app process (exec, no shell; its role in its environment; a session cap).

Nothing here imports textual: the app runs in the child processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from decalogue.errors import DecalogueError
from decalogue.roles import GroupOption, Role
from decalogue.serve import limits
from decalogue.serve.auth import (
    Gate,
    Link,
    check_fixed_token,
    make_links,
    new_token,
    server_names,
)
from decalogue.serve.forks import Forks
from decalogue.serve.page import (
    FULL,
    NEEDS_TOKEN,
    SECURITY_HEADERS,
    WRONG_HOST,
    WRONG_TOKEN,
    page,
    refused,
)
from decalogue.serve.page import static_file as find_static
from decalogue.serve.processes import (
    CTRL_Q,
    QUIT_GRACE,
    STOP_SIGNALS,
    TERM_GRACE,
    Children,
    die_with_parent,
    exits,
)
from decalogue.serve.room import (
    announce,
    base_url,
    bind,
    check_groups,
    say_line,
    shown_files,
    shown_host,
)
from decalogue.storage.pg.connection import shown

#: Seconds a session may take to send each chunk of a browser download.
DOWNLOAD_WAIT = 30

INSTALL_HINT = (
    "decalogue serve needs textual-serve, which is not installed: pip install 'decalogue[serve]'"
)

log = limits.log


def require_textual_serve() -> None:
    """Raise the one-line install hint when the optional dependency is missing."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise DecalogueError(INSTALL_HINT) from None


def app_command(workspace: Path) -> list[str]:
    """The command each browser session runs: this Python, this package, this workspace."""
    return [sys.executable, "-m", "decalogue", "--workspace", str(workspace)]


class OneLine(logging.Formatter):
    """Log records as one line each: an exception is named, its traceback left out."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"decalogue serve: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {error})"
        return " ".join(text.split("\n"))


def quiet_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(OneLine())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def make_server(
    argv: Sequence[str],
    sock: socket.socket,
    workspace: Path,
    gate: Gate,
    max_sessions: int,
    *,
    database: str | None = None,
) -> Any:
    """A textual-serve Server that runs `argv` per session, on our routes and our rules."""
    from aiohttp import WSCloseCode, WSMsgType, web
    from textual_serve import download_manager
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    # textual-serve gives an app 4 s to send each chunk of a download; a session on a busy
    # room's laptop can take longer, and textual-serve then drops the download mid-stream.
    download_manager.DOWNLOAD_TIMEOUT = max(download_manager.DOWNLOAD_TIMEOUT, DOWNLOAD_WAIT)
    children = Children()
    hook = die_with_parent()
    forks: list[Forks] = []  # the fork helper, once the server runs (none: exec each session)

    class Session(AppService):
        """One browser's app process, started with exec (no shell) in its own group."""

        def __init__(self, link: Link, **kwargs: Any) -> None:
            super().__init__(" ".join(argv), **kwargs)
            self.link = link
            self._stopping: asyncio.Future[None] | None = None
            self.size = (0, 0)
            """The terminal size the app last heard of."""

        async def set_terminal_size(self, width: int, height: int) -> None:
            """Pass a new size on; a page repeats its size once connected, and the app
            would lay out and redraw its whole screen again for nothing."""
            if (width, height) != self.size:
                self.size = (width, height)
                await super().set_terminal_size(width, height)

        async def _open_app_process(
            self, width: int = 80, height: int = 24
        ) -> asyncio.subprocess.Process:
            self.size = (width, height)
            environment = self._build_environment(width=width, height=height)
            environment["DECALOGUE_WORKSPACE"] = str(workspace)
            if database is not None:
                environment["DECALOGUE_STORE"] = database  # the sessions open from it
            environment.update(self.link.served.environment())
            process: Any = None
            if forks:
                try:
                    process = await forks[0].spawn(environment)
                except OSError as error:
                    log.warning("starting a session by exec (%s)", error)
            if process is None:
                process = await self._exec(environment)
            children.add(process)
            self._process = process
            assert process.stdin is not None
            self._stdin = process.stdin
            opened: asyncio.subprocess.Process = process  # a ForkedProcess stands in for one
            return opened

        async def _exec(self, environment: dict[str, str]) -> asyncio.subprocess.Process:
            process: asyncio.subprocess.Process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
                preexec_fn=hook,
            )
            return process

        async def stop(self) -> None:
            """Stop once, however many callers ask (the browser leaving, the server stopping)."""
            if self._stopping is None:
                self._stopping = asyncio.ensure_future(self._stop())
            await asyncio.shield(self._stopping)

        async def _stop(self) -> None:
            """Quit the app as a user would (it saves open work), and make sure it ended.

            ctrl+q is the app's own quit: it saves every open assessment first. If it is
            still running after QUIT_GRACE (a dialog is asking), SIGTERM makes it save what
            it can (a recovery copy when the save cannot land) and quit without asking.
            """
            process = self._process
            task, self._task = self._task, None
            if task is not None and process is not None:
                await self._download_manager.cancel_app_downloads(
                    app_service_id=self.app_service_id
                )
                await self.send_bytes(CTRL_Q)
                await exits(process, QUIT_GRACE)
            if process is not None:
                await children.end(process, grace=0)
            if task is not None:
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(task, TERM_GRACE)

    refusals: dict[int, type[web.HTTPException]] = {
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
        503: web.HTTPServiceUnavailable,
    }

    def html(status: int, text: str) -> web.HTTPException:
        """A refusal with a short page saying what to do."""
        return refusals[status](
            text=refused(text), content_type="text/html", headers=SECURITY_HEADERS
        )

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        """The Host check before anything; our headers on every response."""
        if not gate.host_ok(request.headers.get("Host")):
            log.warning("refused a request for another host name: %.60r", request.host)
            raise html(403, WRONG_HOST)
        response: web.StreamResponse = await handler(request)
        if not response.prepared:
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    class DecalogueServer(Server):
        def __init__(self) -> None:
            super().__init__(" ".join(argv), port=sock.getsockname()[1])
            self.title = "decalogue"
            self.sockets: set[web.WebSocketResponse] = set()
            self.sessions: set[Session] = set()
            self.children = children

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[guard])
            app.add_routes(
                [
                    web.get("/", self.handle_index),
                    web.get("/ws/{link}", self.handle_websocket),
                    web.get("/download/{key}", self.handle_download),
                    web.get("/static/{name:.+}", self.handle_static),
                ]
            )
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """The page of the link whose token the address carries (or whose cookie it has)."""
            token = request.query.get("token")
            link = gate.by_token(token) if token else gate.any_cookie(request.cookies)
            if link is None:
                raise html(401, WRONG_TOKEN if token else NEEDS_TOKEN)
            if self.full(link):
                raise html(503, FULL)
            size = limits.clamp(request.query.get("fontsize"), 16, 8, 40)
            response = web.Response(
                text=page(link.label, f"ws://{request.host}/ws/{link.id}", size),
                content_type="text/html",
            )
            response.set_cookie(link.cookie, link.token, httponly=True, samesite="Strict", path="/")
            return response

        async def handle_static(self, request: web.Request) -> web.StreamResponse:
            found = find_static(request.match_info["name"])
            if found is None:
                raise web.HTTPNotFound()
            path, kind = found
            return web.FileResponse(path, headers={"Content-Type": kind})

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            if gate.any_cookie(request.cookies) is None:
                raise html(401, NEEDS_TOKEN)
            response: web.StreamResponse = await super().handle_download(request)
            return response

        async def on_shutdown(self, app: web.Application) -> None:
            """Tell every browser, and end every app process (asked, terminated, killed)."""
            closing = [
                ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                for ws in list(self.sockets)
            ]
            stopping = [session.stop() for session in list(self.sessions)]
            await asyncio.gather(*closing, *stopping, return_exceptions=True)
            ending = [children.end(p) for p in list(children.processes.values())]
            await asyncio.gather(*ending, return_exceptions=True)

        def admit(self, request: web.Request) -> tuple[Link | None, web.HTTPException | None]:
            """The link a websocket request proves, or the refusal to send."""
            if not gate.origin_ok(request.headers.get("Origin"), request.headers.get("Host")):
                log.warning(
                    "refused a websocket from another site: %.80r", request.headers.get("Origin")
                )
                return None, html(403, "This connection must come from the decalogue page.")
            link_id = request.match_info["link"]
            link = gate.by_cookie(link_id, request.cookies)
            if link is None:
                by_token = gate.by_token(request.query.get("token"))
                link = by_token if by_token is not None and by_token.id == link_id else None
            if link is None:
                return None, html(401, NEEDS_TOKEN)
            if self.full(link):
                return None, html(503, FULL)
            return link, None

        def full(self, link: Link) -> bool:
            """Whether the session cap is reached (and the refusal logged for the facilitator)."""
            if len(self.sessions) < max_sessions:
                return False
            log.warning(
                "refused a session for %s: %d sessions run (--max-sessions)",
                link.label,
                max_sessions,
            )
            return True

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            link, refusal = self.admit(request)
            if refusal is not None or link is None:
                raise refusal or html(401, NEEDS_TOKEN)
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=limits.MAX_MESSAGE_BYTES)
            width = limits.clamp_width(request.query.get("width"))
            height = limits.clamp_height(request.query.get("height"))
            service = Session(
                link,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=False,
            )
            self.sessions.add(service)  # counted at once: the cap holds for a burst
            self.sockets.add(websocket)
            started = False
            try:
                await websocket.prepare(request)
                await service.start(width, height)
                started = True
                await self.relay(websocket, service)
            except (asyncio.CancelledError, ConnectionResetError):
                pass
            except Exception as error:
                log.warning("a session of %s ended on an error (%s)", link.label, error)
            finally:
                self.sockets.discard(websocket)
                if started:
                    await asyncio.shield(service.stop())
                self.sessions.discard(service)
                with contextlib.suppress(Exception):
                    await websocket.close()
            return websocket

        async def relay(self, websocket: web.WebSocketResponse, service: Session) -> None:
            """The page's messages to the app: checked, clamped, and never a traceback."""
            complaints = limits.Complaints(service.link.label)
            pastes = limits.Pastes()
            async for message in websocket:
                if message.type == WSMsgType.ERROR:
                    log.warning(
                        "closed a websocket of %s: %s", service.link.label, websocket.exception()
                    )
                    break
                if message.type != WSMsgType.TEXT:
                    complaints.add("not text")
                    continue
                try:
                    parsed = limits.parse(message.data)
                except limits.Malformed as why:
                    complaints.add(str(why))
                    continue
                if parsed.kind == "stdin":
                    text = pastes.clean(parsed.text)
                    await service.send_bytes(text.encode("utf-8", "replace"))
                elif parsed.kind == "resize":
                    await service.set_terminal_size(parsed.width, parsed.height)
                elif parsed.kind == "ping":
                    await websocket.send_json(["pong", parsed.text])
                elif parsed.kind == "blur":
                    await service.blur()
                elif parsed.kind == "focus":
                    await service.focus()

        def serve(self, debug: bool = False) -> None:
            quiet_logging()
            if os.environ.get("DECALOGUE_SERVE_EXEC") != "1":  # 1: a new interpreter each
                helper = Forks.start(argv[3:], os.environ, hook)
                if helper is not None:
                    forks.append(helper)
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for sig in STOP_SIGNALS:
                loop.add_signal_handler(sig, self.request_exit)
            try:
                web.run_app(
                    self._make_app(),
                    sock=sock,
                    handle_signals=False,
                    loop=loop,
                    print=None,
                    access_log=None,
                    shutdown_timeout=QUIT_GRACE + TERM_GRACE + 2,
                )
            finally:
                children.kill_all_now()
                for helper in forks:
                    helper.close()

    return DecalogueServer()


def serve(
    host: str,
    port: int,
    workspace: Path,
    *,
    groups: Sequence[GroupOption] = (),
    token: str | None = None,
    max_sessions: int = limits.DEFAULT_MAX_SESSIONS,
    say: Callable[[str], None] = say_line,
    database: str | None = None,
    facilitator: str = Role.FACILITATOR.value,
) -> None:
    """Serve until SIGINT or SIGTERM; every app process started is gone when this returns.

    `facilitator`: the name the facilitator's link records its edits and decisions under.

    With a `database` store (a postgresql:// address), every session lists and opens
    the assessments there, and a group's "file" is an assessment's id."""
    require_textual_serve()
    groups = check_groups(workspace, groups, database)
    master = check_fixed_token(token) if token is not None else new_token()
    links = make_links(master, [(group.name, group.file) for group in groups], facilitator)
    sock = bind(host, port)
    url = base_url(host, sock)
    names = server_names(host) | {shown_host(host)}
    gate = Gate(links, names)
    announce(url, links, workspace, host, say, files=shown_files(groups, database))
    if database is not None:
        say(f"decalogue serve: assessments from the store {shown(database)}")
    command = app_command(workspace)
    make_server(command, sock, workspace, gate, max_sessions, database=database).serve()
