"""Attendance data for the UI tests of attendance, reports and the dashboard, written through real code paths.

Builds on tests/hub/orgdata.py (TCHQ ▸ CHQHN ▸ CCHQNB ▸ DOI1, and CHQHCM; NV001 in DOI1,
NV002 in CCHQNB, NV003 in CHQHCM). The month used is the previous calendar month, so every day
of it is over whatever day the tests run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import psycopg

from hub.ingest.repository import ensure_partitions
from hub.live.repository import notify_attendance
from hub.timekeeping.calendar import WorkCalendar
from tests.hub.orgdata import HANOI, add_event


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    late_day: date  # NV001 arrives 08:12 (late by 12 min), leaves 17:05; NV002 on time all day
    absent_day: date  # nobody comes: NV001 absent (the day a manager corrects)

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def previous_month(today: date | None = None) -> tuple[int, int]:
    today = today or datetime.now(HANOI).date()
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def seed_month(database_url: str) -> Month:
    """Two working days of the previous month with events for NV001 and NV002."""
    year, month = previous_month()
    calendar = WorkCalendar()
    day = date(year, month, 1)
    working = []
    while day.month == month and len(working) < 2:
        if calendar.is_working_day(day):
            working.append(day)
        day += timedelta(days=1)
    late_day, absent_day = working
    with psycopg.connect(database_url, autocommit=True) as conn:
        for person, at, direction in (
            ("nv-0001", time(8, 12), "in"),
            ("nv-0001", time(17, 5), "out"),
            ("nv-0002", time(7, 50), "in"),
            ("nv-0002", time(17, 10), "out"),
        ):
            add_event(conn, person, datetime.combine(late_day, at), direction)
    return Month(year, month, late_day, absent_day)


def publish_checkin(database_url: str, person_id: str, at: datetime, device_id: str = "door-hq-01") -> uuid.UUID:
    """Store one attendance event and announce it in the same transaction, exactly as ingest does."""
    event_id = uuid.uuid4()
    row = (event_id, at, device_id, 1, person_id, 0.8, 0.97, "yunet-sface", "in")
    with psycopg.connect(database_url) as conn:
        ensure_partitions(conn, at - timedelta(days=2), at + timedelta(days=2))
        with conn.transaction():
            conn.execute(
                "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, liveness, model, direction)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                row,
            )
            notify_attendance(conn, [row], 1)
    return event_id


def now_utc() -> datetime:
    return datetime.now(UTC)
