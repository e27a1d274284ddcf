"""SQL of a meeting's votes and their ballots (open ones by name; secret ones unlinkable to the voter), and of
its status and current item. Re-exported by hub.meetings.repository."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

# --- votes ----------------------------------------------------------------------------------------------------


def insert_vote(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    row = conn.execute(
        "INSERT INTO meeting_votes (meeting_id, item_id, question, secret, choices, quorum_pct, eligible, opened_by,"
        " opened_at) VALUES (%(meeting_id)s, %(item_id)s, %(question)s, %(secret)s, %(choices)s, %(quorum_pct)s,"
        " (SELECT count(*) FROM meeting_participants WHERE meeting_id = %(meeting_id)s AND voting),"
        " %(opened_by)s, %(opened_at)s) RETURNING id",
        values,
    ).fetchone()
    assert row is not None
    return int(row[0])


def vote_row(conn: psycopg.Connection, vote_id: int, *, lock: bool = False) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT v.*, (SELECT count(*) FROM meeting_vote_voters x WHERE x.vote_id = v.id) AS voted"
            " FROM meeting_votes v WHERE v.id = %s" + (" FOR SHARE OF v" if lock else ""),
            (vote_id,),
        ).fetchone()


def votes_of(conn: psycopg.Connection, meeting_id: int) -> list[int]:
    return [int(r[0]) for r in conn.execute("SELECT id FROM meeting_votes WHERE meeting_id = %s ORDER BY id",
                                            (meeting_id,))]  # fmt: skip


def record_voter(conn: psycopg.Connection, vote_id: int, participant_id: int) -> bool:
    """The participant has voted: False when they already had (the primary key: one vote each)."""
    cur = conn.execute(
        "INSERT INTO meeting_vote_voters (vote_id, participant_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (vote_id, participant_id),
    )
    return cur.rowcount == 1


def insert_ballot(conn: psycopg.Connection, vote_id: int, participant_id: int | None, choice: str, key: str) -> None:
    if participant_id is None:
        conn.execute("INSERT INTO meeting_secret_ballots (id, vote_id, choice) VALUES (%s, %s, %s)",
                     (key, vote_id, choice))  # fmt: skip
    else:
        conn.execute("INSERT INTO meeting_open_ballots (vote_id, participant_id, choice) VALUES (%s, %s, %s)",
                     (vote_id, participant_id, choice))  # fmt: skip


def close_vote(conn: psycopg.Connection, vote_id: int, at: datetime) -> bool:
    cur = conn.execute("UPDATE meeting_votes SET status = 'closed', closed_at = %s WHERE id = %s AND status = 'open'",
                       (at, vote_id))  # fmt: skip
    return cur.rowcount == 1


def tally(conn: psycopg.Connection, vote_id: int, secret: bool) -> dict[str, int]:
    table = "meeting_secret_ballots" if secret else "meeting_open_ballots"
    rows = conn.execute(
        f"SELECT choice, count(*) FROM {table} WHERE vote_id = %s GROUP BY choice",  # noqa: S608 - fixed names
        (vote_id,),
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def open_ballots(conn: psycopg.Connection, vote_id: int) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT coalesce(e.full_name, p.guest_name), b.choice FROM meeting_open_ballots b"
        " JOIN meeting_participants p ON p.id = b.participant_id LEFT JOIN employees e ON e.id = p.employee_id"
        " WHERE b.vote_id = %s ORDER BY 1",
        (vote_id,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def set_meeting_status(conn: psycopg.Connection, meeting_id: int, status: str) -> None:
    conn.execute("UPDATE meetings SET status = %s WHERE id = %s", (status, meeting_id))


def set_current_item(conn: psycopg.Connection, meeting_id: int, item_id: int | None) -> None:
    conn.execute(
        "UPDATE meetings SET current_item_id = %s,"
        " status = CASE WHEN status = 'planned' AND %s::bigint IS NOT NULL THEN 'in_progress' ELSE status END"
        " WHERE id = %s",
        (item_id, item_id, meeting_id),
    )
