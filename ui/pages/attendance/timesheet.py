"""A unit's monthly sheet (/attendance/timesheet/{unit}/{yyyy-mm}, bảng chấm công): person × day
symbols and totals, paged on screen, exported whole as XLSX and PDF."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from ui.components.export_buttons import export_buttons
from ui.components.loading import load_after_connect
from ui.components.month_picker import MonthPicker
from ui.components.paged_table import paged_table
from ui.components.periods import Month
from ui.components.states import show_problem
from ui.components.tables import columns
from ui.i18n import N_
from ui.pages.attendance.scope import require_unit
from ui.pages.attendance.texts import weekday
from ui.shell import PageContext

BAD_MONTH = N_("Tháng không hợp lệ (yyyy-mm)")
TIMESHEET = N_("Bảng chấm công")
WORKING_DAYS = N_("Ngày làm việc theo lịch")
PEOPLE = N_("người")


def timesheet_url(unit_code: str, month: Month) -> str:
    return f"/attendance/timesheet/{unit_code}/{month.text}"


async def render_timesheet(ctx: PageContext, unit_code: str, period: str) -> None:
    t = ctx.t
    month = Month.parse(period)
    if month is None:
        show_problem(f"{t(BAD_MONTH)}: {period}")
        return
    unit = require_unit(ctx, unit_code)
    if unit is None:
        return
    found = await load_after_connect(
        ctx.services.timekeeping.unit_timesheet, ctx.principal, unit.code, month.year, month.month
    )
    if found is None:
        return
    sheet = found.sheet
    ui.label(f"{t(TIMESHEET)} {month.label} — {unit.name}").classes("text-xl font-bold")
    with ui.row().classes("items-center gap-2 flex-wrap"):
        MonthPicker(t, month, lambda chosen: ui.navigate.to(timesheet_url(unit.code, chosen)), marker="sheet-month")
        export_buttons(
            t,
            "timesheet",
            lambda fmt: ctx.services.reports.export_timesheet(ctx.principal, unit.code, month.year, month.month, fmt),
        )
    ui.label(f"{t(WORKING_DAYS)}: {sheet.working_days} · {len(sheet.rows)} {t(PEOPLE)}")

    day_fields = [(f"d{d.day}", d) for d in sheet.days]
    cols = [
        *columns(t, [("code", N_("Mã cán bộ")), ("name", N_("Họ và tên"))]),
        *({"name": f, "label": f"{d.day}\n{weekday(t, d)}", "field": f, "align": "center"} for f, d in day_fields),
        *columns(
            t,
            [
                ("worked", N_("Ngày công"), "right"),
                ("late", N_("Số lần đi muộn"), "right"),
                ("absent", N_("Vắng không phép"), "right"),
                ("leave", N_("Nghỉ phép"), "right"),
            ],
        ),  # fmt: skip
    ]
    people = list(zip(found.staff, sheet.rows, strict=True))

    def row(i: int) -> dict[str, Any]:  # formatted only for the page on screen
        staff, line = people[i]
        return {
            "code": staff.employee_code,
            "name": staff.full_name,
            "href": f"/attendance/person/{staff.employee_code}/{month.text}",
            **{f: symbol for (f, _), symbol in zip(day_fields, line.symbols, strict=True)},
            "worked": f"{line.totals.worked_days:g}",
            "late": line.totals.late_count,
            "absent": f"{line.totals.absent_days:g}",
            "leave": f"{line.totals.leave_days:g}",
        }

    paged_table(t, cols, len(people), row, table_id="timesheet", link_column="code").classes("text-xs")
