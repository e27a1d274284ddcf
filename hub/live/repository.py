"""SQL of the live feed: the notification ingest sends with a batch, and the look-ups of what it announced.

Payload of `cces_attendance` (JSON, < 200 bytes whatever the batch size): the transaction's
`now()` — which is every inserted row's `received_at` — the batch's ts range (for partition
pruning) and how many rows were new. The listener reads exactly those rows back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql

from hub.live.models import ATTENDANCE_CHANNEL, CheckIn, DeviceStatusChange

#: index of `ts` in ingest's attendance rows (hub.ingest.repository.ATTENDANCE_COLUMNS)
_TS = 1


def notify_attendance(conn: psycopg.Connection, rows: Sequence[tuple[Any, ...]], inserted: int) -> None:
    """Announce a batch of attendance rows, inside the transaction that inserts them (sent on COMMIT)."""
    if not inserted or not rows:
        return
    stamps = [r[_TS] for r in rows]
    conn.execute(
        "SELECT pg_notify(%s, json_build_object('received_at', now(), 'ts_min', %s::timestamptz,"
        " 'ts_max', %s::timestamptz, 'n', %s::int)::text)",
        (ATTENDANCE_CHANNEL, min(stamps), max(stamps), inserted),
    )


@dataclass(frozen=True, slots=True)
class AttendanceNotice:
    received_at: datetime
    ts_min: datetime
    ts_max: datetime
    count: int

    @classmethod
    def parse(cls, payload: str) -> AttendanceNotice:
        """Raises ValueError on a payload that is not ours."""
        try:
            obj = json.loads(payload)
            return cls(
                datetime.fromisoformat(obj["received_at"]),
                datetime.fromisoformat(obj["ts_min"]),
                datetime.fromisoformat(obj["ts_max"]),
                int(obj["n"]),
            )
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not an attendance notice: {payload[:200]!r}") from exc


_CHECKIN_SELECT = (
    "SELECT a.id, a.ts, a.received_at, a.device_id, a.person_id, a.direction, a.score,"
    " e.employee_code, e.full_name, u.code, u.name, u.path, d.site, d.room"
    " FROM attendance_events a"
    " LEFT JOIN employees e ON e.person_id = a.person_id"
    " LEFT JOIN org_units u ON u.id = e.unit_id"
    " LEFT JOIN devices d ON d.device_id = a.device_id"
)


def checkins_of(conn: psycopg.Connection, notice: AttendanceNotice) -> list[CheckIn]:
    """The rows one notification announced, oldest first, with the employee's name and unit."""
    rows = conn.execute(
        _CHECKIN_SELECT + " WHERE a.ts >= %s AND a.ts <= %s AND a.received_at = %s ORDER BY a.ts, a.id",
        (notice.ts_min, notice.ts_max, notice.received_at),
    ).fetchall()
    return [CheckIn(*r) for r in rows]


def checkins_received_since(conn: psycopg.Connection, since: datetime, ts_from: datetime, limit: int) -> list[CheckIn]:
    """Rows stored after `since` whose ts is after `ts_from` (bounded for partition pruning), oldest
    first, at most `limit`: what a listener missed while it was disconnected."""
    rows = conn.execute(
        _CHECKIN_SELECT + " WHERE a.ts >= %s AND a.received_at > %s ORDER BY a.received_at, a.ts, a.id LIMIT %s",
        (ts_from, since, limit),
    ).fetchall()
    return [CheckIn(*r) for r in rows]


def recent_checkins(
    conn: psycopg.Connection, unit_paths: Sequence[str] | None, ts_from: datetime, limit: int
) -> list[CheckIn]:
    """The newest check-ins since `ts_from` (bounded for partition pruning), newest first; with
    `unit_paths`, only employees of those subtrees (None: everyone, unknown FaceID ids too)."""
    if unit_paths is None:
        rows = conn.execute(
            _CHECKIN_SELECT + " WHERE a.ts >= %s ORDER BY a.ts DESC, a.id LIMIT %s", (ts_from, limit)
        ).fetchall()
    else:
        rows = conn.execute(
            _CHECKIN_SELECT + " WHERE a.ts >= %s AND u.path LIKE ANY(%s) ORDER BY a.ts DESC, a.id LIMIT %s",
            (ts_from, [p.replace("%", r"\%").replace("_", r"\_") + "%" for p in unit_paths], limit),
        ).fetchall()
    return [CheckIn(*r) for r in rows]


def device_changes_since(conn: psycopg.Connection, since: datetime, limit: int) -> list[DeviceStatusChange]:
    """Status changes recorded after `since`, oldest first."""
    rows = conn.execute(
        "SELECT c.device_id, c.online, c.at, d.kind, d.site, d.room FROM device_status_changes c"
        " JOIN devices d USING (device_id) WHERE c.at > %s ORDER BY c.at LIMIT %s",
        (since, limit),
    ).fetchall()
    return [DeviceStatusChange(*r) for r in rows]


def devices_info(conn: psycopg.Connection, device_ids: Sequence[str]) -> dict[str, tuple[str, str | None, str | None]]:
    """device id → (kind, site, room)."""
    rows = conn.execute(
        "SELECT device_id, kind, site, room FROM devices WHERE device_id = ANY(%s)", (list(device_ids),)
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def database_now(conn: psycopg.Connection) -> datetime:
    row = conn.execute("SELECT now()").fetchone()
    assert row is not None
    return row[0]


def listen(conn: psycopg.Connection, channels: Sequence[str]) -> None:
    """LISTEN on each channel (names are ours, quoted as identifiers)."""
    for channel in channels:
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
