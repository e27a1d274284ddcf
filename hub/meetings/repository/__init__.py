"""SQL of paperless meetings: rows in, records out (hub.meetings.service holds the rules).

A package so that each part of a meeting (its minutes, its opinions) keeps its SQL in a module of its own
beside this one (`hub.meetings.repository.minutes`), as the layout test allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import AgendaItem, Booking, Meeting, Paper, Participant, Room

#: a room's schedule changed (a booking, a check-in, the chair's action): pg_notify's channel, payload the room id
ROOM_CHANNEL = "cces_meeting_room"

_ROOM = (
    "SELECT r.id AS key, r.room_id, r.office, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,"
    " r.name, r.capacity, r.equipment, r.display_device_id, r.door_device_id, r.needs_approval, r.active"
    " FROM meeting_rooms r JOIN org_units u ON u.id = r.unit_id"
)
_BOOKING = (
    "SELECT b.id, r.room_id, r.name AS room_name, b.title, b.starts_at, b.ends_at, b.status, b.series_id::text,"
    " b.booked_by, b.checked_in_at, b.decided_by, b.decision_note,"
    " (SELECT m.id FROM meetings m WHERE m.booking_id = b.id) AS meeting_id"
    " FROM meeting_bookings b JOIN meeting_rooms r ON r.id = b.room_key"
)


def _room(row: dict[str, Any]) -> Room:
    return Room(
        room_id=row["room_id"], office=row["office"], unit_code=row["unit_code"], unit_name=row["unit_name"],
        unit_path=row["unit_path"], name=row["name"], capacity=row["capacity"], equipment=tuple(row["equipment"]),
        display_device_id=row["display_device_id"], door_device_id=row["door_device_id"],
        needs_approval=row["needs_approval"], active=row["active"],
    )  # fmt: skip


def _booking(row: dict[str, Any]) -> Booking:
    return Booking(**row)


def unit_row(conn: psycopg.Connection, code: str) -> tuple[int, str, bool] | None:
    """(id, path, open) of a unit code."""
    row = conn.execute("SELECT id, path, valid_to IS NULL FROM org_units WHERE code = %s", (code,)).fetchone()
    return (int(row[0]), str(row[1]), bool(row[2])) if row else None


def room_key(conn: psycopg.Connection, room_id: str, *, lock: bool = False) -> tuple[int, Room] | None:
    """(internal key, room) of a room id; `lock`: FOR UPDATE of the room row (serialises its bookings' checks)."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(_ROOM + " WHERE r.room_id = %s" + (" FOR UPDATE OF r" if lock else ""), (room_id,)).fetchone()
    return (int(row["key"]), _room(row)) if row else None


def rooms(conn: psycopg.Connection, office: str | None, scope: Sequence[str] | None, active_only: bool) -> list[Room]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _ROOM + " WHERE (%(office)s::text IS NULL OR r.office = %(office)s)"
            " AND (%(scope)s::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(%(scope)s::text[]) s"
            "      WHERE u.path LIKE s || '%%'))"
            " AND (NOT %(active)s OR r.active) ORDER BY r.office, r.name, r.room_id",
            {"office": office, "scope": list(scope) if scope is not None else None, "active": active_only},
        ).fetchall()
    return [_room(r) for r in rows]


def all_room_ids(conn: psycopg.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT room_id FROM meeting_rooms WHERE active ORDER BY room_id")]


def room_by_device(conn: psycopg.Connection, device_id: str) -> Room | None:
    """The room whose display or door device this is."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _ROOM + " WHERE r.display_device_id = %(d)s OR r.door_device_id = %(d)s ORDER BY r.id LIMIT 1",
            {"d": device_id},
        ).fetchone()
    return _room(row) if row else None


def save_room(conn: psycopg.Connection, room_id: str, values: dict[str, Any]) -> bool:
    """Insert or update one room; True when it was new."""
    row = conn.execute(
        "INSERT INTO meeting_rooms (room_id, office, unit_id, name, capacity, equipment, display_device_id,"
        " door_device_id, needs_approval, active)"
        " VALUES (%(room_id)s, %(office)s, %(unit_id)s, %(name)s, %(capacity)s, %(equipment)s,"
        " %(display_device_id)s, %(door_device_id)s, %(needs_approval)s, %(active)s)"
        " ON CONFLICT (room_id) DO UPDATE SET office = EXCLUDED.office, unit_id = EXCLUDED.unit_id,"
        " name = EXCLUDED.name, capacity = EXCLUDED.capacity, equipment = EXCLUDED.equipment,"
        " display_device_id = EXCLUDED.display_device_id, door_device_id = EXCLUDED.door_device_id,"
        " needs_approval = EXCLUDED.needs_approval, active = EXCLUDED.active, updated_at = now()"
        " RETURNING (xmax = 0)",
        {"room_id": room_id, **values},
    ).fetchone()
    assert row is not None
    return bool(row[0])


def overlapping(
    conn: psycopg.Connection, key: int, spans: Sequence[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """Live bookings of the room that overlap any of the spans."""
    rows = conn.execute(
        "SELECT DISTINCT b.starts_at, b.ends_at FROM meeting_bookings b,"
        " unnest(%s::timestamptz[], %s::timestamptz[]) AS s(a, z)"
        " WHERE b.room_key = %s AND b.status IN ('pending', 'confirmed')"
        " AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(s.a, s.z, '[)') ORDER BY 1",
        ([a for a, _ in spans], [z for _, z in spans], key),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def insert_booking(
    conn: psycopg.Connection,
    key: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    status: str,
    series_id: str | None,
    booked_by: str,
    booked_by_user: int | None,
) -> int:
    row = conn.execute(
        "INSERT INTO meeting_bookings (room_key, title, starts_at, ends_at, status, series_id, booked_by,"
        " booked_by_user) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (key, title, starts_at, ends_at, status, series_id, booked_by, booked_by_user),
    ).fetchone()
    assert row is not None
    return int(row[0])


def booking(conn: psycopg.Connection, booking_id: int, *, lock: bool = False) -> Booking | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _BOOKING + " WHERE b.id = %s" + (" FOR UPDATE OF b" if lock else ""), (booking_id,)
        ).fetchone()
    return _booking(row) if row else None


def booking_owner(conn: psycopg.Connection, booking_id: int) -> int | None:
    row = conn.execute("SELECT booked_by_user FROM meeting_bookings WHERE id = %s", (booking_id,)).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def bookings(conn: psycopg.Connection, room_id: str, start: datetime, end: datetime) -> list[Booking]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _BOOKING + " WHERE r.room_id = %s AND b.starts_at < %s AND b.ends_at > %s ORDER BY b.starts_at, b.id",
            (room_id, end, start),
        ).fetchall()
    return [_booking(r) for r in rows]


def live_bookings_between(conn: psycopg.Connection, room_id: str, start: datetime, end: datetime) -> list[Booking]:
    """The room's live bookings that end after `start` and start before `end`, by start."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _BOOKING + " WHERE r.room_id = %s AND b.status IN ('pending', 'confirmed')"
            " AND b.starts_at < %s AND b.ends_at > %s ORDER BY b.starts_at, b.id",
            (room_id, end, start),
        ).fetchall()
    return [_booking(r) for r in rows]


def set_status(
    conn: psycopg.Connection, booking_id: int, status: str, *, decided_by: str | None = None,
    decided_at: datetime | None = None, note: str | None = None, released_at: datetime | None = None,
) -> None:  # fmt: skip
    conn.execute(
        "UPDATE meeting_bookings SET status = %s, decided_by = coalesce(%s, decided_by),"
        " decided_at = coalesce(%s, decided_at), decision_note = coalesce(%s, decision_note),"
        " released_at = coalesce(%s, released_at) WHERE id = %s",
        (status, decided_by, decided_at, note, released_at, booking_id),
    )


def announce(conn: psycopg.Connection, room_id: str) -> None:
    """Tell listeners (other hub processes too) after COMMIT that this room's schedule changed."""
    conn.execute("SELECT pg_notify(%s, %s)", (ROOM_CHANNEL, room_id))


def boundaries(conn: psycopg.Connection, after: datetime, until: datetime) -> list[tuple[datetime, str]]:
    """(instant, room id) of each start and end of a live booking in (after, until], by instant."""
    rows = conn.execute(
        "SELECT t, r.room_id FROM meeting_bookings b JOIN meeting_rooms r ON r.id = b.room_key,"
        " LATERAL (VALUES (b.starts_at), (b.ends_at)) AS v(t)"
        " WHERE b.status IN ('pending', 'confirmed') AND b.starts_at <= %(z)s AND b.ends_at > %(a)s"
        " AND t > %(a)s AND t <= %(z)s ORDER BY t, r.room_id",
        {"a": after, "z": until},
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


# --- meetings -------------------------------------------------------------------------------------------------

_MEETING = (
    "SELECT m.id, m.title, u.code AS unit_code, u.path AS unit_path, m.booking_id, r.room_id, r.name AS room_name,"
    " m.starts_at, m.ends_at, m.status, m.video_url, m.late_after_minutes, m.created_by, m.current_item_id"
    " FROM meetings m JOIN org_units u ON u.id = m.unit_id"
    " LEFT JOIN meeting_bookings b ON b.id = m.booking_id LEFT JOIN meeting_rooms r ON r.id = b.room_key"
)
_PARTICIPANT = (
    "SELECT p.id, p.meeting_id, p.employee_id, e.employee_code, coalesce(e.full_name, p.guest_name) AS name,"
    " coalesce(u.name, p.guest_org) AS organisation, p.part AS role, p.voting, p.present_at, p.checkin_method, p.late,"
    " (SELECT a.id FROM users a WHERE a.employee_id = p.employee_id ORDER BY a.id LIMIT 1) AS user_id"
    " FROM meeting_participants p LEFT JOIN employees e ON e.id = p.employee_id"
    " LEFT JOIN org_units u ON u.id = e.unit_id"
)


def employee_ids(conn: psycopg.Connection, codes: Sequence[str]) -> dict[str, int]:
    """employee code → id, of the codes that exist."""
    rows = conn.execute("SELECT employee_code, id FROM employees WHERE employee_code = ANY(%s)", (list(codes),))
    return {r[0]: int(r[1]) for r in rows}


def booking_room(conn: psycopg.Connection, booking_id: int) -> tuple[int | None, str] | None:
    """(the booker's user id, the room's unit path) of a booking."""
    row = conn.execute(
        "SELECT b.booked_by_user, u.path FROM meeting_bookings b JOIN meeting_rooms r ON r.id = b.room_key"
        " JOIN org_units u ON u.id = r.unit_id WHERE b.id = %s",
        (booking_id,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def insert_meeting(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    row = conn.execute(
        "INSERT INTO meetings (booking_id, unit_id, title, starts_at, ends_at, video_url, late_after_minutes,"
        " created_by, created_by_user) VALUES (%(booking_id)s, %(unit_id)s, %(title)s, %(starts_at)s, %(ends_at)s,"
        " %(video_url)s, %(late_after_minutes)s, %(created_by)s, %(created_by_user)s) RETURNING id",
        values,
    ).fetchone()
    assert row is not None
    return int(row[0])


def insert_participant(
    conn: psycopg.Connection, meeting_id: int, role: str, employee_id: int | None = None,
    guest_name: str | None = None, guest_org: str | None = None, voting: bool = True,
) -> int:  # fmt: skip
    row = conn.execute(
        "INSERT INTO meeting_participants (meeting_id, employee_id, guest_name, guest_org, part, voting)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (meeting_id, employee_id) DO NOTHING RETURNING id",
        (meeting_id, employee_id, guest_name, guest_org, role, voting),
    ).fetchone()
    return int(row[0]) if row else 0


def meeting(conn: psycopg.Connection, meeting_id: int, *, lock: bool = False) -> Meeting | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            _MEETING + " WHERE m.id = %s" + (" FOR UPDATE OF m" if lock else ""), (meeting_id,)
        ).fetchone()
    return Meeting(**row) if row else None


def meetings_of(
    conn: psycopg.Connection, employee_id: int | None, username: str, scope: Sequence[str] | None,
    start: datetime, end: datetime,
) -> list[Meeting]:  # fmt: skip
    """Meetings overlapping [start, end) that the person takes part in, created, or whose unit is in `scope`."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _MEETING + " WHERE m.starts_at < %(end)s AND m.ends_at > %(start)s AND ("
            " EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id AND p.employee_id = %(emp)s)"
            " OR m.created_by = %(user)s"
            " OR (%(all)s OR EXISTS (SELECT 1 FROM unnest(%(scope)s::text[]) s WHERE u.path LIKE s || '%%')))"
            " ORDER BY m.starts_at, m.id",
            {"start": start, "end": end, "emp": employee_id, "user": username, "all": scope is None,
             "scope": list(scope or ())},
        ).fetchall()  # fmt: skip
    return [Meeting(**r) for r in rows]


def participants(conn: psycopg.Connection, meeting_id: int) -> list[Participant]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            _PARTICIPANT + " WHERE p.meeting_id = %s ORDER BY array_position("
            "ARRAY['chair','secretary','member','guest'], p.part), name, p.id",
            (meeting_id,),
        ).fetchall()
    return [Participant(**r) for r in rows]


def participant(conn: psycopg.Connection, participant_id: int) -> Participant | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(_PARTICIPANT + " WHERE p.id = %s", (participant_id,)).fetchone()
    return Participant(**row) if row else None


def mark_present(conn: psycopg.Connection, participant_id: int, at: datetime, method: str, by: str, late: bool) -> bool:
    """Mark present once: False when they already were (a second QR scan changes nothing)."""
    cur = conn.execute(
        "UPDATE meeting_participants SET present_at = %s, checkin_method = %s, checked_in_by = %s, late = %s"
        " WHERE id = %s AND present_at IS NULL",
        (at, method, by, late, participant_id),
    )
    return cur.rowcount == 1


def mark_absent(conn: psycopg.Connection, participant_id: int) -> bool:
    cur = conn.execute(
        "UPDATE meeting_participants SET present_at = NULL, checkin_method = NULL, checked_in_by = NULL,"
        " late = false WHERE id = %s AND present_at IS NOT NULL",
        (participant_id,),
    )
    return cur.rowcount == 1


def check_in_booking(conn: psycopg.Connection, booking_id: int, at: datetime, by: str) -> None:
    conn.execute(
        "UPDATE meeting_bookings SET checked_in_at = %s, checked_in_by = %s WHERE id = %s AND checked_in_at IS NULL",
        (at, by, booking_id),
    )


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


def unattended_bookings(
    conn: psycopg.Connection, started_before: datetime, not_before: datetime
) -> list[dict[str, Any]]:
    """Confirmed bookings nobody checked in to, started in [not_before, started_before); locked, skipping busy rows."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT b.id, b.title, b.starts_at, b.booked_by_user, r.room_id, r.name AS room_name, u.path AS unit_path"
            " FROM meeting_bookings b JOIN meeting_rooms r ON r.id = b.room_key JOIN org_units u ON u.id = r.unit_id"
            " WHERE b.status = 'confirmed' AND b.checked_in_at IS NULL AND b.starts_at < %s AND b.starts_at >= %s"
            " ORDER BY b.starts_at FOR UPDATE OF b SKIP LOCKED",
            (started_before, not_before),
        ).fetchall()


def display_facts(conn: psycopg.Connection, meeting_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """meeting id → what a room's display shows of it: title, chair, current agenda item, the speaker and their
    time (since, until: the floor's limit)."""
    if not meeting_ids:
        return {}
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT m.id, m.title,"
            " (SELECT e.full_name FROM meeting_participants p JOIN employees e ON e.id = p.employee_id"
            "   WHERE p.meeting_id = m.id AND p.part = 'chair') AS chair,"
            " i.title AS current_item,"
            " (SELECT coalesce(e2.full_name, p2.guest_name) FROM meeting_speakers s"
            "   JOIN meeting_participants p2 ON p2.id = s.participant_id"
            "   LEFT JOIN employees e2 ON e2.id = p2.employee_id"
            "   WHERE s.meeting_id = m.id AND s.speaking_at IS NOT NULL AND s.done_at IS NULL) AS current_speaker,"
            " f.speaking_at AS speaker_since,"
            " f.speaking_at + make_interval(mins => f.limit_minutes) AS speaker_until"
            " FROM meetings m LEFT JOIN meeting_speakers f ON f.meeting_id = m.id AND f.speaking_at IS NOT NULL"
            " AND f.done_at IS NULL LEFT JOIN meeting_items i ON i.id = m.current_item_id WHERE m.id = ANY(%s)",
            (list(meeting_ids),),
        ).fetchall()
    return {r.pop("id"): r for r in rows}


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
