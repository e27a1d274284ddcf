"""The CCES figures an indicator bound to data is pre-filled with (hub.reporting.template.Binding), over the
reporting unit's subtree and the period's cut-off [first, last].

- staff, attendance rate and late arrivals: the timekeeping engine itself (`hub.timekeeping.days.staff_days`,
  the same day results the monthly sheet HR signs is made of). A person-day counts when the person was
  employed and the calendar had it as a working day for them (not a holiday, weekend or day off); the
  attendance rate is 100 × (those days − days absent without leave) / those days, so leave and business
  trips do not lower it; a late arrival is a day whose late minutes exceed the schedule's grace.
- leave days: the working days of approved leave (hub.leave) that fall inside the period, counted on the work
  calendar with the half days, of the people whose unit at the time of the request lies in the subtree.
- documents received / issued: the incoming and outgoing documents the subtree's units registered
  (hub.documents) on the days of the period (Hanoi dates).

Assets are not bound: the register (hub.assets) keeps each asset's present status, not its status at the
cut-off day, and no stocktake exists yet; documents overdue are not bound: no handling deadlines exist yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import psycopg

from hub.leave.days import Part, working_days
from hub.reporting.repository import figures as figures_repo
from hub.reporting.template import Binding
from hub.timekeeping import repository as tk_repo
from hub.timekeeping.days import Inputs, staff_days
from hub.timekeeping.engine import DayStatus
from hub.timekeeping.service import load_calendar

_NOT_WORKING = frozenset({DayStatus.HOLIDAY, DayStatus.DAY_OFF, DayStatus.NOT_EMPLOYED})
_TIMEKEEPING = {Binding.STAFF_COUNT, Binding.ATTENDANCE_RATE, Binding.LATE_ARRIVALS}


def figures(
    conn: psycopg.Connection, bindings: Iterable[Binding], unit_path: str, first: date, last: date, now: datetime
) -> dict[Binding, float | int | None]:
    """The figure of each binding asked for (None: no data, e.g. an attendance rate without working days)."""
    wanted = set(bindings)
    out: dict[Binding, float | int | None] = {}
    if wanted & _TIMEKEEPING:
        out.update(_timekeeping(conn, unit_path, first, last, now))
    if Binding.LEAVE_DAYS in wanted:
        out[Binding.LEAVE_DAYS] = _leave_days(conn, unit_path, first, last)
    if wanted & {Binding.DOCUMENTS_RECEIVED, Binding.DOCUMENTS_ISSUED}:
        counts = figures_repo.documents_registered(conn, unit_path, first, last)
        out[Binding.DOCUMENTS_RECEIVED] = counts.get("incoming", 0)
        out[Binding.DOCUMENTS_ISSUED] = counts.get("outgoing", 0)
    return {b: out.get(b) for b in wanted}


def _timekeeping(
    conn: psycopg.Connection, unit_path: str, first: date, last: date, now: datetime
) -> dict[Binding, float | int | None]:
    staff = tk_repo.staff_of_unit(conn, unit_path, first, last)
    inputs = Inputs(load_calendar(conn), tk_repo.work_schedules(conn))
    results = staff_days(conn, staff, first, last, now, None, inputs)
    person_days = absent = 0.0
    late = 0
    for member in staff:
        for r in results.get(member.person_id, ()):
            if r.status in _NOT_WORKING:
                continue
            person_days += 1
            absent += r.absent_days
            late += 1 if r.late_minutes > 0 else 0
    rate = round(100.0 * (person_days - absent) / person_days, 2) if person_days else None
    return {Binding.STAFF_COUNT: len(staff), Binding.ATTENDANCE_RATE: rate, Binding.LATE_ARRIVALS: late}


def _leave_days(conn: psycopg.Connection, unit_path: str, first: date, last: date) -> float:
    calendar = load_calendar(conn)
    total = 0.0
    for f, la, fp, lp in figures_repo.approved_leave(conn, unit_path, first, last):
        start, start_part = (f, Part(fp)) if f >= first else (first, Part.FULL)
        end, end_part = (la, Part(lp)) if la <= last else (last, Part.FULL)
        total += working_days(calendar, start, end, start_part, end_part)
    return total
