"""The reports domain as the API, the pages and the CLI ask for it (báo cáo, xuất báo cáo).

Every method checks the rule book first (hub.reports.access), whoever calls: a unit's reports and
their exports need `reports.view_unit` on the unit (its subtree), the device reports
`reports.view_devices` and cover the devices of the caller's offices only. The computing is in
`hub.reports.compute`; an export is rendered after the connection is given back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts.principal import Principal
from hub.devices import service as devices_service
from hub.people.service import unit_target
from hub.reports import access, compute
from hub.reports import documents as report_documents
from hub.reports.documents import ExportFile, ExportFormat
from hub.reports.export import render
from hub.reports.models import (
    AbsenceReport,
    Dashboard,
    DayPresence,
    DeviceUptimeReport,
    LatenessReport,
    OfflineDevice,
)
from hub.timekeeping import service as timekeeping
from hub.timekeeping.days import DayResultsCache


class ReportsService:
    """Unit reports over the unit's whole subtree, device reports over the caller's offices."""

    def __init__(self, pool: ConnectionPool, now: Callable[[], datetime], cache: DayResultsCache) -> None:
        self.pool, self.now, self.cache = pool, now, cache

    def _unit(self, conn: psycopg.Connection, principal: Principal, unit_code: str) -> None:
        """reports.view_unit on the unit; UnknownUnit (404) or AccessDenied (403)."""
        gate.check(principal, access.VIEW_UNIT, unit_target(conn, unit_code))

    def check_unit(self, principal: Principal, unit_code: str) -> None:
        """reports.view_unit on the unit, alone: for a caller that refuses before it reads the rest of
        a request (every report method checks it again)."""
        with self.pool.connection() as conn:
            self._unit(conn, principal, unit_code)

    def _sites(self, conn: psycopg.Connection, principal: Principal) -> list[str] | None:
        """The offices whose devices the principal's device-report roles reach (None: every one)."""
        roles = access.VIEW_DEVICES.roles or ()
        return devices_service.device_scope(conn, principal, roles).site_list()

    def dashboard(self, principal: Principal, unit_code: str, *, site: str | None = None) -> Dashboard:
        """Today's presence of the unit (as of now), late arrivals today, devices offline now (the
        devices of the principal's offices: none for a caller without a device-report role there)."""
        with self.pool.connection() as conn:
            self._unit(conn, principal, unit_code)
            sites = self._sites(conn, principal)
            return compute.dashboard(conn, unit_code, self.now(), site, cache=self.cache, sites=sites)

    def day_presence(self, principal: Principal, unit_code: str, day: date | None = None) -> DayPresence:
        """Present / late / absent / on leave / on a trip / not yet, per person and sub-unit; default today."""
        now = self.now()
        with self.pool.connection() as conn:
            self._unit(conn, principal, unit_code)
            return compute.day_presence(conn, unit_code, day or compute.today(now), now, cache=self.cache)

    def lateness(
        self, principal: Principal, unit_code: str, first: date, last: date, limit: int | None = None
    ) -> LatenessReport:
        """Who was late how often / how many minutes in [first, last]; UnknownUnit, InvalidPeriod, AccessDenied."""
        with self.pool.connection() as conn:
            self._unit(conn, principal, unit_code)
            return compute.lateness(conn, unit_code, first, last, self.now(), limit, cache=self.cache)

    def absences(self, principal: Principal, unit_code: str, first: date, last: date) -> AbsenceReport:
        """Absences without leave, leave, trips, missing punches in [first, last]."""
        with self.pool.connection() as conn:
            self._unit(conn, principal, unit_code)
            return compute.absences(conn, unit_code, first, last, self.now(), cache=self.cache)

    def device_uptime(
        self, principal: Principal, start: datetime, end: datetime, *, site: str | None = None
    ) -> DeviceUptimeReport:
        """Share of time online per device of the principal's offices over [start, end) (aware datetimes)."""
        gate.check(principal, access.VIEW_DEVICES)
        with self.pool.connection() as conn:
            sites = self._sites(conn, principal)
            return compute.device_uptime(conn, start, end, self.now(), site, sites=sites)

    def offline_devices(self, principal: Principal, *, site: str | None = None) -> list[OfflineDevice]:
        """The principal's offices' devices offline now, longest offline first."""
        gate.check(principal, access.VIEW_DEVICES)
        with self.pool.connection() as conn:
            return compute.offline_devices(conn, site, sites=self._sites(conn, principal))

    # --- exports (.xlsx / .pdf), rendered after the connection is returned ----------------------

    def export_timesheet(
        self, principal: Principal, unit_code: str, year: int, month: int, fmt: ExportFormat
    ) -> ExportFile:
        """The monthly sheet HR signs (bảng chấm công), with legend and signature block."""
        now = self.now()
        with self.pool.connection() as conn:
            self._unit(conn, principal, unit_code)
            sheet = timekeeping.unit_timesheet(conn, unit_code, year, month, now=now, cache=self.cache)
        return render(report_documents.timesheet_document(sheet, now), fmt)

    def export_lateness(
        self, principal: Principal, unit_code: str, first: date, last: date, fmt: ExportFormat
    ) -> ExportFile:
        report = self.lateness(principal, unit_code, first, last)
        return render(report_documents.lateness_document(report, self.now()), fmt)

    def export_absences(
        self, principal: Principal, unit_code: str, first: date, last: date, fmt: ExportFormat
    ) -> ExportFile:
        report = self.absences(principal, unit_code, first, last)
        return render(report_documents.absence_document(report, self.now()), fmt)

    def export_presence(self, principal: Principal, unit_code: str, day: date | None, fmt: ExportFormat) -> ExportFile:
        report = self.day_presence(principal, unit_code, day)
        return render(report_documents.presence_document(report, self.now()), fmt)

    def export_device_uptime(
        self, principal: Principal, start: datetime, end: datetime, fmt: ExportFormat, *, site: str | None = None
    ) -> ExportFile:
        report = self.device_uptime(principal, start, end, site=site)
        return render(report_documents.uptime_document(report, self.now()), fmt)

    def export_offline_devices(self, principal: Principal, fmt: ExportFormat, *, site: str | None = None) -> ExportFile:
        offline = self.offline_devices(principal, site=site)
        return render(report_documents.offline_devices_document(offline, self.now()), fmt)
