"""SQL of the tasks assigned in a meeting's conclusion, with owners and deadlines. Re-exported by
hub.meetings.repository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

# --- conclusion tasks -----------------------------------------------------------------------------------------

_TASK = (
    "SELECT t.id, t.meeting_id, t.item_id, t.title, e.employee_code AS owner_code, e.full_name AS owner_name,"
    " t.deadline, t.assigned_by, t.finished_at, t.result_note"
    " FROM meeting_tasks t JOIN employees e ON e.id = t.owner_id"
)


def insert_task(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    row = conn.execute(
        "INSERT INTO meeting_tasks (meeting_id, item_id, title, owner_id, deadline, assigned_by, assigned_at)"
        " VALUES (%(meeting_id)s, %(item_id)s, %(title)s, %(owner_id)s, %(deadline)s, %(assigned_by)s,"
        " %(assigned_at)s) RETURNING id",
        values,
    ).fetchone()
    assert row is not None
    return int(row[0])


def tasks(conn: psycopg.Connection, meeting_id: int) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(_TASK + " WHERE t.meeting_id = %s ORDER BY t.deadline, t.id", (meeting_id,)).fetchall()


def task(conn: psycopg.Connection, task_id: int) -> tuple[dict[str, Any], int] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(_TASK.replace("SELECT ", "SELECT t.owner_id, ", 1) + " WHERE t.id = %s FOR UPDATE OF t",
                          (task_id,)).fetchone()  # fmt: skip
    if row is None:
        return None
    owner = row.pop("owner_id")
    return row, int(owner)


def finish_task(conn: psycopg.Connection, task_id: int, at: datetime, note: str | None) -> None:
    conn.execute("UPDATE meeting_tasks SET finished_at = %s, result_note = %s WHERE id = %s", (at, note, task_id))
