"""Who may read and change which assessments: grants kept in the store (schema version 4).

The database's own roles are the accounts: an administrator creates a login for
a ministry's focal point (`CREATE ROLE … LOGIN`), then `decalogue store grant`
gives it the table rights and one row in `decalogue_access` naming one
assessment, one country, or every assessment. Row-level security (migration 4)
hides and protects everything else from that role; the store's owner is not
limited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from decalogue.storage.pg.connection import StoreError, connect, shown
from decalogue.storage.pg.documents import missing
from decalogue.storage.pg.schema import ALL_COUNTRIES, check

#: What a grant covers: one assessment (by id), one country (by code), or everything.
Scope = Literal["assessment", "country", "all"]

_READ_TABLES = ("decalogue_meta", "checklists", "assessments", "responses", "history", "presence")
_WRITE_TABLES = ("assessments", "responses", "history", "presence")


@dataclass(frozen=True)
class Grant:
    grantee: str
    scope: Scope
    target: str
    """The assessment id or the country code ('' for everything)."""
    can_write: bool

    def describe(self) -> str:
        where = {
            "assessment": f"assessment {self.target}",
            "country": f"country {self.target}",
            "all": "every assessment",
        }[self.scope]
        return f"{self.grantee}: {where} ({'read and write' if self.can_write else 'read only'})"


def grant(url: str, role: str, scope: Scope, target: str, *, can_write: bool) -> Grant:
    """Give `role` the table rights and a grant row (replacing one of the same scope)."""
    from psycopg import sql

    with connect(url) as connection:
        check(connection, url)
        found = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if found is None:
            raise StoreError(
                f"{shown(url)}: there is no database role {role!r}; create it first "
                "(CREATE ROLE … LOGIN PASSWORD …), then grant"
            )
        if scope == "assessment":
            known = connection.execute(
                "SELECT 1 FROM assessments WHERE id = %s", (target,)
            ).fetchone()
            if known is None:
                raise missing(url, target)
        name = sql.Identifier(role)
        read = sql.SQL(", ").join(sql.Identifier(t) for t in _READ_TABLES)
        # The same table rights for every grant: row-level security decides, row by row,
        # what the role may read and change (a read-only role's save is refused by it).
        write = sql.SQL(", ").join(sql.Identifier(t) for t in _WRITE_TABLES)
        connection.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(read, name))
        connection.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(write, name))
        connection.execute(sql.SQL("GRANT INSERT ON checklists TO {}").format(name))
        connection.execute(sql.SQL("GRANT USAGE ON SEQUENCE history_seq_seq TO {}").format(name))
        assessment, country = _columns(scope, target)
        connection.execute(
            "DELETE FROM decalogue_access WHERE grantee = %s "
            "AND assessment_id IS NOT DISTINCT FROM %s AND country_code IS NOT DISTINCT FROM %s",
            (role, assessment, country),
        )
        connection.execute(
            "INSERT INTO decalogue_access (grantee, assessment_id, country_code, can_write) "
            "VALUES (%s, %s, %s, %s)",
            (role, assessment, country, can_write),
        )
    return Grant(role, scope, target, can_write)


def revoke(url: str, role: str) -> int:
    """Remove every grant of `role` and its rights on the tables; how many grants there were."""
    from psycopg import sql

    with connect(url) as connection:
        check(connection, url)
        removed = connection.execute(
            "DELETE FROM decalogue_access WHERE grantee = %s", (role,)
        ).rowcount
        if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            tables = sql.SQL(", ").join(sql.Identifier(t) for t in _READ_TABLES)
            name = sql.Identifier(role)
            connection.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(tables, name))
            connection.execute(
                sql.SQL("REVOKE ALL ON SEQUENCE history_seq_seq FROM {}").format(name)
            )
    return int(removed)


def grants(url: str) -> list[Grant]:
    with connect(url) as connection:
        check(connection, url)
        rows = connection.execute(
            "SELECT grantee, assessment_id, country_code, can_write FROM decalogue_access "
            "ORDER BY grantee, country_code NULLS LAST, assessment_id"
        ).fetchall()
    return [_grant(*row) for row in rows]


def _columns(scope: Scope, target: str) -> tuple[str | None, str | None]:
    if scope == "assessment":
        return target, None
    return None, ALL_COUNTRIES if scope == "all" else target


def _grant(grantee: str, assessment: str | None, country: str | None, can_write: bool) -> Grant:
    if assessment is not None:
        return Grant(grantee, "assessment", assessment, can_write)
    if country == ALL_COUNTRIES:
        return Grant(grantee, "all", "", can_write)
    return Grant(grantee, "country", country or "", can_write)
