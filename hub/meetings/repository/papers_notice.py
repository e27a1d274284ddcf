"""SQL of the papers sent before a meeting (hub.meetings.papers_notice): the meetings that may be due, and the
(paper, participant) pairs already sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import Meeting
from hub.meetings.repository import _MEETING


def upcoming(conn: psycopg.Connection, now: datetime, until: datetime) -> list[Meeting]:
    """Planned or running meetings not yet over that start by `until`; locked, skipping rows another run holds."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _MEETING + " WHERE m.status IN ('planned', 'running') AND m.ends_at > %s AND m.starts_at <= %s"
            " ORDER BY m.starts_at, m.id FOR UPDATE OF m SKIP LOCKED",
            (now, until),
        ).fetchall()
    return [Meeting(**r) for r in rows]


def mark_sent(conn: psycopg.Connection, pairs: Iterable[tuple[int, int]], at: datetime) -> set[tuple[int, int]]:
    """Record (paper id, participant id) pairs as sent; the pairs that were not sent before."""
    pairs = list(pairs)
    if not pairs:
        return set()
    rows = conn.execute(
        "INSERT INTO meeting_papers_sent (paper_id, participant_id, sent_at)"
        " SELECT paper, participant, %s FROM unnest(%s::bigint[], %s::bigint[]) AS x (paper, participant)"
        " ON CONFLICT DO NOTHING RETURNING paper_id, participant_id",
        (at, [p for p, _ in pairs], [q for _, q in pairs]),
    ).fetchall()
    return {(int(p), int(q)) for p, q in rows}
