"""The arithmetic of a day someone attended (rule 4 of `hub.timekeeping.engine`): first-in and last-out
in the windows, what approved part-day absences leave of the expected time, working seconds less the
lunch break, lateness and early leave with their grace, and the credit of a missing punch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hub.timekeeping.calendar import DayKind
from hub.timekeeping.engine.records import (
    Absence,
    AbsenceKind,
    DayPart,
    DayResult,
    DayStatus,
    new_result,
)
from hub.timekeeping.schedule import DayPlan, MissingPunchRule
from protocol.envelope import Direction


def first_in_last_out(
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
class Away:
    """What approved absences leave of the day: the expected [start, end] and the credits."""

    start: float
    end: float
    leave: float
    trip: float
    code: str | None
    whole_day: DayStatus | None  # ON_LEAVE / BUSINESS_TRIP when nothing is left to attend


_STATUS_OF = {AbsenceKind.LEAVE: DayStatus.ON_LEAVE, AbsenceKind.BUSINESS_TRIP: DayStatus.BUSINESS_TRIP}


_DEFAULT_CODE = {AbsenceKind.LEAVE: "P", AbsenceKind.BUSINESS_TRIP: "CT"}


def away_of(plan: DayPlan, absences: Sequence[Absence]) -> Away:
    """Apply approved absences. A whole-day trip wins over a whole-day leave (the trip order is the
    stronger document); a morning plus an afternoon absence make a whole day, half of each kind."""
    if not absences:
        return Away(plan.start, plan.end, 0.0, 0.0, None, None)
    whole = [a for a in absences if a.part is DayPart.FULL]
    if whole:
        chosen = next((a for a in whole if a.kind is AbsenceKind.BUSINESS_TRIP), whole[0])
        trip = chosen.kind is AbsenceKind.BUSINESS_TRIP
        code = chosen.code or _DEFAULT_CODE[chosen.kind]
        return Away(plan.start, plan.end, 0.0 if trip else 1.0, 1.0 if trip else 0.0, code, _STATUS_OF[chosen.kind])
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
        return Away(plan.start, plan.end, leave, trip, code, _STATUS_OF[first.kind])
    start = rejoin if morning is not None else plan.start
    end = split if afternoon is not None else plan.end
    return Away(start, end, leave, trip, code, None)


def working_seconds(plan: DayPlan, start: float, end: float, a: float, b: float) -> float:
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


def both_punches(
    plan: DayPlan, kind: DayKind, first_in: float, last_out: float, count: int, away: Away | None = None
) -> DayResult:
    """Arrival and departure both known: present, late or left early."""
    if away is None:
        start, end, leave, trip, code = plan.start, plan.end, 0.0, 0.0, None
    else:
        start, end, leave, trip, code = away.start, away.end, away.leave, away.trip, away.code
    late = early = 0
    if first_in > start:
        late = int(working_seconds(plan, start, end, start, first_in) // 60)
        late = late if late > plan.late_grace_minutes else 0
    if last_out < end:
        early = int(working_seconds(plan, start, end, last_out, end) // 60)
        early = early if early > plan.early_leave_grace_minutes else 0
    worked = int(working_seconds(plan, start, end, first_in, last_out) // 60)
    status = DayStatus.LATE if late else DayStatus.LEFT_EARLY if early else DayStatus.PRESENT
    return new_result(
        (plan.day, status, kind, first_in, last_out, late, early, worked, 1.0 - leave - trip, leave, trip, 0.0, count,
         code, None, None)
    )  # fmt: skip


def attendance(
    plan: DayPlan,
    kind: DayKind,
    away: Away,
    first_in: float | None,
    last_out: float | None,
    count: int,
    pending: bool,
) -> DayResult:
    day, start, end = plan.day, away.start, away.end
    portion = 1.0 - away.leave - away.trip
    late = early = 0
    if first_in is not None:
        late = int(working_seconds(plan, start, end, start, first_in) // 60)
        late = late if late > plan.late_grace_minutes else 0
    if last_out is not None:
        early = int(working_seconds(plan, start, end, last_out, end) // 60)
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
        status, credited = DayStatus.MISSING_CHECKOUT, working_seconds(plan, start, end, first_in, end)
    else:
        status, credited = DayStatus.MISSING_CHECKIN, working_seconds(plan, start, end, start, last_out or end)
    rule = plan.missing_punch_rule
    if rule is MissingPunchRule.SCHEDULED:
        worked_days = portion
    elif rule is MissingPunchRule.HALF_DAY:
        credited, worked_days = working_seconds(plan, start, end, start, end) / 2, portion / 2
    else:
        credited, worked_days = 0.0, 0.0
    return DayResult(day, status, kind, first_in, last_out, late, early, int(credited // 60), worked_days, **common)
