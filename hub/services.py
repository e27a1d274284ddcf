"""What the API and the UI may ask of the hub: one object over the pool and running parts.

The UI never writes SQL; it calls these methods, which call each domain's repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from hub.commands import service as commands_service
from hub.commands.repository import CommandRecord
from hub.devices import repository as devices_repo
from hub.devices import service as devices_service
from hub.devices.models import DeviceChanges
from hub.ingest import repository as ingest_repo
from hub.ingest.consumer import IngestService
from hub.people import importing
from hub.people import service as people
from hub.people.models import Employee, OrgUnit, OrgUnitNode
from hub.reports import service as reports
from hub.reports.models import (
    AbsenceReport,
    Dashboard,
    DayPresence,
    DeviceUptimeReport,
    LatenessReport,
    OfflineDevice,
)
from hub.timekeeping import service as timekeeping
from hub.timekeeping.calendar import CalendarAdjustments
from hub.timekeeping.engine import DayStatus
from hub.timekeeping.repository import StoredCorrection

VERSION_UNKNOWN = "0.0.0"


def cces_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cces")
    except PackageNotFoundError:
        return VERSION_UNKNOWN


@dataclass
class HealthReport:
    database: str
    mqtt: str
    version: str

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.mqtt in ("ok", "n/a")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "degraded",
            "database": self.database,
            "mqtt": self.mqtt,
            "version": self.version,
        }


class HubServices:
    def __init__(
        self,
        pool: ConnectionPool,
        ingest: IngestService | None,
        commands: commands_service.CommandPublisher | None = None,
    ) -> None:
        self.pool = pool
        self.ingest = ingest
        self.commands = commands  # the MQTT channel commands go out on (None: this node cannot send any)

    def health(self) -> HealthReport:
        try:
            with self.pool.connection(timeout=2.0) as conn:
                conn.execute("SELECT 1")
            database = "ok"
        except Exception as exc:  # any failure means down; the reason is reported, not raised
            database = f"down: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        if self.ingest is None:
            mqtt = "n/a"  # an API-only node does not consume MQTT
        else:
            mqtt = "ok" if self.ingest.connected else "down: not connected to the broker"
        return HealthReport(database=database, mqtt=mqtt, version=cces_version())

    def ingest_stats(self) -> dict[str, int]:
        with self.pool.connection() as conn:
            return ingest_repo.ingest_stats(conn)

    def recent_rejects(self, limit: int, offset: int) -> list[ingest_repo.RejectRow]:
        with self.pool.connection() as conn:
            return ingest_repo.recent_rejects(conn, limit, offset)

    def devices(self) -> list[devices_repo.Device]:
        with self.pool.connection() as conn:
            return devices_repo.list_devices(conn)

    # --- device registry (thiết bị) ---------------------------------------------------------

    def find_devices(
        self,
        *,
        kind: str | None = None,
        site: str | None = None,
        online: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[devices_repo.DeviceRecord]]:
        """(total, one page by device id) — the devices list of the admin UI."""
        with self.pool.connection() as conn:
            return devices_repo.find_devices(conn, kind=kind, site=site, online=online, limit=limit, offset=offset)

    def device_detail(self, device_id: str) -> devices_service.DeviceDetail:
        """Registry fields, liveness and the last heartbeat's metrics; raises UnknownDevice."""
        with self.pool.connection() as conn:
            return devices_service.device_detail(conn, device_id)

    def update_device(self, device_id: str, changes: DeviceChanges) -> devices_repo.DeviceRecord:
        """An admin's edit of site, room, door direction or kind; raises UnknownDevice."""
        with self.pool.connection() as conn:
            return devices_service.update_device(conn, device_id, changes)

    def device_telemetry(
        self, device_id: str, start: datetime | None = None, end: datetime | None = None, limit: int = 1000
    ) -> tuple[datetime, datetime, list[devices_repo.TelemetryPoint]]:
        """(from, to, heartbeats newest first) over a bounded span (default: the last 24 hours).

        Raises InvalidTelemetryRange or UnknownDevice."""
        start, end = devices_service.telemetry_range(start, end, datetime.now(UTC))
        with self.pool.connection() as conn:
            return start, end, devices_service.telemetry(conn, device_id, start, end, limit)

    # --- device commands (lệnh thiết bị) ----------------------------------------------------

    def send_command(self, device_id: str, name: str, args: dict[str, Any], ttl_s: int, actor: str) -> CommandRecord:
        """Store and publish a command (QoS 1, message expiry); raises InvalidCommand, UnknownDevice
        or CommandsUnavailable (no broker connection: nothing stored)."""
        return commands_service.send_command(self.pool, self.commands, device_id, name, args, ttl_s, actor)

    def device_commands(self, device_id: str, limit: int = 50, offset: int = 0) -> tuple[int, list[CommandRecord]]:
        """(total, one page newest first) of a device's commands and their replies; raises UnknownDevice."""
        with self.pool.connection() as conn:
            return commands_service.device_commands(conn, device_id, limit, offset)

    def device_command(self, device_id: str, command_id: UUID) -> CommandRecord:
        """One command and its reply; raises UnknownDevice or UnknownCommand."""
        with self.pool.connection() as conn:
            if devices_repo.get_device(conn, device_id) is None:
                raise devices_service.UnknownDevice(f"no device has the id {device_id!r}")
            return commands_service.command(conn, device_id, command_id)

    # --- people and organisation (đơn vị, nhân viên) ---------------------------------------

    def org_tree(self, root_code: str | None = None) -> list[OrgUnitNode]:
        with self.pool.connection() as conn:
            return people.unit_tree(conn, root_code)

    def unit(self, unit_code: str) -> OrgUnit:
        """One unit by code, with the path role checks compare against; raises UnknownUnit."""
        with self.pool.connection() as conn:
            return people.require_unit(conn, unit_code)

    def employee(self, employee_code: str) -> Employee:
        """One employee by code (a page checks their unit before showing them); raises UnknownEmployee."""
        with self.pool.connection() as conn:
            return people.require_employee(conn, employee_code)

    def find_employees(
        self,
        *,
        query: str = "",
        unit_code: str | None = None,
        active_on: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[Employee]]:
        with self.pool.connection() as conn:
            return people.find_employees(
                conn, query=query, unit_code=unit_code, active_on=active_on, limit=limit, offset=offset
            )

    def import_employees(
        self, rows: Sequence[importing.SourceRow], *, all_or_nothing: bool = False, ignored_columns: Sequence[str] = ()
    ) -> importing.ImportReport:
        with self.pool.connection() as conn:
            return importing.import_employees(
                conn, rows, all_or_nothing=all_or_nothing, ignored_columns=ignored_columns
            )

    # --- timekeeping (chấm công) ------------------------------------------------------------

    def unit_timesheet(self, unit_code: str, year: int, month: int) -> timekeeping.UnitTimesheet:
        with self.pool.connection() as conn:
            return timekeeping.unit_timesheet(conn, unit_code, year, month, now=datetime.now(UTC))

    def person_month(self, employee_code: str, year: int, month: int) -> timekeeping.PersonMonth:
        with self.pool.connection() as conn:
            return timekeeping.person_month(conn, employee_code, year, month, now=datetime.now(UTC))

    def unit_day(self, unit_code: str, day: date) -> timekeeping.UnitDay:
        with self.pool.connection() as conn:
            return timekeeping.unit_day(conn, unit_code, day, now=datetime.now(UTC))

    def record_correction(
        self, employee_code: str, *, day: date, reason: str, author: str, status: DayStatus | None = None,
        **changes: Any,
    ) -> StoredCorrection:  # fmt: skip
        with self.pool.connection() as conn:
            return timekeeping.record_correction(
                conn, employee_code, day=day, reason=reason, author=author, status=status, **changes
            )

    def calendar_year(self, year: int) -> timekeeping.CalendarYear:
        with self.pool.connection() as conn:
            return timekeeping.calendar_year(conn, year)

    def save_calendar(self, adjustments: CalendarAdjustments, author: str) -> timekeeping.CalendarYear:
        with self.pool.connection() as conn:
            return timekeeping.save_calendar(conn, adjustments, author)

    # --- reports and the leaders' dashboard (báo cáo) ----------------------------------------
    # Unit reports cover the unit's whole subtree; the caller checks the principal may see the unit.

    def dashboard(self, unit_code: str, *, site: str | None = None) -> Dashboard:
        """Today's presence of the unit (as of now), late arrivals today, devices offline now."""
        with self.pool.connection() as conn:
            return reports.dashboard(conn, unit_code, datetime.now(UTC), site)

    def day_presence(self, unit_code: str, day: date | None = None) -> DayPresence:
        """Present / late / absent / on leave / on a trip / not yet, per person and per sub-unit; default today."""
        now = datetime.now(UTC)
        with self.pool.connection() as conn:
            return reports.day_presence(conn, unit_code, day or reports.today(now), now)

    def lateness_report(self, unit_code: str, first: date, last: date, limit: int | None = None) -> LatenessReport:
        """Who was late how often / how many minutes in [first, last]; raises UnknownUnit, InvalidPeriod."""
        with self.pool.connection() as conn:
            return reports.lateness(conn, unit_code, first, last, datetime.now(UTC), limit)

    def absence_report(self, unit_code: str, first: date, last: date) -> AbsenceReport:
        """Absences without leave, leave, trips, missing punches in [first, last]; raises UnknownUnit, InvalidPeriod."""
        with self.pool.connection() as conn:
            return reports.absences(conn, unit_code, first, last, datetime.now(UTC))

    def device_uptime_report(self, start: datetime, end: datetime, *, site: str | None = None) -> DeviceUptimeReport:
        """Share of time online per device over [start, end) (aware datetimes); raises InvalidPeriod."""
        with self.pool.connection() as conn:
            return reports.device_uptime(conn, start, end, datetime.now(UTC), site)

    def offline_devices(self, *, site: str | None = None) -> list[OfflineDevice]:
        """Devices offline now, longest offline first."""
        with self.pool.connection() as conn:
            return reports.offline_devices(conn, site)
