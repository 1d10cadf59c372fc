"""Sessions started by fork from a process that has the app imported once (Linux).

A new interpreter per browser imports Python, Textual and decalogue again
(about a second of CPU and 50 MB each); thirty browsers joining at once wait
for thirty imports on two cores. Instead the server starts one helper process
(the "zygote", `python -m decalogue.cli.zygote`) that imports the app and then
waits; for each session the server sends it the session's arguments, its whole
environment (the role, file and user among them) and three pipe ends, and the
helper forks. The forked process shares the imported code's memory with the
helper until it writes to it.

Every guarantee of a process per session is kept: the session's process is
the server's own child (the server is a "child subreaper", and the helper forks
twice so that the session's process is handed to it), it leads its own process
group, its parent-death signal is the server's death, and the server waits for
it, signals its group and reads its exit status exactly as for a process it
started with exec. When the helper cannot run, sessions start with exec.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

#: prctl(2) options (Linux).
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

#: The module the helper runs.
ZYGOTE_MODULE = "decalogue.cli.zygote"
#: The helper's process name (ps, top, /proc/PID/comm) once it runs; its sessions are
#: named SESSION_NAME as soon as they are forked.
HELPER_NAME = b"decalogue-forks"
SESSION_NAME = b"decalogue"
PR_SET_NAME = 15

MAX_REQUEST = 1 << 20


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


class ForkedProcess:
    """A session's process started by the helper: what the server uses of a subprocess."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin: asyncio.StreamWriter | None = None
        self.stdout: asyncio.StreamReader | None = None
        self.stderr: asyncio.StreamReader | None = None
        self._exited: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pidfd = os.pidfd_open(pid)
        asyncio.get_running_loop().add_reader(self._pidfd, self._reap)

    def _reap(self) -> None:
        """The process ended (its pidfd is readable): collect its status, once."""
        with contextlib.suppress(ChildProcessError):
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if not done:
                return
            self.returncode = os.waitstatus_to_exitcode(status)
        if self.returncode is None:  # reaped elsewhere (kill_all_now)
            self.returncode = -int(signal.SIGKILL)
        loop = asyncio.get_running_loop()
        loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        if not self._exited.done():
            self._exited.set_result(self.returncode)

    async def wait(self) -> int:
        return await asyncio.shield(self._exited)


def _same(protocol: asyncio.StreamReaderProtocol) -> asyncio.StreamReaderProtocol:
    return protocol


async def _streams(process: ForkedProcess, stdin: int, stdout: int, stderr: int) -> None:
    """asyncio streams on the server's ends of the three pipes, as a subprocess has."""
    loop = asyncio.get_running_loop()
    readers = []
    for fd in (stdout, stderr):
        reader = asyncio.StreamReader(loop=loop)
        protocol = asyncio.StreamReaderProtocol(reader, loop=loop)
        await loop.connect_read_pipe(partial(_same, protocol), os.fdopen(fd, "rb", 0))
        readers.append(reader)
    flow = asyncio.streams.FlowControlMixin(loop=loop)
    transport, _ = await loop.connect_write_pipe(lambda: flow, os.fdopen(stdin, "wb", 0))
    process.stdin = asyncio.StreamWriter(transport, flow, None, loop)
    process.stdout, process.stderr = readers


class Forks:
    """The server's side: the helper process and the requests to it."""

    def __init__(self, helper: subprocess.Popen[bytes], sock: socket.socket) -> None:
        self.helper = helper
        self.sock = sock
        self.lock = asyncio.Lock()

    @classmethod
    def start(
        cls, args: Sequence[str], environment: Mapping[str, str], hook: Callable[[], None] | None
    ) -> Forks | None:
        """Become a subreaper and start the helper; None where forking is not available."""
        prctl = _prctl()
        if prctl is None or prctl(PR_SET_CHILD_SUBREAPER, 1) != 0:
            return None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            helper = subprocess.Popen(
                [sys.executable, "-m", ZYGOTE_MODULE, str(theirs.fileno()), *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=dict(environment),
                pass_fds=[theirs.fileno()],
                start_new_session=True,
                preexec_fn=hook,  # noqa: PLW1509 (no threads run yet)
            )
        except OSError:
            ours.close()
            return None
        finally:
            theirs.close()
        ours.setblocking(False)
        return cls(helper, ours)

    async def spawn(self, environment: Mapping[str, str]) -> ForkedProcess:
        """A new session's process with this environment; OSError when the helper is gone."""
        loop = asyncio.get_running_loop()
        ends = [os.pipe() for _ in range(3)]
        child = [ends[0][0], ends[1][1], ends[2][1]]
        ours = [ends[0][1], ends[1][0], ends[2][0]]
        request = json.dumps({"env": dict(environment)}).encode()
        try:
            async with self.lock:
                if self.helper.poll() is not None:
                    raise OSError("the session helper has ended")
                socket.send_fds(self.sock, [request], child)
                reply = json.loads(await loop.sock_recv(self.sock, 4096) or b"{}")
        except BaseException:
            for fd in ours:
                os.close(fd)
            raise
        finally:
            for fd in child:
                os.close(fd)
        if not isinstance(reply.get("pid"), int):
            for fd in ours:
                os.close(fd)
            raise OSError(f"the session helper could not start a session: {reply.get('error')}")
        process = ForkedProcess(reply["pid"])
        await _streams(process, *ours)
        return process

    def close(self) -> None:
        """The helper ends when its socket closes; it is killed if it lingers."""
        self.sock.close()
        try:
            self.helper.wait(5)
        except subprocess.TimeoutExpired:
            self.helper.kill()
            self.helper.wait(5)


# --------------------------------------------------------------------------- the helper


def name_helper() -> None:
    """The helper's name in ps and /proc/PID/comm, set before its imports (tests wait on it)."""
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_NAME, HELPER_NAME)


@dataclass(frozen=True)
class _Request:
    """One session to start, as the helper received it."""

    sock: socket.socket
    server: int
    fds: list[int]
    environment: dict[str, str]
    run: Callable[[], int]
    prctl: Callable[..., int] | None


def serve_forks(fd: int, run: Callable[[], int]) -> None:
    """The helper's loop: one double fork per request, until the server closes the socket.

    `run` starts the app in the forked process (its environment already set).
    """
    prctl = _prctl()
    sock = socket.socket(fileno=fd)
    server = os.getppid()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 3)
        except InterruptedError:
            continue
        if not message:
            return
        try:
            environment = json.loads(message)["env"]
            pid = _fork_session(_Request(sock, server, fds, environment, run, prctl))
            reply: dict[str, Any] = {"pid": pid}
        except (OSError, ValueError, KeyError) as error:
            reply = {"error": str(error)}
        finally:
            for received in fds:
                os.close(received)
        sock.send(json.dumps(reply).encode())


def _fork_session(request: _Request) -> int:
    """Fork twice: the session's process is orphaned to the server (the subreaper)."""
    if len(request.fds) != 3:
        raise ValueError("three pipe ends expected")
    report, told = os.pipe()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(report)
            pid = os.fork()
            if pid == 0:
                os.close(told)
                _become_session(request)
            os.write(told, str(pid).encode())
        finally:
            os._exit(0)
    os.close(told)
    with os.fdopen(report, "rb") as reading:
        text = reading.read()
    os.waitpid(middle, 0)
    return int(text)


def _become_session(request: _Request) -> None:
    """In the session's process: its pipes, group, parent-death signal, environment; run."""
    sock, server, fds, prctl = request.sock, request.server, request.fds, request.prctl
    environment, run = request.environment, request.run
    code = 1
    try:
        if prctl is not None:
            prctl(PR_SET_NAME, SESSION_NAME)
        sock.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.setsid()
        handed = time.monotonic() + 5.0
        while os.getppid() != server:  # handed to the server once the middle process exits
            if time.monotonic() > handed:  # the server died meanwhile
                os._exit(1)
            os.sched_yield()
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != server:  # the server died meanwhile
            os._exit(1)
        os.environ.clear()
        os.environ.update(environment)
        code = run()
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
