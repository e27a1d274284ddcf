"""Work schedules: validation with clear errors, local times to UTC, night shifts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from pydantic import ValidationError

from hub.timekeeping.schedule import WorkSchedule, office_hours


def night(**changes: Any) -> WorkSchedule:
    fields: dict[str, Any] = {
        "code": "CD",
        "name": "Ca đêm",
        "start": time(22, 0),
        "end": time(6, 0),
        "lunch_start": time(2, 0),
        "lunch_end": time(2, 30),
        "check_in_opens": time(20, 0),
        "check_in_closes": time(2, 0),
        "check_out_opens": time(23, 0),
        "check_out_closes": time(10, 0),
    }
    return WorkSchedule(**(fields | changes))


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def test_office_hours_are_eight_hours_stored_in_utc() -> None:
    schedule = office_hours()
    assert schedule.planned_minutes == 480 and not schedule.crosses_midnight
    plan = schedule.plan(date(2025, 3, 3))
    assert utc(plan.start) == datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    assert utc(plan.end) == datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    assert plan.planned_seconds == 480 * 60


def test_a_night_shift_ends_the_next_day() -> None:
    schedule = night()
    assert schedule.crosses_midnight and schedule.planned_minutes == 7 * 60 + 30
    plan = schedule.plan(date(2025, 3, 3))
    assert utc(plan.in_open) == datetime(2025, 3, 3, 13, 0, tzinfo=UTC)  # 20:00 local on the 3rd
    assert utc(plan.lunch_start) == datetime(2025, 3, 3, 19, 0, tzinfo=UTC)  # 02:00 local on the 4th
    assert utc(plan.end) == datetime(2025, 3, 3, 23, 0, tzinfo=UTC)  # 06:00 local on the 4th
    assert utc(plan.out_close) == datetime(2025, 3, 4, 3, 0, tzinfo=UTC)  # 10:00 local on the 4th


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lunch_start": time(11, 0), "lunch_end": time(10, 0)}, "lunch break must lie inside"),
        ({"lunch_end": None}, "both lunch_start and lunch_end"),
        ({"timezone": "Asia/Hanoi_City"}, "unknown time zone"),
        ({"start": time(22, 0, 30)}, "whole minutes"),
        ({"check_out_closes": time(21, 0)}, "more than 24 hours"),
        ({"check_in_closes": time(7, 0)}, "check_in_closes must be before the end"),
        ({"late_grace_minutes": -1}, "greater than or equal to 0"),
        ({"end": time(22, 30), "lunch_start": None, "lunch_end": None}, "at least one hour"),
        ({"colour": "blue"}, "Extra inputs are not permitted"),
    ],
)
def test_bad_schedules_are_refused_with_the_reason(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        night(**changes)


def test_schedules_are_immutable_and_load_from_json() -> None:
    schedule = WorkSchedule.model_validate_json(office_hours().model_dump_json())
    assert schedule == office_hours()
    with pytest.raises(ValidationError):
        schedule.start = time(7, 0)  # type: ignore[misc]
