"""The database schema, created and upgraded by numbered migrations.

`decalogue store init` applies every migration to an empty database; `store
upgrade` applies those a database has not had yet. Every other command checks
the version first and refuses, in one line saying what to run, a database that
is empty, older or newer than this decalogue.
"""

from __future__ import annotations

from typing import Any

from decalogue.storage.pg.connection import StoreError, connect, shown

#: The notification channel a save announces itself on: payload "ASSESSMENT_ID REVISION".
CHANNEL = "decalogue_changes"

#: The country code of a grant that covers every assessment in the store.
ALL_COUNTRIES = "*"

#: Migration N brings a database from version N-1 to N.
MIGRATIONS: tuple[str, ...] = (
    # 1: assessments, item by item, their history and the checklists they answer. Answers
    # and history are `json`, not `jsonb`: it keeps the file's key order, so a pulled file
    # has the bytes that were pushed.
    """
    CREATE TABLE decalogue_meta (key text PRIMARY KEY, value text NOT NULL);
    INSERT INTO decalogue_meta VALUES ('schema_version', '0');
    CREATE TABLE checklists (
        hash text PRIMARY KEY,
        id text NOT NULL,
        version text NOT NULL,
        toml text NOT NULL,
        files jsonb NOT NULL DEFAULT '{}'::jsonb,
        added_at timestamptz NOT NULL DEFAULT now(),
        added_by text NOT NULL DEFAULT current_user
    );
    CREATE TABLE assessments (
        id text PRIMARY KEY,
        country_code text NOT NULL,
        period text NOT NULL,
        title text NOT NULL DEFAULT '',
        checklist_hash text NOT NULL REFERENCES checklists (hash),
        header json NOT NULL,
        revision bigint NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE responses (
        assessment_id text NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        item_id text NOT NULL,
        data json NOT NULL,
        revision bigint NOT NULL,
        PRIMARY KEY (assessment_id, item_id)
    );
    CREATE TABLE history (
        assessment_id text NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        seq bigserial,
        entry json NOT NULL,
        db_role text NOT NULL DEFAULT current_user,
        PRIMARY KEY (assessment_id, seq)
    );
    """,
    # 2: every change of an assessment is announced to the open windows; listings by country.
    f"""
    CREATE INDEX assessments_country_period ON assessments (country_code, period);
    CREATE FUNCTION decalogue_announce() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', NEW.id || ' ' || NEW.revision);
        RETURN NEW;
    END $$;
    CREATE TRIGGER assessments_announce AFTER INSERT OR UPDATE ON assessments
        FOR EACH ROW EXECUTE FUNCTION decalogue_announce();
    """,
    # 3: who has an assessment open: one row per open window, alive while the window's
    # listening connection (its server process, `backend`) is.
    """
    CREATE TABLE presence (
        assessment_id text NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
        backend integer NOT NULL,
        name text NOT NULL,
        account text NOT NULL,
        host text NOT NULL,
        since timestamptz NOT NULL DEFAULT now(),
        db_role text NOT NULL DEFAULT current_user,
        PRIMARY KEY (assessment_id, backend)
    );
    """,
    # 4: access per assessment or per country (row-level security). The store's owner (who
    # ran `store init`) sees everything; any other role sees and changes only what
    # `decalogue_access` grants it or a role it belongs to (`decalogue store grant`), and
    # the history entries it adds carry its own role.
    f"""
    CREATE TABLE decalogue_access (
        grantee text NOT NULL,
        assessment_id text REFERENCES assessments (id) ON DELETE CASCADE,
        country_code text,
        can_write boolean NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        granted_by text NOT NULL DEFAULT current_user,
        CHECK ((assessment_id IS NULL) <> (country_code IS NULL))
    );
    CREATE INDEX decalogue_access_grantee ON decalogue_access (grantee);
    CREATE FUNCTION decalogue_may(who name, target text, country text, writing boolean)
        RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT EXISTS (
            SELECT 1 FROM decalogue_access a JOIN pg_roles r ON r.rolname = a.grantee
            WHERE pg_has_role(who, r.oid, 'MEMBER')
              AND (a.assessment_id = target OR a.country_code IN (country, '{ALL_COUNTRIES}'))
              AND (a.can_write OR NOT writing))
    $$;
    CREATE FUNCTION decalogue_may_in(who name, target text, writing boolean)
        RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
        SELECT coalesce((SELECT decalogue_may(who, a.id, a.country_code, writing)
                         FROM assessments a WHERE a.id = target), false)
    $$;
    REVOKE ALL ON decalogue_access FROM PUBLIC;
    ALTER TABLE assessments ENABLE ROW LEVEL SECURITY;
    CREATE POLICY decalogue_read ON assessments FOR SELECT
        USING (decalogue_may(current_user, id, country_code, false));
    CREATE POLICY decalogue_write ON assessments FOR ALL
        USING (decalogue_may(current_user, id, country_code, true))
        WITH CHECK (decalogue_may(current_user, id, country_code, true));
    ALTER TABLE responses ENABLE ROW LEVEL SECURITY;
    CREATE POLICY decalogue_read ON responses FOR SELECT
        USING (decalogue_may_in(current_user, assessment_id, false));
    CREATE POLICY decalogue_write ON responses FOR ALL
        USING (decalogue_may_in(current_user, assessment_id, true))
        WITH CHECK (decalogue_may_in(current_user, assessment_id, true));
    ALTER TABLE history ENABLE ROW LEVEL SECURITY;
    CREATE POLICY decalogue_read ON history FOR SELECT
        USING (decalogue_may_in(current_user, assessment_id, false));
    CREATE POLICY decalogue_add ON history FOR INSERT
        WITH CHECK (decalogue_may_in(current_user, assessment_id, true) AND db_role = current_user);
    CREATE POLICY decalogue_remove ON history FOR DELETE
        USING (decalogue_may_in(current_user, assessment_id, true));
    ALTER TABLE presence ENABLE ROW LEVEL SECURITY;
    CREATE POLICY decalogue_present ON presence FOR ALL
        USING (decalogue_may_in(current_user, assessment_id, false))
        WITH CHECK (decalogue_may_in(current_user, assessment_id, false)
                    AND db_role = current_user);
    """,
)

#: The version this decalogue reads and writes.
CURRENT = len(MIGRATIONS)


def version_of(connection: Any) -> int | None:
    """The schema version, or None for a database decalogue has not set up."""
    row = connection.execute("SELECT to_regclass('decalogue_meta') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = connection.execute(
        "SELECT value FROM decalogue_meta WHERE key = 'schema_version'"
    ).fetchone()
    return int(found[0]) if found else None


def migrate(url: str, *, target: int = CURRENT, create: bool) -> tuple[int | None, int]:
    """Apply migrations up to `target` in one transaction; (version before, version after)."""
    with connect(url) as connection:
        connection.execute("SELECT pg_advisory_xact_lock(4242)")  # one migration at a time
        before = version_of(connection)
        if before is None and not create:
            raise _missing(url)
        if before is not None and create:
            raise StoreError(
                f"{shown(url)}: already set up (schema version {before}); "
                "use `decalogue store upgrade` to bring it up to date"
            )
        start = before or 0
        if start > CURRENT:
            raise _too_new(url, start)
        for number in range(start + 1, target + 1):
            connection.execute(MIGRATIONS[number - 1])
            connection.execute(
                "UPDATE decalogue_meta SET value = %s WHERE key = 'schema_version'",
                (str(number),),
            )
        return before, max(start, target)


def _missing(url: str) -> StoreError:
    return StoreError(
        f"{shown(url)}: no decalogue schema here yet; run `decalogue store init --store URL`"
    )


def _too_new(url: str, version: int) -> StoreError:
    return StoreError(
        f"{shown(url)}: schema version {version} is newer than this decalogue knows "
        f"({CURRENT}); upgrade decalogue"
    )


def check(connection: Any, url: str) -> None:
    """Refuse a database whose schema is missing, older or newer than this decalogue's."""
    version = version_of(connection)
    if version is None:
        raise _missing(url)
    if version < CURRENT:
        raise StoreError(
            f"{shown(url)}: schema version {version} is older than this decalogue's ({CURRENT}); "
            "run `decalogue store upgrade --store URL` (after a backup)"
        )
    if version > CURRENT:
        raise _too_new(url, version)
