"""SQL of paperless meetings: rows in, records out (hub.meetings.service holds the rules).

A package so that each part of a meeting (its minutes, its opinions) keeps its SQL in a module of its own
beside this one (`hub.meetings.repository.minutes`), as the layout test allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import Booking, Meeting, Participant, Room

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


# re-exported: each part of a meeting keeps its SQL in a module of its own beside this one
from hub.meetings.repository.agenda import insert_paper as insert_paper  # noqa: E402
from hub.meetings.repository.agenda import items as items  # noqa: E402
from hub.meetings.repository.agenda import papers as papers  # noqa: E402
from hub.meetings.repository.agenda import replace_items as replace_items  # noqa: E402
from hub.meetings.repository.ballots import close_vote as close_vote  # noqa: E402
from hub.meetings.repository.ballots import insert_ballot as insert_ballot  # noqa: E402
from hub.meetings.repository.ballots import insert_vote as insert_vote  # noqa: E402
from hub.meetings.repository.ballots import open_ballots as open_ballots  # noqa: E402
from hub.meetings.repository.ballots import record_voter as record_voter  # noqa: E402
from hub.meetings.repository.ballots import set_current_item as set_current_item  # noqa: E402
from hub.meetings.repository.ballots import set_meeting_status as set_meeting_status  # noqa: E402
from hub.meetings.repository.ballots import tally as tally  # noqa: E402
from hub.meetings.repository.ballots import vote_row as vote_row  # noqa: E402
from hub.meetings.repository.ballots import votes_of as votes_of  # noqa: E402
from hub.meetings.repository.conclusion_tasks import finish_task as finish_task  # noqa: E402
from hub.meetings.repository.conclusion_tasks import insert_task as insert_task  # noqa: E402
from hub.meetings.repository.conclusion_tasks import task as task  # noqa: E402
from hub.meetings.repository.conclusion_tasks import tasks as tasks  # noqa: E402
from hub.meetings.repository.leadership import meetings_by_unit as meetings_by_unit  # noqa: E402
from hub.meetings.repository.leadership import meetings_under as meetings_under  # noqa: E402
from hub.meetings.repository.leadership import open_tasks_by_unit as open_tasks_by_unit  # noqa: E402
from hub.meetings.repository.leadership import open_tasks_under as open_tasks_under  # noqa: E402
from hub.meetings.repository.reminders import meetings_to_remind as meetings_to_remind  # noqa: E402
from hub.meetings.repository.reminders import set_reminded as set_reminded  # noqa: E402
from hub.meetings.repository.speaking_queue import ask_floor as ask_floor  # noqa: E402
from hub.meetings.repository.speaking_queue import end_speaking as end_speaking  # noqa: E402
from hub.meetings.repository.speaking_queue import give_floor as give_floor  # noqa: E402
from hub.meetings.repository.speaking_queue import speakers as speakers  # noqa: E402
from hub.meetings.repository.tablet_notes import notes_of as notes_of  # noqa: E402
from hub.meetings.repository.tablet_notes import save_note as save_note  # noqa: E402
from hub.meetings.repository.tablet_notes import votes_cast_by as votes_cast_by  # noqa: E402
