"""The device registry as the API and the UI use it: look-ups that raise on unknown ids, a
validated edit, telemetry history read only within a bounded time span, and who reaches which device.

Devices are scoped to org units through their office (thiết bị theo đơn vị): a device's `site` is
mapped by `site_units` to unit subtrees, and a role granted on a unit reaches the devices of every
office mapped to a unit inside that unit's subtree. A system admin reaches every device; a device
with no site, or at an unmapped office, only the system admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from hub.accounts import access
from hub.accounts.principal import Principal, Role
from hub.devices import repository
from hub.devices.models import ALL_DEVICES, DeviceChanges, DeviceRecord, DeviceScope, TelemetryPoint
from hub.domain import Invalid, NotFound

#: the longest telemetry span one request may read: a bounded number of monthly partitions
MAX_TELEMETRY_SPAN = timedelta(days=92)
#: the span read when the caller gives no `from`
DEFAULT_TELEMETRY_SPAN = timedelta(hours=24)


class UnknownDevice(NotFound):
    """No device has this id (HTTP 404)."""


class InvalidTelemetryRange(Invalid):
    """The requested time span is empty, inverted, naive or too long (HTTP 422)."""


@dataclass(frozen=True, slots=True)
class DeviceDetail:
    device: DeviceRecord
    latest: TelemetryPoint | None  # the last heartbeat with its metrics, if any was ever received


def device_scope(conn: psycopg.Connection, principal: Principal, roles: tuple[Role, ...]) -> DeviceScope:
    """The offices whose devices `roles` of the principal reach (every device for a system admin)."""
    paths = access.scope(principal, roles)
    if paths is None:
        return ALL_DEVICES
    return DeviceScope.of(repository.sites_within(conn, paths))


def require_site(
    conn: psycopg.Connection, principal: Principal, site: str | None, roles: tuple[Role, ...], what: str
) -> DeviceScope:
    """The office `site` is within the principal's scope (AccessDenied otherwise); returns the scope."""
    scope = device_scope(conn, principal, roles)
    access.require_site(principal, site, scope.sites or frozenset(), roles, what)
    return scope


def require_device(
    conn: psycopg.Connection, principal: Principal, device_id: str, roles: tuple[Role, ...], what: str
) -> DeviceRecord:
    """The device, when it exists (UnknownDevice) and its office is within the principal's scope (AccessDenied)."""
    device = repository.get_device(conn, device_id)
    if device is None:
        raise UnknownDevice(f"no device has the id {device_id!r}")
    require_site(conn, principal, device.site, roles, what)
    return device


def require_enrollment(
    conn: psycopg.Connection, principal: Principal, device_id: str, site: str | None, roles: tuple[Role, ...]
) -> None:
    """An enrollment token would place `device_id` at `site`: that office must be the principal's, and so
    must the device's current one when the id is already registered (redeeming the token re-registers
    the device at the token's office, which would take it from another unit). AccessDenied otherwise."""
    scope = require_site(conn, principal, site, roles, "đăng ký thiết bị / enroll a device")
    existing = repository.get_device(conn, device_id)
    if existing is not None and not scope.covers(existing.site):
        access.require_site(
            principal, existing.site, scope.sites or frozenset(), roles, f"đăng ký lại / re-enroll {device_id}"
        )


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
