"""Periods as the pages name them: a month (`yyyy-mm` in addresses), a day, today by the hub's clock.

Addresses keep the ISO spelling (`/attendance/timesheet/DOI1/2026-11`) so a link can be written
by hand or by another system; people see and pick periods with the pickers
(`ui.components.month_picker`, `ui.components.date_range`), never by typing this spelling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from ui.components.format import LOCAL_TZ

#: the years a picker offers (the hub keeps no attendance from before 2000; a year past 2099 is a typo)
FIRST_YEAR = 2000
LAST_YEAR = 2099


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ordered, so a picker can compare it with its limits."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """'2026-11' → Month(2026, 11); None for anything else (an address typed wrong)."""
        try:
            first = date.fromisoformat(f"{text}-01") if len(text) == 7 else None
        except ValueError:
            return None
        return cls(first.year, first.month) if first else None

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def text(self) -> str:
        """The address spelling, '2026-11'."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """How a page titles it, '11/2026'."""
        return f"{self.month:02d}/{self.year}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return self.shift(1).first - timedelta(days=1)

    def shift(self, delta: int) -> Month:
        """The month `delta` months later (earlier when negative)."""
        index = self.year * 12 + self.month - 1 + delta
        return Month(index // 12, index % 12 + 1)


def parse_day(text: str) -> date | None:
    """'2026-11-23' (an address) → the date; None for anything else."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_local_date(text: str) -> date | None:
    """A date as a person types it, '23/11/2026' (or '2026-11-23'); '' → None; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class HasClock(Protocol):
    def now(self) -> datetime: ...


def today_local(services: HasClock) -> date:
    """Today in Hanoi by the hub's clock (`services.now()`: a bench or a test sets other hours)."""
    return services.now().astimezone(LOCAL_TZ).date()
