"""SQL of opinions on a draft (góp ý; hub.meetings.opinions): rows in, `Opinion` records out."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import Opinion

_OPINION = (
    "SELECT o.id, o.meeting_id, o.item_id, o.participant_id, coalesce(e.full_name, p.guest_name) AS author,"
    " o.paper_id, pp.title AS paper_title, o.body, o.created_at, o.updated_at"
    " FROM meeting_opinions o JOIN meeting_participants p ON p.id = o.participant_id"
    " LEFT JOIN employees e ON e.id = p.employee_id LEFT JOIN meeting_papers pp ON pp.id = o.paper_id"
    " JOIN meeting_items i ON i.id = o.item_id"
)


def insert(
    conn: psycopg.Connection, meeting_id: int, item_id: int, participant_id: int, paper_id: int | None, body: str,
    at: datetime,
) -> int:  # fmt: skip
    row = conn.execute(
        "INSERT INTO meeting_opinions (meeting_id, item_id, participant_id, paper_id, body, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (meeting_id, item_id, participant_id, paper_id, body, at, at),
    ).fetchone()
    assert row is not None
    return int(row[0])


def update(conn: psycopg.Connection, opinion_id: int, body: str, paper_id: int | None, at: datetime) -> None:
    conn.execute(
        "UPDATE meeting_opinions SET body = %s, paper_id = %s, updated_at = %s WHERE id = %s AND withdrawn_at IS NULL",
        (body, paper_id, at, opinion_id),
    )


def withdraw(conn: psycopg.Connection, opinion_id: int, at: datetime) -> bool:
    cur = conn.execute(
        "UPDATE meeting_opinions SET withdrawn_at = %s WHERE id = %s AND withdrawn_at IS NULL", (at, opinion_id)
    )
    return cur.rowcount == 1


def opinion(conn: psycopg.Connection, meeting_id: int, opinion_id: int, *, lock: bool = False) -> Opinion | None:
    """One opinion of the meeting, not withdrawn."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _OPINION
            + " WHERE o.id = %s AND o.meeting_id = %s AND o.withdrawn_at IS NULL"
            + (" FOR UPDATE OF o" if lock else ""),
            (opinion_id, meeting_id),
        ).fetchone()
    return Opinion(**row) if row else None


def of_meeting(conn: psycopg.Connection, meeting_id: int, participant_id: int | None = None) -> list[Opinion]:
    """The meeting's opinions not withdrawn (of one participant, when given), by item then as written."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _OPINION + " WHERE o.meeting_id = %s AND o.withdrawn_at IS NULL"
            " AND (%s::bigint IS NULL OR o.participant_id = %s) ORDER BY i.position, o.created_at, o.id",
            (meeting_id, participant_id, participant_id),
        ).fetchall()
    return [Opinion(**r) for r in rows]
