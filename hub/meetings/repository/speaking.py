"""SQL of the floor's timer (hub.meetings.speaker_timer): the limit of the one speaking now, set and extended."""

from __future__ import annotations

import psycopg


def set_limit(conn: psycopg.Connection, meeting_id: int, minutes: int) -> None:
    """The limit of whoever has the floor now."""
    conn.execute(
        "UPDATE meeting_speakers SET limit_minutes = %s"
        " WHERE meeting_id = %s AND speaking_at IS NOT NULL AND done_at IS NULL",
        (minutes, meeting_id),
    )


def extend(conn: psycopg.Connection, meeting_id: int, minutes: int, cap: int) -> int | None:
    """Add minutes to the floor's limit (None: nobody speaks, or the sum would pass `cap`); the new limit."""
    row = conn.execute(
        "UPDATE meeting_speakers SET limit_minutes = coalesce(limit_minutes, 0) + %(m)s"
        " WHERE meeting_id = %(id)s AND speaking_at IS NOT NULL AND done_at IS NULL"
        " AND coalesce(limit_minutes, 0) + %(m)s <= %(cap)s RETURNING limit_minutes",
        {"m": minutes, "id": meeting_id, "cap": cap},
    ).fetchone()
    return int(row[0]) if row else None


def speaking(conn: psycopg.Connection, meeting_id: int) -> bool:
    row = conn.execute(
        "SELECT 1 FROM meeting_speakers WHERE meeting_id = %s AND speaking_at IS NOT NULL AND done_at IS NULL",
        (meeting_id,),
    ).fetchone()
    return row is not None
