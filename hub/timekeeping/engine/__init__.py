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

The package: `records` (what goes in and out), `rules` (their order, one day or a month of days),
`attendance` (the arithmetic of an attended day).
"""

from hub.timekeeping.engine.records import (
    Absence,
    AbsenceKind,
    Correction,
    DayPart,
    DayResult,
    DayStatus,
    Punch,
)
from hub.timekeeping.engine.rules import compute_day, evaluate_day, evaluate_days, latest_correction

__all__ = [
    "Absence",
    "AbsenceKind",
    "Correction",
    "DayPart",
    "DayResult",
    "DayStatus",
    "Punch",
    "compute_day",
    "evaluate_day",
    "evaluate_days",
    "latest_correction",
]
