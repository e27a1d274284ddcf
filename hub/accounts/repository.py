"""All SQL of the accounts domain: users, grants, sessions, sign-in failures, the audit log.

Functions take an open connection and never commit: the caller's transaction decides, so an
audit row is written, or rolled back, together with the change it records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.accounts.models import AuditEntry, AuditQuery, GrantRecord, User
from hub.accounts.principal import Role

# --- users ------------------------------------------------------------------------------------

_USER_COLUMNS = (
    "u.id, u.username, u.display_name, u.employee_id, e.employee_code, e.full_name, eu.path, u.language,"
    " u.disabled_at IS NOT NULL, u.created_at, u.created_by, u.password_changed_at"
)
_USER_FROM = "FROM users u LEFT JOIN employees e ON e.id = u.employee_id LEFT JOIN org_units eu ON eu.id = e.unit_id"
#: the user columns an admin may change through `update_user` (fixed names, never the caller's strings)
EDITABLE_USER_COLUMNS = ("display_name", "employee_id", "language", "disabled")


def count_users(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM users").fetchone()
    return int(row[0]) if row else 0


def lock_users(conn: psycopg.Connection) -> None:
    """Serialise first-admin bootstrap between hubs starting together (held to the end of the transaction)."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('cces_users_bootstrap'))")


def insert_user(
    conn: psycopg.Connection,
    username: str,
    display_name: str,
    employee_id: int | None,
    password_hash: str,
    language: str,
    created_by: str,
) -> int:
    """A new account; raises psycopg.errors.UniqueViolation when the username or employee is taken."""
    row = conn.execute(
        "INSERT INTO users (username, display_name, employee_id, password_hash, language, created_by)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (username, display_name, employee_id, password_hash, language, created_by),
    ).fetchone()
    assert row is not None
    return int(row[0])


def _users(conn: psycopg.Connection, rows: Sequence[tuple[Any, ...]]) -> list[User]:
    grants = grants_of(conn, [r[0] for r in rows])
    return [User(*r, grants=tuple(grants.get(r[0], ()))) for r in rows]


def user_by_id(conn: psycopg.Connection, user_id: int) -> User | None:
    rows = conn.execute(f"SELECT {_USER_COLUMNS} {_USER_FROM} WHERE u.id = %s", (user_id,)).fetchall()
    found = _users(conn, rows)
    return found[0] if found else None


def user_by_username(conn: psycopg.Connection, username: str) -> User | None:
    rows = conn.execute(f"SELECT {_USER_COLUMNS} {_USER_FROM} WHERE u.username = %s", (username,)).fetchall()
    found = _users(conn, rows)
    return found[0] if found else None


def all_users(conn: psycopg.Connection) -> list[User]:
    rows = conn.execute(f"SELECT {_USER_COLUMNS} {_USER_FROM} ORDER BY u.username").fetchall()
    return _users(conn, rows)


def find_users(
    conn: psycopg.Connection,
    *,
    patterns: Sequence[str] = (),
    unit_paths: Sequence[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[User]]:
    """(total, one page by username). `patterns` are LIKE patterns over the folded username, display
    name and employee code, all required; `unit_paths` (None: every user) keeps users whose employee
    or one of whose grants lies in one of those subtrees."""
    where = (
        " WHERE lower(u.username || ' ' || u.display_name || ' ' || coalesce(e.employee_code, ''))"
        " LIKE ALL(%(patterns)s::text[])"
        " AND (%(paths)s::text[] IS NULL OR eu.path LIKE ANY(%(paths)s::text[]) OR EXISTS ("
        "   SELECT 1 FROM role_grants g JOIN org_units gu ON gu.id = g.unit_id"
        "   WHERE g.user_id = u.id AND gu.path LIKE ANY(%(paths)s::text[])))"
    )
    params: dict[str, Any] = {
        "patterns": list(patterns),
        "paths": None if unit_paths is None else [p + "%" for p in unit_paths],
        "limit": limit,
        "offset": offset,
    }
    total = conn.execute(f"SELECT count(*) {_USER_FROM}{where}", params).fetchone()
    rows = conn.execute(
        f"SELECT {_USER_COLUMNS} {_USER_FROM}{where} ORDER BY u.username LIMIT %(limit)s OFFSET %(offset)s", params
    ).fetchall()
    return (int(total[0]) if total else 0), _users(conn, rows)


def update_user(conn: psycopg.Connection, user_id: int, changes: Mapping[str, Any]) -> bool:
    """Set the given columns of EDITABLE_USER_COLUMNS ('disabled' is a bool); False when the user is unknown."""
    unknown = set(changes) - set(EDITABLE_USER_COLUMNS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    sets = [f"{c} = %({c})s" for c in EDITABLE_USER_COLUMNS if c in changes and c != "disabled"]
    if "disabled" in changes:
        sets.append("disabled_at = CASE WHEN %(disabled)s THEN coalesce(disabled_at, now()) ELSE NULL END")
    if not sets:
        return user_by_id(conn, user_id) is not None
    row = conn.execute(
        f"UPDATE users SET {', '.join(sets)} WHERE id = %(id)s RETURNING id", {**changes, "id": user_id}
    ).fetchone()
    return row is not None


def credentials(conn: psycopg.Connection, username: str) -> tuple[int, str, bool] | None:
    """(user id, password hash, disabled) of a username, for sign-in only."""
    row = conn.execute(
        "SELECT id, password_hash, disabled_at IS NOT NULL FROM users WHERE username = %s", (username,)
    ).fetchone()
    return (int(row[0]), str(row[1]), bool(row[2])) if row else None


def password_hash(conn: psycopg.Connection, user_id: int) -> str | None:
    row = conn.execute("SELECT password_hash FROM users WHERE id = %s", (user_id,)).fetchone()
    return str(row[0]) if row else None


def set_password_hash(conn: psycopg.Connection, user_id: int, new_hash: str) -> None:
    conn.execute("UPDATE users SET password_hash = %s, password_changed_at = now() WHERE id = %s", (new_hash, user_id))


def rehash_password(conn: psycopg.Connection, user_id: int, new_hash: str) -> None:
    """The same password under newer argon2 parameters (not a password change)."""
    conn.execute("UPDATE users SET password_hash = %s WHERE id = %s", (new_hash, user_id))


# --- grants -----------------------------------------------------------------------------------

_GRANT_COLUMNS = "g.id, g.role, ou.code, ou.name, ou.path, g.granted_by, g.granted_at"


def _grant(row: tuple[Any, ...]) -> GrantRecord:
    return GrantRecord(int(row[0]), Role(row[1]), row[2], row[3], row[4], row[5], row[6])


def grants_of(conn: psycopg.Connection, user_ids: Sequence[int]) -> dict[int, list[GrantRecord]]:
    rows = conn.execute(
        f"SELECT g.user_id, {_GRANT_COLUMNS} FROM role_grants g LEFT JOIN org_units ou ON ou.id = g.unit_id"
        " WHERE g.user_id = ANY(%s) ORDER BY g.user_id, g.role, ou.path NULLS FIRST",
        (list(user_ids),),
    ).fetchall()
    found: dict[int, list[GrantRecord]] = defaultdict(list)
    for row in rows:
        found[int(row[0])].append(_grant(row[1:]))
    return dict(found)


def insert_grant(
    conn: psycopg.Connection, user_id: int, role: Role, unit_id: int | None, granted_by: str
) -> int | None:
    """The new grant's id; None when the user already holds exactly this grant."""
    row = conn.execute(
        "INSERT INTO role_grants (user_id, role, unit_id, granted_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (user_id, role, unit_id) DO NOTHING RETURNING id",
        (user_id, role.value, unit_id, granted_by),
    ).fetchone()
    return int(row[0]) if row else None


def delete_grant(conn: psycopg.Connection, user_id: int, grant_id: int) -> GrantRecord | None:
    """Remove one grant of a user; the removed grant, or None when that user has no such grant."""
    row = conn.execute(
        f"WITH gone AS (DELETE FROM role_grants WHERE id = %s AND user_id = %s RETURNING *)"
        f" SELECT {_GRANT_COLUMNS} FROM gone g LEFT JOIN org_units ou ON ou.id = g.unit_id",
        (grant_id, user_id),
    ).fetchone()
    return _grant(row) if row else None


def count_system_admins(conn: psycopg.Connection) -> int:
    """Enabled accounts holding the system admin role (the last one must not be removed)."""
    row = conn.execute(
        "SELECT count(DISTINCT u.id) FROM users u JOIN role_grants g ON g.user_id = u.id"
        " WHERE g.role = 'system_admin' AND u.disabled_at IS NULL"
    ).fetchone()
    return int(row[0]) if row else 0


# --- org lookups the access checks need ---------------------------------------------------------


def employee_ref(conn: psycopg.Connection, employee_code: str) -> tuple[int, str, str, str, int] | None:
    """(employee id, code, full name, unit path, unit id) of an employee code."""
    row = conn.execute(
        "SELECT e.id, e.employee_code, e.full_name, u.path, u.id FROM employees e"
        " JOIN org_units u ON u.id = e.unit_id WHERE e.employee_code = %s",
        (employee_code,),
    ).fetchone()
    return (int(row[0]), row[1], row[2], row[3], int(row[4])) if row else None


def unit_ref(conn: psycopg.Connection, unit_code: str) -> tuple[int, str] | None:
    """(unit id, materialised path) of a unit code."""
    row = conn.execute("SELECT id, path FROM org_units WHERE code = %s", (unit_code,)).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def unit_codes_of_paths(conn: psycopg.Connection, paths: Sequence[str]) -> dict[str, str]:
    """path → unit code, for turning a principal's scope back into codes."""
    rows = conn.execute("SELECT path, code FROM org_units WHERE path = ANY(%s)", (list(paths),)).fetchall()
    return {r[0]: r[1] for r in rows}


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
        f" {_USER_FROM} WHERE u.id = %s",
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


# --- audit log --------------------------------------------------------------------------------


_INSERT_AUDIT = (
    "INSERT INTO audit_log (actor, actor_user_id, action, entity, entity_id, unit_path, other_unit_path, before,"
    " after, client_ip, search_text) VALUES (%(actor)s, %(actor_user_id)s, %(action)s, %(entity)s, %(entity_id)s,"
    " %(unit_path)s, %(other_unit_path)s, %(before)s, %(after)s, %(client_ip)s, %(search_text)s)"
)


def _audit_params(row: dict[str, Any]) -> dict[str, Any]:
    before, after = row["before"], row["after"]
    return {
        **row,
        "before": None if before is None else Jsonb(before),
        "after": None if after is None else Jsonb(after),
    }


def insert_audit(
    conn: psycopg.Connection,
    *,
    actor: str,
    actor_user_id: int | None,
    action: str,
    entity: str,
    entity_id: str | None,
    unit_path: str | None,
    before: Any,
    after: Any,
    client_ip: str | None,
    search_text: str,
    other_unit_path: str | None = None,
) -> int:
    row = conn.execute(
        _INSERT_AUDIT + " RETURNING id",
        _audit_params(
            {
                "actor": actor,
                "actor_user_id": actor_user_id,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "unit_path": unit_path,
                "other_unit_path": other_unit_path,
                "before": before,
                "after": after,
                "client_ip": client_ip,
                "search_text": search_text,
            }
        ),
    ).fetchone()
    assert row is not None
    return int(row[0])


def insert_audit_many(conn: psycopg.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows with the keyword arguments of `insert_audit`, sent pipelined (executemany)."""
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(_INSERT_AUDIT, [_audit_params(r) for r in rows])


def search_audit(
    conn: psycopg.Connection, query: AuditQuery, patterns: Sequence[str], unit_paths: Sequence[str] | None
) -> tuple[int, list[AuditEntry]]:
    """(total, one page newest first). `patterns` are LIKE patterns over the folded search text;
    `unit_paths` (None: every row) keeps rows about those subtrees only (either unit of a row about two)."""
    action_prefix = query.action if query.action and query.action.endswith(".") else None
    where = (
        " WHERE (%(actor)s::text IS NULL OR actor = %(actor)s)"
        " AND (%(action)s::text IS NULL OR action = %(action)s)"
        " AND (%(prefix)s::text IS NULL OR starts_with(action, %(prefix)s))"
        " AND (%(entity)s::text IS NULL OR entity = %(entity)s)"
        " AND (%(entity_id)s::text IS NULL OR entity_id = %(entity_id)s)"
        " AND (%(since)s::timestamptz IS NULL OR at >= %(since)s)"
        " AND (%(until)s::timestamptz IS NULL OR at < %(until)s)"
        " AND search_text LIKE ALL(%(patterns)s::text[])"
        " AND (%(paths)s::text[] IS NULL OR unit_path LIKE ANY(%(paths)s::text[])"
        " OR other_unit_path LIKE ANY(%(paths)s::text[]))"
    )
    params: dict[str, Any] = {
        "actor": query.actor,
        "action": None if action_prefix else query.action,
        "prefix": action_prefix,
        "entity": query.entity,
        "entity_id": query.entity_id,
        "since": query.since,
        "until": query.until,
        "patterns": list(patterns),
        "paths": None if unit_paths is None else [p + "%" for p in unit_paths],
        "limit": query.limit,
        "offset": query.offset,
    }
    total = conn.execute(f"SELECT count(*) FROM audit_log{where}", params).fetchone()
    rows = conn.execute(
        "SELECT id, at, actor, actor_user_id, action, entity, entity_id, unit_path, before, after, client_ip,"
        f" other_unit_path FROM audit_log{where} ORDER BY at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s",
        params,
    ).fetchall()
    return (int(total[0]) if total else 0), [AuditEntry(*r) for r in rows]
