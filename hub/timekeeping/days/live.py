"""The month's open days for the cache: days ahead (kept while no check-in window has opened and their
inputs hold) and live days (recomputed per person only when that person's inputs or the window phase
changed). `join_open` joins them with the cached closed days."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import psycopg

from hub.timekeeping import repository
from hub.timekeeping.days.cache import Ahead, DayResultsCache, Month, OpenDays, OpenPerson
from hub.timekeeping.days.evaluate import (
    Inputs,
    Loaded,
    evaluate,
    input_days,
    load_period,
    period_days,
    person_results,
    punches_of,
)
from hub.timekeeping.engine import DayResult
from hub.timekeeping.repository import StaffRow
from hub.timekeeping.schedule import DayPlan, WorkSchedule
from hub.timekeeping.timesheet import cyclic_gc_paused


def phase(plans: dict[str, list[DayPlan]], now: datetime | None) -> int:
    """How many of the days' window bounds (check-in opens, check-out closes) `now` has passed."""
    if now is None:
        return -1
    bounds = sorted({b for day_plans in plans.values() for p in day_plans for b in (p.in_open, p.out_close)})
    return bisect_right(bounds, now.timestamp())


def join_open(
    cache: DayResultsCache,
    entry: Month,
    cached: dict[str, tuple[DayResult, ...]],
    staff: Sequence[StaffRow],
    first: date,
    last: date,
    conn: psycopg.Connection,
    now: datetime | None,
    inputs: Inputs,
    m_first: date,
    m_last: date,
) -> dict[str, Sequence[DayResult]]:
    """The cached people's closed days joined with their open days (the day after the closed ones … the
    month's end), sliced to [first, last].

    The open days are of two kinds. Days *ahead* — no schedule's check-in window has opened yet — have
    the same results at every moment until it does, so they are kept per month while their input version
    holds (`Ahead`, like the closed days). The *live* days between (today; yesterday too until a night
    shift's check-out window closes) are read again when their input version changed since a person's were
    read (one query of a day's events, after any arrival), and each person's are computed again only when
    one of their inputs differs from what they were computed from (`OpenDays`): at 8 a.m. the events of
    the people who just arrived, not the whole administration's.
    """
    from hub.timekeeping.service import LOCAL

    members = [m for m in staff if m.person_id in cached]
    open_first = entry.closed_until + timedelta(days=1)
    every_schedule = list(inputs.schedules.values())
    ahead_first = first_day_ahead(now, every_schedule, open_first, m_last)
    ahead = ahead_days(cache, entry, members, ahead_first, m_last, conn, now, inputs)
    live_last = ahead_first - timedelta(days=1)
    days, kinds = period_days(inputs.calendar, open_first, live_last) if open_first <= live_last else ([], [])
    plans = {code: [schedule.plan(d) for d in days] for code, schedule in inputs.schedules.items()}
    key = (open_first, ahead_first, phase(plans, now), kinds, plans)
    # read before the inputs, as for the closed days; a person's live days read at this version are not read
    # again until it changes (an arrival anywhere changes it: then everyone's are read and compared)
    version = repository.input_version(conn, *input_days(every_schedule, open_first, live_last, LOCAL)) if days else 0
    held = entry.open
    if held is None or held.key != key:
        held = entry.open = OpenDays(key)
    lo, hi = (first - m_first).days, (last - m_first).days + 1
    whole = lo == 0 and hi == (m_last - m_first).days + 1
    results: dict[str, Sequence[DayResult]] = {}
    stale: list[StaffRow] = []
    for member in members:
        found = held.people.get(member.person_id)
        if found is None or found.version != version or (found.member is not member and found.member != member):
            stale.append(member)
    computed = 0

    def one(live: Loaded, member: StaffRow, times: Sequence[float], directions: Sequence[str | None]) -> None:
        nonlocal computed
        person = member.person_id
        closed = cached[person]
        later = ahead[person]
        absences = live.absences.get(person)
        corrections = live.in_force.get(person)
        found = held.people.get(person)
        if (
            found is None
            or (found.member is not member and found.member != member)
            or found.times != times
            or found.directions != directions
            or found.absences != absences
            or found.corrections != corrections
        ):
            days = tuple(person_results(live, member, times, directions)) if live.kinds else ()
            month = (*closed, *days, *later)
            found = OpenPerson(member, times, directions, absences, corrections, days, closed, later, month, version)
            computed += 1
        else:  # the same inputs: the same live days (joined again below if the closed days or those ahead changed)
            found = OpenPerson(
                member, times, directions, absences, corrections, found.results, found.closed, found.ahead,
                found.month, version,
            )  # fmt: skip
        held.people[person] = found

    with cyclic_gc_paused():
        if stale and days:
            live = load_period(conn, stale, open_first, live_last, now, inputs)
            for member, times, directions in punches_of(conn, stale, live):
                one(live, member, times, directions)
        elif stale:  # no day is live (e.g. 04:30, before any check-in window opens): nothing to read
            live = Loaded(plans, kinds, {}, {}, now.timestamp() if now is not None else None, EPOCH, EPOCH)
            for member in stale:
                one(live, member, (), ())
        for member in members:
            person = member.person_id
            found = held.people[person]
            closed, later = cached[person], ahead[person]
            if found.closed is not closed or found.ahead is not later:  # computed again (a late event, a leave ahead)
                found = held.people[person] = OpenPerson(
                    found.member, found.times, found.directions, found.absences, found.corrections, found.results,
                    closed, later, (*closed, *found.results, *later), found.version,
                )  # fmt: skip
            results[person] = found.month if whole else found.month[lo:hi]
    cache.open_computed += computed
    cache.open_reused += len(members) - computed
    cache.open_read += len(stale) if days else 0
    return results


def first_day_ahead(now: datetime | None, schedules: Sequence[WorkSchedule], first: date, last: date) -> date:
    """The first day of [first, last] whose check-in window opens after `now` for every schedule (so do the
    days after it); the day after `last` when there is none."""
    if now is None or not schedules:
        return last + timedelta(days=1)
    now_ts = now.timestamp()
    day = first
    while day <= last and min(s.plan(day).in_open for s in schedules) <= now_ts:
        day += timedelta(days=1)
    return day


def ahead_days(
    cache: DayResultsCache,
    entry: Month,
    members: Sequence[StaffRow],
    first: date,
    last: date,
    conn: psycopg.Connection,
    now: datetime | None,
    inputs: Inputs,
) -> dict[str, tuple[DayResult, ...]]:
    """Each member's results of [first, last], days that have not begun for any schedule at `now`.

    The engine reads `now` only against a day's window bounds, and all of them lie after `now` here: a
    day is not begun (or pending with what its leave, correction or early events say) at every moment
    before its check-in window opens. So the results are kept (`Month.ahead`) until a day of them begins
    (`first` moves) or their input version — over exactly the days whose events can reach them, read
    before their inputs — changes (an approved leave next week, a calendar decision).
    """
    if first > last:
        return {m.person_id: () for m in members}
    from hub.timekeeping.service import LOCAL

    version = repository.input_version(conn, *input_days(list(inputs.schedules.values()), first, last, LOCAL))
    held = entry.ahead
    if held is None or held.first != first or held.version != version:
        held = entry.ahead = Ahead(first, version)
    missing = []
    for member in members:
        found = held.people.get(member.person_id)
        if found is None or (found[0] is not member and found[0] != member):
            missing.append(member)
    if missing:
        computed = evaluate(conn, missing, first, last, now, inputs)
        for member in missing:
            held.people[member.person_id] = (member, tuple(computed[member.person_id]))
        cache.ahead_computed += len(missing)
    return {m.person_id: held.people[m.person_id][1] for m in members}


EPOCH = datetime.fromtimestamp(0, UTC)
