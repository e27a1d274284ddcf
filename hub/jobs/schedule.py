"""From the settings' intervals to cron expressions, and when a cron expression runs next.

procrastinate defers periodic jobs by cron expression (croniter, with seconds as an optional sixth
field): every hub process computes the same instants, so the database can keep one job per instant.
The hub's settings speak in seconds (`CCES_GALLERY_REBUILD_INTERVAL_S`, …); an interval becomes a cron
expression when it divides a minute, an hour or a day evenly (15 s, 5 min, 6 h), which keeps the runs
evenly spaced across the boundary; any other interval is a configuration error naming the setting.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hub.jobs.models import ScheduleError

MINUTE, HOUR, DAY = 60, 3600, 86_400


def cron_every(seconds: float, setting: str = "", offset_s: int = 0) -> str:
    """The cron expression (UTC) that fires every `seconds`; ScheduleError when none does evenly.

    `offset_s` shifts an interval of whole hours within its period (a daily backup at 02:00 local
    time rather than at UTC midnight, which is the start of the working day in Hanoi); it is taken
    modulo the interval and rounded down to a whole minute.
    """
    whole = int(seconds)
    if whole != seconds or whole <= 0:
        raise ScheduleError(_refusal(seconds, setting))
    if offset_s and whole % HOUR == 0 and (whole <= DAY and DAY % whole == 0):
        shift = (offset_s % whole) // MINUTE
        minute, hour = shift % 60, shift // 60
        if whole == DAY:
            return f"{minute} {hour} * * *"
        hours = whole // HOUR
        return f"{minute} {hour}-23/{hours} * * *" if hours > 1 else f"{minute} * * * *"
    if whole < MINUTE and MINUTE % whole == 0:
        return "* * * * * *" if whole == 1 else f"* * * * * */{whole}"
    if whole < HOUR and whole % MINUTE == 0 and HOUR % whole == 0:
        minutes = whole // MINUTE
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if whole < DAY and whole % HOUR == 0 and DAY % whole == 0:
        hours = whole // HOUR
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if whole == DAY:
        return "0 0 * * *"
    raise ScheduleError(_refusal(seconds, setting))


def next_run(cron: str, after: datetime) -> datetime:
    """The first instant after `after` that `cron` fires at (aware, UTC)."""
    from croniter import croniter

    return datetime.fromtimestamp(croniter(cron, after.timestamp()).get_next(float), UTC)


def _refusal(seconds: float, setting: str) -> str:
    name = f"setting '{setting}': " if setting else ""
    return (
        f"{name}khoảng thời gian {seconds:g} giây phải chia hết một phút, một giờ hoặc một ngày (vd. 15, 60, 900,"
        f" 21600) / the interval of {seconds:g} s must divide a minute, an hour or a day evenly"
        " (e.g. 15, 60, 900, 21600)"
    )
