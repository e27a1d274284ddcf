"""Annual leave entitlement (ngày nghỉ hằng năm) from the Labour Code 2019 and Decree 145/2020.

- Art. 113(1): 12 / 14 / 16 working days a year by working conditions (normal; minors, people with
  disabilities, heavy, hazardous or dangerous jobs; especially heavy, hazardous or dangerous jobs).
- Art. 114: +1 day for every full 5 years with the same employer, counted from the employee's
  service start (ngày bắt đầu công tác). Which date of the year the years are counted on is not in
  the law [U]: the policy says (`seniority_as_of`, default the year's last day — the 5th anniversary
  falling in the year gives the day that year).
- Art. 113(2) + Decree 145 art. 66: under 12 months in the year, (base + seniority) / 12 × months
  worked, a month counting when its worked plus paid-leave days reach half its normal working
  days. The rounding is not in the law [U]: the policy's `partial_rounding` — `half_up` (default:
  a fraction of ≥ 0.5 day becomes a whole day), `half_day` (to the nearest 0.5), `down`, `up`,
  or `none` (one decimal).

Everything here is pure: the policy's numbers come from the `leave_policies` table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class WorkingCondition(StrEnum):
    NORMAL = "normal"  # điều kiện bình thường: 12 ngày
    HEAVY = "heavy"  # nặng nhọc, độc hại, nguy hiểm; chưa thành niên; khuyết tật: 14 ngày
    ESPECIALLY_HEAVY = "especially_heavy"  # đặc biệt nặng nhọc, độc hại, nguy hiểm: 16 ngày


class Rounding(StrEnum):
    HALF_UP = "half_up"
    HALF_DAY = "half_day"
    DOWN = "down"
    UP = "up"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class LeavePolicy:
    """One row of `leave_policies` (the defaults are the Labour Code's)."""

    code: str = "default"
    base_normal: float = 12
    base_heavy: float = 14
    base_especially_heavy: float = 16
    seniority_every_years: int = 5
    seniority_days: float = 1
    seniority_as_of: str = "year_end"  # or "year_start"
    partial_rounding: Rounding = Rounding.HALF_UP
    carry_over_max_days: float | None = None  # None: no cap
    carry_over_until: str | None = None  # "MM-DD" of the next year; None: carried days do not lapse
    carry_over_years: int = 3  # art. 113(4): leave may be combined across at most 3 years

    def base(self, condition: WorkingCondition | str) -> float:
        return {
            WorkingCondition.NORMAL: self.base_normal,
            WorkingCondition.HEAVY: self.base_heavy,
            WorkingCondition.ESPECIALLY_HEAVY: self.base_especially_heavy,
        }[WorkingCondition(condition)]

    def carry_expiry(self, closed_year: int) -> date | None:
        """The day carried days of `closed_year` lapse after (None: they do not)."""
        if self.carry_over_until is None:
            return None
        month, day = (int(p) for p in self.carry_over_until.split("-"))
        return date(closed_year + 1, month, day)


def round_days(value: float, rounding: Rounding | str) -> float:
    """Round a prorated entitlement as the policy says (decimal arithmetic: 5.5 is 5.5, not 5.4999…)."""
    exact = Decimal(str(value))
    match Rounding(rounding):
        case Rounding.HALF_UP:
            return float(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        case Rounding.HALF_DAY:
            return float((exact * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2)
        case Rounding.DOWN:
            return float(math.floor(exact))
        case Rounding.UP:
            return float(math.ceil(exact))
        case Rounding.NONE:
            return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def full_years(start: date, on: date) -> int:
    """Whole years from `start` to `on` (the anniversary day itself completes a year)."""
    if on < start:
        return 0
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def seniority_days(policy: LeavePolicy, service_start: date | None, year: int) -> tuple[float, int]:
    """Art. 114: (days, full years of service) for `year` (0 without a service start)."""
    if service_start is None:
        return 0.0, 0
    on = date(year, 12, 31) if policy.seniority_as_of == "year_end" else date(year, 1, 1)
    years = full_years(service_start, on)
    return (years // policy.seniority_every_years) * policy.seniority_days, years


@dataclass(frozen=True, slots=True)
class MonthWorked:
    month: int
    working_days: int  # the month's normal working days (calendar)
    counted_days: float  # worked + paid leave (employed working days minus unpaid absence)
    counts: bool  # ≥ half of working_days (Decree 145 art. 66)


def months_worked(
    working_days_between: Callable[[date, date], int],
    year: int,
    employed_from: date | None,
    employed_to: date | None,
    unpaid_days: Mapping[int, float] | None = None,
) -> list[MonthWorked]:
    """Each month of `year`: whether it counts as a month worked for art. 66.

    `working_days_between(first, last)` is the calendar's count; the days of a month the person
    was employed are taken as worked or on paid leave, less `unpaid_days[month]` (unpaid leave
    beyond what art. 65 counts, sick days beyond its allowance, absence without leave).
    """
    found: list[MonthWorked] = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        normal = working_days_between(first, last)
        lo = max(first, employed_from) if employed_from else first
        hi = min(last, employed_to) if employed_to else last
        employed = working_days_between(lo, hi) if lo <= hi else 0
        counted = max(0.0, employed - (unpaid_days or {}).get(month, 0.0))
        found.append(MonthWorked(month, normal, counted, normal > 0 and counted * 2 >= normal))
    return found


@dataclass(frozen=True, slots=True)
class Entitlement:
    year: int
    condition: WorkingCondition
    base_days: float
    seniority_days: float
    service_years: int
    months: int  # months counted (12 for a whole year)
    entitled_days: float  # after prorating and rounding
    prorated: bool
    exact_days: float  # before rounding
    rounding: Rounding
    notes: tuple[tuple[str, str], ...] = field(default=())  # (Vietnamese, English) explanation lines


def entitlement(
    policy: LeavePolicy,
    year: int,
    condition: WorkingCondition | str,
    service_start: date | None,
    employed_from: date | None,
    employed_to: date | None,
    working_days_between: Callable[[date, date], int] | None = None,
    unpaid_days: Mapping[int, float] | None = None,
) -> Entitlement:
    """The year's annual leave: base + seniority, prorated when not employed (or worked) all year."""
    cond = WorkingCondition(condition)
    base = policy.base(cond)
    start_of_service = service_start or employed_from
    senior, years = seniority_days(policy, start_of_service, year)
    notes = [
        (
            f"Cơ bản {base:g} ngày (Điều 113, điều kiện: {_CONDITION_VI[cond]})",
            f"Base {base:g} days (art. 113, conditions: {cond.value.replace('_', ' ')})",
        ),
        (
            f"Thâm niên {senior:g} ngày ({years} năm đủ, Điều 114)",
            f"Seniority {senior:g} days ({years} full years, art. 114)",
        ),
    ]
    whole_year = (employed_from is None or employed_from <= date(year, 1, 1)) and (
        employed_to is None or employed_to >= date(year, 12, 31)
    )
    if whole_year and not unpaid_days:
        total = base + senior
        rounding = policy.partial_rounding
        return Entitlement(year, cond, base, senior, years, 12, total, False, total, rounding, tuple(notes))
    if working_days_between is None:
        raise ValueError("a partial year needs the calendar's working days")
    months = months_worked(working_days_between, year, employed_from, employed_to, unpaid_days)
    counted = sum(1 for m in months if m.counts)
    exact = (base + senior) / 12 * counted
    rounded = round_days(exact, policy.partial_rounding)
    notes.append(
        (
            f"Chưa đủ 12 tháng: ({base:g} + {senior:g}) / 12 × {counted} tháng = {exact:.2f}, làm tròn"
            f" ({policy.partial_rounding.value}) {rounded:g} (Nghị định 145, Điều 66)",
            f"Under 12 months: ({base:g} + {senior:g}) / 12 × {counted} months = {exact:.2f}, rounded"
            f" ({policy.partial_rounding.value}) {rounded:g} (Decree 145 art. 66)",
        )
    )
    return Entitlement(
        year, cond, base, senior, years, counted, rounded, counted < 12, exact, policy.partial_rounding, tuple(notes)
    )


_CONDITION_VI = {
    WorkingCondition.NORMAL: "bình thường",
    WorkingCondition.HEAVY: "nặng nhọc, độc hại, nguy hiểm",
    WorkingCondition.ESPECIALLY_HEAVY: "đặc biệt nặng nhọc, độc hại, nguy hiểm",
}
