"""The monthly sheet of a unit: symbols per person and day, and the totals HR signs."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from hub.timekeeping.calendar import CalendarAdjustments, WorkCalendar
from hub.timekeeping.engine import Absence, AbsenceKind, Correction, DayPart, DayStatus, Punch, compute_day
from hub.timekeeping.schedule import office_hours
from hub.timekeeping.timesheet import StaffMember, month_days, month_sheet

HANOI = timezone(timedelta(hours=7))
# April 2025: Hùng Kings Monday 7/4, 30/4 Wednesday; Saturday 26/4 worked to give Friday 2/5 off
CALENDAR = WorkCalendar(
    [
        CalendarAdjustments(
            year=2025,
            days_off={date(2025, 5, 2): "Hoán đổi"},
            working_days={date(2025, 4, 26): "Làm bù cho 2/5"},
        )
    ]
)
OFFICE = office_hours()


def at(day: date, hour: int, minute: int, direction: str | None = None) -> Punch:
    return (datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI).timestamp(), direction)  # type: ignore[return-value]


def working_days() -> list[date]:
    return [d for d in month_days(2025, 4) if CALENDAR.is_working_day(d)]


def test_month_sheet_for_three_people() -> None:
    days = working_days()
    assert len(days) == 21  # 22 weekdays − 7/4 − 30/4 + Saturday 26/4
    lan = [p for d in days for p in (at(d, 7, 55, "in"), at(d, 17, 5, "out"))]
    # Minh: late twice (8:07, 8:20), a day of leave, a day absent, the rest on time
    minh: list[Punch] = []
    for d in days:
        if d in (days[2], days[3]):  # on leave, absent
            continue
        arrival = {days[0]: (8, 7), days[1]: (8, 20)}.get(d, (8, 0))
        minh += [at(d, *arrival), at(d, 17, 0)]
    # Hoa: forgot to check out on the 10th (corrected by the manager), on a business trip on the 15th
    tenth, fifteenth = date(2025, 4, 10), date(2025, 4, 15)
    hoa = [p for d in days if d != fifteenth for p in (at(d, 7, 58), at(d, 17, 2))]
    hoa.remove(at(tenth, 17, 2))
    correction = Correction(
        person_id="hoa",
        day=tenth,
        last_out=datetime(2025, 4, 10, 17, 30, tzinfo=HANOI),
        reason="Quên chấm công ra, trưởng phòng xác nhận",
        author="tp.tran",
        made_at=datetime(2025, 4, 11, 8, 0, tzinfo=HANOI),
    )
    staff = [StaffMember("lan", "Nguyễn Thị Lan", OFFICE), StaffMember("minh", "Trần Văn Minh", OFFICE)]
    staff.append(StaffMember("hoa", "Lê Thu Hoa", OFFICE))
    sheet = month_sheet(
        "Phòng Tổ chức cán bộ",
        2025,
        4,
        staff,
        {"lan": lan, "minh": list(reversed(minh)), "hoa": hoa},
        CALENDAR,
        absences={
            "minh": {days[2]: [Absence(kind=AbsenceKind.LEAVE)]},
            "hoa": {fifteenth: [Absence(kind=AbsenceKind.BUSINESS_TRIP)]},
        },
        corrections={"hoa": [correction]},
    )
    assert sheet.working_days == 21 and len(sheet.days) == 30
    lan_row, minh_row, hoa_row = sheet.rows
    assert lan_row.full_name == "Nguyễn Thị Lan"
    assert lan_row.symbols[0] == "+" and lan_row.symbols[6] == "L"  # 1/4, Hùng Kings 7/4
    assert lan_row.symbols[4] == "" and lan_row.symbols[25] == "+"  # Saturday 5/4 off, Saturday 26/4 worked
    assert lan_row.totals.worked_days == 21 and lan_row.totals.holiday_days == 2 and lan_row.totals.late_count == 0

    t = minh_row.totals
    assert (t.worked_days, t.leave_days, t.absent_days) == (19, 1, 1)
    assert (t.late_count, t.late_minutes) == (2, 27)
    index = {d: i for i, d in enumerate(sheet.days)}
    assert [minh_row.symbols[index[d]] for d in days[:5]] == ["M", "M", "P", "V", "+"]

    h = hoa_row.totals
    assert (h.worked_days, h.trip_days, h.corrected_days, h.missing_punch_count) == (20, 1, 1, 1)
    tenth_result = hoa_row.days[index[tenth]]
    assert tenth_result.status is DayStatus.PRESENT and tenth_result.computed_status is DayStatus.MISSING_CHECKOUT
    assert tenth_result.correction is correction and hoa_row.symbols[index[tenth]] == "+*"
    assert hoa_row.symbols[index[fifteenth]] == "CT"


def test_a_sheet_in_progress_shows_the_future_as_pending() -> None:
    now = datetime(2025, 4, 15, 10, 0, tzinfo=HANOI)
    sheet = month_sheet("Đội 1", 2025, 4, [StaffMember("x", "X", OFFICE)], {}, CALENDAR, now=now)
    statuses = [r.status for r in sheet.rows[0].days]
    assert statuses[13] is DayStatus.ABSENT  # Monday 14/4, over
    assert statuses[14] is DayStatus.PENDING and statuses[20] is DayStatus.PENDING  # today, and later
    assert sheet.rows[0].totals.absent_days == 9  # 1–14/4 less 7/4 and the weekends


def test_the_month_loop_gives_exactly_what_day_by_day_computation_gives() -> None:
    """`month_sheet` takes a fast path for ordinary days; it must agree with `compute_day` everywhere."""
    rng = random.Random(3)
    schedules = [OFFICE, office_hours(late_grace_minutes=0)]
    staff, punches, absences, corrections = [], {}, {}, {}
    for i in range(60):
        pid = f"p{i}"
        staff.append(StaffMember(pid, pid, schedules[i % 2]))
        events: list[Punch] = []
        for d in month_days(2025, 4):
            base = datetime(2025, 4, d.day, tzinfo=HANOI).timestamp()
            for _ in range(rng.choice([0, 1, 2, 2, 2, 3, 4])):
                events.append((base + rng.uniform(4, 24) * 3600, rng.choice(["in", "out", None])))
            roll = rng.random()
            if roll < 0.05:
                part = rng.choice(list(DayPart))
                absences.setdefault(pid, {})[d] = [Absence(kind=rng.choice(list(AbsenceKind)), part=part)]
            elif roll < 0.08:
                corrections.setdefault(pid, []).append(
                    Correction(
                        person_id=pid,
                        day=d,
                        status=rng.choice([DayStatus.PRESENT, DayStatus.ABSENT, DayStatus.LATE]),
                        reason="kiểm tra",
                        author="m",
                        made_at=datetime(2025, 5, 1, tzinfo=HANOI),
                    )
                )
        punches[pid] = events
    now = datetime(2025, 4, 20, 15, 0, tzinfo=HANOI)
    for when in (None, now, datetime(2025, 4, 2, 6, 0, tzinfo=HANOI)):  # (most days still ahead)
        sheet = month_sheet(
            "u", 2025, 4, staff, punches, CALENDAR, absences=absences, corrections=corrections, now=when
        )
        for member, row in zip(staff, sheet.rows, strict=True):
            for day, result in zip(sheet.days, row.days, strict=True):
                expected = compute_day(
                    day,
                    punches[member.person_id],
                    member.schedule,
                    CALENDAR,
                    absences=absences.get(member.person_id, {}).get(day, ()),
                    corrections=corrections.get(member.person_id, ()),
                    now=when,
                )
                assert result == expected, (member.person_id, day)


def test_days_outside_the_employment_are_not_employed_not_absent() -> None:
    """Joined on Tuesday 15/4, left after Friday 25/4: the rest of April is '-', never 'V'."""
    days = [d for d in working_days() if date(2025, 4, 15) <= d <= date(2025, 4, 25)]
    punches = [p for d in days for p in (at(d, 7, 58, "in"), at(d, 17, 2, "out"))]
    punches.append(at(date(2025, 4, 14), 8, 0, "in"))  # a visit before the first day changes nothing
    member = StaffMember("P1", "Đỗ Văn Mới", OFFICE, active_from=date(2025, 4, 15), active_to=date(2025, 4, 25))
    leave = {date(2025, 4, 10): [Absence(kind=AbsenceKind.LEAVE)]}  # stale leave before the first day: ignored
    (row,) = month_sheet("Đội 1", 2025, 4, [member], {"P1": punches}, CALENDAR, absences={"P1": leave}).rows
    by_day = dict(zip(month_days(2025, 4), row.days, strict=True))
    symbols = dict(zip(month_days(2025, 4), row.symbols, strict=True))
    for day in (date(2025, 4, 1), date(2025, 4, 10), date(2025, 4, 14), date(2025, 4, 28), date(2025, 4, 30)):
        assert by_day[day].status is DayStatus.NOT_EMPLOYED and symbols[day] == "-"
        assert by_day[day].absent_days == 0 and by_day[day].worked_days == 0 and by_day[day].leave_days == 0
    assert by_day[date(2025, 4, 15)].status is DayStatus.PRESENT and symbols[date(2025, 4, 15)] == "+"
    assert by_day[date(2025, 4, 19)].status is DayStatus.DAY_OFF  # a Saturday inside the employment
    totals = row.totals
    assert (totals.worked_days, totals.absent_days, totals.leave_days) == (len(days), 0, 0)
    assert totals.holiday_days == 0  # 7/4 and 30/4 fall outside the employment
    with pytest.raises(ValueError, match="employment dates"):
        Correction(person_id="P1", day=date(2025, 4, 2), reason="x", author="y", made_at=datetime.now(HANOI),
                   status=DayStatus.NOT_EMPLOYED)  # fmt: skip


def test_a_streamed_series_gives_the_same_sheet_as_a_mapping() -> None:
    """Rows streaming from the database arrive in any order; the sheet keeps the staff's order."""
    staff = [StaffMember(f"P{i}", f"Người {i}", OFFICE) for i in range(4)]
    rng = random.Random(7)
    series = {}
    for member in staff[:3]:  # P3 has no events at all
        times = sorted(at(d, 7 + rng.randint(0, 2), rng.randint(0, 59))[0] for d in working_days())
        series[member.person_id] = (times, [None] * len(times))
    expected = month_sheet("Đội 1", 2025, 4, staff, {}, CALENDAR, series=series)
    streamed = month_sheet("Đội 1", 2025, 4, staff, {}, CALENDAR, series=iter(reversed(list(series.items()))))
    assert streamed == expected
    assert [r.person_id for r in streamed.rows] == ["P0", "P1", "P2", "P3"]
