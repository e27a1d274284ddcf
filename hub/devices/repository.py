"""SQL of the device registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg


class DeviceExists(ValueError):
    """The device id is already registered; provisioning it again needs `--rotate`."""


@dataclass(frozen=True)
class Device:
    device_id: str
    kind: str
    site: str | None
    room: str | None
    online: bool
    last_seen: datetime | None


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
) -> None:
    """Register a device with fresh credentials, in one transaction.

    Refuses an existing device unless `rotate`, which replaces its credentials (the old
    password stops working at its next connection).
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
            "INSERT INTO device_credentials (device_id, username, password_hash) VALUES (%s, %s, %s)"
            " ON CONFLICT (device_id) DO UPDATE SET username = EXCLUDED.username,"
            " password_hash = EXCLUDED.password_hash, created_at = now(), revoked_at = NULL",
            (device_id, username, password_hash),
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


def registered_among(conn: psycopg.Connection, device_ids: list[str]) -> set[str]:
    """Which of these device ids are registered."""
    rows = conn.execute("SELECT device_id FROM devices WHERE device_id = ANY(%s)", (device_ids,))
    return {row[0] for row in rows}


def list_devices(conn: psycopg.Connection) -> list[Device]:
    rows = conn.execute(
        "SELECT device_id, kind, site, room, online, last_seen FROM devices ORDER BY device_id"
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
