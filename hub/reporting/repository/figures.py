"""SQL of the CCES figures that pre-fill a report (hub.reporting.prefill): documents registered and approved leave
of a unit subtree over a period."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg


def documents_registered(conn: psycopg.Connection, unit_path: str, first: date, last: date) -> dict[str, int]:
    """Documents registered by the units of the subtree, by direction, on [first, last] (Hanoi dates)."""
    rows = conn.execute(
        "SELECT d.direction, count(*) FROM documents d JOIN document_registers g ON g.id = d.register_id"
        " JOIN org_units u ON u.id = g.unit_id WHERE u.path LIKE %s || '%%'"
        " AND (d.registered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN %s AND %s GROUP BY 1",
        (unit_path, first, last),
    ).fetchall()
    return {direction: int(n) for direction, n in rows}


def approved_leave(conn: psycopg.Connection, unit_path: str, first: date, last: date) -> list[tuple[Any, ...]]:
    """(first day, last day, first part, last part) of approved leave overlapping [first, last] of the people
    whose unit at the time of the request lies in the subtree."""
    return conn.execute(
        "SELECT r.first_day, r.last_day, r.first_day_part, r.last_day_part FROM leave_requests r"
        " JOIN org_units u ON u.id = r.unit_id WHERE u.path LIKE %s || '%%' AND r.status = 'approved'"
        " AND r.first_day <= %s AND r.last_day >= %s",
        (unit_path, last, first),
    ).fetchall()
