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
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TypeVar

import psycopg

from hub.timekeeping import repository
from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.engine import Absence, Correction, DayResult, evaluate_days
from hub.timekeeping.repository import StaffRow
from hub.timekeeping.schedule import DayPlan, WorkSchedule
from hub.timekeeping.timesheet import _in_force, cyclic_gc_paused, month_days

T = TypeVar("T")

#: periods up to this many days read only the events inside their days' windows (a day: one day of events
#: instead of three); longer ones keep the day's margin on each side, which the database answers by
#: streaming its per-person index merge (measured: narrowing a month's bounds cost ~1 s more wall time)
NARROW_DAYS = 3

#: a request must cover at least this many days of a month before the whole month is computed for the cache
#: (a single past day is computed alone unless its month is already cached)
MIN_DAYS_TO_FILL = 7


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the engine needs besides the punches, loaded once per request."""

    calendar: WorkCalendar
    schedules: dict[str, WorkSchedule]


@dataclass(frozen=True, slots=True)
class _OpenPerson:
    """One person's open days, with every input they were computed from (compared field for field)."""

    member: StaffRow
    times: Sequence[float]
    directions: Sequence[str | None]
    absences: dict[date, list[Absence]] | None
    corrections: dict[date, Correction] | None
    results: tuple[DayResult, ...]  # the live days
    closed: tuple[DayResult, ...]  # the closed days `month` was joined with (by identity)
    ahead: tuple[DayResult, ...]  # the days ahead `month` was joined with (by identity)
    month: tuple[DayResult, ...]  # closed + live + ahead: the whole month, handed out as is (see `derived`)
    version: int  # the live days' input version these inputs were read at (equal: not read again)


@dataclass(slots=True)
class _OpenDays:
    """The month's live days (not over, begun for some schedule), per person: reused for a person while
    their inputs are the same.

    The engine reads `now` only against the day plans' window bounds (a day not begun before its
    check-in window opens, pending until its check-out window closes), so results computed at
    another moment with the same live days, plans, day kinds and *phase* — how many of those bounds
    lie behind `now` — are the very same results. `key` holds all of these.
    """

    key: tuple[object, ...]  # (first live day, first day ahead, phase, kinds, plans)
    people: dict[str, _OpenPerson] = field(default_factory=dict)


@dataclass(slots=True)
class _Ahead:
    """The month's days ahead — no schedule's check-in window has opened yet — per person, valid while their
    input version holds and the first of them has not begun (see `_ahead_days`)."""

    first: date
    version: int
    people: dict[str, tuple[StaffRow, tuple[DayResult, ...]]] = field(default_factory=dict)


@dataclass(slots=True)
class _Month:
    version: int
    closed_until: date  # the people's results cover the month's first day … this day
    people: dict[str, tuple[StaffRow, tuple[DayResult, ...]]] = field(default_factory=dict)
    derived: dict[tuple[str, str], tuple[tuple[DayResult, ...], object]] = field(default_factory=dict)
    open: _OpenDays | None = None
    ahead: _Ahead | None = None

    def hands_out(self, person_id: str, results: Sequence[DayResult]) -> bool:
        """Whether `results` is the very tuple this month hands out as the person's whole month."""
        closed = self.people.get(person_id)
        if closed is not None and closed[1] is results:
            return True
        held = self.open.people.get(person_id) if self.open is not None else None
        return held is not None and held.month is results


class DayResultsCache:
    """Per month, each person's results of the closed days, valid while the month's input version holds.

    Thread-safe: lookups and stores take a lock; computing happens outside it (two threads may both
    compute a month once, the later store wins). At most `max_months` months are kept (least
    recently used go first): a month of 10,000 people holds ~310,000 results (measured: a whole
    month's sheet of 10,000 with its rows is ~110 MB of Python objects), so the default keeps two —
    this month and the last, the ones people open.
    """

    def __init__(self, max_months: int = 2) -> None:
        self.max_months = max_months
        self._months: OrderedDict[tuple[int, int], _Month] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0  # people served from the cache (for tests and benches)
        self.computed = 0  # people whose closed days were computed into the cache
        self.open_computed = 0  # people whose open days were computed (their inputs of them changed)
        self.open_reused = 0  # people whose open days were reused
        self.open_read = 0  # people whose live days' inputs were read (their version changed, or new to the cache)
        self.ahead_computed = 0  # people whose days ahead were computed (a day began, or their inputs changed)

    def _peek(self, key: tuple[int, int]) -> _Month | None:
        with self._lock:
            return self._months.get(key)

    def _get(self, key: tuple[int, int], version: int) -> _Month | None:
        with self._lock:
            entry = self._months.get(key)
            if entry is None:
                return None
            if entry.version != version:
                del self._months[key]
                return None
            self._months.move_to_end(key)
            return entry

    def _put(self, key: tuple[int, int], entry: _Month) -> None:
        with self._lock:
            self._months[key] = entry
            self._months.move_to_end(key)
            while len(self._months) > self.max_months:
                self._months.popitem(last=False)

    def derived(self, kind: str, person_id: str, results: Sequence[DayResult], build: Callable[[], T]) -> T:
        """`build()`, memoised for a person's cached month: when `results` is the very tuple the cache
        holds for the person's whole month (as `staff_days` hands it out), a later call with it gets
        the same value back (e.g. a timesheet row's symbols and totals); otherwise it is just built."""
        with self._lock:
            for entry in self._months.values():
                if entry.hands_out(person_id, results):
                    found = entry.derived.get((kind, person_id))
                    if found is not None and found[0] is results:
                        return found[1]  # type: ignore[return-value]
                    break
            else:
                return build()
        value = build()
        with self._lock:
            entry.derived[(kind, person_id)] = (results, value)  # type: ignore[assignment]
        return value

    def clear(self) -> None:
        with self._lock:
            self._months.clear()


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


def _input_days(schedules: Sequence[WorkSchedule], first: date, last: date, tz: tzinfo) -> tuple[date, date]:
    """The local days whose events can reach the results of [first, last]: from the day the earliest
    check-in window opens to the day the latest check-out window closes (a night shift's next morning)."""
    if not schedules:
        return first, last
    opens = min(s.plan(first).in_open for s in schedules)
    closes = max(s.plan(last).out_close for s in schedules)
    return min(first, datetime.fromtimestamp(opens, tz).date()), max(last, datetime.fromtimestamp(closes, tz).date())


def _period(calendar: WorkCalendar, first: date, last: date) -> tuple[list[date], list[DayKind]]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return days, [calendar.kind(d) for d in days]


@dataclass(slots=True)
class _Loaded:
    """A period's inputs besides the staff rows: what `evaluate_days` takes for each person."""

    plans: dict[str, list[DayPlan]]  # every schedule's plan of each day of the period, by schedule code
    kinds: list[DayKind]
    absences: dict[str, dict[date, list[Absence]]]
    in_force: dict[str, dict[date, Correction]]
    now_ts: float | None
    start: datetime  # the events' query window
    end: datetime


def _load(
    conn: psycopg.Connection,
    staff: Sequence[StaffRow],
    first: date,
    last: date,
    now: datetime | None,
    inputs: Inputs,
) -> _Loaded:
    """Absences, corrections in force and day plans of [first, last] for `staff`, and the window of events
    that can count: only events inside some day's check-in … check-out window do (`evaluate_day` bisects to
    it), so a short period asks for those and no more (a single day reads one day of events, not three)."""
    from hub.timekeeping.service import local_bounds

    days, kinds = _period(inputs.calendar, first, last)
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
    return _Loaded(plans, kinds, absences, in_force, now_ts, start, end)


def _person_results(
    loaded: _Loaded, member: StaffRow, times: Sequence[float], directions: Sequence[str | None]
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
    loaded = _load(conn, staff, first, last, now, inputs)
    results: dict[str, list[DayResult]] = {}
    with cyclic_gc_paused():
        for member, times, directions in _punches_of(conn, staff, loaded):
            results[member.person_id] = _person_results(loaded, member, times, directions)
    return results


def _punches_of(
    conn: psycopg.Connection, staff: Sequence[StaffRow], loaded: _Loaded
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
    as `_join_open` says; a shorter request (today's presence) uses them when all its people are cached.
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
    held = previous = cache._peek(key)
    if held is not None and fill and held.closed_until < closed_until:
        held = None  # more days have closed since: compute the month again
    # The version covers the cached days only (plus the days their windows reach, for night shifts): today's
    # events do not throw away the closed days of this month. It is read before any input, so a change
    # committed meanwhile shows as a newer version next time. No closed day: nothing to cover.
    covered = held.closed_until if held is not None else closed_until
    version = (
        repository.input_version(conn, *_input_days(every_schedule, m_first, covered, LOCAL))
        if covered >= m_first
        else 0
    )
    entry = cache._get(key, version) if held is not None else None
    if entry is None and fill:
        entry = _Month(version, closed_until)
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
        cache._put(key, entry)
    cache.hits += len(staff) - len(missing)
    if opened:
        return _join_open(cache, entry, cached, staff, first, last, conn, now, inputs, m_first, m_last)
    return _join(cached, staff, first, last, upto, conn, now, inputs, m_first)


def _phase(plans: dict[str, list[DayPlan]], now: datetime | None) -> int:
    """How many of the days' window bounds (check-in opens, check-out closes) `now` has passed."""
    if now is None:
        return -1
    bounds = sorted({b for day_plans in plans.values() for p in day_plans for b in (p.in_open, p.out_close)})
    return bisect_right(bounds, now.timestamp())


def _join_open(
    cache: DayResultsCache,
    entry: _Month,
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
    holds (`_Ahead`, like the closed days). The *live* days between (today; yesterday too until a night
    shift's check-out window closes) are read again when their input version changed since a person's were
    read (one query of a day's events, after any arrival), and each person's are computed again only when
    one of their inputs differs from what they were computed from (`_OpenDays`): at 8 a.m. the events of
    the people who just arrived, not the whole administration's.
    """
    from hub.timekeeping.service import LOCAL

    members = [m for m in staff if m.person_id in cached]
    open_first = entry.closed_until + timedelta(days=1)
    every_schedule = list(inputs.schedules.values())
    ahead_first = _first_day_ahead(now, every_schedule, open_first, m_last)
    ahead = _ahead_days(cache, entry, members, ahead_first, m_last, conn, now, inputs)
    live_last = ahead_first - timedelta(days=1)
    days, kinds = _period(inputs.calendar, open_first, live_last) if open_first <= live_last else ([], [])
    plans = {code: [schedule.plan(d) for d in days] for code, schedule in inputs.schedules.items()}
    key = (open_first, ahead_first, _phase(plans, now), kinds, plans)
    # read before the inputs, as for the closed days; a person's live days read at this version are not read
    # again until it changes (an arrival anywhere changes it: then everyone's are read and compared)
    version = repository.input_version(conn, *_input_days(every_schedule, open_first, live_last, LOCAL)) if days else 0
    held = entry.open
    if held is None or held.key != key:
        held = entry.open = _OpenDays(key)
    lo, hi = (first - m_first).days, (last - m_first).days + 1
    whole = lo == 0 and hi == (m_last - m_first).days + 1
    results: dict[str, Sequence[DayResult]] = {}
    stale: list[StaffRow] = []
    for member in members:
        found = held.people.get(member.person_id)
        if found is None or found.version != version or (found.member is not member and found.member != member):
            stale.append(member)
    computed = 0

    def one(live: _Loaded, member: StaffRow, times: Sequence[float], directions: Sequence[str | None]) -> None:
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
            days = tuple(_person_results(live, member, times, directions)) if live.kinds else ()
            month = (*closed, *days, *later)
            found = _OpenPerson(member, times, directions, absences, corrections, days, closed, later, month, version)
            computed += 1
        else:  # the same inputs: the same live days (joined again below if the closed days or those ahead changed)
            found = _OpenPerson(
                member, times, directions, absences, corrections, found.results, found.closed, found.ahead,
                found.month, version,
            )  # fmt: skip
        held.people[person] = found

    with cyclic_gc_paused():
        if stale and days:
            live = _load(conn, stale, open_first, live_last, now, inputs)
            for member, times, directions in _punches_of(conn, stale, live):
                one(live, member, times, directions)
        elif stale:  # no day is live (e.g. 04:30, before any check-in window opens): nothing to read
            live = _Loaded(plans, kinds, {}, {}, now.timestamp() if now is not None else None, _EPOCH, _EPOCH)
            for member in stale:
                one(live, member, (), ())
        for member in members:
            person = member.person_id
            found = held.people[person]
            closed, later = cached[person], ahead[person]
            if found.closed is not closed or found.ahead is not later:  # computed again (a late event, a leave ahead)
                found = held.people[person] = _OpenPerson(
                    found.member, found.times, found.directions, found.absences, found.corrections, found.results,
                    closed, later, (*closed, *found.results, *later), found.version,
                )  # fmt: skip
            results[person] = found.month if whole else found.month[lo:hi]
    cache.open_computed += computed
    cache.open_reused += len(members) - computed
    cache.open_read += len(stale) if days else 0
    return results


def _first_day_ahead(now: datetime | None, schedules: Sequence[WorkSchedule], first: date, last: date) -> date:
    """The first day of [first, last] whose check-in window opens after `now` for every schedule (so do the
    days after it); the day after `last` when there is none."""
    if now is None or not schedules:
        return last + timedelta(days=1)
    now_ts = now.timestamp()
    day = first
    while day <= last and min(s.plan(day).in_open for s in schedules) <= now_ts:
        day += timedelta(days=1)
    return day


def _ahead_days(
    cache: DayResultsCache,
    entry: _Month,
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
    before its check-in window opens. So the results are kept (`_Month.ahead`) until a day of them begins
    (`first` moves) or their input version — over exactly the days whose events can reach them, read
    before their inputs — changes (an approved leave next week, a calendar decision).
    """
    if first > last:
        return {m.person_id: () for m in members}
    from hub.timekeeping.service import LOCAL

    version = repository.input_version(conn, *_input_days(list(inputs.schedules.values()), first, last, LOCAL))
    held = entry.ahead
    if held is None or held.first != first or held.version != version:
        held = entry.ahead = _Ahead(first, version)
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


_EPOCH = datetime.fromtimestamp(0, UTC)


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
