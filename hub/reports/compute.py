"""Reports (báo cáo) for a unit's subtree over a day, a month or a date range, and the device reports.

The attendance reports run the timekeeping engine itself (`evaluate_days`) over the same inputs
the monthly sheet reads — staff, raw punches, approved absences, corrections, the calendar — so a
lateness count here is the count on the sheet HR signs. Given the hub's `DayResultsCache`
(`hub.timekeeping.days`), a month's closed days are computed once and shared by the lateness,
absence, presence and timesheet pages and their exports until an input of those days changes;
without it (or for a range spanning months) every call computes its period afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import psycopg

from hub.people import repository as people_repo
from hub.people import service as people
from hub.people.models import OrgUnit
from hub.reports import repository
from hub.reports.models import (
    MAX_RANGE_DAYS,
    AbsenceReport,
    AbsenceRow,
    Dashboard,
    DayPresence,
    DeviceUptimeReport,
    InvalidPeriod,
    LatenessReport,
    LatenessRow,
    OfflineDevice,
    PersonPresence,
    PresenceCounts,
    PresenceStatus,
    UnitPresence,
)
from hub.timekeeping import repository as tk_repo
from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.days import DayResultsCache, Inputs, staff_days
from hub.timekeeping.engine import DayResult, DayStatus
from hub.timekeeping.repository import StaffRow
from hub.timekeeping.schedule import DayPlan
from hub.timekeeping.service import LOCAL, load_calendar
from hub.timekeeping.timesheet import cyclic_gc_paused, month_days

_MISSING = frozenset({DayStatus.MISSING_CHECKIN, DayStatus.MISSING_CHECKOUT})
T = TypeVar("T")


def month_period(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month (raises InvalidPeriod for a month that does not exist)."""
    if not 1 <= month <= 12 or not 1901 <= year <= 2199:
        raise InvalidPeriod(f"{year}-{month:02d} is not a month the calendar covers")
    days = month_days(year, month)
    return days[0], days[-1]


def check_period(first: date, last: date) -> None:
    if last < first:
        raise InvalidPeriod(f"the period ends ({last}) before it begins ({first})")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidPeriod(f"a report covers at most {MAX_RANGE_DAYS} days; ask for {first}…{last} in parts")


def today(now: datetime) -> date:
    """The local (Asia/Ho_Chi_Minh) date at `now`."""
    return now.astimezone(LOCAL).date()


# --- the engine over a unit and a period --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Period:
    days: tuple[date, ...]
    kinds: tuple[DayKind, ...]
    calendar: WorkCalendar


def _period(calendar: WorkCalendar, first: date, last: date) -> _Period:
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    return _Period(days, tuple(calendar.kind(d) for d in days), calendar)


def _person_days(
    conn: psycopg.Connection,
    unit: OrgUnit,
    first: date,
    last: date,
    now: datetime | None,
    cache: DayResultsCache | None = None,
) -> tuple[list[StaffRow], _Period, Iterator[tuple[StaffRow, list[DayResult], list[DayPlan]]]]:
    """(staff, period, iterator of each person's day results and plans) for the unit's subtree.

    The results come from `hub.timekeeping.days.staff_days`: from `cache` where the month was
    already computed and nothing it was computed from changed, else from the engine.
    """
    staff = tk_repo.staff_of_unit(conn, unit.path, first, last)
    inputs = Inputs(load_calendar(conn), tk_repo.work_schedules(conn))
    period = _period(inputs.calendar, first, last)
    results = staff_days(conn, staff, first, last, now, cache, inputs)
    plans: dict[str, list[DayPlan]] = {}

    def iterate() -> Iterator[tuple[StaffRow, list[DayResult], list[DayPlan]]]:
        for member in staff:
            day_plans = plans.get(member.schedule_code)
            if day_plans is None:
                schedule = inputs.schedules[member.schedule_code]
                day_plans = plans[member.schedule_code] = [schedule.plan(d) for d in period.days]
            yield member, results[member.person_id], day_plans

    return staff, period, iterate()


# --- presence on a day (the dashboard) ----------------------------------------------------------


def _presence(result: DayResult, plan: DayPlan, now_ts: float) -> PresenceStatus:
    status = result.status
    if status in (DayStatus.HOLIDAY, DayStatus.DAY_OFF, DayStatus.NOT_EMPLOYED):
        return PresenceStatus.DAY_OFF
    if status is DayStatus.ON_LEAVE:
        return PresenceStatus.ON_LEAVE
    if status is DayStatus.BUSINESS_TRIP:
        return PresenceStatus.BUSINESS_TRIP
    if status is DayStatus.ABSENT:
        return PresenceStatus.ABSENT
    if status is DayStatus.PENDING and result.first_in_ts is None:
        if result.absence_code is not None:  # half a day away, not here yet: the away half is first
            return PresenceStatus.BUSINESS_TRIP if result.trip_days else PresenceStatus.ON_LEAVE
        on_time_until = plan.start + plan.late_grace_minutes * 60
        return PresenceStatus.NOT_YET if now_ts <= on_time_until else PresenceStatus.ABSENT
    # seen: present, late, left early, a punch missing, or still at work today
    return PresenceStatus.LATE if result.late_minutes > 0 else PresenceStatus.PRESENT


@cyclic_gc_paused()  # (a report over 10,000 people: no cycles to look for)
def day_presence(
    conn: psycopg.Connection, unit_code: str, day: date, now: datetime, cache: DayResultsCache | None = None
) -> DayPresence:
    """Who of the unit's subtree is present, late, absent, on leave, on a trip or not yet in on `day`.

    For today the answer is as of `now`; for a past day it is the day's final status. Raises UnknownUnit.
    """
    unit = people.require_unit(conn, unit_code)
    staff, period, people_days = _person_days(conn, unit, day, day, now, cache)
    now_ts = now.timestamp()
    people_rows: dict[str, PersonPresence] = {}
    for member, results, plans in people_days:
        r = results[0]
        people_rows[member.person_id] = PersonPresence(
            member.employee_code, member.full_name, member.unit_code, member.unit_name, member.position,
            _presence(r, plans[0], now_ts), r.first_in, r.late_minutes, r.absence_code,
        )  # fmt: skip
    ordered = tuple(people_rows[s.person_id] for s in staff)  # staff_of_unit's order: unit path, employee code
    calendar_day = period.calendar.day(day)
    return DayPresence(
        unit=unit,
        day=day,
        as_of=now,
        day_kind=calendar_day.kind,
        day_name=calendar_day.name,
        counts=PresenceCounts.of(p.status for p in ordered),
        by_unit=_by_unit(conn, unit, ordered),
        people=ordered,
    )


def _by_unit(conn: psycopg.Connection, unit: OrgUnit, people_rows: tuple[PersonPresence, ...]) -> tuple:
    """Counts per direct sub-unit (over its subtree), then for the staff placed in the unit itself."""
    units = people_repo.list_units(conn, unit.path)
    by_id = {u.id: u for u in units}
    children = sorted((u for u in units if u.parent_id == unit.id), key=lambda u: u.code)
    top_of: dict[str, str] = {}  # unit code -> the direct child of `unit` it lies under (or unit itself)
    for u in units:
        ids = [int(x) for x in u.path.strip("/").split("/")]
        below = ids[unit.depth + 1] if len(ids) > unit.depth + 1 else None
        top_of[u.code] = by_id[below].code if below is not None else unit.code
    groups: dict[str, list[PresenceStatus]] = {}
    for p in people_rows:
        groups.setdefault(top_of.get(p.unit_code, unit.code), []).append(p.status)
    rows = [UnitPresence(c.code, c.name, PresenceCounts.of(groups.get(c.code, ()))) for c in children]
    if unit.code in groups or not children:
        rows.append(UnitPresence(unit.code, unit.name, PresenceCounts.of(groups.get(unit.code, ())), direct_only=True))
    return tuple(rows)


# --- lateness and absence over a period ---------------------------------------------------------


@cyclic_gc_paused()  # (a report over 10,000 people: no cycles to look for)
def lateness(
    conn: psycopg.Connection,
    unit_code: str,
    first: date,
    last: date,
    now: datetime,
    limit: int | None = None,
    cache: DayResultsCache | None = None,
) -> LatenessReport:
    """Who was late how often and for how long in [first, last] (most often first). Raises UnknownUnit,
    InvalidPeriod. Counts as the sheet does: a day is late when its late minutes exceed the grace."""
    check_period(first, last)
    unit = people.require_unit(conn, unit_code)
    staff, _, people_days = _person_days(conn, unit, first, last, now, cache)
    found = []
    for member, results, _ in people_days:
        counted = _memo(cache, "lateness", member, results, lambda r=results: _lateness_of(r))
        if counted is not None:
            count, minutes, e_count, e_minutes, days = counted
            found.append((count, minutes, member, e_count, e_minutes, days))
    found.sort(key=lambda f: (-f[0], -f[1], f[2].employee_code))
    if limit is not None:
        found = found[:limit]
    rows = tuple(
        LatenessRow(rank, m.employee_code, m.full_name, m.unit_code, m.unit_name, count, minutes, e_count, e_min, days)
        for rank, (count, minutes, m, e_count, e_min, days) in enumerate(found, start=1)
    )
    return LatenessReport(unit, first, last, len(staff), rows)


@cyclic_gc_paused()  # (a report over 10,000 people: no cycles to look for)
def absences(
    conn: psycopg.Connection,
    unit_code: str,
    first: date,
    last: date,
    now: datetime,
    cache: DayResultsCache | None = None,
) -> AbsenceReport:
    """Absences without leave, leave, trips and unreviewed missing punches in [first, last], per person
    (only people with any), most days absent first. Raises UnknownUnit, InvalidPeriod."""
    check_period(first, last)
    unit = people.require_unit(conn, unit_code)
    staff, period, people_days = _person_days(conn, unit, first, last, now, cache)
    rows = []
    for m, results, _ in people_days:
        counted = _memo(cache, "absences", m, results, lambda r=results: _absences_of(r))
        if counted is not None:
            absent, leave, trip, missing, absent_dates = counted
            rows.append(
                AbsenceRow(m.employee_code, m.full_name, m.unit_code, m.unit_name, absent, leave, trip, missing,
                           absent_dates)
            )  # fmt: skip
    rows.sort(key=lambda r: (-r.absent_days, -r.missing_punch_days, -r.leave_days, r.employee_code))
    working = sum(1 for k in period.kinds if k.is_working)
    return AbsenceReport(unit, first, last, working, len(staff), tuple(rows))


def _memo(
    cache: DayResultsCache | None, kind: str, member: StaffRow, results: Sequence[DayResult], build: Callable[[], T]
) -> T:
    """`build()` — a person's figures from their results — reused while the cache hands out the very same
    results (a whole month: `DayResultsCache.derived`), so a repeated report does not walk 300,000 days."""
    return build() if cache is None else cache.derived(kind, member.person_id, results, build)


def _lateness_of(results: Sequence[DayResult]) -> tuple[int, int, int, int, tuple[date, ...]] | None:
    """(late count, late minutes, early count, early minutes, late days); None when never late."""
    late = [r for r in results if r.late_minutes > 0]
    if not late:
        return None
    early = [r for r in results if r.early_leave_minutes > 0]
    return (len(late), sum(r.late_minutes for r in late), len(early), sum(r.early_leave_minutes for r in early),
            tuple(r.day for r in late))  # fmt: skip


def _absences_of(results: Sequence[DayResult]) -> tuple[float, float, float, int, tuple[date, ...]] | None:
    """(absent days, leave days, trip days, days with a punch missing, absent dates); None when none of them."""
    absent = leave = trip = 0.0
    missing = 0
    absent_dates = []
    for r in results:
        absent += r.absent_days
        leave += r.leave_days
        trip += r.trip_days
        if r.status in _MISSING or r.computed_status in _MISSING:
            missing += 1
        if r.absent_days:
            absent_dates.append(r.day)
    if absent or leave or trip or missing:
        return absent, leave, trip, missing, tuple(absent_dates)
    return None


# --- devices ------------------------------------------------------------------------------------


def device_uptime(
    conn: psycopg.Connection,
    start: datetime,
    end: datetime,
    now: datetime,
    site: str | None = None,
    sites: Sequence[str] | None = None,
) -> DeviceUptimeReport:
    """Share of time online per device over [start, end) (end clipped to now). Raises InvalidPeriod.

    `sites`: only the devices of these offices (the caller's scope; None: every device)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidPeriod("start and end need a time zone")
    if end <= start:
        raise InvalidPeriod("the period must end after it begins")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidPeriod(f"a report covers at most {MAX_RANGE_DAYS} days")
    if start >= now:
        raise InvalidPeriod("the period has not begun yet")
    end = min(end, now)
    rows = repository.device_uptime(conn, start, end, site, sites)
    rows.sort(key=lambda r: (r.uptime is None, r.uptime if r.uptime is not None else 0.0, r.device_id))
    return DeviceUptimeReport(start.astimezone(UTC), end.astimezone(UTC), tuple(rows))


def offline_devices(
    conn: psycopg.Connection, site: str | None = None, sites: Sequence[str] | None = None
) -> list[OfflineDevice]:
    return repository.offline_devices(conn, site, sites)


def dashboard(
    conn: psycopg.Connection,
    unit_code: str,
    now: datetime,
    site: str | None = None,
    cache: DayResultsCache | None = None,
    sites: Sequence[str] | None = None,
) -> Dashboard:
    """Today's presence of the unit, its late arrivals, and the devices offline now (of the offices
    `sites`, the caller's scope; None: every device)."""
    presence = day_presence(conn, unit_code, today(now), now, cache)
    total, online = repository.device_counts(conn, site, sites)
    return Dashboard(
        presence=presence,
        late_arrivals=tuple(presence.late_arrivals),
        offline_devices=tuple(repository.offline_devices(conn, site, sites)),
        devices_total=total,
        devices_online=online,
    )
