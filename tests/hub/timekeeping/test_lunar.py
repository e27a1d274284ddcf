"""The lunar calendar for Vietnam (UTC+7), against real dates and the `holidays` package."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hub.timekeeping.lunar import LunarDate, from_lunar, lunar_new_year, to_lunar


@pytest.mark.parametrize(
    ("year", "tet"),
    [(2025, date(2025, 1, 29)), (2026, date(2026, 2, 17)), (2027, date(2027, 2, 6))],
)
def test_tet_mung_1(year: int, tet: date) -> None:
    assert lunar_new_year(year) == tet
    assert to_lunar(tet) == LunarDate(year, 1, 1)


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [(1985, date(1985, 1, 21), date(1985, 2, 20)), (2007, date(2007, 2, 17), date(2007, 2, 18))],
)
def test_utc7_differs_from_the_chinese_calendar(year: int, vietnam: date, china: date) -> None:
    """The same algorithm at UTC+8 gives China's date: the time zone is what makes the difference."""
    assert lunar_new_year(year) == vietnam
    assert lunar_new_year(year, tz=8) == china


def test_leap_months() -> None:
    # Quý Mão 2023 has a leap second month, Canh Tý 2020 a leap fourth month
    assert to_lunar(date(2023, 3, 22)) == LunarDate(2023, 2, 1, leap=True)
    assert from_lunar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert from_lunar(2020, 4, 1, leap=True) == date(2020, 5, 23)
    with pytest.raises(ValueError, match="no leap month 3"):
        from_lunar(2023, 3, 1, leap=True)
    with pytest.raises(ValueError, match="no leap month"):
        from_lunar(2025 + 1, 5, 1, leap=True)


def test_round_trip_2000_to_2040() -> None:
    day = date(2000, 1, 1)
    while day < date(2041, 1, 1):
        lunar = to_lunar(day)
        assert from_lunar(lunar.year, lunar.month, lunar.day, lunar.leap) == day, (day, lunar)
        day += timedelta(days=1)


def test_agrees_with_the_holidays_package_1901_to_2100() -> None:
    """`holidays` keeps Vietnamese tables (UTC+7 exceptions to the Chinese ones); we compute. They must agree."""
    holidays = pytest.importorskip("holidays")
    vn = holidays.country_holidays("VN", years=range(1901, 2101), observed=False, language="vi")
    tet = {d.year: d for d in vn.get_named("Tết Nguyên Đán", lookup="exact")}
    hung = {d.year: d for d in vn.get_named("Giỗ Tổ Hùng Vương")}
    assert len(tet) == 200 and len(hung) > 90
    assert {y: lunar_new_year(y) for y in tet} == tet
    assert {y: from_lunar(y, 3, 10) for y in hung} == hung
