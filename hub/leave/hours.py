"""The working calendar as leave reads it, and working hours for escalation deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import psycopg

from hub.localtime import LOCAL_TZ as LOCAL
from hub.timekeeping import repository as tk_repo
from hub.timekeeping.calendar import WorkCalendar

#: working hours of a day for escalation deadlines (giờ hành chính without lunch)
WORK_PERIODS = ((time(8), time(12)), (time(13), time(17)))


def load_calendar(conn: psycopg.Connection) -> WorkCalendar:
    return WorkCalendar(
        (s.adjustments for s in tk_repo.latest_calendar_adjustments(conn)), rules=tk_repo.holiday_rules(conn)
    )


def add_working_hours(calendar: WorkCalendar, start: datetime, hours: float) -> datetime:
    """The instant `hours` working hours after `start` (working days, 08–12 and 13–17 local time)."""
    left = timedelta(hours=hours)
    at = start.astimezone(LOCAL)
    for _ in range(400):
        day = at.date()
        if calendar.is_working_day(day):
            for lo, hi in WORK_PERIODS:
                begin = max(at, datetime.combine(day, lo, LOCAL))
                end = datetime.combine(day, hi, LOCAL)
                if begin >= end:
                    continue
                if end - begin >= left:
                    return (begin + left).astimezone(UTC)
                left -= end - begin
        at = datetime.combine(day + timedelta(days=1), time(0), LOCAL)
    return at.astimezone(UTC)
