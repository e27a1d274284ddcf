"""SQL of the device registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from hub.devices.models import Device, DeviceRecord, TelemetryPoint
from hub.domain import Conflict


class DeviceExists(Conflict, ValueError):
    """The device id is already registered; provisioning it again needs `--rotate`."""


def register_device(
    conn: psycopg.Connection,
    device_id: str,
    username: str,
    password_hash: str,
    *,
    kind: str = "generic",
    site: str | None = None,
    room: str | None = None,
    rotate: bool = False,
    broker_hash: str | None = None,
) -> None:
    """Register a device with fresh credentials, in one transaction.

    `password_hash` is the argon2 hash the hub (and the embedded amqtt) verifies; `broker_hash`
    the same secret in Mosquitto's password-file format, for the embedded Mosquitto. Refuses an
    existing device unless `rotate`, which replaces its credentials (the old password stops
    working at its next connection).
    """
    with conn.transaction():
        inserted = conn.execute(
            "INSERT INTO devices (device_id, kind, site, room) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (device_id) DO NOTHING",
            (device_id, kind, site, room),
        ).rowcount
        if not inserted and not rotate:
            raise DeviceExists(f"device {device_id!r} is already registered (use --rotate to issue new credentials)")
        conn.execute(
            "INSERT INTO device_credentials (device_id, username, password_hash, broker_hash) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (device_id) DO UPDATE SET username = EXCLUDED.username,"
            " password_hash = EXCLUDED.password_hash, broker_hash = EXCLUDED.broker_hash,"
            " created_at = now(), revoked_at = NULL",
            (device_id, username, password_hash, broker_hash),
        )


async def broker_login(conn: psycopg.AsyncConnection, username: str) -> tuple[str, str | None] | None:
    """(password hash, room) of a device allowed to log in to the broker, or None."""
    cursor = await conn.execute(
        "SELECT c.password_hash, d.room FROM device_credentials c JOIN devices d USING (device_id)"
        " WHERE c.username = %s AND c.revoked_at IS NULL",
        (username,),
    )
    row = await cursor.fetchone()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class BrokerAccount:
    """A device as the embedded Mosquitto's password and ACL files list it."""

    username: str
    broker_hash: str | None  # None: registered before Mosquitto hashes were kept
    room: str | None


def broker_accounts(conn: psycopg.Connection) -> list[BrokerAccount]:
    """Every device allowed to log in to the broker, by username."""
    rows = conn.execute(
        "SELECT c.username, c.broker_hash, d.room FROM device_credentials c JOIN devices d USING (device_id)"
        " WHERE c.revoked_at IS NULL ORDER BY c.username"
    ).fetchall()
    return [BrokerAccount(*row) for row in rows]


def set_status(conn: psycopg.Connection, device_id: str, online: bool, software_version: str | None) -> None:
    """Apply a status message in arrival order.

    The device's own `ts` is not compared: a Last Will carries the time the device connected,
    which is older than the "online" it sent right after, yet it is the newer news. The broker
    delivers one topic's messages in order, and the retained one on reconnect is the latest.
    """
    conn.execute(
        "UPDATE devices SET online = %s, status_at = now(),"
        " software_version = COALESCE(%s, software_version),"
        " last_seen = CASE WHEN %s THEN now() ELSE last_seen END"
        " WHERE device_id = %s",
        (online, software_version, online, device_id),
    )


def touch_last_seen(conn: psycopg.Connection, device_ids: set[str]) -> None:
    """The hub heard from these devices now (hub clock: a device's clock may be wrong)."""
    if device_ids:
        conn.execute("UPDATE devices SET last_seen = now() WHERE device_id = ANY(%s)", (sorted(device_ids),))


def set_model_packs(conn: psycopg.Connection, packs: dict[str, str]) -> None:
    """Record the model pack each device reports running (from its heartbeat)."""
    if packs:
        conn.execute(
            "UPDATE devices d SET model_pack = p.pack FROM unnest(%s::text[], %s::text[]) AS p(device_id, pack)"
            " WHERE d.device_id = p.device_id AND d.model_pack IS DISTINCT FROM p.pack",
            (list(packs), list(packs.values())),
        )


def registered_among(conn: psycopg.Connection, device_ids: list[str]) -> set[str]:
    """Which of these device ids are registered."""
    rows = conn.execute("SELECT device_id FROM devices WHERE device_id = ANY(%s)", (device_ids,))
    return {row[0] for row in rows}


def list_devices(conn: psycopg.Connection, sites: list[str] | None = None) -> list[Device]:
    """Every device (`sites`: only those at these offices), by id."""
    rows = conn.execute(
        "SELECT device_id, kind, site, room, online, last_seen FROM devices"
        " WHERE %(sites)s::text[] IS NULL OR site = ANY(%(sites)s) ORDER BY device_id",
        {"sites": sites},
    ).fetchall()
    return [Device(*row) for row in rows]


# --- enrollment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrollmentClaim:
    device_id: str
    kind: str
    site: str | None
    room: str | None


def add_enrollment_token(
    conn: psycopg.Connection,
    token_sha256: str,
    device_id: str,
    kind: str,
    site: str | None,
    room: str | None,
    created_by: str,
    expires_at: datetime,
) -> None:
    conn.execute(
        "INSERT INTO enrollment_tokens (token_sha256, device_id, kind, site, room, created_by, expires_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (token_sha256, device_id, kind, site, room, created_by, expires_at),
    )


def claim_enrollment_token(conn: psycopg.Connection, token_sha256: str) -> tuple[str, EnrollmentClaim | None]:
    """Mark a token used, in the caller's transaction. Returns ('ok', claim) or (refusal reason, None)."""
    row = conn.execute(
        "SELECT device_id, kind, site, room, expires_at <= now(), used_at IS NOT NULL"
        " FROM enrollment_tokens WHERE token_sha256 = %s FOR UPDATE",
        (token_sha256,),
    ).fetchone()
    if row is None:
        return "wrong_token", None
    if row[5]:
        return "already_used", None
    if row[4]:
        return "expired", None
    conn.execute("UPDATE enrollment_tokens SET used_at = now() WHERE token_sha256 = %s", (token_sha256,))
    return "ok", EnrollmentClaim(row[0], row[1], row[2], row[3])


def register_enrolled_device(
    conn: psycopg.Connection, claim: EnrollmentClaim, serial: int, not_after: datetime
) -> None:
    """The device exists from its enrollment on; its broker identity is the certificate."""
    conn.execute(
        "INSERT INTO devices (device_id, kind, site, room) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (device_id) DO UPDATE SET kind = EXCLUDED.kind, site = EXCLUDED.site, room = EXCLUDED.room",
        (claim.device_id, claim.kind, claim.site, claim.room),
    )
    conn.execute(
        "INSERT INTO device_certificates (serial, device_id, not_after) VALUES (%s, %s, %s)",
        (serial, claim.device_id, not_after),
    )


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


# --- desired configuration (cấu hình mong muốn), published retained to each device -------------


@dataclass(frozen=True, slots=True)
class DesiredConfigRow:
    """What an admin set for one device (None: the device's own setting) and what was last published."""

    device_id: str
    threshold: float | None
    cooldown_s: float | None
    camera: dict[str, Any] | None
    display_room: str | None
    model_pack: str | None
    telemetry_interval_s: float | None
    updated_by: str | None
    updated_at: datetime | None
    version: int
    published_hash: str | None
    published_at: datetime | None
    rfid: dict[str, Any] | None = None  # migration 0421


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """Everything one device's config is made of: its desired row, registry fields, its office's gallery."""

    desired: DesiredConfigRow
    kind: str
    site: str | None
    room: str | None
    pack_id: str
    gallery_version: str | None
    gallery_sha256: str | None
    gallery_people: int | None


#: the desired-config columns an admin may set; nothing else is ever written from a request
DESIRED_COLUMNS = ("threshold", "cooldown_s", "camera", "display_room", "model_pack", "telemetry_interval_s", "rfid")
_DESIRED = (
    "c.device_id, c.threshold, c.cooldown_s, c.camera, c.display_room, c.model_pack, c.telemetry_interval_s,"
    " c.updated_by, c.updated_at, c.version, c.published_hash, c.published_at, c.rfid"
)


def ensure_desired_rows(conn: psycopg.Connection) -> None:
    """Every registered device has a desired-config row (all defaults) to count versions in."""
    conn.execute("INSERT INTO device_desired_config (device_id) SELECT device_id FROM devices ON CONFLICT DO NOTHING")


def desired_config(conn: psycopg.Connection, device_id: str) -> DesiredConfigRow | None:
    conn.execute(
        "INSERT INTO device_desired_config (device_id) SELECT device_id FROM devices WHERE device_id = %s"
        " ON CONFLICT DO NOTHING",
        (device_id,),
    )
    row = conn.execute(
        f"SELECT {_DESIRED} FROM device_desired_config c WHERE c.device_id = %s", (device_id,)
    ).fetchone()
    return DesiredConfigRow(*row) if row else None


def set_desired_config(
    conn: psycopg.Connection, device_id: str, changes: Mapping[str, object], actor: str
) -> DesiredConfigRow | None:
    """Set the given columns (only those of DESIRED_COLUMNS); None when the device is unknown."""
    unknown = set(changes) - set(DESIRED_COLUMNS)
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    if desired_config(conn, device_id) is None:
        return None
    columns = [c for c in DESIRED_COLUMNS if c in changes]
    values: dict[str, object] = {c: changes[c] for c in columns}
    for json_column in ("camera", "rfid"):
        if values.get(json_column) is not None:
            values[json_column] = Jsonb(values[json_column])
    assignments = "".join(f"{c} = %({c})s, " for c in columns)
    row = conn.execute(
        f"UPDATE device_desired_config c SET {assignments}updated_by = %(actor)s, updated_at = now()"
        f" WHERE c.device_id = %(device_id)s RETURNING {_DESIRED}",
        {**values, "actor": actor, "device_id": device_id},
    ).fetchone()
    return DesiredConfigRow(*row) if row else None


def config_sources(conn: psycopg.Connection, device_ids: list[str] | None, default_pack: str) -> list[ConfigSource]:
    """The inputs of each device's config (all devices when `device_ids` is None), locked for update."""
    rows = conn.execute(
        f"SELECT {_DESIRED}, d.kind, d.site, d.room, COALESCE(c.model_pack, d.model_pack, %(pack)s),"
        " g.version, g.sha256, g.people"
        " FROM device_desired_config c JOIN devices d USING (device_id)"
        " LEFT JOIN galleries g ON g.site = d.site AND g.pack_id = COALESCE(c.model_pack, d.model_pack, %(pack)s)"
        " WHERE %(ids)s::text[] IS NULL OR c.device_id = ANY(%(ids)s) ORDER BY c.device_id FOR UPDATE OF c",
        {"pack": default_pack, "ids": device_ids},
    ).fetchall()
    return [ConfigSource(DesiredConfigRow(*r[:13]), *r[13:]) for r in rows]


def set_published(conn: psycopg.Connection, device_id: str, version: int, content_hash: str) -> None:
    conn.execute(
        "UPDATE device_desired_config SET version = %s, published_hash = %s, published_at = now() WHERE device_id = %s",
        (version, content_hash, device_id),
    )


# --- device certificates (chứng thư thiết bị): issued at enrollment and renewal ---------------------


@dataclass(frozen=True, slots=True)
class CertificateRow:
    serial: int
    device_id: str
    issued_at: datetime
    not_after: datetime
    revoked_at: datetime | None


_CERT_COLUMNS = "serial, device_id, issued_at, not_after, revoked_at"


def _certificate(row: tuple[Any, ...]) -> CertificateRow:
    return CertificateRow(int(row[0]), *row[1:])


def add_certificate(conn: psycopg.Connection, device_id: str, serial: int, not_after: datetime) -> None:
    conn.execute(
        "INSERT INTO device_certificates (serial, device_id, not_after) VALUES (%s, %s, %s)",
        (serial, device_id, not_after),
    )


def get_certificate(conn: psycopg.Connection, serial: int) -> CertificateRow | None:
    row = conn.execute(f"SELECT {_CERT_COLUMNS} FROM device_certificates WHERE serial = %s", (serial,)).fetchone()
    return _certificate(row) if row else None


def list_certificates(conn: psycopg.Connection, device_id: str | None = None) -> list[CertificateRow]:
    """Every certificate issued (to one device, or to all), by device then newest first."""
    rows = conn.execute(
        f"SELECT {_CERT_COLUMNS} FROM device_certificates WHERE %(d)s::text IS NULL OR device_id = %(d)s"
        " ORDER BY device_id, not_after DESC",
        {"d": device_id},
    ).fetchall()
    return [_certificate(r) for r in rows]


def revoke_certificates(conn: psycopg.Connection, device_id: str) -> list[int]:
    """Mark every certificate of the device revoked; returns the serials revoked now (not before)."""
    rows = conn.execute(
        "UPDATE device_certificates SET revoked_at = now() WHERE device_id = %s AND revoked_at IS NULL"
        " RETURNING serial",
        (device_id,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def revoked_serials(conn: psycopg.Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute("SELECT serial FROM device_certificates WHERE revoked_at IS NOT NULL")}


def revoke_credentials(conn: psycopg.Connection, device_id: str) -> bool:
    """Stop the device's broker password from working (embedded broker); False when it had none live."""
    return (
        conn.execute(
            "UPDATE device_credentials SET revoked_at = now() WHERE device_id = %s AND revoked_at IS NULL",
            (device_id,),
        ).rowcount
        > 0
    )
