"""Sessions started by fork from a process that has the app imported once (Linux).

A new interpreter per browser imports Python, Textual and decalogue again
(about a second of CPU and 50 MB each); thirty browsers joining at once wait
for thirty imports on two cores. Instead the server starts one helper process
(the "zygote", `python -m decalogue.cli.zygote`) that imports the app and then
waits; for each session the server sends it the session's arguments, its whole
environment (the role, file and user among them) and three pipe ends, and the
helper forks. The forked process shares the imported code's memory with the
helper until it writes to it. A room joining at once sends its requests without
waiting for each other's sessions; each session's process tells the server its
pid itself, once it is the server's child.

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
import select
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
MAX_REPLY = 4096
#: Seconds a session's process has to say it runs before its browser gets one by exec.
SPAWN_WAIT = 30.0


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
    """The server's side: the helper process, the requests sent to it and their replies.

    Requests do not wait for each other: a room joining at once sends them all, the
    helper forks for each as it reads it, and each reply (from the session's process
    itself, once it is the server's child) is matched to its request by number.
    Waiting for each session before asking for the next made the thirtieth browser
    wait for twenty-nine rounds of scheduling on a busy machine.
    """

    def __init__(self, helper: subprocess.Popen[bytes], sock: socket.socket) -> None:
        self.helper = helper
        self.sock = sock
        self.sending = asyncio.Lock()
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.asked = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        """The server's event loop, once it reads the replies."""

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
        """A new session's process with this environment; OSError when the helper is gone
        (or says why it could not fork, or no reply comes within SPAWN_WAIT)."""
        loop = asyncio.get_running_loop()
        if self.helper.poll() is not None:
            raise OSError("the session helper has ended")
        if self.loop is None:
            loop.add_reader(self.sock, self._read_replies)
            self.loop = loop
        self.asked += 1
        number = self.asked
        replied: asyncio.Future[dict[str, Any]] = loop.create_future()
        self.waiting[number] = replied
        ends = [os.pipe() for _ in range(3)]
        child = [ends[0][0], ends[1][1], ends[2][1]]
        ours = [ends[0][1], ends[1][0], ends[2][0]]
        request = json.dumps({"id": number, "env": dict(environment)}).encode()
        try:
            try:
                async with self.sending:
                    await self._send(request, child)
            finally:
                for fd in child:
                    os.close(fd)
            reply = await asyncio.wait_for(replied, SPAWN_WAIT)  # TimeoutError is an OSError
            if not isinstance(reply.get("pid"), int):
                raise OSError(f"the session helper could not start a session: {reply.get('error')}")
        except BaseException:
            self.waiting.pop(number, None)
            for fd in ours:
                os.close(fd)
            raise
        process = ForkedProcess(reply["pid"])
        await _streams(process, *ours)
        return process

    async def _send(self, request: bytes, fds: list[int]) -> None:
        """One request and its pipe ends; when the helper's queue is full, once it is not."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                socket.send_fds(self.sock, [request], fds)
                return
            except BlockingIOError:
                writable: asyncio.Future[None] = loop.create_future()
                loop.add_writer(self.sock, writable.set_result, None)
                try:
                    await writable
                finally:
                    loop.remove_writer(self.sock)

    def _read_replies(self) -> None:
        """Each reply on the socket to the request it answers; at the end, fail the rest."""
        while True:
            try:
                message = self.sock.recv(MAX_REPLY)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                message = b""
            if not message:  # the helper and every session it started have let go of it
                if self.loop is not None:
                    self.loop.remove_reader(self.sock)
                self._fail_waiting("the session helper has ended")
                return
            try:
                reply = json.loads(message)
                replied = self.waiting.pop(reply["id"], None)
            except (ValueError, KeyError, TypeError):
                continue
            if replied is not None and not replied.done():
                replied.set_result(reply)
            elif isinstance(reply.get("pid"), int):
                self._end_late(reply["pid"])

    def _end_late(self, pid: int) -> None:
        """A session whose browser stopped waiting for it (SPAWN_WAIT): killed, and reaped."""
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
            ForkedProcess(pid)  # collects its exit status once it is gone

    def _fail_waiting(self, why: str) -> None:
        for replied in self.waiting.values():
            if not replied.done():
                replied.set_exception(OSError(why))
        self.waiting.clear()

    def close(self) -> None:
        """The helper ends when its socket closes; it is killed if it lingers."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.sock)
            self._fail_waiting("the server is stopping")
        self.waiting.clear()  # a closed loop: no one waits any more
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
    number: int
    fds: list[int]
    environment: dict[str, str]
    run: Callable[[], int]
    prctl: Callable[..., int] | None


def serve_forks(fd: int, run: Callable[[], int]) -> None:
    """The helper's loop: a double fork per request, until the server closes the socket.

    It does not wait for one session before forking the next: the session's process
    replies itself once it is the server's child; a fork that fails is replied here.
    `run` starts the app in the forked process (its environment already set).
    """
    prctl = _prctl()
    sock = socket.socket(fileno=fd)
    server = os.getppid()
    try:
        while True:
            _reap_middles(block=False)
            try:
                message, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 3)
            except InterruptedError:
                continue
            if not message:
                return
            number = None
            try:
                request = json.loads(message)
                number = request["id"]
                _fork_session(_Request(sock, server, number, fds, request["env"], run, prctl))
            except (OSError, ValueError, KeyError, TypeError) as error:
                _reply(sock, number, error=str(error))
            finally:
                for received in fds:
                    os.close(received)
    finally:
        _reap_middles(block=True)


def _reply(sock: socket.socket, number: object, **fields: object) -> None:
    with contextlib.suppress(OSError):  # the server is gone: no one to tell
        sock.send(json.dumps({"id": number, **fields}).encode())


def _reap_middles(*, block: bool) -> None:
    """Collect the middle processes that have exited (each exits once it has forked)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _fork_session(request: _Request) -> None:
    """Fork twice: the middle process forks the session's and exits at once, so the
    session's process is orphaned to the server (the subreaper)."""
    if len(request.fds) != 3:
        raise ValueError("three pipe ends expected")
    if os.fork() != 0:
        return
    code = 0
    try:
        if os.fork() == 0:
            _become_session(request)
    except OSError as error:
        _reply(request.sock, request.number, error=str(error))
        code = 1
    finally:
        os._exit(code)


def _handed_over(server: int) -> bool:
    """Wait until the middle process has exited, which makes this one the server's child;
    False if that does not happen within 5 s (the server died meanwhile)."""
    deadline = time.monotonic() + 5.0
    while (parent := os.getppid()) != server:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            exited = os.pidfd_open(parent)
        except OSError:  # gone already: look again
            os.sched_yield()
            continue
        try:
            select.select([exited], [], [], left)
        finally:
            os.close(exited)
    return True


def _become_session(request: _Request) -> None:
    """In the session's process: its pipes, group, parent-death signal; its pid to the
    server (it is the server's child by then); its environment; run."""
    sock, server, fds, prctl = request.sock, request.server, request.fds, request.prctl
    environment, run = request.environment, request.run
    code = 1
    try:
        if prctl is not None:
            prctl(PR_SET_NAME, SESSION_NAME)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.setsid()
        if not _handed_over(server):
            os._exit(1)
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != server:  # the server died meanwhile
            os._exit(1)
        try:
            sock.send(json.dumps({"id": request.number, "pid": os.getpid()}).encode())
        except OSError:  # the server is gone
            os._exit(1)
        sock.close()
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
