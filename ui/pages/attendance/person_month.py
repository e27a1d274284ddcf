"""A person's month (/attendance/person/{code}/{yyyy-mm}): day by day, the totals, the corrections
(with reasons) and, for their manager or HR, the form to correct a day.

All figures are computed from the raw events on request; a correction is appended with its reason
and author and never changes an event, so the page shows both the corrected status and what the
events said.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from hub.accounts.models import AccessDenied
from hub.people.service import UnknownEmployee
from hub.timekeeping import access as timekeeping_access
from hub.timekeeping.timesheet import day_symbol
from ui.components.charts import STATUS_COLOURS, bar_chart
from ui.components.format import clock_time, local_time
from ui.components.month_picker import MonthPicker
from ui.components.periods import Month
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns
from ui.i18n import N_, pgettext
from ui.pages.attendance.correction import correction_form
from ui.pages.attendance.scope import CORRECTORS
from ui.pages.attendance.texts import correction_text, status_label, status_text, weekday
from ui.shell import PageContext, forbidden

BAD_MONTH = N_("Tháng không hợp lệ (yyyy-mm)")
NO_EMPLOYEE = N_("Không tìm thấy cán bộ")
MONTH_TITLE = N_("Chấm công trong tháng")
WORKING_DAYS = N_("Ngày làm việc theo lịch")
REASON = N_("Lý do")
BY = N_("bởi")

#: the month's totals in the card beside the chart, in order (text key, attribute of the totals)
TOTALS: tuple[tuple[str, str], ...] = (
    (N_("Ngày công"), "worked_days"),
    (N_("Công tác"), "trip_days"),
    (N_("Nghỉ phép"), "leave_days"),
    (N_("Nghỉ lễ"), "holiday_days"),
    (N_("Vắng không phép"), "absent_days"),
    (N_("Số lần đi muộn"), "late_count"),
    (N_("Phút đi muộn"), "late_minutes"),
    (N_("Số lần về sớm"), "early_leave_count"),
    (N_("Phút về sớm"), "early_leave_minutes"),
    (N_("Thiếu chấm công"), "missing_punch_count"),
    (N_("Ngày đã điều chỉnh"), "corrected_days"),
)


def person_month_url(employee_code: str, month: Month) -> str:
    return f"/attendance/person/{employee_code}/{month.text}"


def render_person_month(ctx: PageContext, employee_code: str, period: str) -> None:
    t = ctx.t
    month = Month.parse(period)
    if month is None:
        show_problem(f"{t(BAD_MONTH)}: {period}")
        return
    try:
        employee = ctx.services.people.employee(ctx.principal, employee_code, timekeeping_access.VIEW_PERSON)
    except UnknownEmployee:
        show_problem(f"{t(NO_EMPLOYEE)}: {employee_code}")
        return
    except AccessDenied:
        forbidden(ctx)
        return
    unit = ctx.services.people.unit(ctx.principal, employee.unit_code)
    may_correct = ctx.principal.can_in_unit(unit.path, *CORRECTORS) and employee.id != ctx.principal.employee_id

    def month_view() -> None:
        """(Re)draw the month from the services: after a correction the page shows it at once."""
        view.clear()
        with view:
            found = ctx.services.timekeeping.person_month(
                ctx.principal, employee.employee_code, month.year, month.month
            )
            _month_body(ctx, found)
            if may_correct:
                correction_form(ctx, employee.employee_code, found.row.days, month_view)
            elif ctx.principal.can_in_unit(unit.path, *CORRECTORS):
                ui.label(t(N_("Không thể tự điều chỉnh chấm công của chính mình"))).classes("text-grey-7")

    ui.label(f"{t(MONTH_TITLE)} {month.label} — {employee.full_name} ({employee.employee_code})").classes(
        "text-xl font-bold"
    )
    ui.label(f"{employee.unit_name}{' · ' + employee.position if employee.position else ''}").classes("text-grey-8")
    MonthPicker(
        t, month, lambda chosen: ui.navigate.to(person_month_url(employee.employee_code, chosen)), marker="month"
    )
    view = ui.column().classes("w-full gap-4")
    month_view()


def _month_body(ctx: PageContext, found: Any) -> None:
    t = ctx.t
    totals = found.row.totals
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-[16rem]").mark("month-totals"):
            ui.label(t(pgettext("timesheet", "Tổng hợp"))).classes("font-bold")
            ui.label(f"{t(WORKING_DAYS)}: {found.sheet.working_days:g}")
            for key, field in TOTALS:
                ui.label(f"{t(key)}: {getattr(totals, field):g}")
        days = [r.day for r in found.row.days]
        late, early = t(N_("Phút đi muộn")), t(N_("Phút về sớm"))
        ui.echart(
            bar_chart(
                [f"{d.day}" for d in days],
                {
                    late: [r.late_minutes for r in found.row.days],
                    early: [r.early_leave_minutes for r in found.row.days],
                },
                colours={late: STATUS_COLOURS["late"], early: STATUS_COLOURS["left_early"]},
                value_name=t(N_("phút")),
            )
        ).classes("w-full md:w-[36rem] h-64")

    cols = columns(
        t,
        [("day", N_("Ngày")), ("status", N_("Trạng thái")), ("symbol", N_("Ký hiệu"), "center"),
         ("first_in", N_("Giờ vào")), ("last_out", N_("Giờ ra")), ("worked", N_("Giờ làm"), "right"),
         ("correction", N_("Điều chỉnh"))],
    )  # fmt: skip
    rows = [
        {
            "day": f"{weekday(t, r.day)} {r.day:%d/%m}",
            "iso": r.day.isoformat(),
            "status": status_text(t, r),
            "status_key": r.status.value,
            "symbol": day_symbol(r),
            "first_in": clock_time(r.first_in),
            "last_out": clock_time(r.last_out),
            "worked": f"{r.worked_minutes // 60}:{r.worked_minutes % 60:02d}" if r.worked_minutes else "",
            "correction": correction_text(t, r),
        }
        for r in found.row.days
    ]
    ui.table(columns=cols, rows=rows, row_key="iso", pagination=0).classes("w-full").props("flat bordered dense").mark(
        "person-month"
    )

    ui.label(t(N_("Lịch sử điều chỉnh"))).classes("text-lg font-bold mt-4")
    if not found.corrections:
        empty_state(t(N_("Chưa có điều chỉnh nào")), icon="history")
    for stored in reversed(found.corrections):
        c = stored.correction
        what = status_label(t, c.status) if c.status else ""
        times = " – ".join(x for x in (clock_time(c.first_in), clock_time(c.last_out)) if x)
        ui.label(
            f"{c.day:%d/%m/%Y}: {what} {times} — {t(REASON)}: {c.reason} ({t(BY)} {c.author}, {local_time(c.made_at)})"
        ).classes("text-sm")
