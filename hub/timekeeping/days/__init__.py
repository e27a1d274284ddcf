"""Day results of many people over a period, computed once and reused while their inputs stay the same.

A month of 10,000 people costs the engine about a second (plus the database's time to send
440,000 events); the lateness, absence, timesheet and export pages of the same month all need
the same day results. `DayResultsCache` keeps, per month, each person's results of the days that
are over (closed: nothing `now` can change any more), together with the month's *input version*
— the sum of the change counters PostgreSQL keeps for every local day (migration 0060: raw events,
approved absences, corrections per day; calendar, schedules, employees and units for every day).
Each use re-reads that version (one indexed query over ~33 rows) over exactly the days whose
inputs can reach the cached days: a new event on one of them (a night shift's next morning
included), a correction, an approved leave, a calendar, schedule, employee or unit change makes it
larger, and the month's closed days are computed again; today's arrivals do not touch them. The
days ahead (no schedule's check-in window open yet) give the same results at every moment until
one opens: they are kept the same way, under the input version of their own days (`_Ahead`). The
live days between (today; yesterday until a night shift's check-out window closes) depend on
`now`: their inputs are read on every use (one query of a day's events, plus their leave and
corrections), and each person's live days are computed again only when that person's inputs
differ from those they were computed from, or `now` has passed a check-in/check-out window bound
(`_OpenDays`) — at 8 a.m. the people who just arrived, not all 10,000. On the 1st, before any day
of the month is over, the month is cached all the same (no closed day, its live days and the days
ahead), so it is not computed whole on every report. The cache lives in the
process (HubServices holds one); the version lives in the database, so every API node sees every
change. Results are the engine's, equal field for field (tests/hub/timekeeping/test_days.py
compares every sheet with the uncached one).

The package: `cache` (the cache and what it holds per month), `evaluate` (results straight from the
database), `live` (the month's open days); `staff_days` here puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import psycopg

from hub.timekeeping import repository
from hub.timekeeping.days.cache import DayResultsCache, Month
from hub.timekeeping.days.evaluate import Inputs, evaluate, input_days, last_closed_day
from hub.timekeeping.days.live import join_open
from hub.timekeeping.engine import DayResult
from hub.timekeeping.repository import StaffRow
from hub.timekeeping.timesheet import cyclic_gc_paused, month_days

__all__ = ["MIN_DAYS_TO_FILL", "DayResultsCache", "Inputs", "evaluate", "last_closed_day", "staff_days"]

#: a request must cover at least this many days of a month before the whole month is computed for the cache
#: (a single past day is computed alone unless its month is already cached)
MIN_DAYS_TO_FILL = 7


@cyclic_gc_paused()
def staff_days(
    conn: psycopg.Connection,
    staff: Sequence[StaffRow],
    first: date,
    last: date,
    now: datetime | None,
    cache: DayResultsCache | None = None,
    inputs: Inputs | None = None,
) -> dict[str, Sequence[DayResult]]:
    """Each person's results of [first, last] (as `evaluate` computes them), from `cache` where it can.

    Closed days of a month within the cache come from it when the month's input version is the one
    they were computed at; a request covering at least `MIN_DAYS_TO_FILL` days of a month fills the
    cache with the month's closed days of its people first. Open days are computed with `now`, and kept
    as `join_open` says; a shorter request (today's presence) uses them when all its people are cached.
    """
    from hub.timekeeping.service import LOCAL, load_calendar

    inputs = inputs or Inputs(load_calendar(conn), repository.work_schedules(conn))
    if cache is None or not staff or (first.year, first.month) != (last.year, last.month):
        return evaluate(conn, staff, first, last, now, inputs)
    key = (first.year, first.month)
    month = month_days(*key)
    m_first, m_last = month[0], month[-1]
    every_schedule = list(inputs.schedules.values())
    closed = last_closed_day(now, every_schedule, LOCAL)
    # the month's last closed day; the day before the month when none is (the 1st, or a month ahead)
    closed_until = m_last if closed is None else max(m_first - timedelta(days=1), min(m_last, closed))
    fill = (last - first).days + 1 >= MIN_DAYS_TO_FILL
    held = previous = cache.peek(key)
    if held is not None and fill and held.closed_until < closed_until:
        held = None  # more days have closed since: compute the month again
    # The version covers the cached days only (plus the days their windows reach, for night shifts): today's
    # events do not throw away the closed days of this month. It is read before any input, so a change
    # committed meanwhile shows as a newer version next time. No closed day: nothing to cover.
    covered = held.closed_until if held is not None else closed_until
    version = (
        repository.input_version(conn, *input_days(every_schedule, m_first, covered, LOCAL))
        if covered >= m_first
        else 0
    )
    entry = cache.get(key, version) if held is not None else None
    if entry is None and fill:
        entry = Month(version, closed_until)
        if previous is not None:  # the live days and those ahead check their own inputs: kept when they hold
            entry.open, entry.ahead = previous.open, previous.ahead
    upto = min(entry.closed_until, closed_until) if entry is not None else closed_until
    # the month's open days too (from the cache; a short request uses them when everyone in it is cached)
    opened = entry is not None and last > upto and upto == entry.closed_until
    if entry is None or (first > upto and not opened):  # (a `now` earlier than the cached month's: evaluated)
        return evaluate(conn, staff, first, last, now, inputs)

    cached: dict[str, tuple[DayResult, ...]] = {}
    missing: list[StaffRow] = []
    rows: list[StaffRow] = []  # `staff`, each row replaced by the equal one the cache holds (compared by identity next)
    for member in staff:
        found = entry.people.get(member.person_id)
        if found is not None and (found[0] is member or found[0] == member):
            cached[member.person_id] = found[1]
            rows.append(found[0])
        else:
            missing.append(member)
            rows.append(member)
    staff = rows
    if missing:
        if not fill and first > upto:  # a short request of open days only: computed alone
            return evaluate(conn, staff, first, last, now, inputs)
        if not fill:  # a short request: no month computed for it, only what it asks
            computed: dict[str, Sequence[DayResult]] = dict(evaluate(conn, missing, first, last, now, inputs))
            results = _join(cached, staff, first, last, upto, conn, now, inputs, m_first)
            results.update(computed)
            return results
        filled = (
            evaluate(conn, missing, m_first, entry.closed_until, None, inputs) if entry.closed_until >= m_first else {}
        )
        for member in missing:
            days = tuple(filled.get(member.person_id, ()))
            entry.people[member.person_id] = (member, days)
            cached[member.person_id] = days
        cache.computed += len(missing)
        cache.put(key, entry)
    cache.hits += len(staff) - len(missing)
    if opened:
        return join_open(cache, entry, cached, staff, first, last, conn, now, inputs, m_first, m_last)
    return _join(cached, staff, first, last, upto, conn, now, inputs, m_first)


def _join(
    cached: dict[str, tuple[DayResult, ...]],
    staff: Sequence[StaffRow],
    first: date,
    last: date,
    upto: date,
    conn: psycopg.Connection,
    now: datetime | None,
    inputs: Inputs,
    m_first: date,
) -> dict[str, Sequence[DayResult]]:
    """The cached people's slice of [first, min(last, upto)], plus their days after `upto` computed fresh.

    A whole cached month is handed out as the cache's own tuple (see `DayResultsCache.derived`).
    """
    lo = (first - m_first).days
    hi = (min(last, upto) - m_first).days + 1
    results: dict[str, Sequence[DayResult]] = {
        person: days if lo == 0 and hi == len(days) else days[lo:hi] for person, days in cached.items()
    }
    if last > upto and results:
        cached_staff = [m for m in staff if m.person_id in results]
        tail = evaluate(conn, cached_staff, upto + timedelta(days=1), last, now, inputs)
        for person, days in tail.items():
            results[person] = (*results[person], *days)
    return results
