"""REST for timekeeping (chấm công): a person's month, a unit's day, the unit's monthly sheet,
managers' corrections, and each year's calendar decisions.

Everything is computed from the raw events on request (see `hub.timekeeping.service`). Times are
UTC in the API (ISO 8601 with offset); the UI shows them in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor
from hub.api.records import RecordOut
from hub.inputs import (
    AwareWorkDateTime,
    Code,
    FiniteFloat,
    Month,
    Offset,
    ShortText,
    Text,
    WorkDate,
    Year,
    month_bounds,
)
from hub.services import HubServices
from hub.timekeeping import access as timekeeping_access
from hub.timekeeping.calendar import CalendarAdjustments, CalendarDay, DayKind
from hub.timekeeping.engine import Correction, DayResult, DayStatus
from hub.timekeeping.repository import StaffRow, StoredCorrection
from hub.timekeeping.service import CalendarYear
from hub.timekeeping.timesheet import day_symbol

Period = Annotated[Month, Path(description="yyyy-mm", examples=["2026-11"])]
UnitCode = Annotated[Code, Path(description="an org unit's code")]
EmployeeCode = Annotated[Code, Path(description="an employee's code")]
YearPath = Annotated[Year, Path(description="the calendar's year")]


class CorrectionOut(BaseModel):
    id: int | None = None
    employee_code: str | None = None
    day: date
    reason: str
    author: str
    made_at: datetime
    status: DayStatus | None
    first_in: datetime | None
    last_out: datetime | None
    late_minutes: int | None
    early_leave_minutes: int | None
    worked_minutes: int | None
    worked_days: float | None

    @classmethod
    def of(cls, c: Correction, stored: StoredCorrection | None = None) -> CorrectionOut:
        fields = c.model_dump(exclude={"person_id"})
        return cls(id=stored.id if stored else None, employee_code=stored.employee_code if stored else None, **fields)


class DayOut(BaseModel):
    day: date
    status: DayStatus
    day_kind: DayKind
    symbol: str = Field(description="the sheet's cell: +, M, S, KV, KR, V, P, CT, L, NB; '*' when corrected")
    first_in: datetime | None
    last_out: datetime | None
    late_minutes: int
    early_leave_minutes: int
    worked_minutes: int
    worked_days: float
    leave_days: float
    trip_days: float
    absent_days: float
    event_count: int
    absence_code: str | None
    computed_status: DayStatus | None = Field(description="what the events said, when a correction overrides it")
    needs_review: bool
    correction: CorrectionOut | None

    @classmethod
    def of(cls, r: DayResult) -> DayOut:
        return cls(
            day=r.day,
            status=r.status,
            day_kind=r.day_kind,
            symbol=day_symbol(r),
            first_in=r.first_in,
            last_out=r.last_out,
            late_minutes=r.late_minutes,
            early_leave_minutes=r.early_leave_minutes,
            worked_minutes=r.worked_minutes,
            worked_days=r.worked_days,
            leave_days=r.leave_days,
            trip_days=r.trip_days,
            absent_days=r.absent_days,
            event_count=r.event_count,
            absence_code=r.absence_code,
            computed_status=r.computed_status,
            needs_review=r.needs_review,
            correction=CorrectionOut.of(r.correction) if r.correction else None,
        )


class TotalsOut(RecordOut):
    worked_days: float
    trip_days: float
    leave_days: float
    holiday_days: int
    absent_days: float
    late_count: int
    late_minutes: int
    early_leave_count: int
    early_leave_minutes: int
    missing_punch_count: int
    corrected_days: int


class StaffOut(BaseModel):
    employee_code: str
    full_name: str
    unit_code: str
    position: str | None
    person_id: str

    @classmethod
    def of(cls, s: StaffRow) -> StaffOut:
        return cls(
            employee_code=s.employee_code,
            full_name=s.full_name,
            unit_code=s.unit_code,
            position=s.position,
            person_id=s.person_id,
        )


class PersonMonthOut(BaseModel):
    employee: StaffOut
    year: int
    month: int
    working_days: int
    days: list[DayOut]
    totals: TotalsOut
    corrections: list[CorrectionOut] = Field(description="every correction of the month, oldest first (audit)")


class UnitDayRow(BaseModel):
    employee: StaffOut
    result: DayOut


class UnitDayOut(BaseModel):
    unit_code: str
    unit_name: str
    day: date
    day_kind: DayKind
    day_name: str | None
    total: int
    limit: int
    offset: int
    items: list[UnitDayRow]


class SheetRowOut(BaseModel):
    employee: StaffOut
    symbols: list[str]
    totals: TotalsOut


class TimesheetOut(BaseModel):
    unit_code: str
    unit_name: str
    year: int
    month: int
    days: list[date]
    working_days: int
    total: int
    limit: int
    offset: int
    rows: list[SheetRowOut]


class CorrectionIn(BaseModel):
    """A manager's correction. `reason` is required; give a status and/or the real arrival/departure."""

    model_config = ConfigDict(extra="forbid")

    day: WorkDate
    reason: Text = Field(min_length=1, max_length=1000)
    status: DayStatus | None = None
    first_in: AwareWorkDateTime | None = None
    last_out: AwareWorkDateTime | None = None
    late_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    early_leave_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    worked_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    worked_days: FiniteFloat | None = Field(default=None, ge=0, le=1)


class CalendarDecisions(BaseModel):
    """One year's decisions (see `hub.timekeeping.calendar.CalendarAdjustments`), the year in the path."""

    model_config = ConfigDict(extra="forbid")

    tet_days: list[WorkDate] | None = Field(default=None, max_length=5)
    national_day_adjacent: WorkDate | None = None
    holidays: dict[WorkDate, ShortText] = Field(default_factory=dict, max_length=366)
    days_off: dict[WorkDate, ShortText] = Field(default_factory=dict, max_length=366)
    working_days: dict[WorkDate, ShortText] = Field(default_factory=dict, max_length=366)
    names: dict[WorkDate, ShortText] = Field(default_factory=dict, max_length=366)


class SpecialDayOut(BaseModel):
    day: date
    kind: DayKind
    name: str | None

    @classmethod
    def of(cls, d: CalendarDay) -> SpecialDayOut:
        return cls(day=d.day, kind=d.kind, name=d.name)


class CalendarOut(BaseModel):
    year: int
    version: int | None = Field(description="None: no decision stored, the law's defaults apply")
    author: str | None
    made_at: datetime | None
    decisions: CalendarDecisions | None
    special_days: list[SpecialDayOut]

    @classmethod
    def of(cls, c: CalendarYear) -> CalendarOut:
        stored = c.stored
        decisions = None
        if stored is not None:
            decisions = CalendarDecisions(**stored.adjustments.model_dump(exclude={"year"}))
        return cls(
            year=c.year,
            version=stored.version if stored else None,
            author=stored.author if stored else None,
            made_at=stored.made_at if stored else None,
            decisions=decisions,
            special_days=[SpecialDayOut.of(d) for d in c.special_days],
        )


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def _month(period: str) -> tuple[int, int]:
    return month_bounds(period)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
SEE = "xem chấm công / see the timekeeping"


def timekeeping_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["timekeeping"])

    @router.get(
        "/timesheets/{unit_code}/{period}",
        openapi_extra=timekeeping_access.VIEW_UNIT.route(),
        response_model=TimesheetOut,
    )
    def timesheet(
        request: Request,
        unit_code: UnitCode,
        period: Period,
        principal: CurrentPrincipal,
        limit: int = Query(1000, ge=1, le=20_000),
        offset: Offset = 0,
    ) -> TimesheetOut:
        """The unit's monthly sheet (bảng chấm công) with its sub-units: a row of day symbols and totals per person."""
        year, month = _month(period)
        found = _services(request).timekeeping.unit_timesheet(principal, unit_code, year, month)
        sheet = found.sheet
        page = range(offset, min(offset + limit, len(sheet.rows)))
        return TimesheetOut(
            unit_code=found.unit.code,
            unit_name=found.unit.name,
            year=year,
            month=month,
            days=list(sheet.days),
            working_days=sheet.working_days,
            total=len(sheet.rows),
            limit=limit,
            offset=offset,
            rows=[
                SheetRowOut(
                    employee=StaffOut.of(found.staff[i]),
                    symbols=list(sheet.rows[i].symbols),
                    totals=TotalsOut.of(sheet.rows[i].totals),
                )
                for i in page
            ],
        )

    @router.get(
        "/employees/{employee_code}/timekeeping/{period}",
        openapi_extra=timekeeping_access.VIEW_PERSON.route(),
        response_model=PersonMonthOut,
    )
    def person_month(
        request: Request, employee_code: EmployeeCode, period: Period, principal: CurrentPrincipal
    ) -> PersonMonthOut:
        """One person's month day by day, with the correction history (yours, or of your units' staff)."""
        year, month = _month(period)
        found = _services(request).timekeeping.person_month(principal, employee_code, year, month)
        return PersonMonthOut(
            employee=StaffOut.of(found.staff),
            year=year,
            month=month,
            working_days=found.sheet.working_days,
            days=[DayOut.of(r) for r in found.row.days],
            totals=TotalsOut.of(found.row.totals),
            corrections=[CorrectionOut.of(c.correction, c) for c in found.corrections],
        )

    @router.get(
        "/units/{unit_code}/days/{day}", openapi_extra=timekeeping_access.VIEW_UNIT.route(), response_model=UnitDayOut
    )
    def unit_day(
        request: Request,
        unit_code: UnitCode,
        day: Annotated[WorkDate, Path(description="yyyy-mm-dd")],
        principal: CurrentPrincipal,
        status: Annotated[list[DayStatus] | None, Query(description="only these statuses", max_length=20)] = None,
        limit: int = Query(200, ge=1, le=20_000),
        offset: Offset = 0,
    ) -> UnitDayOut:
        """Everyone of the unit and its sub-units on one day (who is late, absent, on leave…)."""
        found = _services(request).timekeeping.unit_day(principal, unit_code, day)
        rows = [(s, r) for s, r in found.rows if not status or r.status in status]
        return UnitDayOut(
            unit_code=found.unit.code,
            unit_name=found.unit.name,
            day=day,
            day_kind=found.day.kind,
            day_name=found.day.name,
            total=len(rows),
            limit=limit,
            offset=offset,
            items=[UnitDayRow(employee=StaffOut.of(s), result=DayOut.of(r)) for s, r in rows[offset : offset + limit]],
        )

    @router.post(
        "/employees/{employee_code}/corrections",
        openapi_extra=timekeeping_access.CORRECT.route(),
        response_model=CorrectionOut,
        status_code=201,
    )
    def add_correction(
        request: Request,
        employee_code: EmployeeCode,
        body: CorrectionIn,
        principal: CurrentPrincipal,
    ) -> CorrectionOut:
        """Correct one day of a person (điều chỉnh chấm công). The raw events never change; the latest
        correction of a day wins and all of them stay as the audit trail (author = the signed-in user)."""
        stored = _services(request).timekeeping.record_correction(  # checks timekeeping.correct: never one's own
            principal,
            employee_code,
            actor=request_actor(request, principal),
            **body.model_dump(exclude_unset=True),
        )
        return CorrectionOut.of(stored.correction, stored)

    @router.get("/calendar/{year}", openapi_extra=timekeeping_access.VIEW_CALENDAR.route(), response_model=CalendarOut)
    def calendar(request: Request, year: YearPath, principal: CurrentPrincipal) -> CalendarOut:
        """The year's decisions in force and the resulting holidays, nghỉ bù, days off and make-up days."""
        return CalendarOut.of(_services(request).timekeeping.calendar_year(principal, year))

    @router.put("/calendar/{year}", openapi_extra=timekeeping_access.EDIT_CALENDAR.route(), response_model=CalendarOut)
    def save_calendar(
        request: Request,
        body: CalendarDecisions,
        principal: CurrentPrincipal,
        year: YearPath,
    ) -> CalendarOut:
        """Replace the year's decisions (a new version; earlier versions are kept). Sheets follow at once."""
        adjustments = CalendarAdjustments(year=year, **body.model_dump(exclude_unset=True))
        actor = request_actor(request, principal)  # the service checks timekeeping.edit_calendar
        return CalendarOut.of(_services(request).timekeeping.save_calendar(principal, adjustments, actor))

    return router
