"""SQL of the meetings and conclusion tasks the leadership screen reads (hub.leadership): set-based over unit
subtrees. Re-exported by hub.meetings.repository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

# --- read by the leadership screen (hub.leadership): set-based over unit subtrees ----------------------------------


def meetings_by_unit(
    conn: psycopg.Connection, under: Sequence[str] | None, start: datetime, end: datetime
) -> list[tuple[str, int]]:
    """(organising unit's path, meetings) of the meetings not cancelled that overlap [start, end), inside the
    subtrees `under` (None: every unit). A meeting is taken to last under 31 days (the start's index bounds it)."""
    return conn.execute(
        "SELECT u.path, count(*) FROM meetings m JOIN org_units u ON u.id = m.unit_id"
        " WHERE m.status <> 'cancelled' AND m.starts_at < %(end)s AND m.ends_at > %(start)s"
        " AND m.starts_at > %(start)s - interval '31 days' AND (%(all)s OR u.path LIKE ANY(%(under)s)) GROUP BY u.path",
        {"start": start, "end": end, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def meetings_under(conn: psycopg.Connection, path: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The meetings not cancelled overlapping [start, end) organised by units in the subtree `path`, by start."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT m.id, m.title, m.starts_at, m.ends_at, m.status, u.code AS unit_code, u.name AS unit_name,"
            " r.name AS room FROM meetings m JOIN org_units u ON u.id = m.unit_id"
            " LEFT JOIN meeting_bookings b ON b.id = m.booking_id LEFT JOIN meeting_rooms r ON r.id = b.room_key"
            " WHERE m.status <> 'cancelled' AND m.starts_at < %(end)s AND m.ends_at > %(start)s"
            " AND m.starts_at > %(start)s - interval '31 days' AND u.path LIKE %(p)s ORDER BY m.starts_at, m.id",
            {"start": start, "end": end, "p": path + "%"},
        ).fetchall()


def open_tasks_by_unit(
    conn: psycopg.Connection, under: Sequence[str] | None, today: date
) -> list[tuple[str, int, int]]:
    """(owner's unit path, open tasks, of them past their deadline) of the meeting conclusions' tasks not done,
    inside the subtrees `under` (None: every unit)."""
    return conn.execute(
        "SELECT u.path, count(*), count(*) FILTER (WHERE t.deadline < %(today)s) FROM meeting_tasks t"
        " JOIN employees e ON e.id = t.owner_id JOIN org_units u ON u.id = e.unit_id"
        " WHERE t.finished_at IS NULL AND (%(all)s OR u.path LIKE ANY(%(under)s)) GROUP BY u.path",
        {"today": today, "all": under is None, "under": [p + "%" for p in under or ()]},
    ).fetchall()


def open_tasks_under(conn: psycopg.Connection, path: str, limit: int) -> list[dict[str, Any]]:
    """The open tasks whose owner is in the subtree `path`, nearest deadline first, with their meeting."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT t.id, t.title, t.deadline, e.full_name AS owner, u.code AS unit_code, u.name AS unit_name,"
            " m.id AS meeting_id, m.title AS meeting FROM meeting_tasks t JOIN meetings m ON m.id = t.meeting_id"
            " JOIN employees e ON e.id = t.owner_id JOIN org_units u ON u.id = e.unit_id"
            " WHERE t.finished_at IS NULL AND u.path LIKE %(p)s ORDER BY t.deadline, t.id LIMIT %(limit)s",
            {"p": path + "%", "limit": limit},
        ).fetchall()
