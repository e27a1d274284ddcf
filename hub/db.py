"""Database access shared by the hub's domains: the connection pool and schema migrations.

Migrations are plain SQL files in `hub/migrations/`, applied in order by yoyo-migrations
(a well-kept library with psycopg 3 support, a lock table so two hubs starting together do
not race, and a record of what is applied). TimescaleDB is detected inside the SQL itself.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from hub.settings import DatabaseSettings

log = logging.getLogger(__name__)

#: how long a caller waits for a connection while the database is known to be unreachable (HubPool)
UNAVAILABLE_WAIT_S = 0.2


#: SQLSTATE classes of an outage, not of bad data: connection (08), rollback (40), resources (53),
#: operator intervention such as a shutdown (57), system error (58)
_OUTAGE_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})


def is_refusal(conn: psycopg.Connection | None, exc: BaseException) -> bool:
    """Whether `exc` says this data cannot be stored (keep it aside) rather than "try again later".

    An outage (no connection, a lost one, a shutdown, a full disk, a deadlock) is retried and
    must never make the hub throw data away; anything else the database (or psycopg, which
    refuses a NUL in text before sending it) says about the data is a refusal of that data.
    """
    if isinstance(exc, OSError | PoolTimeout):
        return False
    if isinstance(exc, psycopg.Error):
        if conn is not None and (conn.broken or conn.closed):
            return False
        return (exc.sqlstate or "")[:2] not in _OUTAGE_SQLSTATE_CLASSES
    return isinstance(exc, Exception)


def describe_error(exc: BaseException) -> str:
    """One line naming an error and its SQLSTATE, as a dead letter or a log keeps it."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    state = f" [{exc.sqlstate}]" if isinstance(exc, psycopg.Error) and exc.sqlstate else ""
    return f"{type(exc).__name__}{state}: {text}"[:1000]


@dataclass(frozen=True)
class MigrationReport:
    applied: list[str]
    already_applied: list[str]
    timescaledb: bool


def _yoyo_uri(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql+psycopg"))


def migrations_dir() -> str:
    return str(resources.files("hub") / "migrations")


def migrate(database_url: str) -> MigrationReport:
    """Apply every pending migration; running it again changes nothing."""
    from yoyo import get_backend, read_migrations

    backend = get_backend(_yoyo_uri(database_url))
    migrations = read_migrations(migrations_dir())
    try:
        with backend.lock():
            pending = backend.to_apply(migrations)
            pending_ids = [m.id for m in pending]
            backend.apply_migrations(pending)
        already = [m.id for m in migrations if m.id not in pending_ids]
        cursor = backend.connection.cursor()
        cursor.execute("SELECT cces_timescaledb_enabled()")
        timescale = bool(cursor.fetchone()[0])
    finally:
        backend.connection.close()
    for migration_id in pending_ids:
        log.info("applied migration %s", migration_id)
    return MigrationReport(applied=pending_ids, already_applied=already, timescaledb=timescale)


class HubPool(ConnectionPool):
    """The hub's connection pool: it fails fast while the database is known to be unreachable.

    psycopg_pool makes a caller wait up to `timeout` for a connection, which is right when every
    connection is busy but wrong when the database is down: every request (and every page, whose
    builder runs on the event loop) would hang that long before its 503. So once making a
    connection has failed, callers wait only `UNAVAILABLE_WAIT_S` — still long enough to take a
    connection the pool makes as the database comes back, since waiting is what asks the pool to
    make one — until a connection succeeds again. Connections are checked when handed out, so the
    ones the outage broke are replaced instead of failing the first requests after it.
    """

    def __init__(self, conninfo: str, **kwargs: Any) -> None:
        self._unreachable_since: float | None = None  # from a failed connect to the next successful one
        super().__init__(conninfo, **kwargs)

    def getconn(self, timeout: float | None = None) -> psycopg.Connection:
        if self._unreachable_since is not None:
            timeout = min(self.timeout if timeout is None else timeout, UNAVAILABLE_WAIT_S)
        return super().getconn(timeout)

    def _connect(self, timeout: float | None = None) -> psycopg.Connection:
        # psycopg_pool's one place where connections are made: the only way to see both outcomes
        try:
            conn = super()._connect(timeout)
        except Exception as exc:
            if self._unreachable_since is None:
                self._unreachable_since = time.monotonic()
                log.warning("database unreachable (%s); requests are answered 503 until it is back", _first_line(exc))
            raise
        if self._unreachable_since is not None:
            log.info("database reachable again after %.0f s", time.monotonic() - self._unreachable_since)
            self._unreachable_since = None
        return conn


def open_pool(
    database_url: str,
    max_size: int,
    name: str = "cces",
    *,
    wait_s: float | None = None,
    reconnect_s: float | None = None,
) -> HubPool:
    """A pool opened and checked: a wrong URL fails here, with the driver's reason.

    `wait_s` and `reconnect_s` are the settings `database.wait_s` and `database.reconnect_s`
    (their defaults when not given)."""
    defaults = DatabaseSettings()
    wait = wait_s if wait_s is not None else defaults.wait_s
    reconnect = reconnect_s if reconnect_s is not None else defaults.reconnect_s
    pool = HubPool(
        database_url,
        min_size=1,
        max_size=max_size,
        name=name,
        open=False,
        timeout=wait,
        reconnect_timeout=reconnect,
        check=ConnectionPool.check_connection,
        kwargs={"connect_timeout": max(2, math.ceil(wait))},
    )
    pool.open(wait=True, timeout=30)
    return pool


#: what the database raises when it cannot serve now (down, unreachable, every connection busy, shutting
#: down): a 503 worth retrying, not a bug. psycopg_pool's PoolTimeout is one of these.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (psycopg.OperationalError,)


def is_database_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE_ERRORS)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
