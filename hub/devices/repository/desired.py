"""Each device's desired configuration (published retained to it) and where its values come from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

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
