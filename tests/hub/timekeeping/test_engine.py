"""The daily status: late with grace, early leave, missing punches, leave, trips, holidays, corrections."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from pydantic import ValidationError

from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.engine import (
    Absence,
    AbsenceKind,
    Correction,
    DayPart,
    DayStatus,
    Punch,
    compute_day,
)
from hub.timekeeping.schedule import MissingPunchRule, WorkSchedule, office_hours
from hub.timekeeping.timesheet import day_symbol

HANOI = timezone(timedelta(hours=7))
MONDAY = date(2025, 3, 3)
CALENDAR = WorkCalendar()
OFFICE = office_hours(late_grace_minutes=5, early_leave_grace_minutes=5)


def at(hour: int, minute: int, direction: str | None = None, day: date = MONDAY, second: int = 0) -> Punch:
    return (datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=HANOI).timestamp(), direction)  # type: ignore[return-value]


def day_of(*punches: Punch, day: date = MONDAY, schedule: WorkSchedule = OFFICE, **kwargs: object):  # noqa: ANN201
    return compute_day(day, list(punches), schedule, CALENDAR, **kwargs)  # type: ignore[arg-type]


def test_arriving_0807_with_5_minutes_grace_is_7_minutes_late() -> None:
    result = day_of(at(8, 7), at(17, 1))
    assert result.status is DayStatus.LATE and result.late_minutes == 7
    assert result.first_in == datetime(2025, 3, 3, 1, 7, tzinfo=UTC)
    assert result.worked_days == 1.0 and result.worked_minutes == 473
    assert day_symbol(result) == "M"


@pytest.mark.parametrize(
    ("arrival", "status", "late"),
    [
        ((8, 4), DayStatus.PRESENT, 0),
        ((8, 5), DayStatus.PRESENT, 0),
        ((8, 6), DayStatus.LATE, 6),
        ((7, 40), DayStatus.PRESENT, 0),
    ],
)
def test_grace_decides_whether_it_is_late_minutes_count_from_the_start(
    arrival: tuple[int, int], status: DayStatus, late: int
) -> None:
    result = day_of(at(*arrival), at(17, 0))
    assert (result.status, result.late_minutes) == (status, late)


def test_seconds_are_truncated() -> None:
    assert day_of(at(8, 5, second=59), at(17, 0)).status is DayStatus.PRESENT


def test_the_lunch_break_is_not_counted_as_lateness() -> None:
    result = day_of(at(13, 0), at(17, 0))
    assert result.late_minutes == 4 * 60 and result.worked_minutes == 4 * 60


def test_leaving_early() -> None:
    assert day_of(at(8, 0), at(16, 56)).status is DayStatus.PRESENT
    result = day_of(at(8, 0), at(16, 50))
    assert (result.status, result.early_leave_minutes, result.late_minutes) == (DayStatus.LEFT_EARLY, 10, 0)
    both = day_of(at(8, 30), at(16, 0))
    assert (both.status, both.late_minutes, both.early_leave_minutes) == (DayStatus.LATE, 30, 60)


def test_known_directions_first_in_and_last_out() -> None:
    result = day_of(
        at(7, 50, "out"), at(8, 2, "in"), at(12, 5, "out"), at(12, 55, "in"), at(17, 10, "out"), at(17, 20, "in")
    )
    assert result.status is DayStatus.PRESENT
    assert (result.first_in, result.last_out) == (
        datetime(2025, 3, 3, 1, 2, tzinfo=UTC),
        datetime(2025, 3, 3, 10, 10, tzinfo=UTC),
    )
    assert result.event_count == 6


def test_unknown_directions_first_and_last_event_in_any_order() -> None:
    result = day_of(at(17, 20), at(12, 5), at(7, 55))
    assert result.status is DayStatus.PRESENT
    assert result.first_in.astimezone(HANOI).time() == time(7, 55)  # type: ignore[union-attr]
    assert result.last_out.astimezone(HANOI).time() == time(17, 20)  # type: ignore[union-attr]


def test_events_outside_the_windows_belong_to_no_shift() -> None:
    result = day_of(at(3, 0), at(8, 0), at(17, 0), at(23, 30))
    assert result.event_count == 2 and result.status is DayStatus.PRESENT


@pytest.mark.parametrize(
    ("rule", "worked_days", "worked_minutes"),
    [(MissingPunchRule.SCHEDULED, 1.0, 478), (MissingPunchRule.HALF_DAY, 0.5, 240), (MissingPunchRule.NONE, 0.0, 0)],
)
def test_a_missing_checkout_is_flagged_not_absent(
    rule: MissingPunchRule, worked_days: float, worked_minutes: int
) -> None:
    schedule = OFFICE.model_copy(update={"missing_punch_rule": rule})
    schedule = type(schedule).model_validate(schedule.model_dump())  # re-validate: the plan follows the rule
    result = day_of(at(8, 2, "in"), schedule=schedule)
    assert result.status is DayStatus.MISSING_CHECKOUT and result.needs_review
    assert (result.worked_days, result.worked_minutes, result.absent_days) == (worked_days, worked_minutes, 0.0)
    assert result.last_out is None and day_symbol(result) == "KR"


def test_a_single_out_event_is_a_missing_checkin() -> None:
    result = day_of(at(17, 3, "out"))
    assert result.status is DayStatus.MISSING_CHECKIN and result.first_in is None
    assert result.worked_days == 1.0


def test_no_event_is_absent_unless_the_day_is_not_over() -> None:
    assert day_of().status is DayStatus.ABSENT and day_of().absent_days == 1.0
    during = datetime(2025, 3, 3, 10, 0, tzinfo=HANOI)
    assert day_of(now=during).status is DayStatus.PENDING
    at_work = day_of(at(8, 0), now=during)
    assert at_work.status is DayStatus.PENDING and at_work.first_in is not None
    assert day_of(at(8, 0), now=during + timedelta(days=1)).status is DayStatus.MISSING_CHECKOUT


def test_approved_leave_is_on_leave_not_absent() -> None:
    leave = Absence(kind=AbsenceKind.LEAVE, reference="LR-2025-0042")
    result = day_of(absences=[leave])
    assert result.status is DayStatus.ON_LEAVE and result.absent_days == 0 and result.leave_days == 1
    assert day_symbol(result) == "P"
    sick = day_of(absences=[Absence(kind=AbsenceKind.LEAVE, code="Ô")])
    assert day_symbol(sick) == "Ô"


def test_business_trip() -> None:
    result = day_of(absences=[Absence(kind=AbsenceKind.BUSINESS_TRIP)])
    assert result.status is DayStatus.BUSINESS_TRIP and result.trip_days == 1 and day_symbol(result) == "CT"


def test_half_day_leave_moves_the_expected_start() -> None:
    morning_off = [Absence(kind=AbsenceKind.LEAVE, part=DayPart.MORNING)]
    on_time = day_of(at(13, 3), at(17, 0), absences=morning_off)
    assert (on_time.status, on_time.worked_days, on_time.leave_days) == (DayStatus.PRESENT, 0.5, 0.5)
    assert day_symbol(on_time) == "+/P"
    late = day_of(at(13, 20), at(17, 0), absences=morning_off)
    assert (late.status, late.late_minutes) == (DayStatus.LATE, 20)
    away = day_of(absences=morning_off)
    assert (away.status, away.absent_days, away.leave_days) == (DayStatus.ABSENT, 0.5, 0.5)
    afternoon_off = [Absence(kind=AbsenceKind.LEAVE, part=DayPart.AFTERNOON)]
    assert day_of(at(8, 0), at(12, 0), absences=afternoon_off).status is DayStatus.PRESENT
    both = [
        Absence(kind=AbsenceKind.BUSINESS_TRIP, part=DayPart.MORNING),
        Absence(kind=AbsenceKind.LEAVE, part=DayPart.AFTERNOON),
    ]
    whole = day_of(absences=both)
    assert (whole.status, whole.trip_days, whole.leave_days) == (DayStatus.BUSINESS_TRIP, 0.5, 0.5)


def test_public_holiday_and_weekend() -> None:
    hung_kings = date(2025, 4, 7)
    result = day_of(day=hung_kings, absences=[Absence(kind=AbsenceKind.LEAVE)])
    assert result.status is DayStatus.HOLIDAY and result.leave_days == 0  # leave is not spent on a holiday
    assert day_symbol(result) == "L"
    worked_anyway = day_of(at(8, 0, day=hung_kings), at(12, 0, day=hung_kings), day=hung_kings)
    assert worked_anyway.status is DayStatus.HOLIDAY and worked_anyway.worked_minutes == 240
    assert worked_anyway.worked_days == 0
    substitute = day_of(day=date(2025, 2, 3))
    assert substitute.day_kind is DayKind.SUBSTITUTE_HOLIDAY and day_symbol(substitute) == "NB"
    saturday = day_of(day=date(2025, 3, 1))
    assert saturday.status is DayStatus.DAY_OFF and day_symbol(saturday) == ""


def test_a_correction_shows_with_its_reason_and_the_raw_events_stay() -> None:
    punches = [at(8, 20, "in")]
    kept = copy.deepcopy(punches)
    correction = Correction(
        person_id="P001",
        day=MONDAY,
        status=DayStatus.PRESENT,
        reason="Họp tại Cục từ 7:30, có xác nhận của trưởng phòng",
        author="truongphong.nguyen",
        made_at=datetime(2025, 3, 4, 9, 0, tzinfo=HANOI),
    )
    result = day_of(*punches, corrections=[correction])
    assert result.status is DayStatus.PRESENT and result.late_minutes == 0
    assert result.computed_status is DayStatus.MISSING_CHECKOUT
    assert result.correction is correction and result.correction.reason.startswith("Họp tại Cục")
    assert result.correction.author == "truongphong.nguyen"
    assert result.first_in == datetime(2025, 3, 3, 1, 20, tzinfo=UTC)  # the event, unchanged
    assert punches == kept
    assert day_symbol(result) == "+*" and not result.needs_review
    assert day_of(*punches).status is DayStatus.MISSING_CHECKOUT  # without the correction: as computed


def test_a_correction_with_the_real_departure_recomputes_and_the_latest_wins() -> None:
    made = datetime(2025, 3, 4, 9, 0, tzinfo=HANOI)
    first = Correction(person_id="P001", day=MONDAY, status=DayStatus.ABSENT, reason="nhầm", author="a", made_at=made)
    second = Correction(
        person_id="P001",
        day=MONDAY,
        last_out=datetime(2025, 3, 3, 16, 40, tzinfo=HANOI),
        reason="Máy chấm công cửa B mất điện",
        author="b",
        made_at=made + timedelta(hours=1),
    )
    other_day = second.model_copy(update={"day": MONDAY + timedelta(days=1)})
    result = day_of(at(8, 0, "in"), corrections=[second, first, other_day])
    assert result.correction is second
    assert (result.status, result.early_leave_minutes) == (DayStatus.LEFT_EARLY, 20)
    assert result.computed_status is DayStatus.MISSING_CHECKOUT


def test_a_correction_to_absent_or_leave_moves_the_credits() -> None:
    made = datetime(2025, 3, 4, 9, 0, tzinfo=HANOI)
    leave = Correction(
        person_id="P1", day=MONDAY, status=DayStatus.ON_LEAVE, reason="Đơn nghỉ duyệt muộn", author="m", made_at=made
    )
    result = day_of(corrections=[leave])
    assert (result.status, result.leave_days, result.absent_days, result.computed_status) == (
        DayStatus.ON_LEAVE,
        1.0,
        0.0,
        DayStatus.ABSENT,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "   "}, "must not be blank"),
        ({"status": DayStatus.HOLIDAY}, "comes from the calendar"),
        ({"status": None}, "gives a status, an arrival time or a departure time"),
        ({"made_at": datetime(2025, 3, 4, 9, 0)}, "timezone"),
    ],
)
def test_bad_corrections_are_refused(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "person_id": "P1",
        "day": MONDAY,
        "status": DayStatus.PRESENT,
        "reason": "ok",
        "author": "m",
        "made_at": datetime(2025, 3, 4, 9, 0, tzinfo=HANOI),
    }
    with pytest.raises(ValidationError, match=message):
        Correction(**(fields | changes))


NIGHT = WorkSchedule(
    code="CD",
    name="Ca đêm",
    start=time(22, 0),
    end=time(6, 0),
    lunch_start=time(2, 0),
    lunch_end=time(2, 30),
    check_in_opens=time(20, 0),
    check_in_closes=time(2, 0),
    check_out_opens=time(23, 0),
    check_out_closes=time(10, 0),
    late_grace_minutes=5,
)


def test_a_night_shift_belongs_to_the_day_it_starts() -> None:
    tuesday = MONDAY + timedelta(days=1)
    punches = [at(21, 55, "in"), at(6, 3, "out", day=tuesday), at(22, 10, "in", day=tuesday)]
    monday = compute_day(MONDAY, punches, NIGHT, CALENDAR)
    assert monday.status is DayStatus.PRESENT and monday.worked_minutes == 450
    assert monday.last_out.astimezone(HANOI) == datetime(2025, 3, 4, 6, 3, tzinfo=HANOI)  # type: ignore[union-attr]
    nxt = compute_day(tuesday, punches, NIGHT, CALENDAR)
    assert (nxt.status, nxt.late_minutes, nxt.event_count) == (DayStatus.MISSING_CHECKOUT, 10, 1)
