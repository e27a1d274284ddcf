"""Intervals to cron expressions: evenly spaced, and shifted within their period where asked."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hub.backup.service import NIGHT_OFFSET_S
from hub.jobs.models import ScheduleError
from hub.jobs.schedule import cron_every, next_run

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("seconds", "cron"),
    [
        (1, "* * * * * *"),
        (15, "* * * * * */15"),
        (300, "*/5 * * * *"),
        (3600, "0 * * * *"),
        (21600, "0 */6 * * *"),
        (86400, "0 0 * * *"),
    ],
)
def test_an_interval_that_divides_its_period_becomes_a_cron_expression(seconds: int, cron: str) -> None:
    assert cron_every(seconds) == cron


@pytest.mark.parametrize("seconds", [7, 90, 7 * 3600, 2 * 86400, 0, -60, 1.5])
def test_an_interval_that_does_not_divide_its_period_is_refused_naming_the_setting(seconds: float) -> None:
    with pytest.raises(ScheduleError, match="backup_interval_s"):
        cron_every(seconds, "backup_interval_s")


def test_the_daily_backup_runs_at_two_in_the_night_in_hanoi_not_at_the_start_of_the_working_day() -> None:
    cron = cron_every(86400, offset_s=NIGHT_OFFSET_S)
    at = next_run(cron, datetime(2026, 12, 4, 12, 0, tzinfo=UTC)).astimezone(HANOI)
    assert (at.date().isoformat(), at.hour, at.minute) == ("2026-12-05", 2, 0)


def test_a_shifted_six_hour_interval_keeps_its_spacing() -> None:
    cron = cron_every(6 * 3600, offset_s=NIGHT_OFFSET_S)  # 19 h mod 6 h: at 01, 07, 13, 19 UTC
    runs, at = [], datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    for _ in range(5):
        at = next_run(cron, at)
        runs.append(at.hour)
    assert runs == [1, 7, 13, 19, 1]
    assert cron_every(3600, offset_s=90 * 60) == "30 * * * *"
