"""The device registry's records and what an admin may change in it, validated before anything is written.

Kinds are the ones `cces provision` issues; door direction is the one the `devices` table allows
("in", "out", or none when one terminal serves both ways — the timekeeping engine then takes the
first and last event of the day). Site and room are free labels, trimmed; an empty one clears it.

The records live here, not in the repository, so the UI can show them without importing SQL modules.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.domain import NotFound
from hub.inputs import ShortText


class DeviceKind(StrEnum):
    GENERIC = "generic"
    FACEID = "faceid"  # door terminal
    RFID = "rfid"  # reader or door portal
    DISPLAY = "display"  # meeting-room display


class DoorDirection(StrEnum):
    IN = "in"
    OUT = "out"


class DeviceChanges(BaseModel):
    """A partial update: only the fields present change; `null` clears site, room or direction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DeviceKind | None = None
    site: ShortText | None = Field(default=None, max_length=128)
    room: ShortText | None = Field(default=None, max_length=128)
    direction: DoorDirection | None = None

    @field_validator("site", "room")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None

    @model_validator(mode="after")
    def _says_something(self) -> DeviceChanges:
        if not self.model_fields_set:
            raise ValueError("nothing to change: give at least one of kind, site, room, direction")
        if "kind" in self.model_fields_set and self.kind is None:
            raise ValueError("kind cannot be cleared; use 'generic'")
        return self

    def columns(self) -> dict[str, str | None]:
        """The registry columns to set, as stored (enum values as text)."""
        values = {name: getattr(self, name) for name in self.model_fields_set}
        return {name: v.value if isinstance(v, StrEnum) else v for name, v in values.items()}


# --- records as the registry reads them -------------------------------------------------------


@dataclass(frozen=True)
class Device:
    """A registry row as the start page lists it."""

    device_id: str
    kind: str
    site: str | None
    room: str | None
    online: bool
    last_seen: datetime | None


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """A registry row with its liveness: `online`/`status_at` from the retained status or Last Will,
    `last_seen` the hub's clock when it last heard anything from the device."""

    device_id: str
    kind: str
    site: str | None
    room: str | None
    direction: str | None
    online: bool
    status_at: datetime | None
    last_seen: datetime | None
    software_version: str | None
    created_at: datetime
    model_pack: str | None


@dataclass(frozen=True, slots=True)
class TelemetryPoint:
    """One heartbeat: `ts` is the device's clock, `received_at` the hub's."""

    ts: datetime
    uptime_s: float
    software_version: str
    outbox_pending: int
    outbox_bytes: int
    telemetry_dropped: int
    metrics: dict[str, Any]
    received_at: datetime


# --- who reaches which devices (thiết bị theo đơn vị) -------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceScope:
    """The devices a caller reaches, by office (site): `sites` None is every device (system admin);
    otherwise only the devices whose site is one of `sites` — the offices `site_units` maps to a unit
    inside the caller's grants. A device with no site, or at an unmapped office, is in no such scope."""

    sites: frozenset[str] | None

    @classmethod
    def of(cls, sites: Collection[str] | None) -> DeviceScope:
        return cls(None if sites is None else frozenset(sites))

    @property
    def everything(self) -> bool:
        return self.sites is None

    def covers(self, site: str | None) -> bool:
        """A device at `site` (None: no site) is within the scope."""
        return self.sites is None or (site is not None and site in self.sites)

    def site_list(self) -> list[str] | None:
        """The sites as a sorted list for a SQL `= ANY(...)` filter; None: no filter."""
        return None if self.sites is None else sorted(self.sites)


#: a system admin's scope, and the tools' (CLI, bench) that act for the whole hub
ALL_DEVICES = DeviceScope(None)


class UnknownDevice(NotFound):
    """No device has this id (HTTP 404)."""
