"""REST for reports (báo cáo) and the leaders' dashboard: JSON by default, `?format=xlsx|pdf` downloads.

Unit reports cover the unit's subtree and need manager, HR or office admin on that unit or above
(system admin: every unit). Device reports are not tied to units: anyone who may see reports.
Each route names its action (hub.reports.access); the service (hub.reports.service.ReportsService)
checks it on the unit, as it does for the pages.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.api.records import RecordOut
from hub.inputs import AwareWorkDateTime, Code, Month, ShortText, WorkDate, month_bounds
from hub.reports import access as reports_access
from hub.reports.compute import month_period
from hub.reports.documents import ExportFile, ExportFormat
from hub.reports.models import (
    InvalidPeriod,
    UnitPresence,
)
from hub.services import HubServices

#: who may read a unit's reports (on that unit or above); system admin everything
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class OutputFormat(StrEnum):
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"


FormatQuery = Annotated[OutputFormat, Query(alias="format", description="json, or a download: xlsx / pdf")]


class CountsOut(RecordOut):
    total: int
    present: int
    late: int
    absent: int
    on_leave: int
    business_trip: int
    not_yet: int
    day_off: int


class PersonPresenceOut(RecordOut):
    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    position: str | None
    status: str
    first_in: datetime | None
    late_minutes: int
    absence_code: str | None


class UnitPresenceOut(BaseModel):
    unit_code: str
    unit_name: str
    direct_only: bool
    counts: CountsOut

    @classmethod
    def of(cls, u: UnitPresence) -> UnitPresenceOut:
        counts = CountsOut.of(u.counts)
        return cls(unit_code=u.unit_code, unit_name=u.unit_name, direct_only=u.direct_only, counts=counts)


class PresenceOut(BaseModel):
    unit_code: str
    unit_name: str
    day: date
    as_of: datetime
    day_kind: str
    day_name: str | None
    counts: CountsOut
    by_unit: list[UnitPresenceOut]
    people: list[PersonPresenceOut]


class OfflineDeviceOut(RecordOut):
    device_id: str
    kind: str
    site: str | None
    room: str | None
    since: datetime | None
    last_seen: datetime | None


class DashboardOut(BaseModel):
    presence: PresenceOut
    late_arrivals: list[PersonPresenceOut]
    offline_devices: list[OfflineDeviceOut]
    devices_total: int
    devices_online: int


class LatenessRowOut(RecordOut):
    rank: int
    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    late_count: int
    late_minutes: int
    early_leave_count: int
    early_leave_minutes: int
    late_days: list[date]


class LatenessOut(BaseModel):
    unit_code: str
    unit_name: str
    first: date
    last: date
    staff_count: int
    rows: list[LatenessRowOut]


class AbsenceRowOut(RecordOut):
    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    absent_days: float
    leave_days: float
    trip_days: float
    missing_punch_days: int
    absent_dates: list[date]


class AbsencesOut(BaseModel):
    unit_code: str
    unit_name: str
    first: date
    last: date
    working_days: int
    staff_count: int
    rows: list[AbsenceRowOut]


class DeviceUptimeOut(RecordOut):
    device_id: str
    kind: str
    site: str | None
    room: str | None
    online_now: bool
    uptime: float | None
    online_seconds: float
    known_seconds: float
    changes: int
    last_change: datetime | None


class UptimeOut(BaseModel):
    start: datetime
    end: datetime
    rows: list[DeviceUptimeOut]


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def _download(exported: ExportFile) -> Response:
    disposition = f"attachment; filename=\"{exported.filename}\"; filename*=UTF-8''{quote(exported.filename)}"
    return Response(exported.content, media_type=exported.media_type, headers={"Content-Disposition": disposition})


def _presence_out(p) -> PresenceOut:  # type: ignore[no-untyped-def]
    return PresenceOut(
        unit_code=p.unit.code,
        unit_name=p.unit.name,
        day=p.day,
        as_of=p.as_of,
        day_kind=p.day_kind.value,
        day_name=p.day_name,
        counts=CountsOut.of(p.counts),
        by_unit=[UnitPresenceOut.of(u) for u in p.by_unit],
        people=[PersonPresenceOut.of(x) for x in p.people],
    )


def _range(first: date | None, last: date | None, period: str | None) -> tuple[date, date]:
    """`from`/`to`, or a month `period` (yyyy-mm, already checked by its type `Month`)."""
    if period is not None:
        if first is not None or last is not None:
            raise InvalidPeriod("give either 'period' (yyyy-mm) or 'from' and 'to', not both")
        return month_period(*month_bounds(period))
    if first is None or last is None:
        raise InvalidPeriod("give 'from' and 'to' (yyyy-mm-dd), or 'period' (yyyy-mm)")
    return first, last


FromQuery = Annotated[WorkDate | None, Query(alias="from", description="first day, yyyy-mm-dd")]
ToQuery = Annotated[WorkDate | None, Query(alias="to", description="last day (inclusive), yyyy-mm-dd")]
PeriodQuery = Annotated[Month | None, Query(description="a month instead of from/to: yyyy-mm")]
UnitCode = Annotated[Code, Path(description="an org unit's code: the report covers its subtree")]
SiteQuery = Annotated[ShortText | None, Query(max_length=128, description="office / site, exact")]


def reports_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

    @router.get("/dashboard/{unit_code}", openapi_extra=reports_access.VIEW_UNIT.route(), response_model=DashboardOut)
    def dashboard(request: Request, unit_code: UnitCode, principal: CurrentPrincipal) -> DashboardOut:
        """Today's presence of the unit's subtree, late arrivals today, devices offline now."""
        board = _services(request).reports.dashboard(principal, unit_code)  # devices: of the caller's offices
        return DashboardOut(
            presence=_presence_out(board.presence),
            late_arrivals=[PersonPresenceOut.of(p) for p in board.late_arrivals],
            offline_devices=[OfflineDeviceOut.of(d) for d in board.offline_devices],
            devices_total=board.devices_total,
            devices_online=board.devices_online,
        )

    @router.get("/presence/{unit_code}", openapi_extra=reports_access.VIEW_UNIT.route(), response_model=PresenceOut)
    def presence(
        request: Request,
        unit_code: UnitCode,
        principal: CurrentPrincipal,
        day: Annotated[WorkDate | None, Query(description="default: today (Asia/Ho_Chi_Minh)")] = None,
        fmt: FormatQuery = OutputFormat.JSON,
    ) -> PresenceOut | Response:
        """Who is present, late, absent, on leave, on a trip or not yet in (per person and sub-unit)."""
        reports = _services(request).reports  # checks reports.view_unit on the unit
        if fmt is not OutputFormat.JSON:
            return _download(reports.export_presence(principal, unit_code, day, ExportFormat(fmt.value)))
        return _presence_out(reports.day_presence(principal, unit_code, day))

    @router.get("/lateness/{unit_code}", openapi_extra=reports_access.VIEW_UNIT.route(), response_model=LatenessOut)
    def lateness(
        request: Request,
        unit_code: UnitCode,
        principal: CurrentPrincipal,
        first: FromQuery = None,
        last: ToQuery = None,
        period: PeriodQuery = None,
        limit: Annotated[int | None, Query(ge=1, le=20_000)] = None,
        fmt: FormatQuery = OutputFormat.JSON,
    ) -> LatenessOut | Response:
        """Lateness ranking (xếp hạng đi muộn): most often late first, with minutes and days."""
        reports = _services(request).reports
        reports.check_unit(principal, unit_code)  # 403 before a missing period's 422, as the pages answer
        first, last = _range(first, last, period)
        if fmt is not OutputFormat.JSON:
            return _download(reports.export_lateness(principal, unit_code, first, last, ExportFormat(fmt.value)))
        report = reports.lateness(principal, unit_code, first, last, limit)
        return LatenessOut(
            unit_code=report.unit.code,
            unit_name=report.unit.name,
            first=report.first,
            last=report.last,
            staff_count=report.staff_count,
            rows=[LatenessRowOut.of(r) for r in report.rows],
        )

    @router.get("/absences/{unit_code}", openapi_extra=reports_access.VIEW_UNIT.route(), response_model=AbsencesOut)
    def absences(
        request: Request,
        unit_code: UnitCode,
        principal: CurrentPrincipal,
        first: FromQuery = None,
        last: ToQuery = None,
        period: PeriodQuery = None,
        fmt: FormatQuery = OutputFormat.JSON,
    ) -> AbsencesOut | Response:
        """Absences without leave, leave, trips and missing punches per person (báo cáo vắng mặt)."""
        reports = _services(request).reports
        reports.check_unit(principal, unit_code)  # 403 before a missing period's 422, as the pages answer
        first, last = _range(first, last, period)
        if fmt is not OutputFormat.JSON:
            return _download(reports.export_absences(principal, unit_code, first, last, ExportFormat(fmt.value)))
        report = reports.absences(principal, unit_code, first, last)
        return AbsencesOut(
            unit_code=report.unit.code,
            unit_name=report.unit.name,
            first=report.first,
            last=report.last,
            working_days=report.working_days,
            staff_count=report.staff_count,
            rows=[AbsenceRowOut.of(r) for r in report.rows],
        )

    @router.get(
        "/timesheets/{unit_code}/{period}/export",
        openapi_extra=reports_access.VIEW_UNIT.route(),
    )
    def timesheet_export(
        request: Request,
        unit_code: UnitCode,
        period: Annotated[Month, Path(description="yyyy-mm")],
        principal: CurrentPrincipal,
        fmt: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.XLSX,
    ) -> Response:
        """The monthly sheet HR signs (bảng chấm công) as .xlsx or .pdf (the JSON is GET /timesheets/…)."""
        reports = _services(request).reports
        reports.check_unit(principal, unit_code)  # 403 before a bad period's 422, as the pages answer
        first, _ = _range(None, None, period)
        return _download(reports.export_timesheet(principal, unit_code, first.year, first.month, fmt))

    @router.get("/devices/uptime", openapi_extra=reports_access.VIEW_DEVICES.route(), response_model=UptimeOut)
    def device_uptime(
        request: Request,
        principal: CurrentPrincipal,
        start: Annotated[AwareWorkDateTime, Query(alias="from", description="ISO 8601 with offset")],
        end: Annotated[AwareWorkDateTime, Query(alias="to", description="ISO 8601 with offset")],
        site: SiteQuery = None,
        fmt: FormatQuery = OutputFormat.JSON,
    ) -> UptimeOut | Response:
        """Share of time online per device of the caller's offices over [from, to) (from the status history)."""
        reports = _services(request).reports  # checks reports.view_devices; the caller's offices' devices
        if fmt is not OutputFormat.JSON:
            return _download(reports.export_device_uptime(principal, start, end, ExportFormat(fmt.value), site=site))
        report = reports.device_uptime(principal, start, end, site=site)
        return UptimeOut(start=report.start, end=report.end, rows=[DeviceUptimeOut.of(r) for r in report.rows])

    @router.get(
        "/devices/offline", openapi_extra=reports_access.VIEW_DEVICES.route(), response_model=list[OfflineDeviceOut]
    )
    def devices_offline(
        request: Request, principal: CurrentPrincipal, site: SiteQuery = None, fmt: FormatQuery = OutputFormat.JSON
    ) -> list[OfflineDeviceOut] | Response:
        """The caller's offices' devices offline now, longest offline first."""
        reports = _services(request).reports  # checks reports.view_devices; the caller's offices' devices
        if fmt is not OutputFormat.JSON:
            return _download(reports.export_offline_devices(principal, ExportFormat(fmt.value), site=site))
        return [OfflineDeviceOut.of(d) for d in reports.offline_devices(principal, site=site)]

    return router
