"""Work schedules (ca làm việc): the hours, the lunch break, the check-in/out windows, the grace periods.

Times are local wall-clock times in the schedule's time zone (Asia/Ho_Chi_Minh by default);
events are stored in UTC and a `DayPlan` turns one local day of a schedule into UTC instants,
so the engine compares plain numbers.

A shift whose end is not after its start crosses midnight (a night shift, ca đêm): it belongs
to the local day on which it starts. Every other time of day is placed relative to the shift:

- check-in window: opens at or before the start, closes at or after it;
- check-out window: opens at or before the end, closes at or after it;
- lunch break: inside the shift.

Events outside both windows belong to no shift (someone passing the door at 03:00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from hub.localtime import LOCAL_TZ_NAME

DEFAULT_TIMEZONE = LOCAL_TZ_NAME  # the agency's (hub.localtime)
_DAY = 24 * 60


class MissingPunchRule(StrEnum):
    """How a day with a check-in and no check-out (or the reverse) is credited, pending a correction.

    The day is never "absent": the person was seen. It is flagged for the manager either way.
    """

    SCHEDULED = "scheduled"  # credit up to the scheduled end (from the scheduled start): a forgotten punch
    HALF_DAY = "half_day"  # credit half of the expected time
    NONE = "none"  # credit nothing until a manager confirms


@dataclass(frozen=True, slots=True)
class _Offsets:
    """The shift's shape: minutes from the local midnight that starts its day (may be negative or
    past 1440), plus the rules the engine needs with them."""

    in_open: int
    in_close: int
    start: int
    lunch_start: int
    lunch_end: int
    end: int
    out_open: int
    out_close: int
    late_grace_minutes: int
    early_leave_grace_minutes: int
    missing_punch_rule: MissingPunchRule


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day of a schedule in UTC epoch seconds: what the engine compares events with."""

    day: date
    in_open: float
    in_close: float
    start: float
    lunch_start: float
    lunch_end: float
    end: float
    out_open: float
    out_close: float
    late_grace_minutes: int
    early_leave_grace_minutes: int
    missing_punch_rule: MissingPunchRule

    @property
    def planned_seconds(self) -> float:
        return (self.end - self.start) - (self.lunch_end - self.lunch_start)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


_TIME_FIELDS = (
    "start",
    "end",
    "lunch_start",
    "lunch_end",
    "check_in_opens",
    "check_in_closes",
    "check_out_opens",
    "check_out_closes",
)


class WorkSchedule(BaseModel):
    """A shift as HR defines it. Invalid combinations are refused with a message that names the field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1, max_length=32, description="short code, e.g. HC (hành chính)")
    name: str = Field(min_length=1, max_length=200)
    start: time = Field(description="giờ vào ca")
    end: time = Field(description="giờ tan ca; not after `start` means the shift ends the next day")
    lunch_start: time | None = time(12, 0)
    lunch_end: time | None = time(13, 0)
    check_in_opens: time = Field(description="first moment an arrival counts for this shift")
    check_in_closes: time = Field(description="last moment an arrival counts as the check-in")
    check_out_opens: time = Field(description="first moment a departure counts as the check-out")
    check_out_closes: time = Field(description="last moment a departure counts for this shift")
    late_grace_minutes: int = Field(default=0, ge=0, le=120, description="đi muộn within this is not late")
    early_leave_grace_minutes: int = Field(default=0, ge=0, le=120, description="về sớm within this is not early")
    missing_punch_rule: MissingPunchRule = MissingPunchRule.SCHEDULED
    timezone: str = DEFAULT_TIMEZONE

    _plan: _Offsets = PrivateAttr()

    @field_validator(*_TIME_FIELDS)
    @classmethod
    def _whole_minutes(cls, value: time | None) -> time | None:
        if value is not None and (value.second or value.microsecond or value.tzinfo):
            raise ValueError("give a local time in whole minutes (HH:MM), without a time zone")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as {DEFAULT_TIMEZONE})") from exc
        return value

    @model_validator(mode="after")
    def _place_times(self) -> WorkSchedule:
        start = _minutes(self.start)
        end = _minutes(self.end)
        if end <= start:
            end += _DAY
        if end - start < 60:
            raise ValueError("a shift lasts at least one hour")
        in_open = _minutes(self.check_in_opens)
        in_open -= _DAY if in_open > start else 0
        in_close = _minutes(self.check_in_closes)
        in_close += _DAY if in_close < start else 0
        out_open = _minutes(self.check_out_opens) + (_DAY if end >= _DAY else 0)
        out_open -= _DAY if out_open > end else 0
        out_close = _minutes(self.check_out_closes) + (_DAY if end >= _DAY else 0)
        out_close += _DAY if out_close < end else 0
        if in_close >= end:
            raise ValueError("check_in_closes must be before the end of the shift")
        if out_open <= start:
            raise ValueError("check_out_opens must be after the start of the shift")
        if out_close - in_open > _DAY:
            raise ValueError(
                "check_in_opens … check_out_closes spans more than 24 hours: one day's window would overlap the next's"
            )
        if (self.lunch_start is None) != (self.lunch_end is None):
            raise ValueError("give both lunch_start and lunch_end, or neither")
        lunch_s = lunch_e = start
        if self.lunch_start is not None and self.lunch_end is not None:
            lunch_s = _minutes(self.lunch_start)
            lunch_s += _DAY if lunch_s < start else 0
            lunch_e = _minutes(self.lunch_end)
            lunch_e += _DAY if lunch_e < lunch_s else 0
            if not start < lunch_s < lunch_e < end:
                raise ValueError("the lunch break must lie inside the shift (start < lunch_start < lunch_end < end)")
        self._plan = _Offsets(
            in_open,
            in_close,
            start,
            lunch_s,
            lunch_e,
            end,
            out_open,
            out_close,
            self.late_grace_minutes,
            self.early_leave_grace_minutes,
            self.missing_punch_rule,
        )
        return self

    @property
    def crosses_midnight(self) -> bool:
        return self._plan.end > _DAY

    @property
    def planned_minutes(self) -> int:
        """Minutes of work in a full day: the shift less the lunch break (480 for 08:00–17:00 with 12:00–13:00)."""
        p = self._plan
        return (p.end - p.start) - (p.lunch_end - p.lunch_start)

    def plan(self, day: date) -> DayPlan:
        """The shift starting on local `day`, as UTC epoch seconds (cached: many people share a schedule)."""
        return _plan_for(self._plan, self.timezone, day)


@lru_cache(maxsize=4096)
def _plan_for(offsets: _Offsets, zone: str, day: date) -> DayPlan:
    tz = ZoneInfo(zone)
    midnight = datetime.combine(day, time(0), tz)

    def at(minutes: int) -> float:
        # wall-clock arithmetic, then the zone's offset at that instant (right across a DST change)
        local = (midnight.replace(tzinfo=None) + timedelta(minutes=minutes)).replace(tzinfo=tz)
        return local.timestamp()

    o = offsets
    return DayPlan(
        day,
        at(o.in_open),
        at(o.in_close),
        at(o.start),
        at(o.lunch_start),
        at(o.lunch_end),
        at(o.end),
        at(o.out_open),
        at(o.out_close),
        o.late_grace_minutes,
        o.early_leave_grace_minutes,
        o.missing_punch_rule,
    )


def office_hours(
    *,
    code: str = "HC",
    name: str = "Giờ hành chính",
    late_grace_minutes: int = 5,
    early_leave_grace_minutes: int = 5,
) -> WorkSchedule:
    """The public-sector day: 08:00–17:00 with lunch 12:00–13:00 (8 hours), 5 minutes' grace.

    The windows are wide on purpose — check-in 05:00–16:00, check-out 08:30–23:00 — so that an
    arrival at 10:00 shows as late by 120 minutes and a departure at 15:00 as left early, rather
    than as a missing punch.
    """
    return WorkSchedule(
        code=code,
        name=name,
        start=time(8, 0),
        end=time(17, 0),
        lunch_start=time(12, 0),
        lunch_end=time(13, 0),
        check_in_opens=time(5, 0),
        check_in_closes=time(16, 0),
        check_out_opens=time(8, 30),
        check_out_closes=time(23, 0),
        late_grace_minutes=late_grace_minutes,
        early_leave_grace_minutes=early_leave_grace_minutes,
    )
