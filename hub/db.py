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

from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)


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
