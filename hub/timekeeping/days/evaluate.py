"""Day results straight from the database, no cache: a period's inputs loaded once, the punches streamed,
each person computed as their row arrives. The cache (`hub.timekeeping.days`) computes through these too."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import psycopg

from hub.timekeeping import repository
from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.engine import Absence, Correction, DayResult, evaluate_days
from hub.timekeeping.repository import StaffRow
from hub.timekeeping.schedule import DayPlan, WorkSchedule
from hub.timekeeping.timesheet import _in_force, cyclic_gc_paused

#: periods up to this many days read only the events inside their days' windows (a day: one day of events
#: instead of three); longer ones keep the day's margin on each side, which the database answers by
#: streaming its per-person index merge (measured: narrowing a month's bounds cost ~1 s more wall time)
NARROW_DAYS = 3


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the engine needs besides the punches, loaded once per request."""

    calendar: WorkCalendar
    schedules: dict[str, WorkSchedule]


def last_closed_day(now: datetime | None, schedules: Sequence[WorkSchedule], tz: tzinfo) -> date | None:
    """The last local day whose results `now` can no longer change (None: every day is over).

    A day is over for the engine once `now` is past its check-out window (`plan.out_close`, which a
    night shift puts on the next morning); over for every schedule here, it is closed.
    """
    if now is None:
        return None
    now_ts = now.timestamp()
    day = now.astimezone(tz).date()
    for _ in range(3):
        if all(s.plan(day).out_close <= now_ts for s in schedules):
            return day
        day -= timedelta(days=1)
    return day  # (no schedule's window is longer than a day and a half)


def input_days(schedules: Sequence[WorkSchedule], first: date, last: date, tz: tzinfo) -> tuple[date, date]:
    """The local days whose events can reach the results of [first, last]: from the day the earliest
    check-in window opens to the day the latest check-out window closes (a night shift's next morning)."""
    if not schedules:
        return first, last
    opens = min(s.plan(first).in_open for s in schedules)
    closes = max(s.plan(last).out_close for s in schedules)
    return min(first, datetime.fromtimestamp(opens, tz).date()), max(last, datetime.fromtimestamp(closes, tz).date())


def period_days(calendar: WorkCalendar, first: date, last: date) -> tuple[list[date], list[DayKind]]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return days, [calendar.kind(d) for d in days]


@dataclass(slots=True)
class Loaded:
    """A period's inputs besides the staff rows: what `evaluate_days` takes for each person."""

    plans: dict[str, list[DayPlan]]  # every schedule's plan of each day of the period, by schedule code
    kinds: list[DayKind]
    absences: dict[str, dict[date, list[Absence]]]
    in_force: dict[str, dict[date, Correction]]
    now_ts: float | None
    start: datetime  # the events' query window
    end: datetime


def load_period(
    conn: psycopg.Connection,
    staff: Sequence[StaffRow],
    first: date,
    last: date,
    now: datetime | None,
    inputs: Inputs,
) -> Loaded:
    """Absences, corrections in force and day plans of [first, last] for `staff`, and the window of events
    that can count: only events inside some day's check-in … check-out window do (`evaluate_day` bisects to
    it), so a short period asks for those and no more (a single day reads one day of events, not three)."""
    from hub.timekeeping.service import local_bounds

    days, kinds = period_days(inputs.calendar, first, last)
    ids = [s.employee_id for s in staff]
    absences = repository.absences(conn, ids, first, last)
    stored = repository.corrections(conn, ids, first, last)
    in_force = {person: _in_force([c.correction for c in history]) for person, history in stored.items()}
    plans = {code: [schedule.plan(d) for d in days] for code, schedule in inputs.schedules.items()}
    start, end = local_bounds(first, last)
    if len(days) <= NARROW_DAYS:
        used = {s.schedule_code for s in staff}
        opens = min(plan.in_open for code in used for plan in plans[code])
        closes = max(plan.out_close for code in used for plan in plans[code])
        start = max(start, datetime.fromtimestamp(opens, UTC))
        end = min(end, datetime.fromtimestamp(closes, UTC) + timedelta(seconds=1))
    now_ts = now.timestamp() if now is not None else None
    return Loaded(plans, kinds, absences, in_force, now_ts, start, end)


def person_results(
    loaded: Loaded, member: StaffRow, times: Sequence[float], directions: Sequence[str | None]
) -> list[DayResult]:
    return evaluate_days(
        loaded.plans[member.schedule_code], loaded.kinds, times, directions,  # type: ignore[arg-type]
        loaded.absences.get(member.person_id, {}), loaded.in_force.get(member.person_id, {}), loaded.now_ts,
        active_from=member.active_from, active_to=member.active_to,
    )  # fmt: skip


def evaluate(
    conn: psycopg.Connection,
    staff: Sequence[StaffRow],
    first: date,
    last: date,
    now: datetime | None,
    inputs: Inputs,
) -> dict[str, list[DayResult]]:
    """Each person's results of [first, last] straight from the database (no cache), by person id.

    The punches stream in last (the connection is busy meanwhile): each person is computed as their
    row arrives, so the engine works while the database is still sending.
    """
    if not staff:
        return {}
    loaded = load_period(conn, staff, first, last, now, inputs)
    results: dict[str, list[DayResult]] = {}
    with cyclic_gc_paused():
        for member, times, directions in punches_of(conn, staff, loaded):
            results[member.person_id] = person_results(loaded, member, times, directions)
    return results


def punches_of(
    conn: psycopg.Connection, staff: Sequence[StaffRow], loaded: Loaded
) -> Iterator[tuple[StaffRow, Sequence[float], Sequence[str | None]]]:
    """Each member with their events of `loaded`'s window (times, directions), streamed as the database sends
    them, then those without any events; every member once."""
    members = {s.person_id: s for s in staff}
    seen: set[str] = set()
    for person, (times, directions) in repository.stream_punches(conn, list(members), loaded.start, loaded.end):
        member = members.get(person)
        if member is not None:
            seen.add(person)
            yield member, times, directions
    for member in staff:
        if member.person_id not in seen:
            yield member, [], []
