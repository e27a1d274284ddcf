"""The order the rules of `hub.timekeeping.engine` apply in, for one day or a month of days: employment,
the manager's correction, the calendar, approved absence, then attendance (`attendance`)."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache

from hub.timekeeping.calendar import DayKind, WorkCalendar
from hub.timekeeping.engine.attendance import (
    attendance,
    away_of,
    both_punches,
    first_in_last_out,
    working_seconds,
)
from hub.timekeeping.engine.records import (
    Absence,
    Correction,
    DayResult,
    DayStatus,
    Punch,
    new_result,
)
from hub.timekeeping.schedule import DayPlan, WorkSchedule
from protocol.envelope import Direction


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
    first_in, last_out = first_in_last_out(plan, times, directions, lo, hi)
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
        first_in, last_out = first_in_last_out(plan, times, directions, lo, hi)
        if first_in is None or last_out is None:
            append(evaluate_day(plan, kind, times, directions, (), None, now_ts))
            continue
        start, end = plan.start, plan.end
        if first_in <= start and last_out >= end:  # on time, stayed the day: no arithmetic beyond the lunch break
            worked = (end - start) - (plan.lunch_end - plan.lunch_start)
            minutes = int(worked // 60)
            append(new_result((day, _PRESENT, kind, first_in, last_out, 0, 0, minutes, 1.0, 0.0, 0.0, 0.0, hi - lo,
                                None, None, None)))  # fmt: skip
        else:
            append(both_punches(plan, kind, first_in, last_out, hi - lo))
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
        return both_punches(plan, kind, first_in, last_out, count)  # the common day, kept short
    if kind not in _WORKING_DAY_KINDS:
        status = DayStatus.HOLIDAY if kind.is_paid_holiday else DayStatus.DAY_OFF
        worked = 0.0
        if first_in is not None and last_out is not None:
            worked = working_seconds(plan, plan.start, plan.end, first_in, last_out)
        return DayResult(
            plan.day, status, kind, first_in, last_out, worked_minutes=int(worked // 60), event_count=count
        )
    away = away_of(plan, absences)
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
        return both_punches(plan, kind, first_in, last_out, count, away)
    return attendance(plan, kind, away, first_in, last_out, count, pending)


_WORKING_DAY_KINDS = frozenset(k for k in DayKind if k.is_working)


_OFF_STATUS = {k: DayStatus.HOLIDAY if k.is_paid_holiday else DayStatus.DAY_OFF for k in DayKind if not k.is_working}


_PRESENT = DayStatus.PRESENT


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
            changes["worked_minutes"] = int(working_seconds(plan, plan.start, plan.end, plan.start, plan.end) // 60)
        if not status.attended:
            changes["worked_minutes"] = 0
        changes["late_minutes"] = result.late_minutes if status is DayStatus.LATE else 0
        changes["early_leave_minutes"] = result.early_leave_minutes if status is DayStatus.LEFT_EARLY else 0
    for field in ("late_minutes", "early_leave_minutes", "worked_minutes", "worked_days"):
        value = getattr(correction, field)
        if value is not None:
            changes[field] = value
    return result._replace(**changes, computed_status=computed.status, correction=correction)
