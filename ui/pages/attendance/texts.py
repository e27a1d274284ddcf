"""The attendance pages' texts and how a day's outcome is said: 'Đi muộn 12 phút', 'Nghỉ phép'.

The dashboard and the reports share these words (a status is called the same on every page), so
they live apart from any one page.
"""

from __future__ import annotations

from datetime import date

from hub.timekeeping.engine import DayResult, DayStatus
from ui.components.format import Translate
from ui.i18n import N_, pgettext

BY = N_("bởi")
AS_COMPUTED = N_("theo sự kiện")


#: the days of the week, Monday first (date.weekday())
WEEKDAYS = (N_("T2"), N_("T3"), N_("T4"), N_("T5"), N_("T6"), N_("T7"), N_("CN"))
#: a day's status as every page says it
STATUS_TEXTS: dict[DayStatus, str] = {
    DayStatus.PRESENT: N_("Có mặt"),
    DayStatus.LATE: N_("Đi muộn"),
    DayStatus.LEFT_EARLY: N_("Về sớm"),
    DayStatus.MISSING_CHECKIN: N_("Thiếu chấm công vào"),
    DayStatus.MISSING_CHECKOUT: N_("Thiếu chấm công ra"),
    DayStatus.ABSENT: N_("Vắng mặt"),
    DayStatus.ON_LEAVE: pgettext("presence", "Nghỉ phép"),
    DayStatus.BUSINESS_TRIP: N_("Đi công tác"),
    DayStatus.HOLIDAY: pgettext("presence", "Nghỉ lễ"),
    DayStatus.DAY_OFF: N_("Ngày nghỉ"),
    DayStatus.PENDING: N_("Chưa hết ngày"),
    DayStatus.NOT_EMPLOYED: N_("Ngoài thời gian công tác"),
}


def weekday(t: Translate, day: date) -> str:
    """'T2' … 'CN' / 'Mon' … 'Sun'."""
    return t(WEEKDAYS[day.weekday()])


def status_label(t: Translate, status: DayStatus) -> str:
    return t(STATUS_TEXTS[status])


def status_text(t: Translate, result: DayResult) -> str:
    """The status as people say it: 'Đi muộn 12 phút', 'Về sớm 5 phút', 'Nghỉ phép'."""
    if result.status is DayStatus.LATE and result.late_minutes:
        return t(N_("Đi muộn {n} phút")).format(n=result.late_minutes)
    if result.status is DayStatus.LEFT_EARLY and result.early_leave_minutes:
        return t(N_("Về sớm {n} phút")).format(n=result.early_leave_minutes)
    return status_label(t, result.status)


def correction_text(t: Translate, result: DayResult) -> str:
    """'Lý do … (bởi …; theo sự kiện: Vắng mặt)': the correction with its reason, and what the events said."""
    c = result.correction
    if c is None:
        return ""
    said = status_label(t, result.computed_status) if result.computed_status else ""
    return f"{c.reason} ({t(BY)} {c.author}; {t(AS_COMPUTED)}: {said})"
