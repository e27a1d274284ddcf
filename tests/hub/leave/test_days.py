"""Working days of a leave request on the working calendar: weekends, Tết, Giỗ Tổ with its nghỉ bù,
30/4–1/5, a swapped day off with its make-up Saturday, Vietnam Cultural Day, half days."""

from __future__ import annotations

from datetime import date

import pytest

from hub.leave.days import MAX_SPAN_DAYS, InvalidPeriod, Part, count_days, working_days
from hub.timekeeping.calendar import CalendarAdjustments, DayKind, WorkCalendar

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("first", "last", "expected", "why"),
    [
        (date(2026, 11, 2), date(2026, 11, 6), 5, "Monday to Friday"),
        (date(2026, 11, 5), date(2026, 11, 10), 4, "Thursday to Tuesday over a weekend"),
        (date(2026, 11, 23), date(2026, 11, 27), 4, "a week with Ngày Văn hóa Việt Nam (Tue 24/11)"),
        (date(2026, 2, 9), date(2026, 2, 27), 10, "Tết Bính Ngọ 16–20/02 inside three weeks"),
        (date(2026, 4, 20), date(2026, 5, 8), 12, "Giỗ Tổ (Sun 26/04) + nghỉ bù Mon 27/04, 30/4 and 1/5"),
        (date(2026, 4, 27), date(2026, 4, 27), 0, "the nghỉ bù itself"),
        (date(2025, 4, 28), date(2025, 5, 2), 3, "30/4 Wed and 1/5 Thu: Mon, Tue and Fri"),
        (date(2027, 2, 1), date(2027, 2, 12), 5, "Tết 2027 with two nghỉ bù days after it"),
    ],
)
def test_working_days_of_a_request(first: date, last: date, expected: float, why: str) -> None:
    assert working_days(CAL, first, last) == expected, why


def test_a_swapped_day_off_is_not_counted_and_its_make_up_saturday_is() -> None:
    swap = CalendarAdjustments(
        year=2026,
        days_off={date(2026, 8, 31): "CV 123/VPCP: nghỉ hoán đổi"},
        working_days={date(2026, 8, 22): "CV 123/VPCP: làm bù"},
    )
    calendar = WorkCalendar([swap])
    count = count_days(calendar, date(2026, 8, 20), date(2026, 9, 4))
    kinds = {d.day: d.kind for d in count.days}
    assert kinds[date(2026, 8, 22)] is DayKind.MAKE_UP_DAY and kinds[date(2026, 8, 31)] is DayKind.DAY_OFF
    # Thu 20, Fri 21, Sat 22 (make-up), Mon 24 – Fri 28, Mon 31 off, 1/9 + 2/9 holidays, Thu 3, Fri 4
    assert count.working_days == 10
    assert date(2026, 8, 31) in {d.day for d in count.skipped}


def test_half_days() -> None:
    assert working_days(CAL, date(2026, 11, 3), date(2026, 11, 3), Part.MORNING) == 0.5
    assert working_days(CAL, date(2026, 11, 3), date(2026, 11, 3), Part.FULL, Part.AFTERNOON) == 0.5
    assert working_days(CAL, date(2026, 11, 3), date(2026, 11, 6), Part.AFTERNOON, Part.MORNING) == 3
    assert working_days(CAL, date(2026, 11, 6), date(2026, 11, 9), Part.AFTERNOON, Part.MORNING) == 1
    assert working_days(CAL, date(2026, 11, 7), date(2026, 11, 7), Part.MORNING) == 0  # a Saturday


@pytest.mark.parametrize(
    ("first", "last", "first_part", "last_part"),
    [
        (date(2026, 11, 4), date(2026, 11, 3), Part.FULL, Part.FULL),
        (date(2026, 11, 3), date(2026, 11, 4), Part.MORNING, Part.FULL),
        (date(2026, 11, 3), date(2026, 11, 4), Part.FULL, Part.AFTERNOON),
        (date(2026, 11, 3), date(2026, 11, 3), Part.MORNING, Part.AFTERNOON),
        (date(2026, 1, 1), date(2026, 1, 1) + (date(2026, 12, 31) - date(2026, 6, 14)), Part.FULL, Part.FULL),
    ],
)
def test_periods_that_are_refused_in_both_languages(first: date, last: date, first_part: Part, last_part: Part) -> None:
    with pytest.raises(InvalidPeriod) as refused:
        count_days(CAL, first, last, first_part, last_part)
    assert " / " in str(refused.value)
    assert (last - first).days < MAX_SPAN_DAYS or "tối đa" in str(refused.value)


def test_the_prefix_counter_agrees_with_the_calendar() -> None:
    from hub.leave.days import WorkingDayCounter

    counter = WorkingDayCounter(CAL)
    for first, last in [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 2, 9), date(2026, 2, 27)),
        (date(2026, 11, 24), date(2026, 11, 24)),
        (date(2026, 3, 5), date(2026, 3, 4)),
        (date(2025, 12, 15), date(2026, 1, 15)),
    ]:
        assert counter.between(first, last) == (CAL.working_days_between(first, last) if last >= first else 0)
