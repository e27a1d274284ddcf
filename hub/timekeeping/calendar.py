"""The working calendar: public holidays, nghỉ bù and each year's swap days (lịch làm việc).

The law (Bộ luật Lao động 2019, art. 112) fixes the list of paid public holidays:

- Tết Dương lịch: 1/1;
- Tết Âm lịch: 5 days. The Government picks them each year; the usual pattern, used here
  by default, is the last day of the lunar year plus mùng 1–4 Tết;
- Giỗ Tổ Hùng Vương: 10/3 lunar (the first month 3 if the year has a leap third month);
- Ngày Chiến thắng 30/4 and Quốc tế Lao động 1/5;
- Quốc khánh 2/9 plus one adjacent day (1/9 or 3/9), again picked each year.

Art. 111(3): a public holiday that falls on the weekly rest day gives a substitute day off
(nghỉ bù) on the next working day. And every year the Prime Minister lets the public sector
swap a working day for a bridge day off, made up on a Saturday (hoán đổi / làm bù). Those
decisions are data that admins enter as `CalendarAdjustments`, never code.

Lunar dates are computed for UTC+7 (see `lunar`). The rules applied to a year are today's
rules; years before the 2019 code took effect (2021) are not reproduced historically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.inputs import ShortText
from hub.timekeeping.lunar import from_lunar, lunar_new_year, to_lunar

#: Monday=0 … Sunday=6; the public sector works Monday to Friday (Nghị định 145/2020 art. 105 / QĐ 188/1999)
DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})

#: how many days of Tết Âm lịch the code grants
TET_DAYS = 5

#: how far into the year before or after a year's decision may swap days (around New Year)
NEIGHBOUR_DAYS = timedelta(days=31)


class DayKind(StrEnum):
    """What kind of day a date is, before anyone's attendance is looked at."""

    WORKDAY = "workday"  # ngày làm việc
    MAKE_UP_DAY = "make_up_day"  # ngày làm bù: a weekend day worked to pay back a swapped day off
    HOLIDAY = "holiday"  # ngày lễ, tết (art. 112, or added by a decision)
    SUBSTITUTE_HOLIDAY = "substitute_holiday"  # nghỉ bù: a holiday fell on the weekend
    DAY_OFF = "day_off"  # ngày nghỉ hoán đổi: a working day given off by a decision
    WEEKEND = "weekend"  # ngày nghỉ hằng tuần

    @property
    def is_working(self) -> bool:
        return self in _WORKING_KINDS

    @property
    def is_paid_holiday(self) -> bool:
        """Holidays and nghỉ bù are paid days off; a swapped day off is paid back by a make-up day."""
        return self in (DayKind.HOLIDAY, DayKind.SUBSTITUTE_HOLIDAY)


_WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKE_UP_DAY})


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    kind: DayKind
    name: str | None = None

    @property
    def is_working(self) -> bool:
        return self.kind.is_working


class CalendarAdjustments(BaseModel):
    """One year's decisions, as an admin enters them from the Government's announcement.

    - `tet_days`: the 5 Tết days when the decision differs from the default pattern;
    - `national_day_adjacent`: 1/9 or 3/9 (default: the one that joins a weekend, see below);
    - `holidays`: extra paid holidays (a one-off decision, or a new law) — no automatic nghỉ bù;
    - `days_off`: working days given off (hoán đổi) or nghỉ bù placed by the decision;
    - `working_days`: days that are worked although the rules say off: a make-up Saturday, or a
      computed nghỉ bù the decision does not grant. They win over everything except art. 112 days;
    - `names`: display names for any of the dates above (e.g. "Mùng 1 Tết Ất Tỵ").

    Dates in `days_off`/`working_days`/`names` may fall in the neighbouring month of the year
    before or after (`NEIGHBOUR_DAYS`): a decision for New Year can give 31/12 off in exchange for
    a Saturday in January. Extra `holidays` belong to the decision's own year. Anything further
    away is another year's decision and is refused (it would silently change that year).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=1901, le=2199)
    tet_days: tuple[date, ...] | None = None
    national_day_adjacent: date | None = None
    holidays: dict[date, ShortText] = Field(default_factory=dict, max_length=366)
    days_off: dict[date, ShortText] = Field(default_factory=dict, max_length=366)
    working_days: dict[date, ShortText] = Field(default_factory=dict, max_length=366)
    names: dict[date, ShortText] = Field(default_factory=dict, max_length=366)

    @field_validator("tet_days")
    @classmethod
    def _five_distinct_days(cls, value: tuple[date, ...] | None) -> tuple[date, ...] | None:
        if value is None:
            return None
        if len(set(value)) != TET_DAYS:
            raise ValueError(f"Tết Âm lịch is {TET_DAYS} distinct days, got {len(set(value))}")
        return tuple(sorted(value))

    @field_validator("holidays", "days_off", "working_days", "names")
    @classmethod
    def _named(cls, value: dict[date, str]) -> dict[date, str]:
        for day, name in value.items():
            if not name.strip():
                raise ValueError(f"{day}: give the reason or name (e.g. the decision's number)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CalendarAdjustments:
        if self.tet_days is not None:
            new_year = lunar_new_year(self.year)
            far = [d for d in self.tet_days if abs((d - new_year).days) > 10]
            if far:
                raise ValueError(f"Tết days {far} are more than 10 days from mùng 1 Tết {self.year} ({new_year})")
        if self.national_day_adjacent is not None and self.national_day_adjacent not in (
            date(self.year, 9, 1),
            date(self.year, 9, 3),
        ):
            raise ValueError(f"the day next to Quốc khánh must be {self.year}-09-01 or {self.year}-09-03")
        foreign = sorted(d for d in self.holidays if d.year != self.year)
        if foreign:
            raise ValueError(
                f"ngày lễ {foreign[0]} không thuộc năm {self.year}; hãy nhập vào quyết định của năm đó /"
                f" the holiday {foreign[0]} is not in {self.year}; enter it in that year's decision"
            )
        first, last = date(self.year, 1, 1) - NEIGHBOUR_DAYS, date(self.year, 12, 31) + NEIGHBOUR_DAYS
        far = sorted(d for m in (self.days_off, self.working_days, self.names) for d in m if not first <= d <= last)
        if far:
            raise ValueError(
                f"ngày {far[0]} nằm ngoài năm {self.year} và tháng liền kề ({first} – {last}) /"
                f" {far[0]} is outside {self.year} and its neighbouring months ({first} – {last})"
            )
        both = set(self.working_days) & (set(self.days_off) | set(self.holidays))
        if both:
            raise ValueError(f"{sorted(both)} cannot be both a working day and a day off")
        return self


@dataclass(frozen=True, slots=True)
class _Holiday:
    day: date
    name: str


def tet_days(year: int) -> tuple[date, ...]:
    """The default 5 Tết days: the last day of the lunar year and mùng 1 to mùng 4."""
    first = lunar_new_year(year)
    return tuple(first + timedelta(days=i) for i in range(-1, TET_DAYS - 1))


def hung_kings_day(year: int) -> date:
    """Giỗ Tổ Hùng Vương, 10/3 lunar (of the regular, not the leap, third month)."""
    return from_lunar(year, 3, 10)


def default_national_day_adjacent(year: int) -> date:
    """The day added to Quốc khánh when no decision names it.

    Chosen to join 2/9 to a weekend where possible (Mon → 3/9, Thu → 3/9, Fri → 1/9, Sun → 3/9,
    Sat → 1/9), otherwise the day before — which reproduces the decisions of 2021–2025.
    """
    sep2 = date(year, 9, 2)
    after = sep2.weekday() in (0, 3, 6)  # Monday, Thursday, Sunday
    return sep2 + timedelta(days=1 if after else -1)


class RuleKind(StrEnum):
    """How a public-holiday rule gives its dates (one row of `public_holiday_rules`)."""

    SOLAR = "solar"  # month/day of the solar year, `days` days from there
    LUNAR = "lunar"  # month/day of the lunar year (the regular month, not a leap one)
    TET = "tet"  # Tết Âm lịch: `days` days from `day` days around mùng 1 (−1: the last day of the lunar year)
    NATIONAL_DAY_ADJACENT = "national_day_adjacent"  # 1/9 or 3/9, by the year's decision or the default


@dataclass(frozen=True, slots=True)
class HolidayRule:
    """A public holiday as law gives it, with its legal basis and validity dates (admin-editable data)."""

    code: str
    name: str
    kind: RuleKind
    month: int = 1
    day: int = 1
    days: int = 1
    substitute: bool = True  # art. 111(3): on the weekly rest day, a day off on the next working day
    legal_basis: str = ""
    valid_from: date = date(1901, 1, 1)
    valid_to: date | None = None

    def dates(self, year: int, adjustments: CalendarAdjustments | None = None) -> list[tuple[date, str]]:
        """This rule's dates in solar `year` that fall inside its validity, with their names."""
        match self.kind:
            case RuleKind.SOLAR:
                first = date(year, self.month, self.day)
                found = [(first + timedelta(days=i), self.name) for i in range(self.days)]
            case RuleKind.LUNAR:
                first = from_lunar(year, self.month, self.day)
                found = [(first + timedelta(days=i), self.name) for i in range(self.days)]
            case RuleKind.TET:
                if adjustments and adjustments.tet_days:
                    days = adjustments.tet_days
                else:
                    start = lunar_new_year(year) + timedelta(days=self.day)
                    days = tuple(start + timedelta(days=i) for i in range(self.days))
                found = []
                for day in days:
                    lunar = to_lunar(day)
                    label = f"mùng {lunar.day}" if lunar.month == 1 else f"{lunar.day} tháng Chạp"
                    found.append((day, f"{self.name} ({label})"))
            case RuleKind.NATIONAL_DAY_ADJACENT:
                adjacent = adjustments.national_day_adjacent if adjustments else None
                found = [(adjacent or default_national_day_adjacent(year), self.name)]
        return [(d, n) for d, n in found if self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)]


_ART112 = "BLLĐ 2019, Điều 112 khoản 1 điểm "

#: The Labour Code 2019 art. 112 list plus Vietnam Cultural Day (the seed of migration 0301; the
#: hub reads the table, these are what pure code and tests use without a database).
DEFAULT_RULES: tuple[HolidayRule, ...] = (
    HolidayRule("new_year", "Tết Dương lịch", RuleKind.SOLAR, 1, 1, legal_basis=_ART112 + "a"),
    HolidayRule("tet", "Tết Âm lịch", RuleKind.TET, 1, -1, TET_DAYS, legal_basis=_ART112 + "b"),
    HolidayRule("hung_kings", "Giỗ Tổ Hùng Vương", RuleKind.LUNAR, 3, 10, legal_basis=_ART112 + "đ"),
    HolidayRule("victory_day", "Ngày Chiến thắng", RuleKind.SOLAR, 4, 30, legal_basis=_ART112 + "c"),
    HolidayRule("labour_day", "Ngày Quốc tế Lao động", RuleKind.SOLAR, 5, 1, legal_basis=_ART112 + "d"),
    HolidayRule("national_day", "Quốc khánh", RuleKind.SOLAR, 9, 2, legal_basis=_ART112 + "đ"),
    HolidayRule(
        "national_day_adjacent",
        "Quốc khánh (ngày liền kề)",
        RuleKind.NATIONAL_DAY_ADJACENT,
        9,
        2,
        legal_basis=_ART112 + "đ (01 ngày liền kề trước hoặc sau)",
    ),
    HolidayRule(
        "culture_day",
        "Ngày Văn hóa Việt Nam",
        RuleKind.SOLAR,
        11,
        24,
        legal_basis="Nghị quyết 80-NQ/TW; 24/11 là ngày nghỉ hưởng lương từ năm 2026 [S]",
        valid_from=date(2026, 1, 1),
    ),
)


def statutory_holidays(
    year: int, adjustments: CalendarAdjustments | None = None, rules: Iterable[HolidayRule] = DEFAULT_RULES
) -> list[tuple[date, str]]:
    """The public holidays the rules give in a solar year, sorted, with their Vietnamese names."""
    found: dict[date, str] = {}
    for rule in rules:
        for day, name in rule.dates(year, adjustments):
            found.setdefault(day, name)
    return sorted(found.items())


def _substitutable(year: int, adjustments: CalendarAdjustments | None, rules: Iterable[HolidayRule]) -> set[date]:
    return {d for rule in rules if rule.substitute for d, _ in rule.dates(year, adjustments)}


class WorkCalendar:
    """Which dates are worked, for every year, from the law plus the admins' adjustments.

    Built once and shared; each year's table is computed on first use and kept.
    """

    def __init__(
        self,
        adjustments: Iterable[CalendarAdjustments] = (),
        *,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        rules: Iterable[HolidayRule] = DEFAULT_RULES,
    ) -> None:
        self.rules = tuple(rules)
        self._by_year: dict[int, CalendarAdjustments] = {}
        for adj in adjustments:
            if adj.year in self._by_year:
                raise ValueError(f"two sets of calendar adjustments for {adj.year}; merge them into one")
            self._by_year[adj.year] = adj
        self.weekend = frozenset(weekend)
        if not self.weekend <= set(range(7)) or len(self.weekend) > 2:
            raise ValueError("weekend must be at most two weekday numbers (Monday=0 … Sunday=6)")
        self._years: dict[int, dict[date, CalendarDay]] = {}
        for year in self._by_year:  # surface a contradictory decision now, not at the first lookup
            self._table(year)

    @cached_property
    def _admin(self) -> tuple[Mapping[date, str], Mapping[date, str], Mapping[date, str], Mapping[date, str]]:
        holidays: dict[date, str] = {}
        days_off: dict[date, str] = {}
        working: dict[date, str] = {}
        names: dict[date, str] = {}
        for adj in self._by_year.values():
            holidays |= adj.holidays
            days_off |= adj.days_off
            working |= adj.working_days
            names |= adj.names
        return holidays, days_off, working, names

    def adjustments(self, year: int) -> CalendarAdjustments | None:
        return self._by_year.get(year)

    def day(self, day: date) -> CalendarDay:
        """The kind of `day` (and its holiday name, if any)."""
        found = self._table(day.year).get(day)
        if found is not None:
            return found
        return CalendarDay(day, DayKind.WEEKEND if day.weekday() in self.weekend else DayKind.WORKDAY)

    def kind(self, day: date) -> DayKind:
        return self.day(day).kind

    def is_working_day(self, day: date) -> bool:
        return self.day(day).is_working

    def special_days(self, year: int) -> list[CalendarDay]:
        """Every date of `year` that is not an ordinary workday or weekend, sorted: what the admin page lists."""
        return [d for d in sorted(self._table(year).values(), key=lambda c: c.day) if d.day.year == year]

    def days_off(self, year: int) -> list[CalendarDay]:
        """Holidays, nghỉ bù and swapped days off of `year` (not weekends)."""
        return [d for d in self.special_days(year) if not d.is_working]

    def working_days_between(self, first: date, last: date) -> int:
        """Number of working days from `first` to `last` inclusive."""
        return sum(1 for i in range((last - first).days + 1) if self.is_working_day(first + timedelta(days=i)))

    def _table(self, year: int) -> dict[date, CalendarDay]:
        table = self._years.get(year)
        if table is None:
            table = self._build(year)
            self._years[year] = table
        return table

    def _build(self, year: int) -> dict[date, CalendarDay]:
        extra_holidays, days_off, working, names = self._admin
        statutory = dict(statutory_holidays(year, self._by_year.get(year), self.rules))
        clash = sorted(set(statutory) & set(working))
        if clash:
            raise ValueError(f"{clash} are public holidays (art. 112) and cannot be working days; adjust tet_days")
        table: dict[date, CalendarDay] = {}
        for day, name in statutory.items():
            table[day] = CalendarDay(day, DayKind.HOLIDAY, names.get(day, name))
        for day, name in extra_holidays.items():
            if day.year == year:
                table.setdefault(day, CalendarDay(day, DayKind.HOLIDAY, names.get(day, name)))
        for day, name in days_off.items():
            if day.year == year and day not in table:
                table[day] = CalendarDay(day, DayKind.DAY_OFF, names.get(day, name))
        substitutable = _substitutable(year, self._by_year.get(year), self.rules)
        self._place_substitutes(year, {d: n for d, n in statutory.items() if d in substitutable}, table, names)
        for day, name in working.items():
            if day.year == year:
                weekend = day.weekday() in self.weekend
                kind = DayKind.MAKE_UP_DAY if weekend else DayKind.WORKDAY
                table[day] = CalendarDay(day, kind, names.get(day, name))
        return table

    def _place_substitutes(
        self, year: int, statutory: Mapping[date, str], table: dict[date, CalendarDay], names: Mapping[date, str]
    ) -> None:
        """Art. 111(3): each statutory holiday on a weekend gives the next free working day off.

        "Free" means not a weekend, a holiday, a swapped day off or another nghỉ bù, so two Tết
        days on a weekend give two consecutive days after Tết. A decision that grants no nghỉ bù
        (or places it elsewhere) cancels the computed one by listing it in `working_days`.
        """
        for day in sorted(statutory):
            if day.weekday() not in self.weekend:
                continue
            candidate = day + timedelta(days=1)
            while candidate.weekday() in self.weekend or candidate in table:
                candidate += timedelta(days=1)
            name = f"Nghỉ bù {statutory[day]} ({day:%d/%m})"
            table[candidate] = CalendarDay(candidate, DayKind.SUBSTITUTE_HOLIDAY, names.get(candidate, name))
