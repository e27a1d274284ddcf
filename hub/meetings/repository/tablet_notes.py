"""SQL of the tablet page: a participant's own notes and the votes they have voted in. Re-exported by
hub.meetings.repository."""

from __future__ import annotations

from datetime import datetime

import psycopg

# --- the tablet page: one's own notes and ballots cast ----------------------------------------------------------


def notes_of(conn: psycopg.Connection, participant_id: int) -> dict[int, str]:
    """A participant's own notes: item id → text."""
    rows = conn.execute("SELECT item_id, body FROM meeting_notes WHERE participant_id = %s", (participant_id,))
    return {r[0]: r[1] for r in rows.fetchall()}


def save_note(conn: psycopg.Connection, participant_id: int, item_id: int, body: str | None, at: datetime) -> None:
    """Write (or, `body` None, delete) a participant's note on an item."""
    if body is None:
        conn.execute("DELETE FROM meeting_notes WHERE participant_id = %s AND item_id = %s", (participant_id, item_id))
        return
    conn.execute(
        "INSERT INTO meeting_notes (participant_id, item_id, body, updated_at) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (participant_id, item_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        (participant_id, item_id, body, at),
    )


def votes_cast_by(conn: psycopg.Connection, meeting_id: int, participant_id: int) -> frozenset[int]:
    """The votes of the meeting the participant has voted in (who voted is stored; a secret choice is not)."""
    rows = conn.execute(
        "SELECT x.vote_id FROM meeting_vote_voters x JOIN meeting_votes v ON v.id = x.vote_id"
        " WHERE v.meeting_id = %s AND x.participant_id = %s",
        (meeting_id, participant_id),
    )
    return frozenset(r[0] for r in rows.fetchall())
