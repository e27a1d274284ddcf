"""Registering devices and their broker credentials; status, last seen and model packs as the ingest
and the broker report them."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from hub.devices.models import Device
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
