"""The device registry as the API and the UI use it: look-ups that raise on unknown ids, a
validated edit, telemetry history read only within a bounded time span, and who reaches which device.

`DevicesService` is what the API, the pages and the commands call: every method checks its action
(hub.devices.access: devices.view / change / command / enrollment_token) with `gate.check` against
the device's office, whoever calls. The functions below are its parts (and other domains' look-ups).

Devices are scoped to org units through their office (thiết bị theo đơn vị): a device's `site` is
mapped by `site_units` to unit subtrees, and a role granted on a unit reaches the devices of every
office mapped to a unit inside that unit's subtree. A system admin reaches every device; a device
with no site, or at an unmapped office, only the system admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Action, Target, gate
from hub.accounts import access, audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role
from hub.commands import service as commands_service
from hub.commands.repository import CommandRecord
from hub.devices import access as actions
from hub.devices import enrollment, repository
from hub.devices.models import (
    ALL_DEVICES,
    Device,
    DeviceChanges,
    DeviceRecord,
    DeviceScope,
    TelemetryPoint,
    UnknownDevice,
)
from hub.domain import Invalid

if TYPE_CHECKING:
    from hub.devices.config import ConfigState, DesiredConfigChanges, DeviceConfigService

#: the longest telemetry span one request may read: a bounded number of monthly partitions
MAX_TELEMETRY_SPAN = timedelta(days=92)
#: the span read when the caller gives no `from`
DEFAULT_TELEMETRY_SPAN = timedelta(hours=24)


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


class DevicesService:
    """The device registry, its commands and desired configs as the API, the pages and the CLI ask for them.

    Each method checks its action on the device's office (hub.devices.access) first, whoever calls; a
    refusal reads and writes nothing. `publisher` gives the MQTT channel commands go out on (None: this
    process sends none); `configs` this process's device config service (raises a 503 error when it runs
    no biometrics), asked only after the access check."""

    def __init__(
        self,
        pool: ConnectionPool,
        clock: Callable[[], datetime],
        publisher: Callable[[], commands_service.CommandPublisher | None],
        configs: Callable[[], DeviceConfigService],
    ) -> None:
        self.pool, self.clock, self.publisher, self.configs = pool, clock, publisher, configs

    def _require(self, conn: psycopg.Connection, principal: Principal, action: Action, device_id: str) -> DeviceRecord:
        """The device (UnknownDevice), when `action` is allowed on its office (AccessDenied)."""
        device = repository.get_device(conn, device_id)
        if device is None:
            raise UnknownDevice(f"no device has the id {device_id!r}")
        self._check_site(conn, principal, action, device.site)
        return device

    def _check_site(self, conn: psycopg.Connection, principal: Principal, action: Action, site: str | None) -> None:
        scope = device_scope(conn, principal, action.roles or ())
        gate.check(principal, action, Target.office(site, scope.sites or frozenset()))

    # -- the registry --------------------------------------------------------------------------------

    def scope(self, principal: Principal, roles: tuple[Role, ...] = access.DEVICE_ADMINS) -> DeviceScope:
        """The offices whose devices the principal reaches with `roles` (`sites` None: every device): the
        reach itself, no action (an empty scope for someone without those roles)."""
        with self.pool.connection() as conn:
            return device_scope(conn, principal, roles)

    def list_devices(self, principal: Principal) -> list[Device]:
        """Every device the principal may see (devices.view), by id — the start page's list; empty for
        someone who may see none."""
        if not gate.allows(principal, actions.VIEW):
            return []
        with self.pool.connection() as conn:
            scope = device_scope(conn, principal, access.DEVICE_ADMINS)
            return repository.list_devices(conn, scope.site_list())

    def find(
        self,
        principal: Principal,
        *,
        kind: str | None = None,
        site: str | None = None,
        online: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[DeviceRecord]]:
        """(total, one page by device id) of the devices of the principal's offices — the fleet (devices.view)."""
        gate.check(principal, actions.VIEW)
        with self.pool.connection() as conn:
            scope = device_scope(conn, principal, access.DEVICE_ADMINS)
            return repository.find_devices(
                conn, kind=kind, site=site, online=online, limit=limit, offset=offset, sites=scope.site_list()
            )

    def sites(self, principal: Principal) -> list[str] | None:
        """The offices the principal may place or enroll devices at (None: any, for a system admin)."""
        gate.check(principal, actions.ENROLLMENT_TOKEN)
        return self.scope(principal).site_list()

    def detail(self, principal: Principal, device_id: str) -> DeviceDetail:
        """Registry fields, liveness and the last heartbeat's metrics; raises UnknownDevice, AccessDenied."""
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.VIEW, device_id)
            return device_detail(conn, device_id)

    def update(
        self, principal: Principal, device_id: str, changes: DeviceChanges, actor: Actor | None = None
    ) -> DeviceRecord:
        """An admin's edit of site, room, door direction or kind (audited); raises UnknownDevice, or
        AccessDenied for a device outside the principal's offices or a move to an office outside them."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._require(conn, principal, actions.CHANGE, device_id)
            columns = changes.columns()
            if "site" in columns and columns["site"] != found.site:  # devices.change on the new office too
                scope = device_scope(conn, principal, access.DEVICE_ADMINS)
                target = Target.office(columns["site"], scope.sites or frozenset())
                if not gate.allows_on(principal, actions.CHANGE, target):  # refused, in the words of a move
                    access.require_site(principal, columns["site"], target.visible_sites, access.DEVICE_ADMINS,
                                        "đặt thiết bị / place a device")  # fmt: skip
                    gate.check(principal, actions.CHANGE, target)
            after = update_device(conn, device_id, changes)
            editable = repository.EDITABLE_COLUMNS
            audit.record(
                conn, actor or Actor.of(principal), "device.update", "device", device_id,
                before={c: getattr(found, c) for c in editable},
                after={c: getattr(after, c) for c in editable},
            )  # fmt: skip
            return after

    def create_enrollment_token(
        self,
        principal: Principal,
        device_id: str,
        kind: str,
        site: str | None,
        room: str | None,
        actor: Actor,
        valid_for: timedelta,
    ) -> enrollment.EnrollmentToken:
        """A one-time token for a new device (its QR code), audited without the token; raises ValueError, or
        AccessDenied for an office outside the principal's — or the device's current one, when the id is
        registered elsewhere (redeeming would take it from another unit). Nothing stored then."""
        with self.pool.connection() as conn, conn.transaction():
            self._check_site(conn, principal, actions.ENROLLMENT_TOKEN, site)
            existing = repository.get_device(conn, device_id)
            if existing is not None and existing.site != site:  # redeeming would take it from its office
                scope = device_scope(conn, principal, access.DEVICE_ADMINS)
                target = Target.office(existing.site, scope.sites or frozenset())
                if not gate.allows_on(principal, actions.ENROLLMENT_TOKEN, target):  # in a re-enrolment's words
                    access.require_site(principal, existing.site, target.visible_sites, access.DEVICE_ADMINS,
                                        f"đăng ký lại {device_id} / re-enroll {device_id}")  # fmt: skip
                    gate.check(principal, actions.ENROLLMENT_TOKEN, target)
            token = enrollment.create_token(conn, device_id, kind, site, room, actor.username, valid_for)
            audit.record(
                conn, actor, "device.enrollment_token", "device", device_id,
                after={"kind": kind, "site": site, "room": room, "expires_at": token.expires_at},
            )  # fmt: skip
            return token

    def telemetry(
        self,
        principal: Principal,
        device_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 1000,
    ) -> tuple[datetime, datetime, list[TelemetryPoint]]:
        """(from, to, heartbeats newest first) over a bounded span (default: the last 24 hours).

        Raises InvalidTelemetryRange, UnknownDevice or AccessDenied."""
        start, end = telemetry_range(start, end, self.clock())
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.VIEW, device_id)
            return start, end, telemetry(conn, device_id, start, end, limit)

    # -- commands (lệnh thiết bị) ---------------------------------------------------------------------

    def send_command(
        self, principal: Principal, device_id: str, name: str, args: dict[str, Any], ttl_s: int
    ) -> CommandRecord:
        """Store and publish a command as the principal (devices.command; QoS 1, message expiry); raises
        AccessDenied, InvalidCommand, UnknownDevice or CommandsUnavailable (no broker: nothing stored)."""
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.COMMAND, device_id)
        return commands_service.send_command(self.pool, self.publisher(), device_id, name, args, ttl_s,
                                             principal.username)  # fmt: skip

    def commands(
        self, principal: Principal, device_id: str, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[CommandRecord]]:
        """(total, one page newest first) of a device's commands and replies; raises UnknownDevice, AccessDenied."""
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.VIEW, device_id)
            return commands_service.device_commands(conn, device_id, limit, offset)

    def command(self, principal: Principal, device_id: str, command_id: UUID) -> CommandRecord:
        """One command and its reply; raises UnknownDevice, AccessDenied or UnknownCommand."""
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.VIEW, device_id)
            return commands_service.command(conn, device_id, command_id)

    # -- desired config (cấu hình) ----------------------------------------------------------------------

    def config_state(self, principal: Principal, device_id: str) -> ConfigState:
        """Desired config (and its version) next to the version the device reports running; raises
        UnknownDevice, AccessDenied (checked before asking for the biometrics: 403 wherever it runs)."""
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.VIEW, device_id)
        return self.configs().state(device_id)

    def update_config(
        self, principal: Principal, device_id: str, changes: DesiredConfigChanges, actor: Actor
    ) -> ConfigState:
        """Store an admin's change of a device's desired config and publish it (devices.change); raises
        UnknownDevice, or AccessDenied for a device outside the principal's offices (nothing stored or published)."""
        with self.pool.connection() as conn:
            self._require(conn, principal, actions.CHANGE, device_id)
        configs = self.configs()
        configs.update(device_id, changes, actor)
        return configs.state(device_id)
