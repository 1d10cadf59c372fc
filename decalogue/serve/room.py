"""The room `decalogue serve` opens: where it listens, which groups it serves, what it prints.

Checked and printed before any session starts, so a busy port, an unknown host
or a group without its assessment is one clear line, and every link is shown
with what it may do. Nothing here touches the web server.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from decalogue.errors import DecalogueError, display_path
from decalogue.roles import GroupOption, Role, workspace_file
from decalogue.serve.auth import LOOPBACK_NAMES, WILDCARDS, Link
from decalogue.storage import store
from decalogue.storage.stores import PgStore


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


def shown_host(host: str) -> str:
    """The name to print: on every interface, this computer's address on the room's network."""
    if host not in WILDCARDS:
        return host
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
        address: str = probe.getsockname()[0]
        if address and not address.startswith("0."):
            return address
    return socket.gethostname()


def base_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    name = shown_host(host)
    return f"http://{f'[{name}]' if ':' in name else name}:{port}"


def check_groups(
    workspace: Path, groups: Sequence[GroupOption], database: str | None = None
) -> list[GroupOption]:
    """Every group's file is an assessment in the workspace (with a `database` store, an
    assessment id there), and names and files are unique; the groups as served: a start
    of an id is looked up once here, so the link's session and its role's check name the
    same whole id (a group given `d1dfb8d9` saw an empty page)."""
    names: set[str] = set()
    files: set[str] = set()
    checked = []
    for given in groups:
        if given.name.casefold() in names:
            raise DecalogueError(f"--group {given.name!r}: two groups have this name")
        names.add(given.name.casefold())
        group = given
        if database is not None:
            group = GroupOption(given.name, _stored_id(given, database))
        else:
            _check_file(given, workspace)
        if group.file in files:
            raise DecalogueError(f"--group {group.name!r}: {group.file} is another group's file")
        files.add(group.file)
        checked.append(group)
    return checked


def _stored_id(group: GroupOption, database: str) -> str:
    try:
        found = PgStore(database).find_id(group.file)
    except DecalogueError as error:
        raise DecalogueError(f"--group {group.name!r}: {error}") from None
    if found is None:
        raise DecalogueError(
            f"--group {group.name!r}: no assessment {group.file!r} in the store "
            "(`decalogue list --store URL` lists the ids)"
        )
    return found


def _check_file(group: GroupOption, workspace: Path) -> None:
    path = workspace_file(workspace, group.file)
    if not path.is_file():
        raise DecalogueError(
            f"--group {group.name!r}: {display_path(path)}: no such file in the workspace"
        )
    store.read(path)  # one clear line when it is not an assessment


def shown_files(groups: Sequence[GroupOption], database: str | None = None) -> dict[str, str]:
    """How each group's assessment is named on a link line: a file by its name; a stored
    assessment by the start of its id that a person reads and types (`decalogue open
    --store URL ID` takes it), not its 32 characters. The links' tokens are unchanged."""
    if database is None:
        return {group.file: group.file for group in groups}
    return PgStore(database).short_ids([group.file for group in groups])


def say_line(message: str) -> None:
    print(message, flush=True)


WHAT = {
    Role.FACILITATOR: "the whole workbench; keep it to yourself",
    Role.VIEWER: "read only: lists, dashboards, workshop table, presenter view",
}


def announce(
    url: str,
    links: Sequence[Link],
    workspace: Path,
    host: str,
    say: Callable[[str], None],
    *,
    files: Mapping[str, str] | None = None,
) -> None:
    """The links, one a line, and what each may do; a plain warning off loopback.

    `files`: how each group's file or id is shown (`shown_files`); as it is by default."""
    say(
        f"decalogue serve: workspace {display_path(workspace)}; Ctrl+C stops the server "
        "and every session. Links:"
    )
    for link in links:
        file = link.served.file or ""
        what = WHAT.get(link.served.role, f"only {(files or {}).get(file, file)}")
        role, user = link.served.role, link.served.user
        named = role is Role.GROUP or (role is Role.FACILITATOR and user != role.value)
        name = f"{role.value} {user!r}" if named else role.value
        say(f"  {name} ({what}): {url}/?token={link.token}")
    if host not in LOOPBACK_NAMES:
        say(
            f"decalogue serve: listening on {host or 'every interface'}: every device on this "
            "network can reach the server, and each link opens it with that link's role to "
            "whoever has it. Hand each group its own link only, keep the facilitator's link to "
            "yourself, and use a network you trust: the connection is not encrypted (http)."
        )
