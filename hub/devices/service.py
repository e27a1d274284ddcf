"""The device registry as the API and the UI use it: look-ups that raise on unknown ids, a
validated edit, and telemetry history read only within a bounded time span."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from hub.devices import repository
from hub.devices.models import DeviceChanges
from hub.devices.repository import DeviceRecord, TelemetryPoint

#: the longest telemetry span one request may read: a bounded number of monthly partitions
MAX_TELEMETRY_SPAN = timedelta(days=92)
#: the span read when the caller gives no `from`
DEFAULT_TELEMETRY_SPAN = timedelta(hours=24)


class UnknownDevice(LookupError):
    """No device has this id (HTTP 404)."""


class InvalidTelemetryRange(ValueError):
    """The requested time span is empty, inverted, naive or too long (HTTP 422)."""


@dataclass(frozen=True, slots=True)
class DeviceDetail:
    device: DeviceRecord
    latest: TelemetryPoint | None  # the last heartbeat with its metrics, if any was ever received


def device_detail(conn: psycopg.Connection, device_id: str) -> DeviceDetail:
    device = repository.get_device(conn, device_id)
    if device is None:
        raise UnknownDevice(f"no device has the id {device_id!r}")
    return DeviceDetail(device, repository.latest_telemetry(conn, device_id))


def update_device(conn: psycopg.Connection, device_id: str, changes: DeviceChanges) -> DeviceRecord:
    """Apply a validated edit; raises UnknownDevice (nothing written then)."""
    updated = repository.update_device(conn, device_id, changes.columns())
    if updated is None:
        raise UnknownDevice(f"no device has the id {device_id!r}")
    return updated


def telemetry_range(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """Both bounds, defaulted (`to` = now, `from` = a day before `to`) and checked."""
    end = end or now
    start = start or end - DEFAULT_TELEMETRY_SPAN
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidTelemetryRange("'from' and 'to' need a time zone, e.g. 2026-11-23T08:00:00Z or +07:00")
    if start >= end:
        raise InvalidTelemetryRange(f"'from' ({start.isoformat()}) must be before 'to' ({end.isoformat()})")
    if end - start > MAX_TELEMETRY_SPAN:
        raise InvalidTelemetryRange(f"the span from 'from' to 'to' may be at most {MAX_TELEMETRY_SPAN.days} days")
    return start, end


def telemetry(
    conn: psycopg.Connection, device_id: str, start: datetime, end: datetime, limit: int
) -> list[TelemetryPoint]:
    """The device's heartbeats in [start, end), newest first; raises UnknownDevice."""
    if repository.get_device(conn, device_id) is None:
        raise UnknownDevice(f"no device has the id {device_id!r}")
    return repository.telemetry_between(conn, device_id, start, end, limit)
