"""SQL of paperless meetings: rows in, records out (hub.meetings.service holds the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from hub.meetings.models import Booking, Room

#: a room's schedule changed (a booking, a check-in, the chair's action): pg_notify's channel, payload the room id
ROOM_CHANNEL = "cces_meeting_room"

_ROOM = (
    "SELECT r.id AS key, r.room_id, r.office, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,"
    " r.name, r.capacity, r.equipment, r.display_device_id, r.door_device_id, r.needs_approval, r.active"
    " FROM meeting_rooms r JOIN org_units u ON u.id = r.unit_id"
)
_BOOKING = (
    "SELECT b.id, r.room_id, r.name AS room_name, b.title, b.starts_at, b.ends_at, b.status, b.series_id::text,"
    " b.booked_by, b.checked_in_at, b.decided_by, b.decision_note, NULL::bigint AS meeting_id"
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
