"""Reports (báo cáo): the monthly timesheet per unit, lateness ranking, absence and device uptime.

One page, `/reports?unit=…&month=yyyy-mm&tab=…`: the chosen report is computed (in a worker
thread, so other users' pages stay responsive), shown as a chart and a table, and exported as
XLSX or PDF by the hub's exporters. Only the selected tab is computed: a department's month is
a second of engine time and nobody should wait for three reports to read one.

A unit report needs manager, HR or office-admin rights on that unit (or system admin); device
uptime is about the fleet, not people, and is for system and office admins (an office admin sees
the devices of their offices).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from nicegui import ui

from hub.accounts.principal import Principal, Role
from hub.people.models import OrgUnit
from hub.reports import access as reports_access
from hub.reports.models import InvalidPeriod
from hub.services import HubServices
from ui.components.charts import STATUS_COLOURS, bar_chart
from ui.components.export_buttons import export_buttons
from ui.components.format import LOCAL_TZ
from ui.components.labels.devices import ONLINE, kind_label
from ui.components.loading import load_after_connect
from ui.components.month_picker import MonthPicker
from ui.components.paged_table import paged_table
from ui.components.periods import Month, today_local
from ui.components.states import empty_state, show_problem
from ui.i18n import N_, pgettext
from ui.pages.attendance.scope import units_in_scope
from ui.pages.org import setup_notice
from ui.shell import PageContext, forbidden, module_page

BAD_MONTH = N_("Tháng không hợp lệ (yyyy-mm)")
WORKING_DAYS = N_("Ngày làm việc theo lịch")
PEOPLE = N_("người")
LATE_COUNT = N_("Số lần đi muộn")

STAFF = N_("Số cán bộ")

TABS = ("timesheet", "lateness", "absence", "uptime")
CHART_TOP = 15  # people or devices on a chart; the table has all of them

#: each report's tab
TAB_TEXTS = {
    "timesheet": N_("Bảng chấm công"),
    "lateness": N_("Xếp hạng đi muộn"),
    "absence": pgettext("report tab", "Vắng mặt"),
    "uptime": N_("Hoạt động thiết bị"),
}


def sees_devices(principal: Principal) -> bool:
    return principal.is_system_admin or principal.has_role(Role.OFFICE_ADMIN)


def _url(unit: str, month: str, tab: str) -> str:
    return "/reports?" + urlencode({"unit": unit, "month": month, "tab": tab})


def _columns(ctx: PageContext, fields: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [{"name": f, "label": ctx.t(k), "field": f, "align": align} for f, k, align in fields]


def _table(ctx: PageContext, columns: list[dict[str, Any]], rows: list[dict[str, Any]], marker: str) -> ui.table:
    """Paged on the server: only the page shown goes to the browser (a department's report has thousands)."""
    return paged_table(ctx.t, columns, len(rows), rows.__getitem__, table_id=marker, row_key="key")


async def render_reports(ctx: PageContext, unit: str, month: str, tab: str) -> None:
    ui.label(ctx.t(N_("Báo cáo"))).classes("text-xl font-bold")
    scope = units_in_scope(ctx)
    if not scope and ctx.principal.is_system_admin:
        setup_notice(ctx)  # org: an empty hub — set the organisation up first, not "access denied"
        return
    if not scope:
        forbidden(ctx)
        return
    chosen = next((u for u in scope if u.code == unit), None) if unit else scope[0]
    if chosen is None:
        forbidden(ctx)  # a unit outside the scope (or none at all): nothing is computed for it
        return
    parsed = Month.parse(month) if month else Month.of(today_local(ctx.services))
    if parsed is None:
        show_problem(f"{ctx.t(BAD_MONTH)}: {month}")
        return
    tab = tab if tab in TABS else TABS[0]
    tabs_shown = [t for t in TABS if t != "uptime" or sees_devices(ctx.principal)]

    with ui.row().classes("w-full items-end gap-4 flex-wrap"):
        unit_select = (
            ui.select(
                {u.code: ("\u2003" * u.depth) + u.name for u in scope}, value=chosen.code, label=ctx.t(N_("Đơn vị"))
            )
            .classes("min-w-[16rem]")
            .mark("report-unit")
        )
        month_picker = MonthPicker(ctx.t, parsed, lambda _month: go(), marker="report-month")
    with ui.tabs().classes("w-full") as tabs:
        for name in tabs_shown:
            ui.tab(name, ctx.t(TAB_TEXTS[name]))
    tabs.value = tab if tab in tabs_shown else tabs_shown[0]

    def go(new_tab: str | None = None) -> None:
        ui.navigate.to(_url(unit_select.value, month_picker.value.text, new_tab or tabs.value))

    unit_select.on_value_change(lambda: go())
    tabs.on_value_change(lambda e: go(e.value))

    year, month_number = parsed.year, parsed.month
    content = ui.column().classes("w-full gap-4")
    with content:
        if tab == "uptime" and not sees_devices(ctx.principal):
            ui.label(ctx.t(N_("Báo cáo thiết bị dành cho quản trị hệ thống và quản trị đơn vị"))).classes(
                "text-negative"
            )
            return
        try:
            draw = await load_after_connect(_load, ctx, tab, chosen, year, month_number)
        except InvalidPeriod as exc:
            show_problem(str(exc))
            return
        if draw is not None:
            draw()


def _load(ctx: PageContext, tab: str, unit: OrgUnit, year: int, month: int) -> Callable[[], None]:
    """Compute the tab's report (in a worker thread); returns the function that draws it."""
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    services = ctx.services
    if tab == "timesheet":
        sheet = services.timekeeping.unit_timesheet(ctx.principal, unit.code, year, month)
        return lambda: _draw_timesheet(ctx, unit, year, month, sheet)
    if tab == "lateness":
        lateness = services.reports.lateness(ctx.principal, unit.code, first, last)
        return lambda: _draw_lateness(ctx, unit, year, month, lateness)
    if tab == "absence":
        absence = services.reports.absences(ctx.principal, unit.code, first, last)
        return lambda: _draw_absence(ctx, unit, year, month, absence)
    start = datetime.combine(first, time(0), LOCAL_TZ).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)
    uptime = services.reports.device_uptime(ctx.principal, start, end)  # the devices of their offices
    return lambda: _draw_uptime(ctx, year, month, uptime)


def _draw_timesheet(ctx: PageContext, unit: OrgUnit, year: int, month: int, found: Any) -> None:
    """Totals per sub-unit (chart) and per person (table); the full day grid is on the timesheet page."""
    period = Month(year, month).text
    with ui.row().classes("items-center gap-2 flex-wrap"):
        export_buttons(
            ctx.t,
            "timesheet",
            lambda fmt: ctx.services.reports.export_timesheet(ctx.principal, unit.code, year, month, fmt),
        )
        ui.link(ctx.t(N_("Xem bảng chấm công đầy đủ")), f"/attendance/timesheet/{unit.code}/{period}")
    ui.label(f"{ctx.t(WORKING_DAYS)}: {found.sheet.working_days} · {len(found.sheet.rows)} {ctx.t(PEOPLE)}")
    groups: dict[str, list[Any]] = defaultdict(list)
    for staff, row in zip(found.staff, found.sheet.rows, strict=True):
        groups[staff.unit_name].append(row.totals)
    names = list(groups)
    ui.echart(
        bar_chart(
            names,
            {
                ctx.t(N_("Ngày công")): [round(sum(t.worked_days for t in groups[n]), 1) for n in names],
                ctx.t(N_("Nghỉ phép")): [round(sum(t.leave_days for t in groups[n]), 1) for n in names],
                ctx.t(N_("Công tác")): [round(sum(t.trip_days for t in groups[n]), 1) for n in names],
                ctx.t(N_("Vắng không phép")): [round(sum(t.absent_days for t in groups[n]), 1) for n in names],
            },
            stacked=True,
            colours={
                ctx.t(N_("Ngày công")): STATUS_COLOURS["present"],
                ctx.t(N_("Nghỉ phép")): STATUS_COLOURS["on_leave"],
                ctx.t(N_("Công tác")): STATUS_COLOURS["business_trip"],
                ctx.t(N_("Vắng không phép")): STATUS_COLOURS["absent"],
            },
        )
    ).classes("w-full h-80").mark("chart-timesheet")
    rows = [
        {
            "key": s.employee_code,
            "code": s.employee_code,
            "name": s.full_name,
            "unit": s.unit_name,
            "worked": r.totals.worked_days,
            "late": r.totals.late_count,
            "absent": r.totals.absent_days,
            "leave": r.totals.leave_days,
            "trip": r.totals.trip_days,
        }
        for s, r in zip(found.staff, found.sheet.rows, strict=True)
    ]
    columns = _columns(
        ctx,
        [("code", N_("Mã cán bộ"), "left"), ("name", N_("Họ và tên"), "left"), ("unit", N_("Đơn vị"), "left"),
         ("worked", N_("Ngày công"), "right"), ("late", N_("Số lần đi muộn"), "right"),
         ("absent", N_("Vắng không phép"), "right"), ("leave", N_("Nghỉ phép"), "right"),
         ("trip", N_("Công tác"), "right")],
    )  # fmt: skip
    _table(ctx, columns, rows, "table-timesheet")


def _draw_lateness(ctx: PageContext, unit: OrgUnit, year: int, month: int, report: Any) -> None:
    with ui.row().classes("items-center gap-2 flex-wrap"):
        export_buttons(
            ctx.t,
            "lateness",
            lambda fmt: ctx.services.reports.export_lateness(ctx.principal, unit.code, report.first, report.last, fmt),
        )
    ui.label(f"{ctx.t(STAFF)}: {report.staff_count} · {ctx.t(LATE_COUNT)}: {len(report.rows)}")
    if not report.rows:
        empty_state(ctx.t(N_("Không ai đi muộn trong kỳ")), icon="schedule")
        return
    top = report.rows[:CHART_TOP]
    ui.echart(
        bar_chart(
            [f"{r.full_name} ({r.employee_code})" for r in top],
            {
                ctx.t(N_("Số lần đi muộn")): [r.late_count for r in top],
                ctx.t(N_("Phút đi muộn")): [r.late_minutes for r in top],
            },
            horizontal=True,
            colours={
                ctx.t(N_("Số lần đi muộn")): STATUS_COLOURS["late"],
                ctx.t(N_("Phút đi muộn")): STATUS_COLOURS["left_early"],
            },
        )
    ).classes("w-full h-96").mark("chart-lateness")
    rows = [
        {
            "key": r.employee_code,
            "rank": r.rank,
            "code": r.employee_code,
            "name": r.full_name,
            "unit": r.unit_name,
            "late": r.late_count,
            "minutes": r.late_minutes,
            "early": r.early_leave_count,
            "days": ", ".join(f"{d:%d/%m}" for d in r.late_days),
        }
        for r in report.rows
    ]
    columns = _columns(
        ctx,
        [("rank", N_("Hạng"), "right"), ("code", N_("Mã cán bộ"), "left"), ("name", N_("Họ và tên"), "left"),
         ("unit", N_("Đơn vị"), "left"), ("late", N_("Số lần đi muộn"), "right"),
         ("minutes", N_("Phút đi muộn"), "right"), ("early", N_("Số lần về sớm"), "right"),
         ("days", N_("Ngày đi muộn"), "left")],
    )  # fmt: skip
    _table(ctx, columns, rows, "table-lateness")


def _draw_absence(ctx: PageContext, unit: OrgUnit, year: int, month: int, report: Any) -> None:
    with ui.row().classes("items-center gap-2 flex-wrap"):
        export_buttons(
            ctx.t,
            "absence",
            lambda fmt: ctx.services.reports.export_absences(ctx.principal, unit.code, report.first, report.last, fmt),
        )
    ui.label(f"{ctx.t(STAFF)}: {report.staff_count} · {ctx.t(WORKING_DAYS)}: {report.working_days}")
    if not report.rows:
        empty_state(ctx.t(N_("Không có vắng mặt trong kỳ")), icon="event_available")
        return
    top = report.rows[:CHART_TOP]
    series = {
        ctx.t(N_("Vắng không phép")): [r.absent_days for r in top],
        ctx.t(N_("Nghỉ phép")): [r.leave_days for r in top],
        ctx.t(N_("Công tác")): [r.trip_days for r in top],
    }
    ui.echart(
        bar_chart(
            [f"{r.full_name} ({r.employee_code})" for r in top],
            series,
            horizontal=True,
            stacked=True,
            colours={
                ctx.t(N_("Vắng không phép")): STATUS_COLOURS["absent"],
                ctx.t(N_("Nghỉ phép")): STATUS_COLOURS["on_leave"],
                ctx.t(N_("Công tác")): STATUS_COLOURS["business_trip"],
            },
        )
    ).classes("w-full h-96").mark("chart-absence")
    rows = [
        {
            "key": r.employee_code,
            "code": r.employee_code,
            "name": r.full_name,
            "unit": r.unit_name,
            "absent": r.absent_days,
            "leave": r.leave_days,
            "trip": r.trip_days,
            "missing": r.missing_punch_days,
            "dates": ", ".join(f"{d:%d/%m}" for d in r.absent_dates),
        }
        for r in report.rows
    ]
    columns = _columns(
        ctx,
        [("code", N_("Mã cán bộ"), "left"), ("name", N_("Họ và tên"), "left"), ("unit", N_("Đơn vị"), "left"),
         ("absent", N_("Vắng không phép"), "right"), ("leave", N_("Nghỉ phép"), "right"),
         ("trip", N_("Công tác"), "right"), ("missing", N_("Thiếu chấm công"), "right"),
         ("dates", N_("Ngày vắng"), "left")],
    )  # fmt: skip
    _table(ctx, columns, rows, "table-absence")


def _draw_uptime(ctx: PageContext, year: int, month: int, report: Any) -> None:
    with ui.row().classes("items-center gap-2 flex-wrap"):
        export_buttons(
            ctx.t,
            "uptime",
            lambda fmt: ctx.services.reports.export_device_uptime(ctx.principal, report.start, report.end, fmt),
        )
    if not report.rows:
        empty_state(ctx.t(N_("Chưa có thiết bị")), icon="router")
        return
    top = [r for r in report.rows if r.uptime is not None][: CHART_TOP * 2]
    ui.echart(
        bar_chart(
            [r.device_id for r in top],
            {ctx.t(N_("Tỷ lệ hoạt động (%)")): [round(100 * r.uptime, 1) for r in top]},
            horizontal=True,
            colours={ctx.t(N_("Tỷ lệ hoạt động (%)")): STATUS_COLOURS["online"]},
        )
    ).classes("w-full h-96").mark("chart-uptime")
    rows = [
        {
            "key": r.device_id,
            "device": r.device_id,
            "kind": kind_label(ctx.t, r.kind),
            "site": r.site or "",
            "uptime": f"{100 * r.uptime:.1f}" if r.uptime is not None else ctx.t(N_("không rõ")),
            "changes": r.changes,
            "now": ctx.t(ONLINE[r.online_now]),
        }
        for r in report.rows
    ]
    columns = _columns(
        ctx,
        [("device", N_("Thiết bị"), "left"), ("kind", N_("Loại"), "left"), ("site", N_("Địa điểm"), "left"),
         ("uptime", N_("Tỷ lệ hoạt động (%)"), "right"), ("changes", N_("Số lần đổi trạng thái"), "right"),
         ("now", N_("Hiện tại"), "left")],
    )  # fmt: skip
    _table(ctx, columns, rows, "table-uptime")


def register(services: HubServices) -> None:

    @module_page("/reports", text_key=N_("Báo cáo"), icon="insights", action=reports_access.VIEW_UNIT, order=40)
    async def reports_page(ctx: PageContext, unit: str = "", month: str = "", tab: str = "timesheet") -> None:
        await render_reports(ctx, unit, month, tab)
