"""SQL of the speakers' queue: requests to speak, the floor given and ended. Re-exported by
hub.meetings.repository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

# --- speakers -------------------------------------------------------------------------------------------------


def ask_floor(
    conn: psycopg.Connection, meeting_id: int, participant_id: int, item_id: int | None, at: datetime
) -> bool:
    cur = conn.execute(
        "INSERT INTO meeting_speakers (meeting_id, participant_id, item_id, asked_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (meeting_id, participant_id) WHERE done_at IS NULL DO NOTHING",
        (meeting_id, participant_id, item_id, at),
    )
    return cur.rowcount == 1


def speakers(conn: psycopg.Connection, meeting_id: int) -> list[dict[str, Any]]:
    """The queue (not yet done): the one speaking first, then by request time."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT s.id, s.participant_id, coalesce(e.full_name, p.guest_name) AS name, s.asked_at, s.speaking_at,"
            " s.limit_minutes FROM meeting_speakers s JOIN meeting_participants p ON p.id = s.participant_id"
            " LEFT JOIN employees e ON e.id = p.employee_id WHERE s.meeting_id = %s AND s.done_at IS NULL"
            " ORDER BY s.speaking_at IS NULL, s.asked_at, s.id",
            (meeting_id,),
        ).fetchall()


def end_speaking(conn: psycopg.Connection, meeting_id: int, at: datetime) -> None:
    conn.execute("UPDATE meeting_speakers SET done_at = %s WHERE meeting_id = %s AND speaking_at IS NOT NULL"
                 " AND done_at IS NULL", (at, meeting_id))  # fmt: skip


def give_floor(conn: psycopg.Connection, meeting_id: int, speaker_id: int, at: datetime) -> bool:
    cur = conn.execute("UPDATE meeting_speakers SET speaking_at = %s WHERE id = %s AND meeting_id = %s"
                       " AND done_at IS NULL AND speaking_at IS NULL", (at, speaker_id, meeting_id))  # fmt: skip
    return cur.rowcount == 1
