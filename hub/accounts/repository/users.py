"""Users, their grants, and the org lookups the access checks need (employee and unit by code)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from hub.accounts.models import GrantRecord, User
from hub.accounts.principal import Role

# --- users ------------------------------------------------------------------------------------

_USER_COLUMNS = (
    "u.id, u.username, u.display_name, u.employee_id, e.employee_code, e.full_name, eu.path, u.language,"
    " u.disabled_at IS NOT NULL, u.created_at, u.created_by, u.password_changed_at"
)
USER_FROM = "FROM users u LEFT JOIN employees e ON e.id = u.employee_id LEFT JOIN org_units eu ON eu.id = e.unit_id"
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
    rows = conn.execute(f"SELECT {_USER_COLUMNS} {USER_FROM} WHERE u.id = %s", (user_id,)).fetchall()
    found = _users(conn, rows)
    return found[0] if found else None


def user_by_username(conn: psycopg.Connection, username: str) -> User | None:
    rows = conn.execute(f"SELECT {_USER_COLUMNS} {USER_FROM} WHERE u.username = %s", (username,)).fetchall()
    found = _users(conn, rows)
    return found[0] if found else None


def all_users(conn: psycopg.Connection) -> list[User]:
    rows = conn.execute(f"SELECT {_USER_COLUMNS} {USER_FROM} ORDER BY u.username").fetchall()
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
    total = conn.execute(f"SELECT count(*) {USER_FROM}{where}", params).fetchone()
    rows = conn.execute(
        f"SELECT {_USER_COLUMNS} {USER_FROM}{where} ORDER BY u.username LIMIT %(limit)s OFFSET %(offset)s", params
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
