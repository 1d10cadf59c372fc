"""Who may open a page or a websocket: tokens per link, the cookie, Host and Origin.

Every link (the facilitator's, each group's, the viewer's) carries its own
token of at least 128 bits. The facilitator's token is the run's master token
(random, or `--token`); the others are derived from it with HMAC, so a fixed
`--token` gives the same links at every run and no link reveals another. A
first visit with the token sets an HttpOnly, SameSite=Strict cookie named
after the link, and the page's websocket proves itself with that cookie (or
the token). The Host header must be a name this server answers to (DNS
rebinding), and a websocket's Origin must be the page's own.

Pure functions on strings: no aiohttp here, so the rules are easy to test.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import ipaddress
import re
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from decalogue.errors import DecalogueError
from decalogue.roles import Role, Served

#: Random bytes in a generated token: 192 bits (the issue asks for at least 128).
TOKEN_BYTES = 24
#: A fixed --token must be at least this long (22 URL-safe characters hold 128 bits).
MIN_TOKEN_LENGTH = 22
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")

COOKIE_PREFIX = "decalogue-"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def check_fixed_token(value: str) -> str:
    """A `--token` value, or one line saying what a good one looks like."""
    if len(value) < MIN_TOKEN_LENGTH or not _TOKEN.fullmatch(value):
        raise DecalogueError(
            f"--token: give at least {MIN_TOKEN_LENGTH} characters from A-Z, a-z, 0-9, - and _ "
            "(or leave --token out: a new random token is made at every start)"
        )
    return value


def derive(master: str, label: str) -> str:
    """The token of one link, from the master token: 256 bits, URL-safe."""
    digest = hmac.new(master.encode(), label.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class Link:
    """One printed address: a role, who it is for, and its token."""

    served: Served
    token: str

    @property
    def id(self) -> str:
        """Public and short: names the cookie and the websocket path; reveals nothing."""
        return hashlib.sha256(self.token.encode()).hexdigest()[:12]

    @property
    def cookie(self) -> str:
        return COOKIE_PREFIX + self.id

    @property
    def label(self) -> str:
        if self.served.role is Role.GROUP:
            return f"group {self.served.user!r} ({self.served.file})"
        return str(self.served.role.value)


def make_links(
    master: str, groups: Iterable[tuple[str, str]], facilitator: str = Role.FACILITATOR.value
) -> list[Link]:
    """The facilitator's link (the master token), the viewer's, then one per (name, file).

    `facilitator`: the name the facilitator's edits and decisions are recorded under (the
    person running the server); the tokens do not depend on it."""
    links = [
        Link(Served(Role.FACILITATOR, facilitator), master),
        Link(Served(Role.VIEWER, "viewer"), derive(master, "viewer")),
    ]
    for name, file in groups:
        links.append(Link(Served(Role.GROUP, name, file), derive(master, f"group\0{name}")))
    return links


class Gate:
    """Which link a request proves, and whether its Host and Origin are acceptable."""

    def __init__(self, links: list[Link], names: set[str]) -> None:
        self.links = links
        self.by_id = {link.id: link for link in links}
        self.names = {name.lower() for name in names}

    def by_token(self, token: str | None) -> Link | None:
        """The link whose token this is; every comparison in constant time."""
        if not token:
            return None
        found = None
        for link in self.links:
            if hmac.compare_digest(link.token.encode(), token.encode()):
                found = link
        return found

    def by_cookie(self, link_id: str, cookies: Mapping[str, str]) -> Link | None:
        link = self.by_id.get(link_id)
        if link is None:
            return None
        value = cookies.get(link.cookie, "")
        return link if hmac.compare_digest(link.token.encode(), value.encode()) else None

    def any_cookie(self, cookies: Mapping[str, str]) -> Link | None:
        """The first link whose cookie this browser holds (for downloads)."""
        for name in cookies:
            if name.startswith(COOKIE_PREFIX):
                link = self.by_cookie(name.removeprefix(COOKIE_PREFIX), cookies)
                if link is not None:
                    return link
        return None

    def host_ok(self, host: str | None) -> bool:
        """A name this server was bound to or printed, or an address typed as numbers.

        A page of another site that rebinds its own name to this computer still
        sends its own name, which is not on the list; an IP address cannot be
        rebound.
        """
        name = host_name(host or "")
        if not name:
            return False
        return name in self.names or _is_address(name)

    @staticmethod
    def origin_ok(origin: str | None, host: str | None) -> bool:
        """The websocket's Origin is the page's own: http:// and the same Host."""
        if not origin or not host:
            return False
        return origin.lower() == f"http://{host}".lower()


_HOST = re.compile(r"\[([0-9a-f:.]+)\](?::[0-9]{1,5})?|([a-z0-9.-]+)(?::[0-9]{1,5})?|([0-9a-f:]+)")


def host_name(host: str) -> str:
    """`Name:port`, `[::1]:port` or `name` -> the name, lower case, brackets removed.

    Anything else (`127.0.0.1:8000@evil`, a quote, a path) is "", so refused: the
    Host header is written into the page as the websocket's address."""
    found = _HOST.fullmatch(host.strip().lower())
    if found is None:
        return ""
    return next(part for part in found.groups() if part is not None)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


LOOPBACK_NAMES = {"127.0.0.1", "::1", "localhost"}
WILDCARDS = {"0.0.0.0", "::", ""}


def server_names(host: str) -> set[str]:
    """The names the Host header may carry: the --host given and, on every interface,
    this computer's names; on loopback only, the loopback names."""
    names = {host_name(host) if ":" not in host else host.strip("[]").lower()}
    if host in LOOPBACK_NAMES:
        return names | LOOPBACK_NAMES
    names |= LOOPBACK_NAMES
    if host in WILDCARDS:
        hostname = socket.gethostname().lower()
        names |= {hostname, f"{hostname}.local"}
        with contextlib.suppress(OSError):
            names.add(socket.getfqdn().lower())
    return names - WILDCARDS
