"""`DayResultsCache`: per month, the closed days' results, the live days' and the days ahead, each kept
while its inputs hold (see `hub.timekeeping.days` for when each is valid)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from hub.timekeeping.engine import Absence, Correction, DayResult
from hub.timekeeping.repository import StaffRow

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class OpenPerson:
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
class OpenDays:
    """The month's live days (not over, begun for some schedule), per person: reused for a person while
    their inputs are the same.

    The engine reads `now` only against the day plans' window bounds (a day not begun before its
    check-in window opens, pending until its check-out window closes), so results computed at
    another moment with the same live days, plans, day kinds and *phase* — how many of those bounds
    lie behind `now` — are the very same results. `key` holds all of these.
    """

    key: tuple[object, ...]  # (first live day, first day ahead, phase, kinds, plans)
    people: dict[str, OpenPerson] = field(default_factory=dict)


@dataclass(slots=True)
class Ahead:
    """The month's days ahead — no schedule's check-in window has opened yet — per person, valid while their
    input version holds and the first of them has not begun (see `ahead_days`)."""

    first: date
    version: int
    people: dict[str, tuple[StaffRow, tuple[DayResult, ...]]] = field(default_factory=dict)


@dataclass(slots=True)
class Month:
    version: int
    closed_until: date  # the people's results cover the month's first day … this day
    people: dict[str, tuple[StaffRow, tuple[DayResult, ...]]] = field(default_factory=dict)
    derived: dict[tuple[str, str], tuple[tuple[DayResult, ...], object]] = field(default_factory=dict)
    open: OpenDays | None = None
    ahead: Ahead | None = None

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
        self._months: OrderedDict[tuple[int, int], Month] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0  # people served from the cache (for tests and benches)
        self.computed = 0  # people whose closed days were computed into the cache
        self.open_computed = 0  # people whose open days were computed (their inputs of them changed)
        self.open_reused = 0  # people whose open days were reused
        self.open_read = 0  # people whose live days' inputs were read (their version changed, or new to the cache)
        self.ahead_computed = 0  # people whose days ahead were computed (a day began, or their inputs changed)

    def peek(self, key: tuple[int, int]) -> Month | None:
        with self._lock:
            return self._months.get(key)

    def get(self, key: tuple[int, int], version: int) -> Month | None:
        with self._lock:
            entry = self._months.get(key)
            if entry is None:
                return None
            if entry.version != version:
                del self._months[key]
                return None
            self._months.move_to_end(key)
            return entry

    def put(self, key: tuple[int, int], entry: Month) -> None:
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
