"""Who is who for leave: employees, units, managers, HR, accounts; the per-person lock."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from hub.leave.models import Employee

_EMPLOYEE = (
    "SELECT e.id, e.employee_code, e.full_name, e.unit_id, u.code, u.path, e.service_start, e.active_from,"
    " e.active_to, e.working_condition, us.username FROM employees e JOIN org_units u ON u.id = e.unit_id"
    " LEFT JOIN users us ON us.employee_id = e.id"
)


def employee(conn: psycopg.Connection, code: str) -> Employee | None:
    row = conn.execute(_EMPLOYEE + " WHERE e.employee_code = %s", (code,)).fetchone()
    return Employee(*row) if row else None


def employees_in(conn: psycopg.Connection, unit_path: str | None) -> list[Employee]:
    """Everyone of a subtree (or everyone), by unit then name."""
    rows = conn.execute(
        _EMPLOYEE + " WHERE %(p)s::text IS NULL OR u.path LIKE %(p)s || '%%' ORDER BY u.path, e.full_name, e.id",
        {"p": unit_path},
    ).fetchall()
    return [Employee(*r) for r in rows]


def employees_by_codes(conn: psycopg.Connection, codes: Sequence[str]) -> list[Employee]:
    rows = conn.execute(_EMPLOYEE + " WHERE e.employee_code = ANY(%s)", (list(codes),)).fetchall()
    return [Employee(*r) for r in rows]


def unit(conn: psycopg.Connection, code: str) -> tuple[int, str, str, str] | None:
    """(id, code, name, path)."""
    row = conn.execute("SELECT id, code, name, path FROM org_units WHERE code = %s", (code,)).fetchone()
    return (int(row[0]), row[1], row[2], row[3]) if row else None


def unit_names(conn: psycopg.Connection, unit_path: str) -> list[str]:
    """Names of the units on the path, root first."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = dict(conn.execute("SELECT id, name FROM org_units WHERE id = ANY(%s)", (ids,)).fetchall())
    return [rows[i] for i in ids if i in rows]


def ancestors(conn: psycopg.Connection, unit_path: str) -> list[int]:
    """Unit ids from the unit itself up to the root."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    return list(reversed(ids))


def managers_of(conn: psycopg.Connection, unit_id: int) -> list[str]:
    """Usernames holding the manager role on exactly this unit (enabled accounts), by username."""
    rows = conn.execute(
        "SELECT u.username FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = 'manager' AND g.unit_id = %s AND u.disabled_at IS NULL ORDER BY u.username",
        (unit_id,),
    ).fetchall()
    return [r[0] for r in rows]


def hr_of(conn: psycopg.Connection, unit_path: str) -> list[str]:
    """Usernames with HR on this unit or above it."""
    ids = ancestors(conn, unit_path)
    rows = conn.execute(
        "SELECT DISTINCT u.username FROM role_grants g JOIN users u ON u.id = g.user_id"
        " WHERE g.role = 'hr' AND g.unit_id = ANY(%s) AND u.disabled_at IS NULL ORDER BY 1",
        (ids,),
    ).fetchall()
    return [r[0] for r in rows]


def user_exists(conn: psycopg.Connection, username: str) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE username = %s", (username,)).fetchone() is not None


def active_user_id(conn: psycopg.Connection, username: str) -> int | None:
    row = conn.execute("SELECT id FROM users WHERE username = %s AND disabled_at IS NULL", (username,)).fetchone()
    return int(row[0]) if row else None


def lock_person(conn: psycopg.Connection, employee_id: int) -> None:
    """Serialise one person's requests (the overlap and balance checks) until the transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext('leave_requests'), %s::int)", (employee_id % 2**31,))
