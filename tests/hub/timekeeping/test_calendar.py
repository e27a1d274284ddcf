"""Public holidays, nghỉ bù and the yearly adjustments, with real dates."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from hub.timekeeping.calendar import (
    CalendarAdjustments,
    DayKind,
    WorkCalendar,
    default_national_day_adjacent,
    hung_kings_day,
    statutory_holidays,
    tet_days,
)


def kinds(calendar: WorkCalendar, *days: date) -> list[DayKind]:
    return [calendar.kind(d) for d in days]


@pytest.mark.parametrize(
    ("year", "first", "eve"),
    [
        (2025, date(2025, 1, 29), date(2025, 1, 28)),
        (2026, date(2026, 2, 17), date(2026, 2, 16)),
        (2027, date(2027, 2, 6), date(2027, 2, 5)),
    ],
)
def test_tet_is_the_last_day_of_the_year_and_mung_1_to_4(year: int, first: date, eve: date) -> None:
    days = tet_days(year)
    assert days[0] == eve and days[1] == first and len(days) == 5
    assert all(WorkCalendar().kind(d) is DayKind.HOLIDAY for d in days)


@pytest.mark.parametrize("day", [date(2025, 4, 7), date(2026, 4, 26), date(2027, 4, 16)], ids=["2025", "2026", "2027"])
def test_hung_kings_day(day: date) -> None:
    assert hung_kings_day(day.year) == day
    assert WorkCalendar().day(day).name == "Giỗ Tổ Hùng Vương"


def test_the_statutory_list_has_eleven_days() -> None:
    names = [name for _, name in statutory_holidays(2025)]
    assert len(names) == 11  # art. 112: 1 + 5 + 1 + 1 + 1 + 2
    assert names[0] == "Tết Dương lịch" and "Quốc khánh (ngày liền kề)" in names


def test_nghi_bu_when_a_holiday_falls_on_a_weekend() -> None:
    calendar = WorkCalendar()
    # 2026: Hùng Kings on Sunday 26/4 → Monday 27/4 off
    assert kinds(calendar, date(2026, 4, 26), date(2026, 4, 27)) == [DayKind.HOLIDAY, DayKind.SUBSTITUTE_HOLIDAY]
    # 2027: mùng 1 and mùng 2 on Saturday/Sunday → two days after Tết (which ends Tuesday 9/2)
    assert kinds(calendar, date(2027, 2, 10), date(2027, 2, 11), date(2027, 2, 12)) == [
        DayKind.SUBSTITUTE_HOLIDAY,
        DayKind.SUBSTITUTE_HOLIDAY,
        DayKind.WORKDAY,
    ]
    # 2027: 1/5 on Saturday → Monday 3/5
    assert calendar.kind(date(2027, 5, 3)) is DayKind.SUBSTITUTE_HOLIDAY
    # 2023: 2/9 on Saturday → Monday 4/9; the adjacent day is Friday 1/9 (1–4/9 off, as decided)
    assert kinds(calendar, date(2023, 9, 1), date(2023, 9, 4)) == [DayKind.HOLIDAY, DayKind.SUBSTITUTE_HOLIDAY]


@pytest.mark.parametrize(
    ("year", "adjacent"),
    [(2021, date(2021, 9, 3)), (2022, date(2022, 9, 1)), (2024, date(2024, 9, 3)), (2025, date(2025, 9, 1))],
)
def test_default_national_day_adjacent_matches_past_decisions(year: int, adjacent: date) -> None:
    assert default_national_day_adjacent(year) == adjacent


def test_weekends_and_workdays() -> None:
    calendar = WorkCalendar()
    assert kinds(calendar, date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 3)) == [
        DayKind.WEEKEND,
        DayKind.WEEKEND,
        DayKind.WORKDAY,
    ]
    assert calendar.working_days_between(date(2025, 3, 1), date(2025, 3, 31)) == 21


def test_swap_days_2025_reunification_day() -> None:
    """2025: Friday 2/5 given off, made up on Saturday 26/4 (the decision reproduced as data)."""
    swap = CalendarAdjustments(
        year=2025,
        days_off={date(2025, 5, 2): "Hoán đổi, làm bù 26/4"},
        working_days={date(2025, 4, 26): "Làm bù cho 2/5"},
    )
    calendar = WorkCalendar([swap])
    assert kinds(calendar, date(2025, 4, 26), date(2025, 5, 2)) == [DayKind.MAKE_UP_DAY, DayKind.DAY_OFF]
    assert calendar.day(date(2025, 4, 26)).is_working and calendar.day(date(2025, 4, 26)).name == "Làm bù cho 2/5"
    assert WorkCalendar().kind(date(2025, 5, 2)) is DayKind.WORKDAY  # the rules alone do not know the swap
    assert [d.day for d in calendar.days_off(2025)] == [
        date(2025, 1, 1),
        *tet_days(2025),
        date(2025, 2, 3),  # nghỉ bù for mùng 4 on Saturday 1/2
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ]


def test_overridden_tet_days_cancelled_nghi_bu_names_and_extra_holidays() -> None:
    decision = CalendarAdjustments(
        year=2027,
        tet_days=(date(2027, 2, 4), date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)),
        national_day_adjacent=date(2027, 9, 1),
        working_days={date(2027, 5, 3): "Không nghỉ bù theo quyết định"},
        holidays={date(2027, 11, 24): "Ngày Văn hóa Việt Nam"},
        names={date(2027, 2, 8): "Mùng 3 Tết Đinh Mùi"},
    )
    calendar = WorkCalendar([decision])
    assert calendar.kind(date(2027, 2, 4)) is DayKind.HOLIDAY
    assert calendar.kind(date(2027, 2, 6)) is DayKind.WEEKEND  # no longer a Tết day, so no nghỉ bù for it
    assert calendar.kind(date(2027, 2, 11)) is DayKind.WORKDAY
    assert calendar.day(date(2027, 2, 8)).name == "Mùng 3 Tết Đinh Mùi"
    assert calendar.kind(date(2027, 5, 3)) is DayKind.WORKDAY
    assert calendar.kind(date(2027, 9, 1)) is DayKind.HOLIDAY and calendar.kind(date(2027, 9, 3)) is DayKind.WORKDAY
    assert calendar.kind(date(2027, 11, 24)) is DayKind.HOLIDAY


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tet_days": (date(2026, 2, 16), date(2026, 2, 17))}, "5 distinct days"),
        ({"tet_days": tuple(date(2026, 6, d) for d in range(1, 6))}, "more than 10 days"),
        ({"national_day_adjacent": date(2026, 9, 5)}, "2026-09-01 or 2026-09-03"),
        ({"days_off": {date(2026, 5, 4): "x"}, "working_days": {date(2026, 5, 4): "y"}}, "both a working day"),
        ({"days_off": {date(2026, 5, 4): "  "}}, "give the reason"),
    ],
)
def test_bad_adjustments_are_refused_clearly(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CalendarAdjustments(year=2026, **fields)


def test_a_holiday_cannot_be_made_a_working_day_and_years_are_unique() -> None:
    with pytest.raises(ValueError, match="cannot be working days"):
        WorkCalendar([CalendarAdjustments(year=2026, working_days={date(2026, 4, 30): "no"})])
    with pytest.raises(ValueError, match="two sets"):
        WorkCalendar([CalendarAdjustments(year=2026), CalendarAdjustments(year=2026)])
