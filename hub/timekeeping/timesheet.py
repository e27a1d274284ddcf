"""The monthly timesheet of a unit (bảng chấm công): person × day symbols and totals, the sheet HR signs.

Built for volume: each person's events are sorted once into two parallel lists and every day
is found by bisection; a schedule's day plan and the calendar's day kinds are computed once per
month, not per person. Nothing here reads a database: the caller hands over the month's events
(with a day's margin on each side for night shifts), approved absences and corrections.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from operator import itemgetter

from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.engine import (
    Absence,
    Correction,
    DayResult,
    DayStatus,
    Punch,
    evaluate_days,
)
from hub.timekeeping.schedule import DayPlan, WorkSchedule
from protocol.envelope import Direction

#: one person's events as parallel lists sorted by time: (UTC epoch seconds, door direction or None)
PunchSeries = tuple[Sequence[float], Sequence[Direction | None]]

#: Timesheet symbols (ký hiệu chấm công), after the Ministry of Finance's "bảng chấm công" forms
#: (01a-LĐTL / C01-HD: "+" time worked, "P" leave, "L" holiday, "NB" nghỉ bù). The ones for late,
#: early and missing punches are ours and provisional until HR confirms them.
SYMBOLS: Mapping[DayStatus, str] = {
    DayStatus.PRESENT: "+",
    DayStatus.LATE: "M",  # đi muộn
    DayStatus.LEFT_EARLY: "S",  # về sớm
    DayStatus.MISSING_CHECKIN: "KV",  # không chấm công vào
    DayStatus.MISSING_CHECKOUT: "KR",  # không chấm công ra
    DayStatus.ABSENT: "V",  # vắng không phép
    DayStatus.ON_LEAVE: "P",  # nghỉ phép (or the leave's own code: Ô, TS, …)
    DayStatus.BUSINESS_TRIP: "CT",  # công tác
    DayStatus.HOLIDAY: "L",  # lễ, tết
    DayStatus.DAY_OFF: "",  # nghỉ hằng tuần / hoán đổi
    DayStatus.PENDING: "",  # not over yet
    DayStatus.NOT_EMPLOYED: "-",  # chưa vào làm / đã nghỉ việc: outside the employment, not counted
}
#: appended to the symbol of a day a manager corrected
CORRECTED_MARK = "*"
_PLAIN_SYMBOLS = {
    (status, kind): "NB" if status is DayStatus.HOLIDAY and kind is DayKind.SUBSTITUTE_HOLIDAY else SYMBOLS[status]
    for status in DayStatus
    for kind in DayKind
}


def day_symbol(result: DayResult) -> str:
    """The cell of the sheet: the status symbol; `+/P` for half a day worked and half on leave; `*` if corrected."""
    status = result.status
    if result.correction is None and result.absence_code is None:
        return _PLAIN_SYMBOLS[status, result.day_kind]  # most cells: a dictionary lookup
    if status is DayStatus.HOLIDAY and result.day_kind is DayKind.SUBSTITUTE_HOLIDAY:
        symbol = "NB"
    elif status in (DayStatus.ON_LEAVE, DayStatus.BUSINESS_TRIP) and result.absence_code:
        symbol = result.absence_code
    else:
        symbol = SYMBOLS[status]
        if result.absence_code and 0 < result.leave_days + result.trip_days < 1:
            symbol = f"{symbol}/{result.absence_code}"
    return symbol + CORRECTED_MARK if result.correction is not None else symbol


@dataclass(frozen=True, slots=True)
class StaffMember:
    """Who appears on the sheet, with the schedule they work."""

    person_id: str
    full_name: str
    schedule: WorkSchedule
    active_from: date | None = None  # first day employed (inclusive); days before are `not_employed`
    active_to: date | None = None  # last day employed (inclusive); days after are `not_employed`


@dataclass(frozen=True, slots=True)
class SheetTotals:
    worked_days: float  # ngày công (present, late, left early, missing punch as the rule credits)
    trip_days: float  # công tác
    leave_days: float  # nghỉ phép
    holiday_days: int  # lễ, tết, nghỉ bù falling in the month
    absent_days: float  # vắng không phép
    late_count: int  # số lần đi muộn
    late_minutes: int
    early_leave_count: int  # số lần về sớm
    early_leave_minutes: int
    missing_punch_count: int  # days with a punch missing (corrected or not)
    corrected_days: int


@dataclass(frozen=True, slots=True)
class SheetRow:
    person_id: str
    full_name: str
    days: tuple[DayResult, ...]
    symbols: tuple[str, ...]
    totals: SheetTotals


@dataclass(frozen=True, slots=True)
class MonthSheet:
    unit: str
    year: int
    month: int
    days: tuple[date, ...]
    working_days: int  # số ngày làm việc theo lịch
    rows: tuple[SheetRow, ...]


def month_days(year: int, month: int) -> tuple[date, ...]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return tuple(first + timedelta(days=i) for i in range((following - first).days))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a sheet or a report is built (also as a decorator).

    A month for 10,000 people allocates ~300,000 results and their tuples, none of them in a
    reference cycle, so reference counting frees all of them anyway; the cyclic collector would
    only rescan the growing heap again and again (measured: about a fifth of the sheet's time).
    With the hub's cache holding months of results, every full collection walks ~450,000 objects
    (~0.25 s): a report served from the cache triggered one every request or two (measured: a third
    of its CPU time). It is resumed afterwards, and left alone if someone else had already paused it.
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def month_sheet(
    unit: str,
    year: int,
    month: int,
    staff: Sequence[StaffMember],
    punches: Mapping[str, Sequence[Punch]],
    calendar: WorkCalendar,
    *,
    absences: Mapping[str, Mapping[date, Sequence[Absence]]] | None = None,
    corrections: Mapping[str, Sequence[Correction]] | None = None,
    now: datetime | None = None,
    series: Mapping[str, PunchSeries] | Iterable[tuple[str, PunchSeries]] | None = None,
) -> MonthSheet:
    """The month's sheet for `staff` of `unit`, rows in the order given.

    `punches[person_id]`: that person's events for the month (any order; events of the last day
    of the previous month and the first of the next are ignored unless a night shift reaches
    them). `absences[person_id][day]`: approved leave / trips. `corrections[person_id]`: all of
    that person's corrections; the latest per day applies. `now`: days not over yet are pending.
    `series[person_id]`: the same events already split into (times, directions) and sorted by
    time, as a database returns them; used instead of `punches` for the people it holds, it saves
    re-sorting and re-splitting 440,000 events for a large sheet. It may also be an iterable of
    (person_id, series) pairs in any order, e.g. rows streaming from the database: each person is
    computed as their events arrive, so the engine works while the query is still sending.
    """
    with cyclic_gc_paused():
        return _month_sheet(unit, year, month, staff, punches, calendar, absences, corrections, now, series)


def _month_sheet(
    unit: str,
    year: int,
    month: int,
    staff: Sequence[StaffMember],
    punches: Mapping[str, Sequence[Punch]],
    calendar: WorkCalendar,
    absences: Mapping[str, Mapping[date, Sequence[Absence]]] | None,
    corrections: Mapping[str, Sequence[Correction]] | None,
    now: datetime | None,
    series: Mapping[str, PunchSeries] | Iterable[tuple[str, PunchSeries]] | None,
) -> MonthSheet:
    days = month_days(year, month)
    kinds = [calendar.kind(d) for d in days]
    absences = absences or {}
    corrections = corrections or {}
    now_ts = now.timestamp() if now is not None else None
    plans: dict[int, list[DayPlan]] = {}
    by_time = itemgetter(0)

    def row_of(member: StaffMember, times: Sequence[float], directions: Sequence[Direction | None]) -> SheetRow:
        schedule = member.schedule
        day_plans = plans.get(id(schedule))
        if day_plans is None:
            day_plans = plans[id(schedule)] = [schedule.plan(d) for d in days]
        person_absences = absences.get(member.person_id, {})
        person_corrections = corrections.get(member.person_id)
        in_force = _in_force(person_corrections) if person_corrections else {}
        results = tuple(
            evaluate_days(
                day_plans, kinds, times, directions, person_absences, in_force, now_ts,
                active_from=member.active_from, active_to=member.active_to,
            )
        )  # fmt: skip
        return SheetRow(member.person_id, member.full_name, results, tuple(map(day_symbol, results)), _totals(results))

    done: dict[str, SheetRow] = {}
    if series is not None and not isinstance(series, Mapping):
        members = {m.person_id: m for m in staff}
        for person, (times, directions) in series:  # as the rows arrive
            member = members.get(person)
            if member is not None:
                done[person] = row_of(member, times, directions)
        series = None
    rows = []
    for member in staff:
        row = done.get(member.person_id)
        if row is None:
            ready = series.get(member.person_id) if series is not None else None
            if ready is not None:
                times, directions = ready
            else:
                events = sorted(punches.get(member.person_id, ()), key=by_time)
                times = [e[0] for e in events]
                directions = [e[1] for e in events]
            row = row_of(member, times, directions)
        rows.append(row)
    working = sum(1 for k in kinds if k.is_working)
    return MonthSheet(unit, year, month, days, working, tuple(rows))


def sheet_of_results(
    unit: str,
    year: int,
    month: int,
    staff: Sequence[StaffMember],
    results: Mapping[str, Sequence[DayResult]],
    calendar: WorkCalendar,
    memo: Callable[[str, Sequence[DayResult], Callable[[], SheetRow]], SheetRow] | None = None,
) -> MonthSheet:
    """The month's sheet from day results already computed (`results[person_id]`, one per day of the month).

    What `month_sheet` builds around the engine's results, for results that come from a cache.
    `memo(person_id, results, build)` may return a row built before from the very same results.
    """
    days = month_days(year, month)
    rows = []

    def build(member: StaffMember, found: tuple[DayResult, ...]) -> SheetRow:
        return SheetRow(member.person_id, member.full_name, found, tuple(map(day_symbol, found)), _totals(found))

    with cyclic_gc_paused():
        for member in staff:
            found = results[member.person_id]
            if memo is None or not isinstance(found, tuple):
                rows.append(build(member, tuple(found)))
                continue
            row = memo(member.person_id, found, lambda m=member, f=found: build(m, f))
            if row.full_name != member.full_name:  # (names are checked by the cache too; never show a stale one)
                row = build(member, found)
            rows.append(row)
    working = sum(1 for d in days if calendar.kind(d).is_working)
    return MonthSheet(unit, year, month, days, working, tuple(rows))


def _in_force(corrections: Sequence[Correction]) -> dict[date, Correction]:
    """The latest correction of each day (the others are history)."""
    latest: dict[date, Correction] = {}
    for c in corrections:
        seen = latest.get(c.day)
        if seen is None or c.made_at >= seen.made_at:
            latest[c.day] = c
    return latest


def _totals(results: Sequence[DayResult]) -> SheetTotals:
    worked = trip = leave = absent = 0.0
    holidays = late_count = late_minutes = early_count = early_minutes = missing = corrected = 0
    for r in results:
        worked += r.worked_days
        trip += r.trip_days
        leave += r.leave_days
        absent += r.absent_days
        if r.status is DayStatus.HOLIDAY:
            holidays += 1
        if r.late_minutes:
            late_count += 1
            late_minutes += r.late_minutes
        if r.early_leave_minutes:
            early_count += 1
            early_minutes += r.early_leave_minutes
        if r.status in _MISSING or r.computed_status in _MISSING:
            missing += 1
        if r.correction is not None:
            corrected += 1
    return SheetTotals(
        worked, trip, leave, holidays, absent, late_count, late_minutes, early_count, early_minutes, missing, corrected
    )


_MISSING = frozenset({DayStatus.MISSING_CHECKIN, DayStatus.MISSING_CHECKOUT})
