"""Reporting periods and their data cut-off (thời gian chốt số liệu), Decree 09/2019/NĐ-CP Art. 12.

The rule, as DOMAIN.md §2 restates it [S: a provincial decision restating Decree 09]:
- monthly: from the 15th of the previous month to the 14th of the reporting month
  (the report for 03/2026 covers 2026-02-15 … 2026-03-14; for 01/2026, 2025-12-15 … 2026-01-14);
- quarterly: from the 15th of the month before the quarter to the 14th of its last month
  (Q1 2026: 2025-12-15 … 2026-03-14);
- six-monthly: 15 December of the previous year to 14 June; nine-monthly: to 14 September;
- yearly: 15 December of the previous year to 14 December.

Every period is "from day D of the month before its first month to the day before day D of its last
month"; D (15 by the decree) is the regime's `cutoff_day`, data of the regime (DOMAIN.md: compute periods
from the regime, never from fixed code), so a regime under another rule states its own. D may be 1..28,
so the start day exists in every month (February included, leap or not).

A six-month report exists only for the first half (H1): Decree 09 has no "second six months" report,
the yearly report covers the rest; `2026-H2` is refused as a period that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hub.domain import Invalid, bilingual

DECREE_CUTOFF_DAY = 15
CUTOFF_BASIS = "Nghị định 09/2019/NĐ-CP, Điều 12"
FIRST_YEAR = 2000
LAST_YEAR = 2100


class Frequency(StrEnum):
    MONTHLY = "monthly"  # hằng tháng
    QUARTERLY = "quarterly"  # hằng quý
    HALF_YEAR = "half-year"  # 6 tháng
    NINE_MONTH = "nine-month"  # 9 tháng
    YEARLY = "yearly"  # hằng năm


FREQUENCY_LABELS: dict[Frequency, tuple[str, str]] = {
    Frequency.MONTHLY: ("Hằng tháng", "Monthly"),
    Frequency.QUARTERLY: ("Hằng quý", "Quarterly"),
    Frequency.HALF_YEAR: ("6 tháng", "Six-monthly"),
    Frequency.NINE_MONTH: ("9 tháng", "Nine-monthly"),
    Frequency.YEARLY: ("Hằng năm", "Yearly"),
}

#: how a period of each frequency is written, and an example
_FORMS: dict[Frequency, tuple[re.Pattern[str], str]] = {
    Frequency.MONTHLY: (re.compile(r"^(\d{4})-(\d{2})$"), "2026-03"),
    Frequency.QUARTERLY: (re.compile(r"^(\d{4})-Q(\d)$"), "2026-Q1"),
    Frequency.HALF_YEAR: (re.compile(r"^(\d{4})-H(\d)$"), "2026-H1"),
    Frequency.NINE_MONTH: (re.compile(r"^(\d{4})-9M$"), "2026-9M"),
    Frequency.YEARLY: (re.compile(r"^(\d{4})$"), "2026"),
}


class InvalidPeriod(Invalid):
    """A period that does not exist (2026-13, 2026-Q5, one of another frequency, garbage)."""


class InvalidFrequency(Invalid):
    """A frequency other than the five of Decree 09's periodic reports."""


def frequency(value: str) -> Frequency:
    try:
        return Frequency(value)
    except ValueError:
        names = ", ".join(f.value for f in Frequency)
        raise InvalidFrequency(
            bilingual(f"tần suất báo cáo không hợp lệ (chọn một trong: {names})",
                      f"not a reporting frequency (one of: {names})")
        ) from None  # fmt: skip


@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period of a frequency: `key` as written ("2026-03", "2026-Q1", "2026-H1", "2026-9M",
    "2026"), its year, its index in the year (month 1..12, quarter 1..4, half 1, 1 for 9M and the year)."""

    frequency: Frequency
    year: int
    index: int

    @property
    def key(self) -> str:
        f = self.frequency
        if f is Frequency.MONTHLY:
            return f"{self.year}-{self.index:02d}"
        if f is Frequency.QUARTERLY:
            return f"{self.year}-Q{self.index}"
        if f is Frequency.HALF_YEAR:
            return f"{self.year}-H{self.index}"
        if f is Frequency.NINE_MONTH:
            return f"{self.year}-9M"
        return str(self.year)

    @property
    def last_month(self) -> int:
        """The month the period's data ends in (its 14th under the decree)."""
        f = self.frequency
        if f is Frequency.MONTHLY:
            return self.index
        if f is Frequency.QUARTERLY:
            return 3 * self.index
        return {Frequency.HALF_YEAR: 6, Frequency.NINE_MONTH: 9}.get(f, 12)

    @property
    def first_month(self) -> int:
        """The first calendar month the report is about (its data starts on day D of the month before)."""
        f = self.frequency
        if f is Frequency.MONTHLY:
            return self.index
        if f is Frequency.QUARTERLY:
            return 3 * self.index - 2
        return 1

    def cutoff(self, cutoff_day: int = DECREE_CUTOFF_DAY) -> tuple[date, date]:
        """(first, last) day of the data the report covers, both included."""
        check_cutoff_day(cutoff_day)
        year, month = (self.year - 1, 12) if self.first_month == 1 else (self.year, self.first_month - 1)
        start = date(year, month, cutoff_day)
        end = date(self.year, self.last_month, cutoff_day) - timedelta(days=1)
        return start, end

    def previous(self) -> Period:
        """The period before (of the same frequency): 2026-01 → 2025-12, 2026-Q1 → 2025-Q4, 2026-H1 → 2025-H1."""
        count = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4}.get(self.frequency, 1)
        if self.index > 1:
            return Period(self.frequency, self.year, self.index - 1)
        return Period(self.frequency, self.year - 1, count)

    def next(self) -> Period:
        count = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4}.get(self.frequency, 1)
        if self.index < count:
            return Period(self.frequency, self.year, self.index + 1)
        return Period(self.frequency, self.year + 1, 1)


def check_cutoff_day(day: int) -> int:
    if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 28:
        raise InvalidPeriod(
            bilingual("ngày chốt số liệu phải từ 1 đến 28 (Nghị định 09/2019: ngày 15)",
                      "the cut-off day must be 1..28 (Decree 09/2019: the 15th)")
        )  # fmt: skip
    return day


def _refuse(text: str, freq: Frequency) -> InvalidPeriod:
    shown = repr(text) if len(text) <= 20 and text.isprintable() else "(không đọc được / unreadable)"
    vi_f, en_f = FREQUENCY_LABELS[freq]
    example = _FORMS[freq][1]
    return InvalidPeriod(
        bilingual(f"kỳ báo cáo không tồn tại với tần suất {vi_f.lower()}: {shown} (ví dụ: {example})",
                  f"no such {en_f.lower()} reporting period: {shown} (e.g. {example})")
    )  # fmt: skip


def parse_period(freq: Frequency | str, text: str) -> Period:
    """The period `text` names for this frequency; InvalidPeriod (vi / en) if it does not exist."""
    freq = frequency(freq) if not isinstance(freq, Frequency) else freq
    pattern, _ = _FORMS[freq]
    found = pattern.match(text or "") if isinstance(text, str) and len(text) <= 20 else None
    if found is None:
        raise _refuse(str(text), freq)
    year = int(found.group(1))
    index = int(found.group(2)) if found.lastindex and found.lastindex >= 2 else 1
    limit = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4}.get(freq, 1)
    if not FIRST_YEAR < year <= LAST_YEAR or not 1 <= index <= limit:
        raise _refuse(text, freq)
    return Period(freq, year, index)


def period_containing(freq: Frequency, day: date, cutoff_day: int = DECREE_CUTOFF_DAY) -> Period:
    """The period of this frequency whose data includes `day`. For the frequencies that do not tile the year
    (six- and nine-monthly), the next such period that ends on or after `day`."""
    check_cutoff_day(cutoff_day)
    # the period whose last month holds `day` (before day D) or the month after (from day D)
    year, month = day.year, day.month
    if day.day >= cutoff_day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if freq is Frequency.MONTHLY:
        return Period(freq, year, month)
    if freq is Frequency.QUARTERLY:
        return Period(freq, year, (month + 2) // 3)
    last = {Frequency.HALF_YEAR: 6, Frequency.NINE_MONTH: 9}.get(freq, 12)
    return Period(freq, year if month <= last else year + 1, 1)


def last_closed(freq: Frequency, day: date, cutoff_day: int = DECREE_CUTOFF_DAY) -> Period:
    """The latest period of this frequency whose data ended before `day` (the one open for reporting)."""
    p = period_containing(freq, day, cutoff_day)
    while p.cutoff(cutoff_day)[1] >= day:
        p = p.previous()
    return p
