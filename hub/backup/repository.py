"""SQL of backups: the backup point (an exported snapshot and its row counts), what a database holds, the runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from hub.backup.models import COUNTED_TABLES, BackupRun

_RUN = "id, name, trigger, status, started_at, finished_at, size_bytes, location, error"


def export_snapshot(conn: psycopg.Connection) -> tuple[str, datetime, int]:
    """In the caller's REPEATABLE READ transaction: (snapshot id for pg_dump --snapshot, its time, server major)."""
    row = conn.execute(
        "SELECT pg_export_snapshot(), now(), current_setting('server_version_num')::int / 10000"
    ).fetchone()
    assert row is not None
    return str(row[0]), row[1], int(row[2])


def row_counts(conn: psycopg.Connection) -> dict[str, int]:
    """Rows of the counted tables that exist (in the caller's snapshot)."""
    counts: dict[str, int] = {}
    for table in COUNTED_TABLES:
        if conn.execute("SELECT to_regclass(%s)", (f"public.{table}",)).fetchone() == (None,):
            continue
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def migrations(conn: psycopg.Connection) -> list[str]:
    if conn.execute("SELECT to_regclass('public._yoyo_migration')").fetchone() == (None,):
        return []
    return [str(r[0]) for r in conn.execute("SELECT migration_id FROM _yoyo_migration ORDER BY 1").fetchall()]


def database_size(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def user_tables(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg_toast%'"
    ).fetchone()
    return int(row[0]) if row else 0


def other_sessions(conn: psycopg.Connection, database: str) -> list[tuple[int, str]]:
    """(pid, application) of the sessions connected to `database`, other than this one."""
    rows = conn.execute(
        "SELECT pid, coalesce(application_name, '') FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (database,),
    ).fetchall()
    return [(int(p), str(a)) for p, a in rows]


def record_run(conn: psycopg.Connection, run: dict[str, Any]) -> BackupRun:
    row = conn.execute(
        "INSERT INTO backup_runs (name, trigger, status, started_at, finished_at, size_bytes, location, error)"
        " VALUES (%(name)s, %(trigger)s, %(status)s, %(started_at)s, %(finished_at)s, %(size_bytes)s,"
        f" %(location)s, %(error)s) RETURNING {_RUN}",
        run,
    ).fetchone()
    assert row is not None
    return BackupRun(*row)


def recent_runs(conn: psycopg.Connection, limit: int = 20) -> list[BackupRun]:
    rows = conn.execute(f"SELECT {_RUN} FROM backup_runs ORDER BY finished_at DESC, id DESC LIMIT %s", (limit,))
    return [BackupRun(*r) for r in rows.fetchall()]


def last_success(conn: psycopg.Connection) -> BackupRun | None:
    row = conn.execute(
        f"SELECT {_RUN} FROM backup_runs WHERE status = 'succeeded' ORDER BY finished_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return BackupRun(*row) if row else None


def system_admins(conn: psycopg.Connection) -> list[int]:
    """The accounts that get the backup alert: system admins who may sign in."""
    rows = conn.execute(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = 'system_admin' AND u.disabled_at IS NULL ORDER BY 1"
    ).fetchall()
    return [int(r[0]) for r in rows]


def alerted_since(conn: psycopg.Connection, since: datetime) -> bool:
    row = conn.execute(
        "SELECT 1 FROM notifications WHERE category = 'backup.alert' AND created_at >= %s LIMIT 1", (since,)
    ).fetchone()
    return row is not None


def prune_runs(conn: psycopg.Connection, keep_days: int) -> int:
    return conn.execute(
        "DELETE FROM backup_runs WHERE finished_at < now() - make_interval(days => %s)", (keep_days,)
    ).rowcount


# --- the server's databases (restore: a staging database beside the hub's, swapped in by renames) ------


def server_major(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT current_setting('server_version_num')::int / 10000").fetchone()
    return int(row[0]) if row else 0


def database_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def create_database(conn: psycopg.Connection, name: str) -> None:
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def rename_database(conn: psycopg.Connection, name: str, new_name: str) -> None:
    conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(new_name)))


def drop_database(conn: psycopg.Connection, name: str) -> None:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
