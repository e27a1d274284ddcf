"""How many working days a leave request takes, on the working calendar (§0.3 of the domain notes).

Weekends, public holidays, nghỉ bù and swapped days off inside a request are not counted; a
make-up Saturday (ngày làm bù) inside it is. Whether holidays inside a leave period are deducted
is [U] in the domain notes: here they are not (art. 111/112 days are paid days off in their own
right), which is what `DayKind.is_working` says. A half day (morning or afternoon) counts 0.5 when
it falls on a working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hub.domain import Invalid
from hub.timekeeping.calendar import DayKind, WorkCalendar

#: the longest request accepted, in calendar days (maternity: 6 months + margin)
MAX_SPAN_DAYS = 200


class Part(StrEnum):
    FULL = "full"  # cả ngày
    MORNING = "morning"  # buổi sáng
    AFTERNOON = "afternoon"  # buổi chiều


class InvalidPeriod(Invalid):
    """The dates or half days of a request do not make a period."""


@dataclass(frozen=True, slots=True)
class CountedDay:
    day: date
    kind: DayKind
    name: str | None
    days: float  # 0, 0.5 or 1


@dataclass(frozen=True, slots=True)
class Count:
    working_days: float
    days: tuple[CountedDay, ...]

    @property
    def skipped(self) -> tuple[CountedDay, ...]:
        """Days inside the period that are not counted (weekends, holidays, days off)."""
        return tuple(d for d in self.days if d.days == 0)


def check_period(
    first: date, last: date, first_part: Part | str = Part.FULL, last_part: Part | str = Part.FULL
) -> None:
    """Raise InvalidPeriod (Vietnamese / English) unless the period is one a request may have."""
    first_part, last_part = Part(first_part), Part(last_part)
    if last < first:
        raise InvalidPeriod(
            f"ngày kết thúc {last:%d/%m/%Y} trước ngày bắt đầu {first:%d/%m/%Y} /"
            f" the end {last:%d/%m/%Y} is before the start {first:%d/%m/%Y}"
        )
    if (last - first).days + 1 > MAX_SPAN_DAYS:
        raise InvalidPeriod(f"một đơn tối đa {MAX_SPAN_DAYS} ngày / at most {MAX_SPAN_DAYS} days per request")
    if first < last and (first_part is Part.MORNING or last_part is Part.AFTERNOON):
        raise InvalidPeriod(
            "nghỉ nhiều ngày chỉ có thể bắt đầu buổi chiều và kết thúc buổi sáng /"
            " a multi-day leave may only start in the afternoon and end in the morning"
        )
    if first == last and Part.FULL not in (first_part, last_part) and first_part is not last_part:
        raise InvalidPeriod("một ngày: chọn cả ngày, buổi sáng hoặc buổi chiều / one day: full, morning or afternoon")


def count_days(
    calendar: WorkCalendar,
    first: date,
    last: date,
    first_part: Part | str = Part.FULL,
    last_part: Part | str = Part.FULL,
) -> Count:
    """The working days of [first, last] with their half days, and each day's kind for the form."""
    check_period(first, last, first_part, last_part)
    first_part, last_part = Part(first_part), Part(last_part)
    if first == last and first_part is Part.FULL:
        first_part = last_part
    days: list[CountedDay] = []
    day = first
    while day <= last:
        info = calendar.day(day)
        share = 1.0
        if day == first and first_part is not Part.FULL:
            share = 0.5
        elif day == last and last_part is not Part.FULL:
            share = 0.5
        days.append(CountedDay(day, info.kind, info.name, share if info.is_working else 0.0))
        day += timedelta(days=1)
    return Count(sum(d.days for d in days), tuple(days))


def working_days(
    calendar: WorkCalendar,
    first: date,
    last: date,
    first_part: Part | str = Part.FULL,
    last_part: Part | str = Part.FULL,
) -> float:
    return count_days(calendar, first, last, first_part, last_part).working_days


class WorkingDayCounter:
    """`between(first, last)` in O(1): the calendar's working days counted once per year (prefix sums),
    for counting many people's months at once (balances of a whole organisation)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._prefix: dict[int, list[int]] = {}

    def _upto(self, day: date) -> int:
        """Working days from 1 January of `day`'s year to `day` inclusive."""
        prefix = self._prefix.get(day.year)
        if prefix is None:
            prefix, total, current = [], 0, date(day.year, 1, 1)
            while current.year == day.year:
                total += self.calendar.is_working_day(current)
                prefix.append(total)
                current += timedelta(days=1)
            self._prefix[day.year] = prefix
        return prefix[day.timetuple().tm_yday - 1]

    def between(self, first: date, last: date) -> int:
        if last < first:
            return 0
        if first.year == last.year:
            before = self._upto(first - timedelta(days=1)) if first.timetuple().tm_yday > 1 else 0
            return self._upto(last) - before
        return self.calendar.working_days_between(first, last)
