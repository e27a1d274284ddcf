"""Timekeeping (chấm công): calendars, work schedules, the daily status engine and the monthly sheet.

Pure domain logic — no SQL, no I/O. The repository and the API feed it rows and store its
results; recomputation after a rule, leave or correction change is just calling it again.
"""

from hub.timekeeping.calendar import (
    CalendarAdjustments,
    CalendarDay,
    DayKind,
    WorkCalendar,
    default_national_day_adjacent,
    hung_kings_day,
    statutory_holidays,
    tet_days,
)
from hub.timekeeping.engine import (
    Absence,
    AbsenceKind,
    Correction,
    DayPart,
    DayResult,
    DayStatus,
    Punch,
    compute_day,
    evaluate_day,
    evaluate_days,
    latest_correction,
)
from hub.timekeeping.lunar import LunarDate, from_lunar, lunar_new_year, to_lunar
from hub.timekeeping.schedule import DayPlan, MissingPunchRule, WorkSchedule, office_hours
from hub.timekeeping.timesheet import (
    MonthSheet,
    SheetRow,
    SheetTotals,
    StaffMember,
    day_symbol,
    month_days,
    month_sheet,
)

__all__ = [
    "Absence",
    "AbsenceKind",
    "CalendarAdjustments",
    "CalendarDay",
    "Correction",
    "DayKind",
    "DayPart",
    "DayPlan",
    "DayResult",
    "DayStatus",
    "LunarDate",
    "MissingPunchRule",
    "MonthSheet",
    "Punch",
    "SheetRow",
    "SheetTotals",
    "StaffMember",
    "WorkCalendar",
    "WorkSchedule",
    "compute_day",
    "day_symbol",
    "default_national_day_adjacent",
    "evaluate_day",
    "evaluate_days",
    "from_lunar",
    "hung_kings_day",
    "latest_correction",
    "lunar_new_year",
    "month_days",
    "month_sheet",
    "office_hours",
    "statutory_holidays",
    "tet_days",
    "to_lunar",
]
