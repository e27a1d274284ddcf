"""Timekeeping from the database: the issue's examples computed from real `attendance_events` rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg
import pydantic
import pytest

from hub.people.service import UnknownEmployee, UnknownUnit
from hub.timekeeping.calendar import CalendarAdjustments, DayKind
from hub.timekeeping.engine import AbsenceKind, DayPart, DayStatus
from hub.timekeeping.service import (
    InvalidCorrection,
    approve_absence,
    calendar_year,
    person_month,
    record_correction,
    save_calendar,
    unit_day,
    unit_timesheet,
)
from tests.hub.orgdata import add_event

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MON, TUE, WED = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)


def day_of(results, day: date):  # type: ignore[no-untyped-def]
    return next(r for r in results if r.day == day)


def test_arriving_at_0807_with_5_minutes_grace_is_7_minutes_late(org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", datetime(2026, 11, 2, 8, 7), "in")
    add_event(org, "nv-0001", datetime(2026, 11, 2, 17, 4), "out")
    add_event(org, "nv-0002", datetime(2026, 11, 2, 8, 4), "in")  # within the grace: on time
    add_event(org, "nv-0002", datetime(2026, 11, 2, 17, 1), "out")
    month = person_month(org, "NV001", 2026, 11, now=NOW)
    monday = day_of(month.row.days, MON)
    assert monday.status is DayStatus.LATE and monday.late_minutes == 7
    assert monday.first_in == datetime(2026, 11, 2, 1, 7, tzinfo=UTC)
    assert month.row.symbols[MON.day - 1] == "M"
    day = unit_day(org, "CHQHN", MON, now=NOW)
    assert day.day.kind is DayKind.WORKDAY
    statuses = {staff.employee_code: (r.status, r.late_minutes) for staff, r in day.rows}
    assert statuses == {"NV002": (DayStatus.PRESENT, 0), "NV001": (DayStatus.LATE, 7)}


def test_a_unit_sheet_covers_its_subtree_and_the_month_in_local_time(org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", datetime(2026, 11, 2, 8, 0), "in")
    add_event(org, "nv-0001", datetime(2026, 11, 2, 17, 0), "out")
    add_event(org, "nv-0001", datetime(2026, 10, 31, 23, 30), "in")  # 16:30 UTC on the 31st: October's
    add_event(org, "nv-0003", datetime(2026, 11, 2, 8, 0), "in")  # another department
    sheet = unit_timesheet(org, "CHQHN", 2026, 11, now=NOW)
    assert [s.employee_code for s in sheet.staff] == ["NV002", "NV001"]
    duc = sheet.sheet.rows[1]
    assert duc.person_id == "nv-0001" and day_of(duc.days, MON).status is DayStatus.PRESENT
    assert sum(r.event_count for r in duc.days) == 2
    assert day_of(duc.days, date(2026, 11, 20)).status is DayStatus.ABSENT
    assert day_of(duc.days, date(2026, 11, 30)).status is DayStatus.PENDING  # after NOW: not absent yet
    today = unit_timesheet(org, "CHQHN", 2026, 11, now=datetime(2026, 11, 20, 5, 0, tzinfo=UTC))
    assert day_of(today.sheet.rows[1].days, date(2026, 11, 20)).status is DayStatus.PENDING
    with pytest.raises(UnknownUnit):
        unit_timesheet(org, "NOPE", 2026, 11)


def test_approved_leave_is_on_leave_not_absent(org: psycopg.Connection) -> None:
    approve_absence(org, "NV001", AbsenceKind.LEAVE, TUE, TUE, "truong-phong", reference="DN-2026-117")
    approve_absence(org, "NV001", AbsenceKind.BUSINESS_TRIP, date(2026, 11, 5), date(2026, 11, 9), "cuc-truong")
    approve_absence(org, "NV001", AbsenceKind.LEAVE, date(2026, 11, 10), date(2026, 11, 10), "tp", part=DayPart.MORNING)
    add_event(org, "nv-0001", datetime(2026, 11, 10, 13, 0), "in")
    add_event(org, "nv-0001", datetime(2026, 11, 10, 17, 0), "out")
    row = person_month(org, "NV001", 2026, 11, now=NOW).row
    assert day_of(row.days, TUE).status is DayStatus.ON_LEAVE and row.symbols[TUE.day - 1] == "P"
    assert [day_of(row.days, date(2026, 11, d)).status for d in (5, 6, 9)] == [DayStatus.BUSINESS_TRIP] * 3
    assert day_of(row.days, date(2026, 11, 7)).status is DayStatus.DAY_OFF  # Saturday inside the trip
    half = day_of(row.days, date(2026, 11, 10))
    assert half.status is DayStatus.PRESENT and half.leave_days == 0.5 and row.symbols[9] == "+/P"
    assert row.totals.leave_days == 1.5 and row.totals.trip_days == 3
    with pytest.raises(ValueError, match="half-day"):
        approve_absence(org, "NV001", AbsenceKind.LEAVE, TUE, WED, "tp", part=DayPart.AFTERNOON)


def test_a_correction_shows_with_its_reason_and_the_raw_events_stay(org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", datetime(2026, 11, 4, 7, 58), "in")  # forgot to check out
    raw_before = org.execute("SELECT * FROM attendance_events ORDER BY id").fetchall()
    before = day_of(person_month(org, "NV001", 2026, 11, now=NOW).row.days, WED)
    assert before.status is DayStatus.MISSING_CHECKOUT and before.needs_review
    stored = record_correction(
        org, "NV001", day=WED, status=DayStatus.PRESENT, reason="Quên chấm công ra; xác nhận của trưởng phòng",
        author="tran.lan",
    )  # fmt: skip
    assert stored.id > 0 and stored.correction.made_at.tzinfo is not None
    month = person_month(org, "NV001", 2026, 11, now=NOW)
    after = day_of(month.row.days, WED)
    assert after.status is DayStatus.PRESENT and after.computed_status is DayStatus.MISSING_CHECKOUT
    assert after.correction is not None and after.correction.reason.startswith("Quên chấm công ra")
    assert after.correction.author == "tran.lan" and month.row.symbols[WED.day - 1] == "+*"
    assert [c.correction.reason for c in month.corrections] == [after.correction.reason]
    assert org.execute("SELECT * FROM attendance_events ORDER BY id").fetchall() == raw_before
    # a later correction wins; the earlier one stays in the history
    record_correction(org, "NV001", day=WED, status=DayStatus.ABSENT, reason="Không có mặt", author="pho.cuc")
    month = person_month(org, "NV001", 2026, 11, now=NOW)
    assert day_of(month.row.days, WED).status is DayStatus.ABSENT and len(month.corrections) == 2
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        org.execute("UPDATE timekeeping_corrections SET reason = 'sửa lén'")


def test_bad_corrections_are_refused_and_change_nothing(org: psycopg.Connection) -> None:
    with pytest.raises(pydantic.ValidationError, match="reason"):
        record_correction(org, "NV001", day=WED, status=DayStatus.PRESENT, reason="   ", author="tran.lan")
    with pytest.raises(pydantic.ValidationError, match="comes from the calendar"):
        record_correction(org, "NV001", day=WED, status=DayStatus.HOLIDAY, reason="Nghỉ", author="tran.lan")
    with pytest.raises(InvalidCorrection, match="has not begun"):
        record_correction(org, "NV001", day=date(2026, 12, 1), status=DayStatus.PRESENT, reason="x", author="a",
                          today=date(2026, 11, 23))  # fmt: skip
    with pytest.raises(UnknownEmployee):
        record_correction(org, "NV999", day=WED, status=DayStatus.PRESENT, reason="x", author="a")
    assert org.execute("SELECT count(*) FROM timekeeping_corrections").fetchone() == (0,)


def test_tet_2026_days_are_holidays_in_the_sheet(org: psycopg.Connection) -> None:
    sheet = unit_timesheet(org, "TCHQ", 2026, 2, now=NOW)
    assert len(sheet.sheet.rows) == 3
    row = sheet.sheet.rows[0]
    tet = [date(2026, 2, d) for d in range(16, 21)]  # 29 tháng Chạp (Mon 16/2) … mùng 4 (Fri 20/2)
    assert [day_of(row.days, d).status for d in tet] == [DayStatus.HOLIDAY] * 5
    assert [row.symbols[d.day - 1] for d in tet] == ["L"] * 5
    assert row.totals.holiday_days == 5 and sheet.sheet.working_days == 15


def test_calendar_adjustments_are_stored_per_year_and_used(org: psycopg.Connection) -> None:
    swap = CalendarAdjustments(
        year=2026,
        days_off={date(2026, 1, 2): "Hoán đổi theo thông báo của Bộ Nội vụ"},
        working_days={date(2026, 1, 10): "Làm bù cho 2/1"},
    )
    saved = save_calendar(org, swap, "admin")
    assert saved.stored is not None and saved.stored.version == 1 and saved.stored.author == "admin"
    kinds = {d.day: d.kind for d in saved.special_days}
    assert kinds[date(2026, 1, 2)] is DayKind.DAY_OFF and kinds[date(2026, 1, 10)] is DayKind.MAKE_UP_DAY
    row = unit_timesheet(org, "DOI1", 2026, 1, now=NOW).sheet.rows[0]
    assert day_of(row.days, date(2026, 1, 2)).status is DayStatus.DAY_OFF
    assert day_of(row.days, date(2026, 1, 10)).status is DayStatus.ABSENT  # a make-up Saturday is worked
    with pytest.raises(ValueError, match="public holidays"):
        save_calendar(org, CalendarAdjustments(year=2026, working_days={date(2026, 4, 30): "sai"}), "admin")
    assert calendar_year(org, 2026).stored.version == 1  # type: ignore[union-attr]
    assert save_calendar(org, CalendarAdjustments(year=2026), "admin").stored.version == 2  # type: ignore[union-attr]
    assert calendar_year(org, 2026).special_days[0].kind is DayKind.HOLIDAY


def test_days_before_the_first_day_of_employment_are_not_absent(org: psycopg.Connection) -> None:
    from hub.people.importing import import_employees

    report = import_employees(
        org,
        [{"employee_code": "NV003", "full_name": "Lê Minh Đạt", "unit_code": "CHQHCM", "person_id": "nv-0003",
          "active_from": date(2026, 11, 16)}],
    )  # fmt: skip
    assert report.rejected == [] and report.updated == 1
    add_event(org, "nv-0003", datetime(2026, 11, 16, 8, 0), "in")
    add_event(org, "nv-0003", datetime(2026, 11, 16, 17, 0), "out")
    month = person_month(org, "NV003", 2026, 11, now=NOW)
    assert day_of(month.row.days, MON).status is DayStatus.NOT_EMPLOYED and month.row.symbols[MON.day - 1] == "-"
    assert day_of(month.row.days, date(2026, 11, 16)).status is DayStatus.PRESENT
    assert day_of(month.row.days, date(2026, 11, 17)).status is DayStatus.ABSENT
    assert month.row.totals.absent_days == 4  # 17–20/11 (23/11 is still pending at NOW), none before the 16th
