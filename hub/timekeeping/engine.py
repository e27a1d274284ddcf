"""The daily attendance status (chấm công theo ngày) of one person, from raw FaceID events.

Pure: numbers in, a `DayResult` out; nothing is read from or written to anywhere, and the raw
events are never changed. Events are `(UTC epoch seconds, direction)` pairs so that a month
for a whole department is plain arithmetic on floats (see `timesheet.month_sheet`).

The rules, in the order they apply:

0. A day before the person's first day of employment or after their last is `not_employed`
   (the month sheet's "-"): neither absent nor credited, whatever else the day holds.
1. A manager's correction (điều chỉnh) for the day, the latest one, overrides the result; the
   result keeps what was computed (`computed_status`) and the correction with its reason and
   author. A correction may give the arrival/departure times (the terminal was down) — the day
   is then recomputed from them — and/or the status itself.
2. The calendar: a public holiday or nghỉ bù is `holiday`; a weekend or swapped day off is
   `day_off`. Events on those days are reported (first-in, last-out, minutes) but change nothing:
   overtime is not this module's business. Leave is not spent on a holiday.
3. Approved absence for the whole day: `business_trip` (công tác) or `on_leave` (nghỉ phép).
   A half-day absence (morning or afternoon) shrinks the expected time to the other half.
4. Attendance over the expected time, from the events inside the schedule's windows:

   - first-in is the first event in the check-in window whose door direction is "in" or
     unknown; last-out is the last event in the check-out window whose direction is "out" or
     unknown, and after the first-in. So with known directions it is first "in" / last "out",
     with unknown directions the first and the last event;
   - late (đi muộn): minutes from the expected start to the first-in, counted in working
     minutes (the lunch break does not count) and truncated to whole minutes. The day is
     late only when those minutes exceed the grace; when it is, ALL the minutes count, from
     the start: with 5 minutes' grace, 08:04 is on time and 08:07 is 7 minutes late;
   - left early (về sớm): the same, from the last-out to the expected end;
   - first-in without last-out: `missing_checkout`; last-out without first-in:
     `missing_checkin`. Never absent — the person was seen; worked time is credited by the
     schedule's `missing_punch_rule` and the day is flagged for the manager;
   - no event at all: `absent` (vắng), or `pending` while the day's check-out window is
     still open at `now`.

Lateness does not reduce the day's credit (ngày công); it is counted separately on the sheet.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache, partial
from typing import NamedTuple

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.inputs import Text
from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.schedule import DayPlan, MissingPunchRule, WorkSchedule
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


def compute_day(
    day: date,
    punches: Sequence[Punch],
    schedule: WorkSchedule,
    calendar: WorkCalendar,
    *,
    absences: Sequence[Absence] = (),
    corrections: Sequence[Correction] = (),
    now: datetime | None = None,
) -> DayResult:
    """The status of one person's local `day` under `schedule`.

    `punches` may hold more than the day (the neighbouring days, in any order): only those in
    the day's check-in … check-out windows count, which is how a night shift's morning
    departure lands on the day the shift started. `corrections` may hold any days' ones;
    those for `day` apply, the latest by `made_at` winning. `now` (aware) marks days not over
    yet as `pending` instead of absent.
    """
    ordered = sorted(punches, key=lambda p: p[0])
    times = [p[0] for p in ordered]
    directions = [p[1] for p in ordered]
    now_ts = now.timestamp() if now is not None else None
    plan = schedule.plan(day)
    return evaluate_day(
        plan, calendar.kind(day), times, directions, absences, latest_correction(corrections, day), now_ts
    )


def latest_correction(corrections: Sequence[Correction], day: date) -> Correction | None:
    """The correction in force for `day`: the last one made. Earlier ones stay in the audit trail."""
    todays = [c for c in corrections if c.day == day]
    return max(todays, key=lambda c: c.made_at) if todays else None


def evaluate_day(
    plan: DayPlan,
    kind: DayKind,
    times: Sequence[float],
    directions: Sequence[Direction | None],
    absences: Sequence[Absence] = (),
    correction: Correction | None = None,
    now_ts: float | None = None,
) -> DayResult:
    """The engine's core, for callers that already hold sorted parallel arrays (the month sheet).

    `times` (UTC epoch seconds) must be sorted ascending; `directions[i]` belongs to `times[i]`;
    they may cover a whole month: the day's window is found by bisection.
    """
    lo = bisect_left(times, plan.in_open)
    hi = bisect_right(times, plan.out_close)
    first_in, last_out = _first_in_last_out(plan, times, directions, lo, hi)
    result = _computed(plan, kind, first_in, last_out, hi - lo, absences, now_ts)
    if correction is None:
        return result
    return _corrected(result, plan, absences, correction)


def evaluate_days(
    plans: Sequence[DayPlan],
    kinds: Sequence[DayKind],
    times: Sequence[float],
    directions: Sequence[Direction | None],
    absences: Mapping[date, Sequence[Absence]],
    corrections: Mapping[date, Correction],
    now_ts: float | None = None,
    *,
    active_from: date | None = None,
    active_to: date | None = None,
) -> list[DayResult]:
    """`evaluate_day` for consecutive days of one person: same results, a loop tuned for the month sheet.

    The ordinary day — a working day, no absence, no correction, both punches found, day over —
    is computed inline (about four in five days); every other day goes through `evaluate_day`.
    Days before `active_from` or after `active_to` (the employment, both inclusive) are
    `not_employed` whatever the events, absences or corrections say: someone who joined on the
    15th was not absent on the 3rd, and the sheet must not count it against them.
    """
    results: list[DayResult] = []
    append = results.append
    working_kinds = _WORKING_DAY_KINDS
    n = len(times)
    lo = 0
    for plan, kind in zip(plans, kinds, strict=True):
        day = plan.day
        if (active_from is not None and day < active_from) or (active_to is not None and day > active_to):
            append(_not_employed(day, kind))
            continue
        lo = bisect_left(times, plan.in_open, lo)
        if kind not in working_kinds and day not in corrections and (lo == n or times[lo] > plan.out_close):
            append(_quiet_day_off(day, kind))  # a weekend or holiday with nobody at the door: one shared result
            continue
        if (
            now_ts is not None
            and now_ts < plan.in_open
            and kind in working_kinds
            and day not in absences
            and day not in corrections
            and (lo == n or times[lo] > plan.out_close)
        ):
            append(_not_begun(plan, kind))  # a working day still ahead, nothing known of it: one shared result
            continue
        if (
            kind not in working_kinds
            or day in absences
            or day in corrections
            or (now_ts is not None and now_ts < plan.out_close)
            or lo == n
        ):
            append(evaluate_day(plan, kind, times, directions, absences.get(day, ()), corrections.get(day), now_ts))
            continue
        hi = bisect_right(times, plan.out_close, lo)
        first_in, last_out = _first_in_last_out(plan, times, directions, lo, hi)
        if first_in is None or last_out is None:
            append(evaluate_day(plan, kind, times, directions, (), None, now_ts))
            continue
        start, end = plan.start, plan.end
        if first_in <= start and last_out >= end:  # on time, stayed the day: no arithmetic beyond the lunch break
            worked = (end - start) - (plan.lunch_end - plan.lunch_start)
            minutes = int(worked // 60)
            append(_new_result((day, _PRESENT, kind, first_in, last_out, 0, 0, minutes, 1.0, 0.0, 0.0, 0.0, hi - lo,
                                None, None, None)))  # fmt: skip
        else:
            append(_both_punches(plan, kind, first_in, last_out, hi - lo))
    return results


def _computed(
    plan: DayPlan,
    kind: DayKind,
    first_in: float | None,
    last_out: float | None,
    count: int,
    absences: Sequence[Absence],
    now_ts: float | None,
) -> DayResult:
    finished = now_ts is None or now_ts >= plan.out_close
    if finished and kind in _WORKING_DAY_KINDS and not absences and first_in is not None and last_out is not None:
        return _both_punches(plan, kind, first_in, last_out, count)  # the common day, kept short
    if kind not in _WORKING_DAY_KINDS:
        status = DayStatus.HOLIDAY if kind.is_paid_holiday else DayStatus.DAY_OFF
        worked = 0.0
        if first_in is not None and last_out is not None:
            worked = _working_seconds(plan, plan.start, plan.end, first_in, last_out)
        return DayResult(
            plan.day, status, kind, first_in, last_out, worked_minutes=int(worked // 60), event_count=count
        )
    away = _away(plan, absences)
    if away.whole_day is not None:
        return DayResult(
            plan.day,
            away.whole_day,
            kind,
            first_in,
            last_out,
            leave_days=away.leave,
            trip_days=away.trip,
            event_count=count,
            absence_code=away.code,
        )
    pending = not finished
    if first_in is not None and last_out is not None and not pending:
        return _both_punches(plan, kind, first_in, last_out, count, away)
    return _attendance(plan, kind, away, first_in, last_out, count, pending)


def _first_in_last_out(
    plan: DayPlan, times: Sequence[float], directions: Sequence[Direction | None], lo: int, hi: int
) -> tuple[float | None, float | None]:
    first_in = None
    for i in range(lo, hi):
        t = times[i]
        if t > plan.in_close:
            break
        if directions[i] != "out":
            first_in = t
            break
    last_out = None
    for i in range(hi - 1, lo - 1, -1):
        t = times[i]
        if t < plan.out_open or (first_in is not None and t <= first_in):
            break
        if directions[i] != "in":
            last_out = t
            break
    return first_in, last_out


@dataclass(frozen=True, slots=True)
class _Away:
    """What approved absences leave of the day: the expected [start, end] and the credits."""

    start: float
    end: float
    leave: float
    trip: float
    code: str | None
    whole_day: DayStatus | None  # ON_LEAVE / BUSINESS_TRIP when nothing is left to attend


_STATUS_OF = {AbsenceKind.LEAVE: DayStatus.ON_LEAVE, AbsenceKind.BUSINESS_TRIP: DayStatus.BUSINESS_TRIP}
_DEFAULT_CODE = {AbsenceKind.LEAVE: "P", AbsenceKind.BUSINESS_TRIP: "CT"}


def _away(plan: DayPlan, absences: Sequence[Absence]) -> _Away:
    """Apply approved absences. A whole-day trip wins over a whole-day leave (the trip order is the
    stronger document); a morning plus an afternoon absence make a whole day, half of each kind."""
    if not absences:
        return _Away(plan.start, plan.end, 0.0, 0.0, None, None)
    whole = [a for a in absences if a.part is DayPart.FULL]
    if whole:
        chosen = next((a for a in whole if a.kind is AbsenceKind.BUSINESS_TRIP), whole[0])
        trip = chosen.kind is AbsenceKind.BUSINESS_TRIP
        code = chosen.code or _DEFAULT_CODE[chosen.kind]
        return _Away(plan.start, plan.end, 0.0 if trip else 1.0, 1.0 if trip else 0.0, code, _STATUS_OF[chosen.kind])
    split = plan.lunch_start if plan.lunch_end > plan.lunch_start else (plan.start + plan.end) / 2
    rejoin = plan.lunch_end if plan.lunch_end > plan.lunch_start else split
    morning = next((a for a in absences if a.part is DayPart.MORNING), None)
    afternoon = next((a for a in absences if a.part is DayPart.AFTERNOON), None)
    halves = [a for a in (morning, afternoon) if a is not None]
    leave = 0.5 * sum(1 for a in halves if a.kind is AbsenceKind.LEAVE)
    trip = 0.5 * len(halves) - leave
    first = halves[0]
    code = first.code or _DEFAULT_CODE[first.kind]
    if morning is not None and afternoon is not None:
        return _Away(plan.start, plan.end, leave, trip, code, _STATUS_OF[first.kind])
    start = rejoin if morning is not None else plan.start
    end = split if afternoon is not None else plan.end
    return _Away(start, end, leave, trip, code, None)


def _working_seconds(plan: DayPlan, start: float, end: float, a: float, b: float) -> float:
    """Seconds of [a, b] inside the expected [start, end], less the lunch break."""
    lo = a if a > start else start
    hi = b if b < end else end
    if hi <= lo:
        return 0.0
    seconds = hi - lo
    lunch_lo = lo if lo > plan.lunch_start else plan.lunch_start
    lunch_hi = hi if hi < plan.lunch_end else plan.lunch_end
    if lunch_hi > lunch_lo:
        seconds -= lunch_hi - lunch_lo
    return seconds


_WORKING_DAY_KINDS = frozenset(k for k in DayKind if k.is_working)
_OFF_STATUS = {k: DayStatus.HOLIDAY if k.is_paid_holiday else DayStatus.DAY_OFF for k in DayKind if not k.is_working}
_PRESENT = DayStatus.PRESENT
#: builds a DayResult from all its fields in order, skipping the Python-level `__new__` that fills
#: defaults: the month sheet makes ~300,000 results, and this is most of their cost
_new_result: Callable[[tuple[object, ...]], DayResult] = partial(tuple.__new__, DayResult)  # type: ignore[assignment]
if len(DayResult._fields) != 16:  # the positional tuples built with _new_result list all 16 fields
    raise ImportError("DayResult changed: update the _new_result(...) calls in hub/timekeeping/engine.py")


@lru_cache(maxsize=4096)
def _not_employed(day: date, kind: DayKind) -> DayResult:
    """A day outside the person's employment: no credit, no absence (shared, as results are immutable)."""
    return DayResult(day, DayStatus.NOT_EMPLOYED, kind)


@lru_cache(maxsize=4096)
def _not_begun(plan: DayPlan, kind: DayKind) -> DayResult:
    """A working day whose check-in has not opened yet, without events, absence or correction: what
    `evaluate_day` gives it at any moment before its end (pending, nothing counted), computed once per
    plan and shared (the rest of this month's working days, for everyone)."""
    return evaluate_day(plan, kind, (), (), (), None, -math.inf)


@lru_cache(maxsize=4096)
def _quiet_day_off(day: date, kind: DayKind) -> DayResult:
    """A weekend or holiday without events. Results are immutable, so one object serves everyone
    (about a third of a month's cells)."""
    return DayResult(day, _OFF_STATUS[kind], kind)


def _both_punches(
    plan: DayPlan, kind: DayKind, first_in: float, last_out: float, count: int, away: _Away | None = None
) -> DayResult:
    """Arrival and departure both known: present, late or left early."""
    if away is None:
        start, end, leave, trip, code = plan.start, plan.end, 0.0, 0.0, None
    else:
        start, end, leave, trip, code = away.start, away.end, away.leave, away.trip, away.code
    late = early = 0
    if first_in > start:
        late = int(_working_seconds(plan, start, end, start, first_in) // 60)
        late = late if late > plan.late_grace_minutes else 0
    if last_out < end:
        early = int(_working_seconds(plan, start, end, last_out, end) // 60)
        early = early if early > plan.early_leave_grace_minutes else 0
    worked = int(_working_seconds(plan, start, end, first_in, last_out) // 60)
    status = DayStatus.LATE if late else DayStatus.LEFT_EARLY if early else DayStatus.PRESENT
    return _new_result(
        (plan.day, status, kind, first_in, last_out, late, early, worked, 1.0 - leave - trip, leave, trip, 0.0, count,
         code, None, None)
    )  # fmt: skip


def _attendance(
    plan: DayPlan,
    kind: DayKind,
    away: _Away,
    first_in: float | None,
    last_out: float | None,
    count: int,
    pending: bool,
) -> DayResult:
    day, start, end = plan.day, away.start, away.end
    portion = 1.0 - away.leave - away.trip
    late = early = 0
    if first_in is not None:
        late = int(_working_seconds(plan, start, end, start, first_in) // 60)
        late = late if late > plan.late_grace_minutes else 0
    if last_out is not None:
        early = int(_working_seconds(plan, start, end, last_out, end) // 60)
        early = early if early > plan.early_leave_grace_minutes else 0
    common = {"leave_days": away.leave, "trip_days": away.trip, "event_count": count, "absence_code": away.code}
    if first_in is None and last_out is None:
        if pending:
            return DayResult(day, DayStatus.PENDING, kind, **common)
        if count == 0:
            return DayResult(day, DayStatus.ABSENT, kind, absent_days=portion, **common)
        # seen, but at no moment that counts as arriving or leaving: the manager decides
        return DayResult(day, DayStatus.MISSING_CHECKIN, kind, **common)
    if first_in is not None and pending:
        return DayResult(day, DayStatus.PENDING, kind, first_in, last_out, late, **common)
    if first_in is not None:
        status, credited = DayStatus.MISSING_CHECKOUT, _working_seconds(plan, start, end, first_in, end)
    else:
        status, credited = DayStatus.MISSING_CHECKIN, _working_seconds(plan, start, end, start, last_out or end)
    rule = plan.missing_punch_rule
    if rule is MissingPunchRule.SCHEDULED:
        worked_days = portion
    elif rule is MissingPunchRule.HALF_DAY:
        credited, worked_days = _working_seconds(plan, start, end, start, end) / 2, portion / 2
    else:
        credited, worked_days = 0.0, 0.0
    return DayResult(day, status, kind, first_in, last_out, late, early, int(credited // 60), worked_days, **common)


def _corrected(computed: DayResult, plan: DayPlan, absences: Sequence[Absence], correction: Correction) -> DayResult:
    """Apply a manager's correction on top of what the events say; both stay visible."""
    result = computed
    if correction.first_in is not None or correction.last_out is not None:
        first_in = correction.first_in.timestamp() if correction.first_in else computed.first_in_ts
        last_out = correction.last_out.timestamp() if correction.last_out else computed.last_out_ts
        if first_in is not None and last_out is not None and last_out <= first_in:
            last_out = None  # the corrected arrival is after the recorded departure: that departure does not count
        result = _computed(plan, computed.day_kind, first_in, last_out, computed.event_count, absences, None)
    status = correction.status or result.status
    portion = 1.0 - result.leave_days - result.trip_days
    changes: dict[str, object] = {"status": status}
    if correction.status is not None and status is not result.status:
        # credits follow the status the manager set
        leave, trip = result.leave_days, result.trip_days
        worked = absent = 0.0
        if status.attended:
            worked = portion if computed.day_kind.is_working else 1.0
        elif status is DayStatus.ABSENT:
            absent = portion
        elif status is DayStatus.ON_LEAVE:
            leave, trip = 1.0, 0.0
        elif status is DayStatus.BUSINESS_TRIP:
            leave, trip = 0.0, 1.0
        changes |= {"worked_days": worked, "absent_days": absent, "leave_days": leave, "trip_days": trip}
        if status.attended and result.worked_minutes == 0:
            changes["worked_minutes"] = int(_working_seconds(plan, plan.start, plan.end, plan.start, plan.end) // 60)
        if not status.attended:
            changes["worked_minutes"] = 0
        changes["late_minutes"] = result.late_minutes if status is DayStatus.LATE else 0
        changes["early_leave_minutes"] = result.early_leave_minutes if status is DayStatus.LEFT_EARLY else 0
    for field in ("late_minutes", "early_leave_minutes", "worked_minutes", "worked_days"):
        value = getattr(correction, field)
        if value is not None:
            changes[field] = value
    return result._replace(**changes, computed_status=computed.status, correction=correction)
