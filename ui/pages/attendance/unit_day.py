"""A unit's day (/attendance/unit/{unit}/{yyyy-mm-dd}): everyone of the unit (and its sub-units) on
one day — present, late by N min, absent, on leave — with the counts, a chart and a search."""

from __future__ import annotations

import collections
from datetime import date
from typing import Any

from nicegui import ui

from hub.timekeeping.engine import DayResult, DayStatus
from ui.components.charts import STATUS_COLOURS, pie_chart
from ui.components.day_picker import DayPicker
from ui.components.filtered_table import filtered_table
from ui.components.format import clock_time
from ui.components.loading import load_after_connect
from ui.components.periods import Month, parse_day
from ui.components.states import show_problem
from ui.components.tables import columns
from ui.i18n import N_
from ui.pages.attendance.scope import require_unit
from ui.pages.attendance.texts import correction_text, status_label, status_text, weekday
from ui.shell import PageContext

BAD_DAY = N_("Ngày không hợp lệ (yyyy-mm-dd)")
DAY_TITLE = N_("Chấm công trong ngày")
PEOPLE = N_("người")


def unit_day_url(unit_code: str, day: date) -> str:
    return f"/attendance/unit/{unit_code}/{day.isoformat()}"


async def render_unit_day(ctx: PageContext, unit_code: str, day_text: str) -> None:
    t = ctx.t
    day = parse_day(day_text)
    if day is None:
        show_problem(f"{t(BAD_DAY)}: {day_text}")
        return
    unit = require_unit(ctx, unit_code)
    if unit is None:
        return
    found = await load_after_connect(ctx.services.timekeeping.unit_day, ctx.principal, unit.code, day)
    if found is None:
        return
    period = Month.of(day).text
    ui.label(f"{t(DAY_TITLE)} {weekday(t, day)} {day:%d/%m/%Y} — {unit.name}").classes("text-xl font-bold")
    if found.day.name:
        ui.label(found.day.name).classes("text-primary")
    with ui.row().classes("items-center gap-4 flex-wrap"):
        DayPicker(
            t,
            day,
            lambda chosen: ui.navigate.to(unit_day_url(unit.code, chosen)),
            title=lambda d: f"{weekday(t, d)} {d:%d/%m/%Y}",
            marker="unit-day-picker",
        )
        ui.link(t(N_("Bảng chấm công")), f"/attendance/timesheet/{unit.code}/{period}")
    counts = collections.Counter(r.status for _, r in found.rows)
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-[16rem]"):
            ui.label(f"{len(found.rows)} {t(PEOPLE)}").classes("font-bold").mark("day-total")
            for status in DayStatus:
                if counts.get(status):
                    ui.label(f"{status_label(t, status)}: {counts[status]}")
        names = {status_label(t, s): counts[s] for s in DayStatus if counts.get(s)}
        colours = {status_label(t, s): STATUS_COLOURS[s.value] for s in DayStatus}
        ui.echart(pie_chart(names, colours=colours)).classes("w-full sm:w-96 h-64")

    def row(item: tuple[Any, DayResult]) -> dict[str, Any]:  # formatted only for the rows on screen
        s, r = item
        return {
            "code": s.employee_code,
            "name": s.full_name,
            "unit": s.unit_name,
            "status": status_text(t, r),
            "status_key": r.status.value,
            "first_in": clock_time(r.first_in),
            "last_out": clock_time(r.last_out),
            "correction": correction_text(t, r),
            "href": f"/attendance/person/{s.employee_code}/{period}",
        }

    present = {r.status for _, r in found.rows}
    filtered_table(
        t,
        found.rows,
        row,
        columns(
            t,
            [
                ("code", N_("Mã cán bộ")),
                ("name", N_("Họ và tên")),
                ("unit", N_("Đơn vị")),
                ("status", N_("Trạng thái")),
                ("first_in", N_("Giờ vào")),
                ("last_out", N_("Giờ ra")),
                ("correction", N_("Điều chỉnh")),
            ],
        ),  # fmt: skip
        search_text=lambda item: f"{item[0].employee_code} {item[0].full_name}",
        category=lambda item: item[1].status.value,
        categories={s.value: status_label(t, s) for s in DayStatus if s in present},
        search_label=t(N_("Tìm theo tên hoặc mã")),
        filter_label=t(N_("Lọc theo trạng thái")),
        table_id="unit-day",
    )
