"""Leave permits (GNP): which unit with a seal issues one, and the request's permit columns (migration 0303)."""

from __future__ import annotations

import psycopg


def sealed_unit(conn: psycopg.Connection, unit_path: str) -> str | None:
    """The code of the nearest unit with a seal on the path (the unit itself first, then up), still existing."""
    ids = [int(p) for p in unit_path.strip("/").split("/") if p]
    rows = dict(
        conn.execute(
            "SELECT id, code FROM org_units WHERE id = ANY(%s) AND coalesce(has_seal, false) AND valid_to IS NULL",
            (ids,),
        ).fetchall()
    )
    return next((rows[i] for i in reversed(ids) if i in rows), None)


def mark_permit_due(conn: psycopg.Connection, request_id: int) -> None:
    conn.execute("UPDATE leave_requests SET permit_due = true WHERE id = %s", (request_id,))


def set_permit(conn: psycopg.Connection, request_id: int, document_id: int) -> None:
    conn.execute(
        "UPDATE leave_requests SET permit_document_id = %s, permit_problem = NULL WHERE id = %s",
        (document_id, request_id),
    )


def set_permit_problem(conn: psycopg.Connection, request_id: int, problem: str) -> None:
    conn.execute("UPDATE leave_requests SET permit_problem = %s WHERE id = %s", (problem[:500], request_id))


def permits_waiting(conn: psycopg.Connection, limit: int = 500) -> list[int]:
    """Approved requests whose permit is due and not issued yet, oldest first."""
    rows = conn.execute(
        "SELECT id FROM leave_requests WHERE permit_due AND permit_document_id IS NULL AND status = 'approved'"
        " ORDER BY id LIMIT %s",
        (limit,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def display_name(conn: psycopg.Connection, username: str) -> str | None:
    row = conn.execute("SELECT display_name FROM users WHERE username = %s", (username,)).fetchone()
    return row[0] if row else None
