"""What the engine takes and gives: the day statuses, approved absences, managers' corrections and the
`DayResult` of one person's day. Records only; the rules are `hub.timekeeping.engine`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.inputs import Text
from hub.timekeeping.calendar import DayKind
from protocol.envelope import Direction

#: one raw FaceID event: (UTC epoch seconds, door direction "in"/"out" or None when unknown)
Punch = tuple[float, Direction | None]


class DayStatus(StrEnum):
    PRESENT = "present"  # có mặt, đúng giờ
    LATE = "late"  # đi muộn
    LEFT_EARLY = "left_early"  # về sớm
    MISSING_CHECKIN = "missing_checkin"  # thiếu chấm công vào
    MISSING_CHECKOUT = "missing_checkout"  # thiếu chấm công ra
    ABSENT = "absent"  # vắng mặt không phép
    ON_LEAVE = "on_leave"  # nghỉ phép (approved)
    BUSINESS_TRIP = "business_trip"  # đi công tác
    HOLIDAY = "holiday"  # nghỉ lễ, tết, nghỉ bù
    DAY_OFF = "day_off"  # nghỉ hằng tuần, ngày nghỉ hoán đổi
    PENDING = "pending"  # the day is not over yet
    NOT_EMPLOYED = "not_employed"  # before the person's first day or after their last: not absent, not counted

    @property
    def attended(self) -> bool:
        """The person was at work (perhaps late, early, or with a punch missing)."""
        return self in _ATTENDED


_ATTENDED = frozenset(
    {
        DayStatus.PRESENT,
        DayStatus.LATE,
        DayStatus.LEFT_EARLY,
        DayStatus.MISSING_CHECKIN,
        DayStatus.MISSING_CHECKOUT,
    }
)


#: statuses only the calendar or the clock decide; a manager cannot set them
_NOT_CORRECTABLE = frozenset({DayStatus.HOLIDAY, DayStatus.DAY_OFF, DayStatus.PENDING, DayStatus.NOT_EMPLOYED})


class AbsenceKind(StrEnum):
    LEAVE = "leave"  # nghỉ phép (any approved leave: annual, sick, unpaid …; `code` tells which)
    BUSINESS_TRIP = "business_trip"  # công tác


class DayPart(StrEnum):
    FULL = "full"  # cả ngày
    MORNING = "morning"  # buổi sáng
    AFTERNOON = "afternoon"  # buổi chiều


class Absence(BaseModel):
    """Approved leave or business trip covering (part of) one day, as the leave module hands it over."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: AbsenceKind
    part: DayPart = DayPart.FULL
    code: str | None = Field(default=None, max_length=8, description="timesheet symbol, e.g. P, Ô, TS, CT")
    reference: str | None = Field(default=None, max_length=64, description="id of the approved request")


class Correction(BaseModel):
    """A manager's correction of one person's day (điều chỉnh chấm công). Kept for audit; never edits events."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person_id: str = Field(min_length=1, max_length=64)
    day: date
    reason: Text = Field(min_length=1, max_length=1000, description="lý do, shown on the sheet")
    author: str = Field(min_length=1, max_length=128, description="who made it")
    made_at: AwareDatetime
    status: DayStatus | None = None
    first_in: AwareDatetime | None = Field(default=None, description="the real arrival, when the event is missing")
    last_out: AwareDatetime | None = Field(default=None, description="the real departure, when the event is missing")
    late_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    early_leave_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    worked_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    worked_days: float | None = Field(default=None, ge=0, le=1)

    @field_validator("reason", "author")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value

    @model_validator(mode="after")
    def _says_something(self) -> Correction:
        if self.status is DayStatus.NOT_EMPLOYED:
            raise ValueError("status 'not_employed' comes from the employment dates; change those instead")
        if self.status in _NOT_CORRECTABLE:
            raise ValueError(f"status {self.status.value!r} comes from the calendar; it cannot be set by a correction")
        if self.status is None and self.first_in is None and self.last_out is None:
            raise ValueError("a correction gives a status, an arrival time or a departure time")
        if self.first_in and self.last_out and self.last_out <= self.first_in:
            raise ValueError("last_out must be after first_in")
        return self


class DayResult(NamedTuple):
    """One person's day. Times are UTC epoch seconds (`first_in`/`last_out` give datetimes).

    A named tuple rather than a dataclass: a month for 10,000 people makes 310,000 of them, and
    a tuple is immutable and four times cheaper to build than a frozen dataclass.
    """

    day: date
    status: DayStatus
    day_kind: DayKind
    first_in_ts: float | None = None
    last_out_ts: float | None = None
    late_minutes: int = 0
    early_leave_minutes: int = 0
    worked_minutes: int = 0
    worked_days: float = 0.0  # ngày công credited for presence
    leave_days: float = 0.0
    trip_days: float = 0.0
    absent_days: float = 0.0
    event_count: int = 0  # events inside the day's windows
    absence_code: str | None = None
    computed_status: DayStatus | None = None  # before the correction; None when there is none
    correction: Correction | None = None

    @property
    def first_in(self) -> datetime | None:
        return None if self.first_in_ts is None else datetime.fromtimestamp(self.first_in_ts, UTC)

    @property
    def last_out(self) -> datetime | None:
        return None if self.last_out_ts is None else datetime.fromtimestamp(self.last_out_ts, UTC)

    @property
    def needs_review(self) -> bool:
        """A punch is missing and no manager has looked at it yet."""
        return self.correction is None and self.status in (DayStatus.MISSING_CHECKIN, DayStatus.MISSING_CHECKOUT)


#: builds a DayResult from all its fields in order, skipping the Python-level `__new__` that fills
#: defaults: the month sheet makes ~300,000 results, and this is most of their cost
new_result: Callable[[tuple[object, ...]], DayResult] = partial(tuple.__new__, DayResult)  # type: ignore[assignment]
if len(DayResult._fields) != 16:  # the positional tuples built with new_result list all 16 fields
    raise ImportError("DayResult changed: update the new_result(...) calls in hub/timekeeping/engine/")
