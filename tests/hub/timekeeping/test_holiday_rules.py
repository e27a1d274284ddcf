"""Public holidays as data (migration 0301): the calendar reads its rules from the database, and the
list for 2025–2027 is compared with the `holidays` package, every difference explained."""

from __future__ import annotations

from datetime import date

import holidays
import psycopg

from hub.timekeeping.calendar import DEFAULT_RULES, DayKind, WorkCalendar
from hub.timekeeping.engine import DayStatus
from hub.timekeeping.repository import holiday_rules
from hub.timekeeping.service import load_calendar, unit_timesheet

#: day → why the `holidays` package (vacanza) and CCES differ, for 2025–2027 with no year decisions entered
EXPLAINED = {
    # Tết Ất Tỵ: mùng 4 is Saturday 01/02. The package moves a Saturday Tết day to the previous working
    # day (its rule since 2014); CCES applies art. 111(3) (nghỉ bù on the next working day). The real
    # arrangement is the year's decision, entered as tet_days / days_off by HR.
    date(2025, 1, 27): "package only: 29 Tết (Saturday Tết day moved back)",
    date(2025, 2, 3): "CCES only: nghỉ bù for mùng 4 (Saturday 01/02)",
    # day swaps decided by VPCP each year: in the package's static list, admin data in CCES
    date(2025, 5, 2): "package only: swap 02/05 ← make-up Saturday 26/04 (a decision, not law)",
    date(2026, 8, 31): "package only: swap 31/08 ← make-up Saturday 22/08 (a decision, not law)",
    # Tết Đinh Mùi: mùng 1 Saturday 06/02, mùng 2 Sunday 07/02. Package: Saturday → Thursday 04/02,
    # Sunday → Wednesday 10/02; CCES: both after Tết, 10/02 and 11/02.
    date(2027, 2, 4): "package only: 29 Tết (Saturday mùng 1 moved back)",
    date(2027, 2, 11): "CCES only: second nghỉ bù after Tết",
}


def differences(calendar: WorkCalendar, years: range) -> dict[date, tuple[str | None, str | None]]:
    found = {}
    for year in years:
        ours = {d.day: d.name for d in calendar.days_off(year)}
        theirs = dict(holidays.Vietnam(years=year))
        for day in set(ours) ^ set(theirs):
            found[day] = (ours.get(day), theirs.get(day))
    return found


def test_the_database_rules_are_the_default_rules_and_the_calendar_uses_them(conn: psycopg.Connection) -> None:
    assert holiday_rules(conn) == sorted(DEFAULT_RULES, key=lambda r: r.code)
    calendar = load_calendar(conn)
    assert calendar.day(date(2026, 11, 24)).kind is DayKind.HOLIDAY
    assert calendar.day(date(2026, 11, 24)).name == "Ngày Văn hóa Việt Nam"
    assert calendar.day(date(2025, 11, 24)).kind is DayKind.WORKDAY  # before its validity
    assert calendar.working_days_between(date(2026, 11, 1), date(2026, 11, 30)) == 20
    assert differences(calendar, range(2025, 2028)).keys() == EXPLAINED.keys()


def test_vietnam_cultural_day_is_a_holiday_on_the_november_2026_timesheet(org: psycopg.Connection) -> None:
    sheet = unit_timesheet(org, "CHQHN", 2026, 11)
    day = next(r for r in sheet.sheet.rows[0].days if r.day == date(2026, 11, 24))
    assert day.status is DayStatus.HOLIDAY and day.day_kind is DayKind.HOLIDAY


def test_a_rule_edited_in_the_table_changes_the_calendar(conn: psycopg.Connection) -> None:
    conn.execute("UPDATE public_holiday_rules SET valid_to = '2026-12-31' WHERE code = 'culture_day'")
    conn.execute(
        "INSERT INTO public_holiday_rules (code, name, kind, month, day, legal_basis, valid_from)"
        " VALUES ('test_day', 'Ngày thử', 'solar', 3, 2, 'test', '2027-01-01')"
    )
    calendar = load_calendar(conn)
    assert calendar.kind(date(2027, 11, 24)) is DayKind.WORKDAY
    assert calendar.kind(date(2026, 11, 24)) is DayKind.HOLIDAY
    assert calendar.kind(date(2027, 3, 2)) is DayKind.HOLIDAY
    assert calendar.kind(date(2026, 3, 2)) is DayKind.WORKDAY
