"""Sessions (by the token's SHA-256) and sign-in failures, counted per username and per address."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.accounts.repository.users import USER_FROM

# --- sessions ---------------------------------------------------------------------------------


def insert_session(
    conn: psycopg.Connection,
    token_sha256: bytes,
    user_id: int,
    idle: timedelta,
    lifetime: timedelta,
    client_ip: str | None,
    user_agent: str | None,
) -> tuple[datetime, datetime]:
    """(expires_at, idle_expires_at), stamped by the database clock (shared by every API node)."""
    row = conn.execute(
        "INSERT INTO sessions (token_sha256, user_id, idle_expires_at, expires_at, client_ip, user_agent)"
        " VALUES (%(t)s, %(u)s, now() + least(%(idle)s::interval, %(life)s::interval), now() + %(life)s::interval,"
        " %(ip)s, %(ua)s) RETURNING expires_at, idle_expires_at",
        {"t": token_sha256, "u": user_id, "idle": idle, "life": lifetime, "ip": client_ip, "ua": user_agent},
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def live_session(conn: psycopg.Connection, token_sha256: bytes) -> tuple[int, datetime] | None:
    """(user id, last seen) of a session that is neither revoked nor expired, of an enabled user."""
    row = conn.execute(
        "SELECT s.user_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_sha256 = %s AND s.revoked_at IS NULL AND u.disabled_at IS NULL"
        " AND s.idle_expires_at > now() AND s.expires_at > now()",
        (token_sha256,),
    ).fetchone()
    return (int(row[0]), row[1]) if row else None


def touch_session(conn: psycopg.Connection, token_sha256: bytes, idle: timedelta) -> None:
    """Push the idle expiry forward (never past the absolute end)."""
    conn.execute(
        "UPDATE sessions SET last_seen_at = now(), idle_expires_at = least(now() + %s::interval, expires_at)"
        " WHERE token_sha256 = %s AND revoked_at IS NULL",
        (idle, token_sha256),
    )


def revoke_session(conn: psycopg.Connection, token_sha256: bytes) -> int | None:
    """Revoke one live session; its user's id, or None when there was none to revoke."""
    row = conn.execute(
        "UPDATE sessions SET revoked_at = now() WHERE token_sha256 = %s AND revoked_at IS NULL RETURNING user_id",
        (token_sha256,),
    ).fetchone()
    return int(row[0]) if row else None


def revoke_user_sessions(conn: psycopg.Connection, user_id: int, keep: bytes | None = None) -> int:
    """Revoke every live session of a user except `keep`; how many were revoked."""
    cursor = conn.execute(
        "UPDATE sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL"
        " AND token_sha256 IS DISTINCT FROM %s",
        (user_id, keep),
    )
    return cursor.rowcount


def prune_sessions(conn: psycopg.Connection, older_than: timedelta) -> int:
    """Forget sessions that ended (expired or revoked) more than `older_than` ago."""
    cursor = conn.execute(
        "DELETE FROM sessions WHERE expires_at < now() - %(age)s::interval"
        " OR revoked_at < now() - %(age)s::interval OR idle_expires_at < now() - %(age)s::interval",
        {"age": older_than},
    )
    return cursor.rowcount


def principal_row(conn: psycopg.Connection, user_id: int) -> tuple[Any, ...] | None:
    """(id, username, display name, employee id, employee code, employee unit path, language) of a user."""
    return conn.execute(
        "SELECT u.id, u.username, u.display_name, u.employee_id, e.employee_code, eu.path, u.language"
        f" {USER_FROM} WHERE u.id = %s",
        (user_id,),
    ).fetchone()


def principal_grants(conn: psycopg.Connection, user_id: int) -> list[tuple[str, str | None]]:
    """(role, unit path or None) of every grant of a user."""
    rows = conn.execute(
        "SELECT g.role, ou.path FROM role_grants g LEFT JOIN org_units ou ON ou.id = g.unit_id"
        " WHERE g.user_id = %s ORDER BY g.role, ou.path NULLS FIRST",
        (user_id,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


# --- sign-in failures -----------------------------------------------------------------------


def lock_sign_in(conn: psycopg.Connection, username: str) -> None:
    """Serialise sign-in attempts of one username across API nodes (to the end of the transaction),
    so that concurrent guesses cannot all slip under the limit."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('cces_sign_in'), hashtext(%s))", (username,))


def recent_failures(
    conn: psycopg.Connection, username: str, client_ip: str | None, span: timedelta
) -> tuple[datetime, list[datetime], list[datetime]]:
    """(database now, failure times of the username, failure times from the address), newest first, within `span`."""
    now_row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert now_row is not None
    now = now_row[0]
    by_user = conn.execute(
        "SELECT at FROM sign_in_failures WHERE username = %s AND at > %s ORDER BY at DESC", (username, now - span)
    ).fetchall()
    by_ip = (
        conn.execute(
            "SELECT at FROM sign_in_failures WHERE client_ip = %s AND at > %s ORDER BY at DESC",
            (client_ip, now - span),
        ).fetchall()
        if client_ip
        else []
    )
    return now, [r[0] for r in by_user], [r[0] for r in by_ip]


def add_failure(conn: psycopg.Connection, username: str, client_ip: str | None) -> None:
    conn.execute("INSERT INTO sign_in_failures (username, client_ip) VALUES (%s, %s)", (username, client_ip))


def clear_failures(conn: psycopg.Connection, username: str) -> None:
    """After a successful sign-in the username's count starts again (the address's does not)."""
    conn.execute("DELETE FROM sign_in_failures WHERE username = %s", (username,))


def prune_failures(conn: psycopg.Connection, older_than: timedelta) -> None:
    conn.execute("DELETE FROM sign_in_failures WHERE at < clock_timestamp() - %s::interval", (older_than,))


# --- sign-in failures counted in the audit log (hub.accounts.signin_audit) -----------------


def recent_audit_id(
    conn: psycopg.Connection, action: str, entity: str, entity_id: str, within: timedelta
) -> int | None:
    """The newest row of `action` about (entity, entity_id) written within `within`, if any."""
    row = conn.execute(
        "SELECT id FROM audit_log WHERE entity = %s AND entity_id = %s AND action = %s"
        " AND at > clock_timestamp() - %s::interval ORDER BY at DESC, id DESC LIMIT 1",
        (entity, entity_id, action, within),
    ).fetchone()
    return int(row[0]) if row else None


def update_audit_after(
    conn: psycopg.Connection, audit_id: int, values: Mapping[str, Any], *, increment: str | None = None
) -> None:
    """Update a counting row (sign-in failures and lockouts): merge `values` into its `after`, add one to
    the number under `increment`, and stamp `last_at` with the database clock."""
    conn.execute(
        "UPDATE audit_log SET after = COALESCE(after, '{}'::jsonb) || %(values)s"
        " || CASE WHEN %(key)s::text IS NULL THEN '{}'::jsonb"
        " ELSE jsonb_build_object(%(key)s::text, COALESCE((after ->> %(key)s::text)::bigint, 0) + 1) END"
        " || jsonb_build_object('last_at', clock_timestamp()) WHERE id = %(id)s",
        {"values": Jsonb(dict(values)), "key": increment, "id": audit_id},
    )
