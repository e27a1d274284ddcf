"""Database access shared by the hub's domains: the connection pool and schema migrations.

Migrations are plain SQL files in `hub/migrations/`, applied in order by yoyo-migrations
(a well-kept library with psycopg 3 support, a lock table so two hubs starting together do
not race, and a record of what is applied). TimescaleDB is detected inside the SQL itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

log = logging.getLogger(__name__)


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


def open_pool(database_url: str, max_size: int, name: str = "cces") -> ConnectionPool:
    """A pool opened and checked: a wrong URL fails here, with the driver's reason."""
    pool = ConnectionPool(database_url, min_size=1, max_size=max_size, name=name, open=False)
    pool.open(wait=True, timeout=30)
    return pool
