"""The registry as the API and the UI read it: devices with their latest telemetry, sites within units,
the columns an admin may edit, telemetry over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import psycopg

from hub.devices.models import DeviceRecord, TelemetryPoint

# --- registry as the API and the UI read it ---------------------------------------------------


_DEVICE_COLUMNS = (
    "device_id, kind, site, room, direction, online, status_at, last_seen, software_version, created_at, model_pack"
)
_TELEMETRY_COLUMNS = (
    "ts, uptime_s, software_version, outbox_pending, outbox_bytes, telemetry_dropped, metrics, received_at"
)
#: the registry columns an admin may change (column name -> validated value); nothing else is ever updated here
EDITABLE_COLUMNS = ("kind", "site", "room", "direction")


def find_devices(
    conn: psycopg.Connection,
    *,
    kind: str | None = None,
    site: str | None = None,
    online: bool | None = None,
    limit: int = 50,
    offset: int = 0,
    sites: Sequence[str] | None = None,
) -> tuple[int, list[DeviceRecord]]:
    """(total matching, one page ordered by device id). A filter left None does not filter; `sites`
    is the caller's scope (hub.devices.models.DeviceScope): only devices at one of these offices."""
    where = (
        " WHERE (%(kind)s::text IS NULL OR kind = %(kind)s) AND (%(site)s::text IS NULL OR site = %(site)s)"
        " AND (%(online)s::boolean IS NULL OR online = %(online)s)"
        " AND (%(sites)s::text[] IS NULL OR site = ANY(%(sites)s::text[]))"
    )
    params: dict[str, object] = {
        "kind": kind, "site": site, "online": online, "limit": limit, "offset": offset,
        "sites": None if sites is None else list(sites),
    }  # fmt: skip
    total_row = conn.execute("SELECT count(*) FROM devices" + where, params).fetchone()
    rows = conn.execute(
        f"SELECT {_DEVICE_COLUMNS} FROM devices{where} ORDER BY device_id LIMIT %(limit)s OFFSET %(offset)s", params
    ).fetchall()
    return (int(total_row[0]) if total_row else 0), [DeviceRecord(*r) for r in rows]


def sites_within(conn: psycopg.Connection, unit_paths: Sequence[str]) -> list[str]:
    """The offices (sites) that `site_units` maps to a unit inside one of these subtrees (materialised
    paths such as "/1/7/"; a unit is inside its own subtree): the sites whose devices a role granted on
    those units reaches."""
    if not unit_paths:
        return []
    rows = conn.execute(
        "SELECT DISTINCT s.site FROM site_units s JOIN org_units u ON u.id = s.unit_id"
        " WHERE u.path LIKE ANY(%s::text[]) ORDER BY s.site",
        ([p + "%" for p in unit_paths],),  # paths are digits and slashes: no LIKE wildcard inside
    ).fetchall()
    return [r[0] for r in rows]


def get_device(conn: psycopg.Connection, device_id: str) -> DeviceRecord | None:
    row = conn.execute(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE device_id = %s", (device_id,)).fetchone()
    return DeviceRecord(*row) if row else None


def update_device(conn: psycopg.Connection, device_id: str, changes: Mapping[str, object]) -> DeviceRecord | None:
    """Set the given registry columns (only those of EDITABLE_COLUMNS); None when the device is unknown."""
    unknown = set(changes) - set(EDITABLE_COLUMNS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        return get_device(conn, device_id)
    columns = [c for c in EDITABLE_COLUMNS if c in changes]  # fixed names, never the caller's strings
    assignments = ", ".join(f"{c} = %({c})s" for c in columns)
    row = conn.execute(
        f"UPDATE devices SET {assignments} WHERE device_id = %(device_id)s RETURNING {_DEVICE_COLUMNS}",
        {**{c: changes[c] for c in columns}, "device_id": device_id},
    ).fetchone()
    return DeviceRecord(*row) if row else None


def latest_telemetry(conn: psycopg.Connection, device_id: str) -> TelemetryPoint | None:
    """The newest heartbeat. The primary key (device_id, ts) of each partition answers it backwards,
    newest partition first, so this reads a row or so however long the history is."""
    row = conn.execute(
        f"SELECT {_TELEMETRY_COLUMNS} FROM device_telemetry WHERE device_id = %s ORDER BY ts DESC LIMIT 1",
        (device_id,),
    ).fetchone()
    return TelemetryPoint(*row) if row else None


def telemetry_between(
    conn: psycopg.Connection, device_id: str, start: datetime, end: datetime, limit: int
) -> list[TelemetryPoint]:
    """Heartbeats with start <= ts < end, newest first, at most `limit`.

    Both bounds are always given so PostgreSQL prunes to the partitions (or TimescaleDB chunks)
    of that span instead of reading the device's whole history.
    """
    rows = conn.execute(
        f"SELECT {_TELEMETRY_COLUMNS} FROM device_telemetry"
        " WHERE device_id = %s AND ts >= %s AND ts < %s ORDER BY ts DESC LIMIT %s",
        (device_id, start, end, limit),
    ).fetchall()
    return [TelemetryPoint(*r) for r in rows]


def telemetry_plan(conn: psycopg.Connection, device_id: str, start: datetime, end: datetime) -> str:
    """EXPLAIN of `telemetry_between`'s query: lets tests check which partitions it reads."""
    rows = conn.execute(
        "EXPLAIN (COSTS OFF) SELECT ts FROM device_telemetry"
        " WHERE device_id = %s AND ts >= %s AND ts < %s ORDER BY ts DESC LIMIT 10",
        (device_id, start, end),
    ).fetchall()
    return "\n".join(r[0] for r in rows)
