"""Timekeeping from storage: the pure engine fed from the database, and the rules for changing its inputs.

Nothing computed is stored in the database. A unit's month is computed from the raw events, the
approved absences, the corrections and the calendar (≈ 1.2 s for 10,000 people on a 2-core
machine, see `bench/timesheet_db.py`); given a `DayResultsCache` (the hub's services hold one),
the closed days of a month are reused until PostgreSQL's change counters say an input of the
month changed, and the open days per person while that person's inputs are the same
(`hub.timekeeping.days`; a whole-administration sheet of the current month in ≈ 0.25 s), so a
changed rule, leave or calendar decision still shows at once. If sheets must be frozen once signed,
store the signed sheet then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.domain import Invalid
from hub.localtime import LOCAL_TZ as LOCAL
from hub.people import service as people
from hub.people.models import OrgUnit
from hub.timekeeping import access, repository
from hub.timekeeping.calendar import CalendarAdjustments, CalendarDay, WorkCalendar
from hub.timekeeping.days import DayResultsCache, Inputs, staff_days
from hub.timekeeping.engine import Absence, AbsenceKind, Correction, DayPart, DayResult, DayStatus
from hub.timekeeping.repository import StaffRow, StoredAdjustments, StoredCorrection
from hub.timekeeping.timesheet import (
    MonthSheet,
    SheetRow,
    StaffMember,
    cyclic_gc_paused,
    month_days,
    month_sheet,
    sheet_of_results,
)

#: events this far before the first and after the last local day are loaded too (night shifts)
MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class UnitTimesheet:
    unit: OrgUnit
    sheet: MonthSheet
    staff: tuple[StaffRow, ...]  # in the order of sheet.rows


@dataclass(frozen=True, slots=True)
class PersonMonth:
    staff: StaffRow
    row: SheetRow
    sheet: MonthSheet
    corrections: tuple[StoredCorrection, ...]  # the whole history of the month, oldest first


@dataclass(frozen=True, slots=True)
class UnitDay:
    unit: OrgUnit
    day: CalendarDay
    rows: tuple[tuple[StaffRow, DayResult], ...]


@dataclass(frozen=True, slots=True)
class CalendarYear:
    year: int
    stored: StoredAdjustments | None
    special_days: tuple[CalendarDay, ...]


def local_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants from local midnight of `first` to local midnight after `last`, widened by MARGIN."""
    start = datetime.combine(first, time(0), LOCAL) - MARGIN
    end = datetime.combine(last + timedelta(days=1), time(0), LOCAL) + MARGIN
    return start.astimezone(UTC), end.astimezone(UTC)


def load_calendar(conn: psycopg.Connection) -> WorkCalendar:
    """The law (the public-holiday rules of the database) plus every year's decisions in force."""
    return WorkCalendar(
        (s.adjustments for s in repository.latest_calendar_adjustments(conn)), rules=repository.holiday_rules(conn)
    )


def _sheet(
    conn: psycopg.Connection,
    label: str,
    staff: list[StaffRow],
    year: int,
    month: int,
    now: datetime | None,
) -> tuple[MonthSheet, dict[str, list[StoredCorrection]]]:
    days = month_days(year, month)
    first, last = days[0], days[-1]
    schedules = repository.work_schedules(conn)
    members = [
        StaffMember(s.person_id, s.full_name, schedules[s.schedule_code], s.active_from, s.active_to) for s in staff
    ]
    start, end = local_bounds(first, last)
    ids = [s.employee_id for s in staff]
    absences = repository.absences(conn, ids, first, last)
    stored = repository.corrections(conn, ids, first, last)
    corrections = {person: [c.correction for c in history] for person, history in stored.items()}
    calendar = load_calendar(conn)
    # last, and streamed: the engine computes each person while the database sends the next ones
    # (the connection is busy until the stream ends, so every other query comes before it)
    punches = repository.stream_punches(conn, [s.person_id for s in staff], start, end)
    sheet = month_sheet(
        label, year, month, members, {}, calendar, absences=absences, corrections=corrections, now=now,
        series=punches,
    )  # fmt: skip
    return sheet, stored


@cyclic_gc_paused()  # (10,000 staff rows and their results: no cycles to look for)
def unit_timesheet(
    conn: psycopg.Connection,
    unit_code: str,
    year: int,
    month: int,
    now: datetime | None = None,
    cache: DayResultsCache | None = None,
) -> UnitTimesheet:
    """The monthly sheet (bảng chấm công) of a unit and all its sub-units: everyone employed that month.

    With `cache`, the month's closed days are reused while nothing they were computed from changed
    (`hub.timekeeping.days`); the sheet is the same either way.
    """
    unit = people.require_unit(conn, unit_code)
    days = month_days(year, month)
    staff = repository.staff_of_unit(conn, unit.path, days[0], days[-1])
    if cache is None:
        sheet, _ = _sheet(conn, unit.name, staff, year, month, now)
        return UnitTimesheet(unit, sheet, tuple(staff))
    inputs = Inputs(load_calendar(conn), repository.work_schedules(conn))
    results = staff_days(conn, staff, days[0], days[-1], now, cache, inputs)
    members = [
        StaffMember(s.person_id, s.full_name, inputs.schedules[s.schedule_code], s.active_from, s.active_to)
        for s in staff
    ]
    memo = partial(cache.derived, "sheet_row")
    sheet = sheet_of_results(unit.name, year, month, members, results, inputs.calendar, memo)
    return UnitTimesheet(unit, sheet, tuple(staff))


def person_month(
    conn: psycopg.Connection, employee_code: str, year: int, month: int, now: datetime | None = None
) -> PersonMonth:
    """One employee's month, day by day, with every correction made to it."""
    staff = repository.staff_member(conn, employee_code)
    if staff is None:
        raise people.UnknownEmployee(f"no employee has the code {employee_code!r}")
    sheet, stored = _sheet(conn, staff.unit_name, [staff], year, month, now)
    return PersonMonth(staff, sheet.rows[0], sheet, tuple(stored.get(staff.person_id, ())))


@cyclic_gc_paused()  # (10,000 staff rows and their results: no cycles to look for)
def unit_day(
    conn: psycopg.Connection,
    unit_code: str,
    day: date,
    now: datetime | None = None,
    cache: DayResultsCache | None = None,
) -> UnitDay:
    """Everyone of the unit's subtree employed on `day`, with that day's status.

    The day's results are the engine's (`hub.timekeeping.days.staff_days`): with `cache`, today's and the
    month's closed days come from the hub's cache instead of reading and computing 10,000 people's day.
    """
    unit = people.require_unit(conn, unit_code)
    staff = repository.staff_of_unit(conn, unit.path, day, day)
    inputs = Inputs(load_calendar(conn), repository.work_schedules(conn))
    results = staff_days(conn, staff, day, day, now, cache, inputs)
    rows = tuple((s, results[s.person_id][0]) for s in staff)
    return UnitDay(unit, inputs.calendar.day(day), rows)


class InvalidCalendar(Invalid):
    """The year's decisions contradict the law or themselves."""


class InvalidCorrection(Invalid):
    """The correction breaks a rule the model alone cannot check (a future day, outside employment)."""


OWN_CORRECTION = "Không thể tự điều chỉnh chấm công của chính mình / You cannot correct your own attendance"


class OwnCorrection(AccessDenied):
    """The author would correct their own attendance: refused here, so the API (403) and the UI agree."""


def record_correction(
    conn: psycopg.Connection,
    employee_code: str,
    *,
    day: date,
    reason: str,
    author: str,
    status: DayStatus | None = None,
    first_in: datetime | None = None,
    last_out: datetime | None = None,
    late_minutes: int | None = None,
    early_leave_minutes: int | None = None,
    worked_minutes: int | None = None,
    worked_days: float | None = None,
    today: date | None = None,
) -> StoredCorrection:
    """Validate and append a manager's correction. Raw events are not touched; nothing is written on error.

    Raises `pydantic.ValidationError` (bad fields, blank reason), `InvalidCorrection` (a day not yet
    begun, or outside the person's employment), `OwnCorrection` (the author's account is this
    employee's: nobody corrects their own attendance, whatever their roles) or `UnknownEmployee`.
    """
    staff = repository.staff_member(conn, employee_code)
    if staff is None:
        raise people.UnknownEmployee(f"no employee has the code {employee_code!r}")
    if repository.account_employee_id(conn, author) == staff.employee_id:
        raise OwnCorrection(OWN_CORRECTION)
    correction = Correction(
        person_id=staff.person_id,
        day=day,
        reason=reason,
        author=author,
        made_at=datetime.now(UTC),  # replaced by the database clock
        status=status,
        first_in=first_in,
        last_out=last_out,
        late_minutes=late_minutes,
        early_leave_minutes=early_leave_minutes,
        worked_minutes=worked_minutes,
        worked_days=worked_days,
    )
    today = today or datetime.now(LOCAL).date()
    if day > today:
        raise InvalidCorrection(f"{day} has not begun yet; a correction is for a day already worked")
    if (staff.active_from and day < staff.active_from) or (staff.active_to and day > staff.active_to):
        raise InvalidCorrection(f"{employee_code} was not employed on {day}")
    with conn.transaction():
        correction_id, made_at = repository.insert_correction(conn, staff.employee_id, correction)
    return StoredCorrection(correction_id, employee_code, correction.model_copy(update={"made_at": made_at}))


def approve_absence(
    conn: psycopg.Connection,
    employee_code: str,
    kind: AbsenceKind,
    first_day: date,
    last_day: date,
    approved_by: str,
    *,
    part: DayPart = DayPart.FULL,
    code: str | None = None,
    reference: str | None = None,
) -> int:
    """Record approved leave or a business trip. The hand-over point for the leave module's workflow."""
    staff = repository.staff_member(conn, employee_code)
    if staff is None:
        raise people.UnknownEmployee(f"no employee has the code {employee_code!r}")
    Absence(kind=kind, part=part, code=code, reference=reference)  # same limits as the engine's
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    if part is not DayPart.FULL and first_day != last_day:
        raise ValueError("a half-day absence covers one day")
    with conn.transaction():
        return repository.insert_absence(
            conn, staff.employee_id, kind, first_day, last_day, approved_by, part=part, code=code, reference=reference
        )


def calendar_year(conn: psycopg.Connection, year: int) -> CalendarYear:
    """The year's decisions in force (if any) and the special days they and the law give."""
    stored = repository.latest_calendar_adjustments(conn)
    calendar = WorkCalendar((s.adjustments for s in stored), rules=repository.holiday_rules(conn))
    mine = next((s for s in stored if s.adjustments.year == year), None)
    return CalendarYear(year, mine, tuple(calendar.special_days(year)))


def save_calendar(conn: psycopg.Connection, adjustments: CalendarAdjustments, author: str) -> CalendarYear:
    """Store a new version of a year's decisions, after checking it against the law and the other years.

    Raises InvalidCalendar (e.g. a public holiday made a working day) and writes nothing then.
    """
    others = [
        s.adjustments for s in repository.latest_calendar_adjustments(conn) if s.adjustments.year != adjustments.year
    ]
    try:
        WorkCalendar([*others, adjustments], rules=repository.holiday_rules(conn))
    except ValueError as exc:
        raise InvalidCalendar(str(exc)) from exc
    repository.save_calendar_adjustments(conn, adjustments, author)
    return calendar_year(conn, adjustments.year)


class TimekeepingService:
    """Timekeeping as the API, the pages and the CLI ask for it: every method checks its action of the
    rule book (hub.timekeeping.access) on the unit or the person first, whoever calls."""

    def __init__(self, pool: ConnectionPool, now: Callable[[], datetime], cache: DayResultsCache) -> None:
        self.pool, self.now, self.cache = pool, now, cache

    def unit_timesheet(self, principal: Principal, unit_code: str, year: int, month: int) -> UnitTimesheet:
        """The unit's month (with its sub-units); UnknownUnit, AccessDenied (timekeeping.view_unit)."""
        with self.pool.connection() as conn:
            gate.check(principal, access.VIEW_UNIT, people.unit_target(conn, unit_code))
            return unit_timesheet(conn, unit_code, year, month, now=self.now(), cache=self.cache)

    def person_month(self, principal: Principal, employee_code: str, year: int, month: int) -> PersonMonth:
        """One person's month; UnknownEmployee, AccessDenied (timekeeping.view_person: themself or their units')."""
        with self.pool.connection() as conn:
            gate.check(principal, access.VIEW_PERSON, people.person_target(conn, employee_code))
            return person_month(conn, employee_code, year, month, now=self.now())

    def unit_day(self, principal: Principal, unit_code: str, day: date) -> UnitDay:
        with self.pool.connection() as conn:
            gate.check(principal, access.VIEW_UNIT, people.unit_target(conn, unit_code))
            return unit_day(conn, unit_code, day, now=self.now(), cache=self.cache)

    def record_correction(
        self, principal: Principal, employee_code: str, *, day: date, reason: str, status: DayStatus | None = None,
        actor: Actor | None = None, **changes: Any,
    ) -> StoredCorrection:  # fmt: skip
        """Append a correction by the principal (timekeeping.correct: never one's own day), audited
        'correction.create' with the day's previous correction as before."""
        with self.pool.connection() as conn, conn.transaction():
            target = people.person_target(conn, employee_code)
            gate.check(principal, access.CORRECT, target)
            earlier = repository.corrections(conn, [target.employee_id or 0], day, day)
            previous = [c for history in earlier.values() for c in history]
            stored = record_correction(
                conn, employee_code, day=day, reason=reason, author=principal.username, status=status, **changes
            )
            audit.record(
                conn, actor or Actor.of(principal), "correction.create", "employee", employee_code,
                before=previous[-1].correction if previous else None, after=stored.correction,
                unit_path=target.unit_path,
            )  # fmt: skip
            return stored

    def calendar_year(self, principal: Principal, year: int) -> CalendarYear:
        gate.check(principal, access.VIEW_CALENDAR)
        with self.pool.connection() as conn:
            return calendar_year(conn, year)

    def save_calendar(
        self, principal: Principal, adjustments: CalendarAdjustments, actor: Actor | None = None
    ) -> CalendarYear:
        """A new version of the year's decisions (timekeeping.edit_calendar), audited 'calendar.update'."""
        gate.check(principal, access.EDIT_CALENDAR)
        with self.pool.connection() as conn, conn.transaction():
            previous = calendar_year(conn, adjustments.year).stored
            saved = save_calendar(conn, adjustments, principal.username)
            audit.record(
                conn, actor or Actor.of(principal), "calendar.update", "calendar", adjustments.year,
                before={"version": previous.version, "decisions": previous.adjustments} if previous else None,
                after={"version": saved.stored.version if saved.stored else None, "decisions": adjustments},
            )  # fmt: skip
            return saved

    def warm_day_results(self, today: date) -> list[tuple[int, int]]:
        """Internal (the runtime's morning job, no caller to check): compute last month and this month
        for every top unit, so the first manager to open a whole-administration report at 8 a.m. does
        not wait for the engine. Returns the (year, month) pairs computed."""
        last_month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        months = [last_month, (today.year, today.month)]  # this month last: the cache keeps the newest
        with self.pool.connection() as conn:
            roots = [node.unit.code for node in people.unit_tree(conn, None)]
            for year, month in months:
                for code in roots:
                    unit_timesheet(conn, code, year, month, now=self.now(), cache=self.cache)
        return months
