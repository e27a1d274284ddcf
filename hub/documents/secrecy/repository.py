"""SQL of secret documents: clearances, grants, and which secret documents an account may see."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.documents.secrecy.models import Clearance, Grant, Viewer


def account(conn: psycopg.Connection, username: str) -> tuple[int, str] | None:
    """(id, display name) of an active account."""
    row = conn.execute(
        "SELECT id, display_name FROM users WHERE username = %s AND disabled_at IS NULL", (username,)
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def clearance_level(conn: psycopg.Connection, user_id: int) -> int:
    row = conn.execute("SELECT level FROM security_clearances WHERE user_id = %s", (user_id,)).fetchone()
    return int(row[0]) if row else 0


def clearance(conn: psycopg.Connection, username: str) -> Clearance | None:
    rows = _clearances(conn, "u.username = %s", (username,))
    return rows[0] if rows else None


def clearances(conn: psycopg.Connection) -> list[Clearance]:
    """Every cleared account, highest level first."""
    return _clearances(conn, "c.level > 0", ())


def _clearances(conn: psycopg.Connection, where: str, params: Sequence[Any]) -> list[Clearance]:
    rows = conn.execute(
        "SELECT u.username, u.display_name, coalesce(c.level, 0), c.basis, c.set_by, c.set_at"
        " FROM users u LEFT JOIN security_clearances c ON c.user_id = u.id"
        f" WHERE {where} ORDER BY coalesce(c.level, 0) DESC, u.username",
        params,
    ).fetchall()
    return [Clearance(*r) for r in rows]


def set_clearance(conn: psycopg.Connection, user_id: int, level: int, basis: str | None, by: str, at: datetime) -> None:
    if level == 0:
        conn.execute("DELETE FROM security_clearances WHERE user_id = %s", (user_id,))
        return
    conn.execute(
        "INSERT INTO security_clearances (user_id, level, basis, set_by, set_at) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (user_id) DO UPDATE SET level = EXCLUDED.level, basis = EXCLUDED.basis,"
        " set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at",
        (user_id, level, basis, by, at),
    )


# --- the rule -----------------------------------------------------------------------------------------

#: "the viewer is involved with document d": %(user)s id, %(username)s, %(members)s and %(leads)s unit paths
_INVOLVED = (
    "(d.registered_by = %(username)s"
    " OR EXISTS (SELECT 1 FROM document_assignments a WHERE a.document_id = d.id"
    "            AND a.assigned_by_user_id = %(user)s)"
    " OR EXISTS (SELECT 1 FROM document_handlers h JOIN document_assignments a ON a.id = h.assignment_id"
    "            LEFT JOIN org_units hu ON hu.id = h.unit_id WHERE a.document_id = d.id"
    "            AND (h.user_id = %(user)s"
    "                 OR EXISTS (SELECT 1 FROM unnest(%(members)s::text[]) p WHERE p LIKE hu.path || '%%')))"
    " OR EXISTS (SELECT 1 FROM document_secret_grants g WHERE g.document_id = d.id AND g.user_id = %(user)s"
    "            AND g.revoked_at IS NULL)"
    " OR EXISTS (SELECT 1 FROM unnest(%(leads)s::text[]) p WHERE u.path LIKE p || '%%'))"
)
_FROM = " FROM documents d JOIN document_registers r ON r.id = d.register_id JOIN org_units u ON u.id = r.unit_id"


def _params(viewer: Viewer) -> dict[str, Any]:
    return {
        "user": viewer.user_id or None,
        "username": viewer.username,
        "members": list(viewer.member_paths),
        "leads": list(viewer.leader_paths),
        "level": viewer.level,
    }


def involved(conn: psycopg.Connection, viewer: Viewer, document_id: int) -> bool:
    row = conn.execute(
        f"SELECT EXISTS (SELECT 1{_FROM} WHERE d.id = %(id)s AND {_INVOLVED})",
        _params(viewer) | {"id": document_id},
    ).fetchone()
    return bool(row and row[0])


def visible_secret_ids(conn: psycopg.Connection, viewer: Viewer, *, unit_id: int | None = None) -> list[int]:
    """The secret documents the viewer may see (cleared for their level and involved), optionally of one
    registering unit. Read over the secret documents alone (index documents_secret)."""
    if viewer.level <= 0:
        return []
    rows = conn.execute(
        f"SELECT d.id{_FROM} WHERE d.secrecy > 0 AND d.secrecy <= %(level)s"
        f"{' AND r.unit_id = %(unit)s' if unit_id is not None else ''} AND {_INVOLVED}",
        _params(viewer) | {"unit": unit_id},
    ).fetchall()
    return [int(r[0]) for r in rows]


# --- grants -------------------------------------------------------------------------------------------

_GRANT_SELECT = (
    "SELECT g.id, g.document_id, u.username, u.display_name, g.reason, g.granted_by, g.granted_at, g.revoked_by,"
    " g.revoked_at, gb.display_name AS granted_by_name, rb.display_name AS revoked_by_name"
    " FROM document_secret_grants g JOIN users u ON u.id = g.user_id"
    " LEFT JOIN users gb ON gb.username = g.granted_by LEFT JOIN users rb ON rb.username = g.revoked_by"
)


def add_grant(
    conn: psycopg.Connection, document_id: int, user_id: int, reason: str | None, by: str, at: datetime
) -> int | None:
    """The new grant's id; None when the account already holds an open one."""
    row = conn.execute(
        "INSERT INTO document_secret_grants (document_id, user_id, reason, granted_by, granted_at)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (document_id, user_id) WHERE revoked_at IS NULL DO NOTHING"
        " RETURNING id",
        (document_id, user_id, reason, by, at),
    ).fetchone()
    return int(row[0]) if row else None


def revoke_grant(conn: psycopg.Connection, document_id: int, user_id: int, by: str, at: datetime) -> int | None:
    row = conn.execute(
        "UPDATE document_secret_grants SET revoked_by = %s, revoked_at = %s"
        " WHERE document_id = %s AND user_id = %s AND revoked_at IS NULL RETURNING id",
        (by, at, document_id, user_id),
    ).fetchone()
    return int(row[0]) if row else None


def grants(conn: psycopg.Connection, document_id: int) -> list[Grant]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(f"{_GRANT_SELECT} WHERE g.document_id = %s ORDER BY g.granted_at, g.id", (document_id,))
        return [Grant(**r) for r in rows.fetchall()]


def grant(conn: psycopg.Connection, grant_id: int) -> Grant:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(f"{_GRANT_SELECT} WHERE g.id = %s", (grant_id,)).fetchone()
    assert row is not None
    return Grant(**row)


def unit_name(conn: psycopg.Connection, unit_path: str) -> str | None:
    """The name of the unit at `unit_path` (a viewer's, for the watermark)."""
    row = conn.execute("SELECT name FROM org_units WHERE path = %s ORDER BY valid_to NULLS FIRST LIMIT 1", (unit_path,))
    found = row.fetchone()
    return str(found[0]) if found else None
