"""`decalogue serve`: the workbench in browsers, one app process per browser session.

textual-serve (an optional dependency, the `serve` extra) runs a command for
every browser that connects and relays the terminal over a websocket. This
module runs `python -m decalogue --workspace DIR` that way, and takes charge of
the processes, which textual-serve leaves to chance: each starts in a process
group of its own (so a Ctrl+C in the server's terminal reaches the server, which
then ends them in order), and every one that is still running when its browser
goes away, or when the server stops (SIGINT, SIGTERM, or SIGHUP when its
terminal closes), is asked to quit the way a user quits (saving open work),
then terminated, then killed; on Linux the kernel ends them even if the server
itself is killed outright. Two sessions on one assessment are safe because the
store refuses to save over a file that changed since it was loaded, across
processes.

Nothing here imports textual: the app runs in the child processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from decalogue.errors import DecalogueError, display_path

#: Seconds an app process gets to quit by itself (it saves open work) before SIGTERM.
QUIT_GRACE = 4.0
#: Seconds after SIGTERM before SIGKILL.
TERM_GRACE = 3.0

INSTALL_HINT = (
    "decalogue serve needs textual-serve, which is not installed: pip install 'decalogue[serve]'"
)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}

#: The key the app quits with (saving first), as a terminal sends it.
CTRL_Q = b"\x11"


def require_textual_serve() -> None:
    """Raise the one-line install hint when the optional dependency is missing."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise DecalogueError(INSTALL_HINT) from None


def app_command(workspace: Path) -> list[str]:
    """The command each browser session runs: this Python, this package, this workspace."""
    return [sys.executable, "-m", "decalogue", "--workspace", str(workspace)]


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts, so a busy port is one clear error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise DecalogueError(f"--host {host}: unknown host ({error.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        why = "the port is in use" if error.errno == 98 else (error.strerror or str(error))
        raise DecalogueError(
            f"cannot listen on {host}:{port}: {why}; choose another --port"
        ) from None
    sock.setblocking(False)
    return sock


def url_of(host: str, sock: socket.socket) -> str:
    """The address to print; a wildcard host is shown as this computer's name."""
    port = sock.getsockname()[1]
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


# --------------------------------------------------------------------------- processes


class Children:
    """The app processes started by this server, by pid; each leads its own process group."""

    def __init__(self) -> None:
        self.processes: dict[int, asyncio.subprocess.Process] = {}

    def add(self, process: asyncio.subprocess.Process) -> None:
        self.processes[process.pid] = process

    def discard(self, process: asyncio.subprocess.Process) -> None:
        self.processes.pop(process.pid, None)

    @staticmethod
    def signal_group(pid: int, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)

    async def end(self, process: asyncio.subprocess.Process, grace: float = QUIT_GRACE) -> None:
        """Wait for the process to quit; then SIGTERM its group; then SIGKILL it."""
        for sig, wait in ((None, grace), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, 5.0)):
            if process.returncode is not None:
                break
            if sig is not None:
                self.signal_group(process.pid, sig)
            await _exits(process, wait)
        # Anything the app started in its group goes with it.
        self.signal_group(process.pid, signal.SIGKILL)
        self.discard(process)

    def kill_all_now(self) -> None:
        """Last resort when the event loop is gone: SIGKILL every group, reap what we can."""
        for pid in list(self.processes):
            self.signal_group(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5.0
        for pid in list(self.processes):
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    break
                if done:
                    break
                time.sleep(0.05)
        self.processes.clear()


#: prctl(2) option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1

#: The signals that stop the server in order; SIGHUP: its terminal window was closed.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def die_with_parent() -> Callable[[], None] | None:
    """On Linux, a hook that makes an app process end if the server is killed outright.

    SIGKILL leaves the server no chance to clean up, and an app whose input pipe
    closes would wait forever; the kernel sends it SIGTERM instead (the app quits
    on SIGTERM). The function is looked up before the fork; the hook only calls it.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the server died before the hook ran
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


async def _exits(process: asyncio.subprocess.Process, within: float) -> bool:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(process.wait(), within)
    return process.returncode is not None


# --------------------------------------------------------------------------- server


def make_server(
    argv: Sequence[str],
    host: str,
    sock: socket.socket,
    workspace: Path,
    say: Callable[[str], None],
) -> Any:
    """A textual-serve Server that runs `argv` per session and owns those processes."""
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    children = Children()
    url = url_of(host, sock)
    hook = die_with_parent()

    class Session(AppService):
        """One browser's app process, started with exec (no shell) in its own group."""

        async def _open_app_process(
            self, width: int = 80, height: int = 24
        ) -> asyncio.subprocess.Process:
            environment = self._build_environment(width=width, height=height)
            environment["DECALOGUE_WORKSPACE"] = str(workspace)
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
                preexec_fn=hook,
            )
            children.add(process)
            self._process = process
            assert process.stdin is not None
            self._stdin = process.stdin
            return process

        async def stop(self) -> None:
            """Quit the app as a user would (it saves open work), and make sure it ended."""
            process = self._process
            task, self._task = self._task, None
            if task is not None and process is not None:
                await self._download_manager.cancel_app_downloads(
                    app_service_id=self.app_service_id
                )
                # ctrl+q is the app's own quit: it saves every open assessment first. The
                # "quit" message textual-serve sends would end the app without saving.
                await self.send_bytes(CTRL_Q)
                if not await _exits(process, QUIT_GRACE):
                    await self.send_meta({"type": "quit"})
            if process is not None:
                await children.end(process)
            if task is not None:
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(task, TERM_GRACE)

    class DecalogueServer(Server):
        def __init__(self) -> None:
            super().__init__(" ".join(argv), host=host, port=sock.getsockname()[1])
            self.title = "decalogue"
            self.public_url = url
            self.sockets: set[web.WebSocketResponse] = set()
            self.children = children

        def initialize_logging(self) -> None:
            import logging

            logging.basicConfig(level=logging.WARNING, format="decalogue serve: %(message)s")

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """The page, with links back to the address the browser used: a server on
            0.0.0.0 is reached by a name or address only the browser knows."""
            self.public_url = f"http://{request.host}" if request.host else url
            response: web.StreamResponse = await super().handle_index(request)
            return response

        async def on_startup(self, app: web.Application) -> None:
            say(
                f"decalogue serve: {url}/ (workspace {display_path(workspace)}); "
                "press Ctrl+C to stop it and every session"
            )

        async def on_shutdown(self, app: web.Application) -> None:
            """Tell every browser, and end every app process (asked, terminated, killed)."""
            closing = [
                ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
                for ws in list(self.sockets)
            ]
            ending = [children.end(p) for p in list(children.processes.values())]
            await asyncio.gather(*closing, *ending, return_exceptions=True)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            service: Session | None = None
            self.sockets.add(websocket)
            try:
                await websocket.prepare(request)

                async def close() -> None:
                    await websocket.close()

                service = Session(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except (asyncio.CancelledError, ConnectionResetError):
                pass
            finally:
                self.sockets.discard(websocket)
                if service is not None:
                    await asyncio.shield(service.stop())
                with contextlib.suppress(Exception):
                    await websocket.close()
            return websocket

        def serve(self, debug: bool = False) -> None:
            self.debug = debug
            self.initialize_logging()
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
                    shutdown_timeout=QUIT_GRACE + TERM_GRACE + 2,
                )
            finally:
                children.kill_all_now()

    return DecalogueServer()


def _int(value: str | None, default: int) -> int:
    try:
        return max(10, min(1000, int(value or "")))
    except ValueError:
        return default


def _say(message: str) -> None:
    print(message, flush=True)


def serve(host: str, port: int, workspace: Path, say: Callable[[str], None] = _say) -> None:
    """Serve until SIGINT or SIGTERM; every app process started is gone when this returns."""
    require_textual_serve()
    sock = bind(host, port)
    if host not in LOOPBACK:
        say(
            f"decalogue serve: listening on {host}: anyone who can reach this address can open "
            "and edit the workspace's assessments (there is no login)"
        )
    make_server(app_command(workspace), host, sock, workspace, say).serve()
