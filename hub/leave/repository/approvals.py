"""Approval chains, backups (delegations) and the steps of a request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import psycopg

from hub.leave.models import StepState
from hub.leave.repository.people import ancestors


def chain(conn: psycopg.Connection, unit_path: str, leave_type: str, days: float) -> tuple[list[int], int]:
    """(levels, escalate_after_hours) of the most specific chain: the nearest unit, then the type, then length."""
    ids = ancestors(conn, unit_path)
    rows = conn.execute(
        "SELECT unit_id, leave_type, min_days, levels, escalate_after_hours FROM leave_approval_chains"
        " WHERE (unit_id IS NULL OR unit_id = ANY(%s)) AND (leave_type IS NULL OR leave_type = %s) AND min_days <= %s",
        (ids, leave_type, days),
    ).fetchall()

    def rank(r: tuple[Any, ...]) -> tuple[int, int, float]:
        depth = ids.index(r[0]) if r[0] is not None else len(ids)
        return (depth, 0 if r[1] is not None else 1, -float(r[2]))

    if not rows:
        return [0], 16
    best = min(rows, key=rank)
    return list(best[3]), int(best[4])


def delegate_of(conn: psycopg.Connection, approver: str, on: date) -> str | None:
    row = conn.execute(
        "SELECT backup FROM leave_delegations WHERE approver = %s AND first_day <= %s AND last_day >= %s"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        (approver, on, on),
    ).fetchone()
    return row[0] if row else None


def on_leave(conn: psycopg.Connection, username: str, on: date) -> bool:
    """Whether the account's employee has approved leave (not a trip) covering `on`."""
    row = conn.execute(
        "SELECT 1 FROM leave_requests r JOIN users u ON u.employee_id = r.employee_id"
        " JOIN leave_types t ON t.code = r.leave_type"
        " WHERE u.username = %s AND r.status = 'approved' AND t.absence_kind = 'leave'"
        " AND r.first_day <= %s AND r.last_day >= %s LIMIT 1",
        (username, on, on),
    ).fetchone()
    return row is not None


def add_delegation(
    conn: psycopg.Connection, approver: str, backup: str, first: date, last: date, reason: str | None, by: str
) -> int:
    row = conn.execute(
        "INSERT INTO leave_delegations (approver, backup, first_day, last_day, reason, created_by)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (approver, backup, first, last, reason, by),
    ).fetchone()
    assert row is not None
    return int(row[0])


def insert_step(
    conn: psycopg.Connection,
    request_id: int,
    position: int,
    level: int | None,
    approver: str,
    acting_for: str | None,
    state: StepState,
    due_at: datetime | None,
) -> int:
    row = conn.execute(
        "INSERT INTO leave_request_steps (request_id, position, level, approver, acting_for, state, due_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (request_id, position, level, approver, acting_for, state.value, due_at),
    ).fetchone()
    assert row is not None
    return int(row[0])


def update_step(conn: psycopg.Connection, step_id: int, **values: Any) -> None:
    sets = ", ".join(f"{k} = %s" for k in values)
    conn.execute(f"UPDATE leave_request_steps SET {sets} WHERE id = %s", [*values.values(), step_id])


def close_open_steps(conn: psycopg.Connection, request_id: int, state: StepState) -> None:
    conn.execute(
        "UPDATE leave_request_steps SET state = %s, decided_at = clock_timestamp()"
        " WHERE request_id = %s AND state IN ('waiting', 'pending')",
        (state.value, request_id),
    )


def next_position(conn: psycopg.Connection, request_id: int) -> int:
    row = conn.execute(
        "SELECT COALESCE(max(position), 0) + 1 FROM leave_request_steps WHERE request_id = %s", (request_id,)
    ).fetchone()
    assert row is not None
    return int(row[0])


def due_steps(conn: psycopg.Connection, now: datetime) -> list[tuple[int, int]]:
    """(step id, request id) of pending steps past their due time."""
    return conn.execute(
        "SELECT s.id, s.request_id FROM leave_request_steps s JOIN leave_requests r ON r.id = s.request_id"
        " WHERE s.state = 'pending' AND r.status = 'pending' AND s.due_at < %s ORDER BY s.due_at",
        (now,),
    ).fetchall()
