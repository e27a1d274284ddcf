"""SQL of paperless meetings: Meetings to remind their participants of. Re-exported by hub.meetings.repository."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import Meeting
from hub.meetings.repository import _MEETING

# --- reminders ------------------------------------------------------------------------------------------------


def meetings_to_remind(conn: psycopg.Connection, after: datetime, until: datetime) -> list[Meeting]:
    """Planned meetings starting in (after, until] not yet reminded of; locked, skipping busy rows."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _MEETING + " WHERE m.status = 'planned' AND m.reminded_at IS NULL AND m.starts_at > %s"
            " AND m.starts_at <= %s ORDER BY m.starts_at, m.id FOR UPDATE OF m SKIP LOCKED",
            (after, until),
        ).fetchall()
    return [Meeting(**r) for r in rows]


def set_reminded(conn: psycopg.Connection, meeting_id: int, at: datetime) -> None:
    conn.execute("UPDATE meetings SET reminded_at = %s WHERE id = %s", (at, meeting_id))
