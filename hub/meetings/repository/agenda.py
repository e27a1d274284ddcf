"""SQL of paperless meetings: The agenda's items and the papers of a meeting. Re-exported by hub.meetings.repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import AgendaItem, Paper


def replace_items(
    conn: psycopg.Connection, meeting_id: int, items: Sequence[tuple[str, int | None, int | None]]
) -> None:
    """The agenda anew: (title, presenter participant id, minutes) in order."""
    conn.execute("UPDATE meetings SET current_item_id = NULL WHERE id = %s", (meeting_id,))
    conn.execute("DELETE FROM meeting_items WHERE meeting_id = %s", (meeting_id,))
    for position, (title, presenter, duration) in enumerate(items, start=1):
        conn.execute(
            "INSERT INTO meeting_items (meeting_id, position, title, presenter_id, duration_minutes)"
            " VALUES (%s, %s, %s, %s, %s)",
            (meeting_id, position, title, presenter, duration),
        )


def items(conn: psycopg.Connection, meeting_id: int) -> list[AgendaItem]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT i.id, i.meeting_id, i.position, i.title, i.presenter_id,"
            " coalesce(e.full_name, p.guest_name) AS presenter_name, i.duration_minutes, i.minutes"
            " FROM meeting_items i LEFT JOIN meeting_participants p ON p.id = i.presenter_id"
            " LEFT JOIN employees e ON e.id = p.employee_id WHERE i.meeting_id = %s ORDER BY i.position",
            (meeting_id,),
        ).fetchall()
    return [AgendaItem(**r) for r in rows]


def insert_paper(conn: psycopg.Connection, values: dict[str, Any], readers: Sequence[int]) -> int:
    row = conn.execute(
        "INSERT INTO meeting_papers (meeting_id, item_id, title, filename, media_type, size_bytes, sha256,"
        " restricted, uploaded_by) VALUES (%(meeting_id)s, %(item_id)s, %(title)s, %(filename)s, %(media_type)s,"
        " %(size_bytes)s, %(sha256)s, %(restricted)s, %(uploaded_by)s) RETURNING id",
        values,
    ).fetchone()
    assert row is not None
    for participant_id in readers:
        conn.execute(
            "INSERT INTO meeting_paper_readers (paper_id, participant_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (row[0], participant_id),
        )
    return int(row[0])


def papers(conn: psycopg.Connection, meeting_id: int) -> list[tuple[Paper, frozenset[int]]]:
    """Every paper of the meeting with the participants listed as its readers."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT p.id, p.meeting_id, p.item_id, p.title, p.filename, p.media_type, p.size_bytes, p.sha256,"
            " p.restricted, p.uploaded_by, p.uploaded_at,"
            " coalesce((SELECT array_agg(r.participant_id) FROM meeting_paper_readers r WHERE r.paper_id = p.id),"
            " '{}') AS readers FROM meeting_papers p WHERE p.meeting_id = %s ORDER BY p.item_id NULLS FIRST, p.id",
            (meeting_id,),
        ).fetchall()
    out = []
    for r in rows:
        readers = frozenset(int(x) for x in r.pop("readers"))
        out.append((Paper(**r), readers))
    return out
