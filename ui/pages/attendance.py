"""Attendance pages (chấm công): the live feed, a unit's day, a person's month with corrections, the monthly sheet.

Every page checks the signed-in principal against the unit of what it shows before it loads
anything: an employee opens only their own month, a manager or HR officer only the units
(and sub-units) they are granted. Units and people are addressed by their codes (mã đơn vị,
mã cán bộ), the same identifiers the REST API uses.

All figures come from `HubServices` (computed from the raw events on request); a correction
is appended with its reason and author and never changes an event, so the page shows both
the corrected status and what the events said.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from nicegui import context, run, ui
from pydantic import ValidationError

from hub.accounts.principal import Principal, Role
from hub.input_errors import said
from hub.live.feed import Subscription
from hub.live.models import CheckIn
from hub.people.models import OrgUnit
from hub.people.service import UnknownEmployee, UnknownUnit
from hub.reports.documents import ExportFile, ExportFormat
from hub.services import HubServices
from hub.timekeeping.engine import DayResult, DayStatus
from hub.timekeeping.service import InvalidCorrection, OwnCorrection
from hub.timekeeping.timesheet import day_symbol
from ui.components.charts import STATUS_COLOURS, bar_chart, pie_chart
from ui.components.format import LOCAL_TZ
from ui.components.units import flatten, top_units
from ui.i18n import register_texts
from ui.shell import PageContext, any_role, forbidden, module_page, signed_in

#: who reads a unit's attendance (a system admin reads every unit)
READERS: tuple[Role, ...] = (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)
#: who may correct a day of someone in their unit
CORRECTORS: tuple[Role, ...] = (Role.MANAGER, Role.HR)
#: statuses a correction may set (the calendar and the clock decide the others)
CORRECTABLE: tuple[DayStatus, ...] = (
    DayStatus.PRESENT,
    DayStatus.LATE,
    DayStatus.LEFT_EARLY,
    DayStatus.MISSING_CHECKIN,
    DayStatus.MISSING_CHECKOUT,
    DayStatus.ABSENT,
    DayStatus.ON_LEAVE,
    DayStatus.BUSINESS_TRIP,
)
ROWS_PER_PAGE = 50
LIVE_ROWS = 50

TEXTS: dict[str, dict[str, str]] = {
    "att.title": {"vi": "Chấm công", "en": "Attendance"},
    "att.live": {"vi": "Chấm công trực tiếp", "en": "Live check-ins"},
    "att.live_hint": {
        "vi": "Các lượt chấm công mới nhất, tự cập nhật",
        "en": "The latest check-ins, updating by themselves",
    },
    "att.unit_day": {"vi": "Chấm công trong ngày", "en": "Attendance of the day"},
    "att.person_month": {"vi": "Chấm công trong tháng", "en": "Attendance of the month"},
    "att.timesheet": {"vi": "Bảng chấm công", "en": "Timesheet"},
    "att.my_month": {"vi": "Chấm công của tôi", "en": "My attendance"},
    "att.units": {"vi": "Đơn vị", "en": "Units"},
    "att.unit": {"vi": "Đơn vị", "en": "Unit"},
    "att.today": {"vi": "Hôm nay", "en": "Today"},
    "att.this_month": {"vi": "Tháng này", "en": "This month"},
    "att.prev": {"vi": "Trước", "en": "Previous"},
    "att.next": {"vi": "Sau", "en": "Next"},
    "att.code": {"vi": "Mã cán bộ", "en": "Employee code"},
    "att.name": {"vi": "Họ và tên", "en": "Full name"},
    "att.position": {"vi": "Chức vụ", "en": "Position"},
    "att.day": {"vi": "Ngày", "en": "Day"},
    "att.time": {"vi": "Thời gian", "en": "Time"},
    "att.device": {"vi": "Thiết bị", "en": "Device"},
    "att.direction": {"vi": "Hướng", "en": "Direction"},
    "att.dir_in": {"vi": "Vào", "en": "In"},
    "att.dir_out": {"vi": "Ra", "en": "Out"},
    "att.status": {"vi": "Trạng thái", "en": "Status"},
    "att.first_in": {"vi": "Giờ vào", "en": "First in"},
    "att.last_out": {"vi": "Giờ ra", "en": "Last out"},
    "att.worked": {"vi": "Giờ làm", "en": "Hours worked"},
    "att.symbol": {"vi": "Ký hiệu", "en": "Symbol"},
    "att.correction": {"vi": "Điều chỉnh", "en": "Correction"},
    "att.corrections": {"vi": "Lịch sử điều chỉnh", "en": "Correction history"},
    "att.no_corrections": {"vi": "Chưa có điều chỉnh nào", "en": "No corrections yet"},
    "att.correct_day": {"vi": "Điều chỉnh chấm công", "en": "Correct a day"},
    "att.keep_status": {"vi": "— giữ theo giờ vào/ra —", "en": "— from the times given —"},
    "att.reason": {"vi": "Lý do", "en": "Reason"},
    "att.save": {"vi": "Lưu điều chỉnh", "en": "Save correction"},
    "att.saved": {"vi": "Đã lưu điều chỉnh", "en": "Correction saved"},
    "att.not_saved": {"vi": "Chưa lưu", "en": "Not saved"},
    "att.own_record": {
        "vi": "Không thể tự điều chỉnh chấm công của chính mình",
        "en": "You cannot correct your own attendance",
    },
    "att.computed": {"vi": "theo sự kiện", "en": "from the events"},
    "att.by": {"vi": "bởi", "en": "by"},
    "att.bad_time": {"vi": "Giờ không hợp lệ (HH:MM)", "en": "Invalid time (HH:MM)"},
    "att.totals": {"vi": "Tổng hợp", "en": "Totals"},
    "att.worked_days": {"vi": "Ngày công", "en": "Days worked"},
    "att.working_days": {"vi": "Ngày làm việc theo lịch", "en": "Working days in the calendar"},
    "att.trip_days": {"vi": "Công tác", "en": "Business trips"},
    "att.leave_days": {"vi": "Nghỉ phép", "en": "Leave"},
    "att.holiday_days": {"vi": "Nghỉ lễ", "en": "Holidays"},
    "att.absent_days": {"vi": "Vắng không phép", "en": "Absent"},
    "att.late_count": {"vi": "Số lần đi muộn", "en": "Times late"},
    "att.late_minutes": {"vi": "Phút đi muộn", "en": "Minutes late"},
    "att.early_count": {"vi": "Số lần về sớm", "en": "Times left early"},
    "att.early_minutes": {"vi": "Phút về sớm", "en": "Minutes left early"},
    "att.missing_punches": {"vi": "Thiếu chấm công", "en": "Missing punches"},
    "att.corrected_days": {"vi": "Ngày đã điều chỉnh", "en": "Corrected days"},
    "att.search": {"vi": "Tìm theo tên hoặc mã", "en": "Search by name or code"},
    "att.filter_status": {"vi": "Lọc theo trạng thái", "en": "Filter by status"},
    "att.people": {"vi": "người", "en": "people"},
    "att.download_xlsx": {"vi": "Tải Excel (XLSX)", "en": "Download Excel (XLSX)"},
    "att.download_pdf": {"vi": "Tải PDF", "en": "Download PDF"},
    "att.unknown_unit": {"vi": "Không tìm thấy đơn vị", "en": "No such unit"},
    "att.unknown_employee": {"vi": "Không tìm thấy cán bộ", "en": "No such employee"},
    "att.bad_day": {"vi": "Ngày không hợp lệ (yyyy-mm-dd)", "en": "Invalid day (yyyy-mm-dd)"},
    "att.bad_month": {"vi": "Tháng không hợp lệ (yyyy-mm)", "en": "Invalid month (yyyy-mm)"},
    "att.no_events": {
        "vi": "Chưa có lượt chấm công nào kể từ khi mở trang",
        "en": "No check-ins since this page was opened",
    },
    "att.no_units": {"vi": "Bạn chưa được giao đơn vị nào", "en": "You have no units assigned"},
    "att.no_employee": {
        "vi": "Tài khoản này chưa gắn với cán bộ nào",
        "en": "This account is not linked to an employee",
    },
    "att.live_unavailable": {
        "vi": "Luồng chấm công trực tiếp chưa sẵn sàng",
        "en": "The live feed is not available",
    },
    "att.minutes": {"vi": "phút", "en": "min"},
    # statuses (trạng thái); {n} is a number of minutes
    "att.s.present": {"vi": "Có mặt", "en": "Present"},
    "att.s.late": {"vi": "Đi muộn", "en": "Late"},
    "att.s.late_n": {"vi": "Đi muộn {n} phút", "en": "Late by {n} min"},
    "att.s.left_early": {"vi": "Về sớm", "en": "Left early"},
    "att.s.left_early_n": {"vi": "Về sớm {n} phút", "en": "Left early by {n} min"},
    "att.s.missing_checkin": {"vi": "Thiếu chấm công vào", "en": "No check-in"},
    "att.s.missing_checkout": {"vi": "Thiếu chấm công ra", "en": "No check-out"},
    "att.s.absent": {"vi": "Vắng mặt", "en": "Absent"},
    "att.s.on_leave": {"vi": "Nghỉ phép", "en": "On leave"},
    "att.s.business_trip": {"vi": "Đi công tác", "en": "Business trip"},
    "att.s.holiday": {"vi": "Nghỉ lễ", "en": "Public holiday"},
    "att.s.day_off": {"vi": "Ngày nghỉ", "en": "Day off"},
    "att.s.pending": {"vi": "Chưa hết ngày", "en": "Day not over"},
    "att.s.not_employed": {"vi": "Ngoài thời gian công tác", "en": "Not employed"},
    "att.wd.0": {"vi": "T2", "en": "Mon"},
    "att.wd.1": {"vi": "T3", "en": "Tue"},
    "att.wd.2": {"vi": "T4", "en": "Wed"},
    "att.wd.3": {"vi": "T5", "en": "Thu"},
    "att.wd.4": {"vi": "T6", "en": "Fri"},
    "att.wd.5": {"vi": "T7", "en": "Sat"},
    "att.wd.6": {"vi": "CN", "en": "Sun"},
}


# --- formatting ------------------------------------------------------------------------------


def local_time(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M") if moment else ""


def local_datetime(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S") if moment else ""


def today_local(ctx: PageContext) -> date:
    """Today in Hanoi by the hub's clock (`HubServices.now`: a bench sets other hours)."""
    return ctx.services.now().astimezone(LOCAL_TZ).date()


def weekday(ctx: PageContext, day: date) -> str:
    return ctx.t(f"att.wd.{day.weekday()}")


def status_text(ctx: PageContext, result: DayResult) -> str:
    """The status as people say it: 'Đi muộn 12 phút', 'Về sớm 5 phút', 'Nghỉ phép'."""
    if result.status is DayStatus.LATE and result.late_minutes:
        return ctx.t("att.s.late_n").format(n=result.late_minutes)
    if result.status is DayStatus.LEFT_EARLY and result.early_leave_minutes:
        return ctx.t("att.s.left_early_n").format(n=result.early_leave_minutes)
    return ctx.t(f"att.s.{result.status.value}")


def correction_text(ctx: PageContext, result: DayResult) -> str:
    """'Lý do … (bởi …; theo sự kiện: Vắng mặt)': the correction with its reason, and what the events said."""
    c = result.correction
    if c is None:
        return ""
    said = ctx.t(f"att.s.{result.computed_status.value}") if result.computed_status else ""
    return f"{c.reason} ({ctx.t('att.by')} {c.author}; {ctx.t('att.computed')}: {said})"


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_month(text: str) -> tuple[int, int] | None:
    try:
        first = date.fromisoformat(f"{text}-01") if len(text) == 7 else None
    except ValueError:
        return None
    return (first.year, first.month) if first else None


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


# --- loading --------------------------------------------------------------------------------------


async def load_after_connect(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a heavy service call once the browser is connected, off the UI loop, with a spinner meanwhile.

    The page's frame is sent at once (a department's month takes about a second to compute, and a
    page must answer within NiceGUI's response timeout); the figures follow over the websocket.
    Returns None when the client went away (or the hub is stopping) before the result came.
    """
    spinner = ui.spinner(size="lg").mark("loading")
    try:
        await context.client.connected()
        return await run.io_bound(fn, *args)
    finally:
        spinner.delete()


# --- access ----------------------------------------------------------------------------------


def show_problem(text: str) -> None:
    ui.label(text).classes("text-lg text-negative")


def units_in_scope(ctx: PageContext, roles: Sequence[Role] = READERS) -> list[OrgUnit]:
    """The units (with their sub-units) this principal may read, in tree order."""
    return [u for u in flatten(ctx.services.org_tree()) if ctx.principal.can_in_unit(u.path, *roles)]


def top_units_in_scope(ctx: PageContext, roles: Sequence[Role] = READERS) -> list[OrgUnit]:
    """The highest units of the scope (a grant's own unit, not each of its sub-units)."""
    return top_units(units_in_scope(ctx, roles))


def require_unit(ctx: PageContext, unit_code: str) -> OrgUnit | None:
    """The unit when this principal may read it; otherwise shows why not and returns None."""
    try:
        unit = ctx.services.unit(unit_code)
    except UnknownUnit:
        show_problem(f"{ctx.t('att.unknown_unit')}: {unit_code}")
        return None
    if not ctx.principal.can_in_unit(unit.path, *READERS):
        forbidden(ctx)
        return None
    return unit


def link_row(items: Sequence[tuple[str, str]]) -> None:
    with ui.row().classes("items-center gap-2 flex-wrap"):
        for text, target in items:
            ui.link(text, target).classes("text-primary")


# --- index ------------------------------------------------------------------------------------


def render_index(ctx: PageContext) -> None:
    """Where attendance starts: one's own month, the live feed, and each unit's day and sheet."""
    ui.label(ctx.t("att.title")).classes("text-xl font-bold")
    today = today_local(ctx)
    period = month_text(today.year, today.month)
    own = getattr(ctx.principal, "employee_code", None)
    with ui.row().classes("gap-4 flex-wrap"):
        if own is not None:
            ui.link(ctx.t("att.my_month"), f"/attendance/person/{own}/{period}")
        if ctx.principal.has_role(Role.SYSTEM_ADMIN, *READERS):
            ui.link(ctx.t("att.live"), "/attendance/live")
    if not ctx.principal.has_role(Role.SYSTEM_ADMIN, *READERS):
        if own is None:
            ui.label(ctx.t("att.no_employee"))
        return
    units = units_in_scope(ctx)
    if not units:
        ui.label(ctx.t("att.no_units"))
        return
    rows = [
        {
            "code": u.code,
            "name": ("\u2003" * u.depth) + u.name,
            "day": f"/attendance/unit/{u.code}/{today.isoformat()}",
            "sheet": f"/attendance/timesheet/{u.code}/{period}",
        }
        for u in units
    ]
    columns = [
        {"name": "code", "label": ctx.t("att.unit"), "field": "code", "align": "left"},
        {"name": "name", "label": "", "field": "name", "align": "left"},
        {"name": "day", "label": ctx.t("att.today"), "field": "day", "align": "left"},
        {"name": "sheet", "label": ctx.t("att.timesheet"), "field": "sheet", "align": "left"},
    ]
    table = ui.table(columns=columns, rows=rows, row_key="code", pagination=ROWS_PER_PAGE).classes("w-full")
    table.props("flat bordered dense").mark("attendance-units")
    table.add_slot(
        "body-cell-day",
        f'<q-td :props="props"><a class="text-primary" :href="props.value">{ctx.t("att.unit_day")}</a></q-td>',
    )
    table.add_slot(
        "body-cell-sheet",
        f'<q-td :props="props"><a class="text-primary" :href="props.value">{ctx.t("att.timesheet")}</a></q-td>',
    )


# --- live feed ---------------------------------------------------------------------------------


def may_see_checkin(principal: Principal, checkin: CheckIn) -> bool:
    """A check-in of an employee is shown to whoever reads their unit; of an unknown FaceID id only to admins."""
    if checkin.unit_path is None:
        return principal.is_system_admin
    return principal.can_in_unit(checkin.unit_path, *READERS)


def feed_row(ctx: PageContext, c: CheckIn) -> dict[str, str]:
    """One check-in as the feed's table shows it."""
    direction = {"in": ctx.t("att.dir_in"), "out": ctx.t("att.dir_out")}.get(c.direction or "", "")
    return {
        "key": str(c.event_id),
        "time": local_datetime(c.ts),
        "code": c.employee_code or "",
        "name": c.full_name or c.person_id,
        "unit": c.unit_name or "",
        "device": " · ".join(x for x in (c.device_id, c.site, c.room) if x),
        "direction": direction,
        "href": f"/attendance/person/{c.employee_code}/{c.ts.astimezone(LOCAL_TZ):%Y-%m}" if c.employee_code else "",
    }


def live_scope(principal: Principal) -> tuple[str, ...] | None:
    """The unit subtrees whose check-ins this principal reads (None: all, a system admin)."""
    if principal.is_system_admin:
        return None
    paths = principal.unit_scope(*READERS) or ()
    return tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def subscribe_checkins(services: HubServices, principal: Principal, maxsize: int) -> list[Subscription]:
    """One subscription per subtree in scope (the feed filters by one subtree each); closed with the page."""
    scope = live_scope(principal)
    paths: tuple[str | None, ...] = (None,) if scope is None else scope
    subscriptions = [services.subscribe_live(unit_path=p, kinds={CheckIn}, maxsize=maxsize) for p in paths]

    def close() -> None:
        for sub in subscriptions:
            sub.close()

    context.client.on_delete(close)
    return subscriptions


def render_live(ctx: PageContext) -> None:
    """The latest check-ins of the units this principal may see, new ones added without a reload.

    The page subscribes to the hub's live feed for its lifetime: the subscriptions end when this
    page's client is deleted (tab closed or navigated away; a brief disconnect that reconnects
    keeps the page, and so its subscriptions). A timer on the UI loop takes what arrived twice a
    second; the feed's listener never waits for a browser.
    """
    ui.label(ctx.t("att.live")).classes("text-xl font-bold")
    ui.label(ctx.t("att.live_hint")).classes("text-sm text-grey-7")
    columns = [
        {"name": "time", "label": ctx.t("att.time"), "field": "time", "align": "left"},
        {"name": "code", "label": ctx.t("att.code"), "field": "code", "align": "left"},
        {"name": "name", "label": ctx.t("att.name"), "field": "name", "align": "left"},
        {"name": "unit", "label": ctx.t("att.unit"), "field": "unit", "align": "left"},
        {"name": "device", "label": ctx.t("att.device"), "field": "device", "align": "left"},
        {"name": "direction", "label": ctx.t("att.direction"), "field": "direction", "align": "left"},
    ]
    principal = ctx.principal
    table = ui.table(columns=columns, rows=[], row_key="key").classes("w-full")
    table.props("flat bordered dense").mark("live-feed")
    table.add_slot(
        "body-cell-code",
        '<q-td :props="props"><a class="text-primary" :href="props.row.href">{{ props.value }}</a></q-td>',
    )
    empty = ui.label(ctx.t("att.no_events")).classes("text-grey-7").mark("live-empty")
    if ctx.services.live is None:
        show_problem(ctx.t("att.live_unavailable"))
        return
    subscriptions = subscribe_checkins(ctx.services, principal, LIVE_ROWS * 4)
    # subscribed first, then today's latest: a check-in committed in between is in both, shown once
    today_start = datetime.combine(today_local(ctx), time(), LOCAL_TZ)
    recent = ctx.services.recent_checkins(live_scope(principal), since=today_start, limit=LIVE_ROWS)
    table.rows = [feed_row(ctx, c) for c in recent if may_see_checkin(principal, c)]
    empty.visible = not table.rows

    def drain() -> None:
        arrived = [c for sub in subscriptions for c in sub.drain() if may_see_checkin(principal, c)]
        if not arrived:
            return
        known = {row["key"] for row in table.rows}
        fresh = [feed_row(ctx, c) for c in sorted(arrived, key=lambda c: c.ts, reverse=True)]
        table.rows = ([r for r in fresh if r["key"] not in known] + table.rows)[:LIVE_ROWS]
        table.update()
        empty.visible = False

    ui.timer(0.5, drain)


# --- a unit's day --------------------------------------------------------------------------------


async def render_unit_day(ctx: PageContext, unit_code: str, day_text: str) -> None:
    """Everyone of the unit (and its sub-units) on one day: present, late by N min, absent, on leave…"""
    day = parse_day(day_text)
    if day is None:
        show_problem(f"{ctx.t('att.bad_day')}: {day_text}")
        return
    unit = require_unit(ctx, unit_code)
    if unit is None:
        return
    found = await load_after_connect(ctx.services.unit_day, unit.code, day)
    if found is None:
        return
    period = month_text(day.year, day.month)
    ui.label(f"{ctx.t('att.unit_day')} {weekday(ctx, day)} {day:%d/%m/%Y} — {unit.name}").classes("text-xl font-bold")
    if found.day.name:
        ui.label(found.day.name).classes("text-primary")
    link_row(
        [
            (f"‹ {ctx.t('att.prev')}", f"/attendance/unit/{unit.code}/{(day - timedelta(days=1)).isoformat()}"),
            (f"{ctx.t('att.next')} ›", f"/attendance/unit/{unit.code}/{(day + timedelta(days=1)).isoformat()}"),
            (ctx.t("att.timesheet"), f"/attendance/timesheet/{unit.code}/{period}"),
        ]
    )
    counts = collections.Counter(r.status for _, r in found.rows)
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-[16rem]"):
            ui.label(f"{len(found.rows)} {ctx.t('att.people')}").classes("font-bold").mark("day-total")
            for status in DayStatus:
                if counts.get(status):
                    ui.label(f"{ctx.t(f'att.s.{status.value}')}: {counts[status]}")
        names = {ctx.t(f"att.s.{s.value}"): counts[s] for s in DayStatus if counts.get(s)}
        colours = {ctx.t(f"att.s.{s.value}"): STATUS_COLOURS[s.value] for s in DayStatus}
        ui.echart(pie_chart(names, colours=colours)).classes("w-full sm:w-96 h-64")

    def row(item: tuple[Any, DayResult]) -> dict[str, Any]:  # formatted only for the rows on screen
        s, r = item
        return {
            "code": s.employee_code,
            "name": s.full_name,
            "unit": s.unit_name,
            "status": status_text(ctx, r),
            "status_key": r.status.value,
            "first_in": local_time(r.first_in),
            "last_out": local_time(r.last_out),
            "correction": correction_text(ctx, r),
            "href": f"/attendance/person/{s.employee_code}/{period}",
        }

    _filtered_table(
        ctx,
        found.rows,
        row,
        [
            ("code", "att.code"),
            ("name", "att.name"),
            ("unit", "att.unit"),
            ("status", "att.status"),
            ("first_in", "att.first_in"),
            ("last_out", "att.last_out"),
            ("correction", "att.correction"),
        ],
        table_id="unit-day",
    )


def _filtered_table(
    ctx: PageContext,
    items: Sequence[tuple[Any, DayResult]],
    row: Callable[[tuple[Any, DayResult]], dict[str, Any]],
    fields: Sequence[tuple[str, str]],
    *,
    table_id: str,
) -> ui.table:
    """A table paged on the server, with a search box and a status filter. A unit can hold thousands of
    people: filtering looks at codes, names and statuses only, and only the page shown is formatted."""
    columns = [{"name": f, "label": ctx.t(k), "field": f, "align": "left"} for f, k in fields]
    present = {r.status for _, r in items}
    statuses = {s.value: ctx.t(f"att.s.{s.value}") for s in DayStatus if s in present}
    folded = [(f"{s.employee_code} {s.full_name}".casefold(), r.status.value) for s, r in items]
    with ui.row().classes("w-full items-end gap-4 flex-wrap"):
        search = ui.input(ctx.t("att.search")).props("clearable dense").classes("w-64").mark(f"{table_id}-search")
        chosen = ui.select(statuses, label=ctx.t("att.filter_status"), multiple=True).props("dense clearable")
        chosen.classes("min-w-[12rem]").mark(f"{table_id}-status")
    table = (
        ui.table(columns=columns, rows=[], row_key="code").classes("w-full").props("flat bordered dense").mark(table_id)
    )
    table.add_slot(
        "body-cell-code",
        '<q-td :props="props"><a class="text-primary" :href="props.row.href">{{ props.value }}</a></q-td>',
    )
    pager = ui.pagination(1, 1, direction_links=True)

    def show() -> None:
        needle = (search.value or "").strip().casefold()
        wanted = set(chosen.value or ())
        matching = [i for i, (text, status) in enumerate(folded) if (not wanted or status in wanted) and needle in text]
        pages = max(1, -(-len(matching) // ROWS_PER_PAGE))
        pager.max = pages
        pager.visible = pages > 1
        page = min(pager.value or 1, pages)
        table.rows = [row(items[i]) for i in matching[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE]]
        table.update()

    search.on_value_change(lambda: (pager.set_value(1), show()))
    chosen.on_value_change(lambda: (pager.set_value(1), show()))
    pager.on_value_change(show)
    show()
    return table


# --- a person's month ------------------------------------------------------------------------------


def render_person_month(ctx: PageContext, employee_code: str, period: str) -> None:
    """One person's month day by day, the totals, the corrections (with reasons) and, for their
    manager or HR, the form to correct a day."""
    parsed = parse_month(period)
    if parsed is None:
        show_problem(f"{ctx.t('att.bad_month')}: {period}")
        return
    year, month = parsed
    try:
        employee = ctx.services.employee(employee_code)
    except UnknownEmployee:
        show_problem(f"{ctx.t('att.unknown_employee')}: {employee_code}")
        return
    unit = ctx.services.unit(employee.unit_code)
    if not ctx.principal.can_see_employee(employee.id, unit.path, *READERS):
        forbidden(ctx)
        return
    may_correct = ctx.principal.can_in_unit(unit.path, *CORRECTORS) and employee.id != ctx.principal.employee_id

    def month_view() -> None:
        """(Re)draw the month from the services: after a correction the page shows it at once."""
        view.clear()
        with view:
            found = ctx.services.person_month(employee.employee_code, year, month)
            _person_month_body(ctx, found, year, month)
            if may_correct:
                _correction_form(ctx, employee.employee_code, found.row.days, month_view)
            elif ctx.principal.can_in_unit(unit.path, *CORRECTORS):
                ui.label(ctx.t("att.own_record")).classes("text-grey-7")

    ui.label(
        f"{ctx.t('att.person_month')} {month:02d}/{year} — {employee.full_name} ({employee.employee_code})"
    ).classes("text-xl font-bold")
    ui.label(f"{employee.unit_name}{' · ' + employee.position if employee.position else ''}").classes("text-grey-8")
    before, after = shift_month(year, month, -1), shift_month(year, month, 1)
    link_row(
        [
            (f"‹ {ctx.t('att.prev')}", f"/attendance/person/{employee.employee_code}/{month_text(*before)}"),
            (f"{ctx.t('att.next')} ›", f"/attendance/person/{employee.employee_code}/{month_text(*after)}"),
        ]
    )
    view = ui.column().classes("w-full gap-4")
    month_view()


def _person_month_body(ctx: PageContext, found: Any, year: int, month: int) -> None:
    totals = found.row.totals
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-[16rem]").mark("month-totals"):
            ui.label(ctx.t("att.totals")).classes("font-bold")
            for key, value in (
                ("att.working_days", found.sheet.working_days),
                ("att.worked_days", totals.worked_days),
                ("att.trip_days", totals.trip_days),
                ("att.leave_days", totals.leave_days),
                ("att.holiday_days", totals.holiday_days),
                ("att.absent_days", totals.absent_days),
                ("att.late_count", totals.late_count),
                ("att.late_minutes", totals.late_minutes),
                ("att.early_count", totals.early_leave_count),
                ("att.early_minutes", totals.early_leave_minutes),
                ("att.missing_punches", totals.missing_punch_count),
                ("att.corrected_days", totals.corrected_days),
            ):
                ui.label(f"{ctx.t(key)}: {value:g}")
        days = [r.day for r in found.row.days]
        late = [r.late_minutes for r in found.row.days]
        early = [r.early_leave_minutes for r in found.row.days]
        ui.echart(
            bar_chart(
                [f"{d.day}" for d in days],
                {ctx.t("att.late_minutes"): late, ctx.t("att.early_minutes"): early},
                colours={
                    ctx.t("att.late_minutes"): STATUS_COLOURS["late"],
                    ctx.t("att.early_minutes"): STATUS_COLOURS["left_early"],
                },
                value_name=ctx.t("att.minutes"),
            )
        ).classes("w-full md:w-[36rem] h-64")

    columns = [
        {"name": "day", "label": ctx.t("att.day"), "field": "day", "align": "left"},
        {"name": "status", "label": ctx.t("att.status"), "field": "status", "align": "left"},
        {"name": "symbol", "label": ctx.t("att.symbol"), "field": "symbol", "align": "center"},
        {"name": "first_in", "label": ctx.t("att.first_in"), "field": "first_in", "align": "left"},
        {"name": "last_out", "label": ctx.t("att.last_out"), "field": "last_out", "align": "left"},
        {"name": "worked", "label": ctx.t("att.worked"), "field": "worked", "align": "right"},
        {"name": "correction", "label": ctx.t("att.correction"), "field": "correction", "align": "left"},
    ]
    rows = [
        {
            "day": f"{weekday(ctx, r.day)} {r.day:%d/%m}",
            "iso": r.day.isoformat(),
            "status": status_text(ctx, r),
            "status_key": r.status.value,
            "symbol": day_symbol(r),
            "first_in": local_time(r.first_in),
            "last_out": local_time(r.last_out),
            "worked": f"{r.worked_minutes // 60}:{r.worked_minutes % 60:02d}" if r.worked_minutes else "",
            "correction": correction_text(ctx, r),
        }
        for r in found.row.days
    ]
    ui.table(columns=columns, rows=rows, row_key="iso", pagination=0).classes("w-full").props(
        "flat bordered dense"
    ).mark("person-month")

    ui.label(ctx.t("att.corrections")).classes("text-lg font-bold mt-4")
    if not found.corrections:
        ui.label(ctx.t("att.no_corrections")).classes("text-grey-7")
    for stored in reversed(found.corrections):
        c = stored.correction
        what = ctx.t(f"att.s.{c.status.value}") if c.status else ""
        times = " – ".join(t for t in (local_time(c.first_in), local_time(c.last_out)) if t)
        ui.label(
            f"{c.day:%d/%m/%Y}: {what} {times} — {ctx.t('att.reason')}: {c.reason} "
            f"({ctx.t('att.by')} {c.author}, {local_datetime(c.made_at)})"
        ).classes("text-sm")


def _local_instant(day: date, text: str) -> datetime | None:
    """'08:05' on `day` in Asia/Ho_Chi_Minh, as an aware datetime; ValueError when malformed."""
    text = (text or "").strip()
    if not text:
        return None
    moment = time.fromisoformat(text)
    return datetime.combine(day, moment, LOCAL_TZ).astimezone(UTC)


def _correction_form(
    ctx: PageContext, employee_code: str, days: Sequence[DayResult], saved: Callable[[], None]
) -> None:
    """The manager's form: which day, the status and/or the real times, and the reason (required)."""
    today = today_local(ctx)
    choosable = {
        r.day.isoformat(): f"{weekday(ctx, r.day)} {r.day:%d/%m/%Y} — {status_text(ctx, r)}"
        for r in days
        if r.day <= today and r.status not in (DayStatus.NOT_EMPLOYED, DayStatus.HOLIDAY, DayStatus.DAY_OFF)
    }
    if not choosable:
        return
    with ui.card().classes("w-full max-w-xl mt-4").mark("correction-form"):
        ui.label(ctx.t("att.correct_day")).classes("text-lg font-bold")
        day_select = ui.select(choosable, label=ctx.t("att.day"), value=next(reversed(choosable))).classes("w-full")
        day_select.mark("correction-day")
        statuses = {"": ctx.t("att.keep_status")} | {s.value: ctx.t(f"att.s.{s.value}") for s in CORRECTABLE}
        status_select = ui.select(statuses, label=ctx.t("att.status"), value="").classes("w-full")
        status_select.mark("correction-status")
        with ui.row().classes("w-full gap-4"):
            first_in = (
                ui.input(ctx.t("att.first_in"), placeholder="08:00")
                .props("mask=##:## dense")
                .mark("correction-first-in")
            )
            last_out = (
                ui.input(ctx.t("att.last_out"), placeholder="17:00")
                .props("mask=##:## dense")
                .mark("correction-last-out")
            )
        reason = ui.textarea(ctx.t("att.reason")).classes("w-full").props("autogrow maxlength=1000")
        reason.mark("correction-reason")
        problem = ui.label().classes("text-negative").mark("correction-problem")

        def save() -> None:
            day = date.fromisoformat(day_select.value)
            try:
                arrival, departure = _local_instant(day, first_in.value), _local_instant(day, last_out.value)
            except ValueError:
                problem.text = ctx.t("att.bad_time")
                return
            try:
                ctx.services.record_correction(
                    employee_code,
                    day=day,
                    reason=reason.value or "",
                    author=ctx.principal.username,
                    status=DayStatus(status_select.value) if status_select.value else None,
                    first_in=arrival,
                    last_out=departure,
                )
            except ValidationError as exc:
                problem.text = said(exc.errors(include_url=False), ctx.lang)  # the rule, not the input
                ui.notify(f"{ctx.t('att.not_saved')}: {problem.text}", type="negative")
                return
            except (InvalidCorrection, OwnCorrection) as exc:
                problem.text = str(exc)
                ui.notify(f"{ctx.t('att.not_saved')}: {problem.text}", type="negative")
                return
            ui.notify(ctx.t("att.saved"), type="positive")
            saved()

        ui.button(ctx.t("att.save"), on_click=save).props("color=primary").mark("correction-save")


# --- the monthly sheet ------------------------------------------------------------------------------


async def render_timesheet(ctx: PageContext, unit_code: str, period: str) -> None:
    """The unit's monthly sheet (bảng chấm công): person × day symbols and totals, XLSX and PDF."""
    parsed = parse_month(period)
    if parsed is None:
        show_problem(f"{ctx.t('att.bad_month')}: {period}")
        return
    year, month = parsed
    unit = require_unit(ctx, unit_code)
    if unit is None:
        return
    found = await load_after_connect(ctx.services.unit_timesheet, unit.code, year, month)
    if found is None:
        return
    sheet = found.sheet
    ui.label(f"{ctx.t('att.timesheet')} {month:02d}/{year} — {unit.name}").classes("text-xl font-bold")
    before, after = shift_month(year, month, -1), shift_month(year, month, 1)
    link_row(
        [
            (f"‹ {ctx.t('att.prev')}", f"/attendance/timesheet/{unit.code}/{month_text(*before)}"),
            (f"{ctx.t('att.next')} ›", f"/attendance/timesheet/{unit.code}/{month_text(*after)}"),
        ]
    )
    with ui.row().classes("gap-2 flex-wrap"):
        export_buttons(ctx, "timesheet", lambda fmt: ctx.services.export_timesheet(unit.code, year, month, fmt))
    ui.label(f"{ctx.t('att.working_days')}: {sheet.working_days} · {len(sheet.rows)} {ctx.t('att.people')}")

    day_fields = [(f"d{d.day}", d) for d in sheet.days]
    columns = [
        {"name": "code", "label": ctx.t("att.code"), "field": "code", "align": "left"},
        {"name": "name", "label": ctx.t("att.name"), "field": "name", "align": "left"},
        *({"name": f, "label": f"{d.day}\n{weekday(ctx, d)}", "field": f, "align": "center"} for f, d in day_fields),
        {"name": "worked", "label": ctx.t("att.worked_days"), "field": "worked", "align": "right"},
        {"name": "late", "label": ctx.t("att.late_count"), "field": "late", "align": "right"},
        {"name": "absent", "label": ctx.t("att.absent_days"), "field": "absent", "align": "right"},
        {"name": "leave", "label": ctx.t("att.leave_days"), "field": "leave", "align": "right"},
    ]
    people = list(zip(found.staff, sheet.rows, strict=True))

    def row(i: int) -> dict[str, Any]:  # formatted only for the page on screen
        staff, line = people[i]
        return {
            "code": staff.employee_code,
            "name": staff.full_name,
            "href": f"/attendance/person/{staff.employee_code}/{period}",
            **{f: symbol for (f, _), symbol in zip(day_fields, line.symbols, strict=True)},
            "worked": f"{line.totals.worked_days:g}",
            "late": line.totals.late_count,
            "absent": f"{line.totals.absent_days:g}",
            "leave": f"{line.totals.leave_days:g}",
        }

    table = paged_table(columns, len(people), row, table_id="timesheet")
    table.classes("text-xs")


def paged_table(
    columns: list[dict[str, Any]],
    count: int,
    row: Callable[[int], dict[str, Any]],
    *,
    table_id: str,
    row_key: str = "code",
) -> ui.table:
    """A table that builds and sends one page of rows at a time (a department's sheet has thousands)."""

    def page_rows(page: int) -> list[dict[str, Any]]:
        return [row(i) for i in range((page - 1) * ROWS_PER_PAGE, min(page * ROWS_PER_PAGE, count))]

    table = ui.table(columns=columns, rows=page_rows(1), row_key=row_key).classes("w-full")
    table.props("flat bordered dense").mark(table_id)
    if row_key == "code":
        table.add_slot(
            "body-cell-code",
            '<q-td :props="props"><a class="text-primary" :href="props.row.href">{{ props.value }}</a></q-td>',
        )
    pages = max(1, -(-count // ROWS_PER_PAGE))
    if pages > 1:

        def show(event: Any) -> None:
            table.rows = page_rows(event.value or 1)
            table.update()

        ui.pagination(1, pages, direction_links=True, on_change=show).mark(f"{table_id}-pages")
    return table


def export_buttons(ctx: PageContext, report: str, make: Callable[[ExportFormat], ExportFile]) -> None:
    """XLSX and PDF buttons: on a click the hub computes the report again and renders the file (off the
    UI loop), and the browser downloads it under the hub's file name."""
    for fmt, key, icon in (
        (ExportFormat.XLSX, "att.download_xlsx", "download"),
        (ExportFormat.PDF, "att.download_pdf", "picture_as_pdf"),
    ):

        async def download(fmt: ExportFormat = fmt) -> None:
            file = await run.io_bound(make, fmt)
            if file is not None:
                ui.download.content(file.content, file.filename, file.media_type)

        ui.button(ctx.t(key), icon=icon, on_click=download).props("outline").mark(f"export-{report}-{fmt.value}")


# --- registration ---------------------------------------------------------------------------------


def register(services: HubServices) -> None:
    """Add the attendance pages to the shell (the index and the live feed appear in the navigation)."""
    register_texts(TEXTS)
    readers = any_role(*READERS)

    @module_page("/attendance", text_key="att.title", icon="fact_check", allowed=signed_in, order=30)
    def attendance_index(ctx: PageContext) -> None:
        render_index(ctx)

    @module_page("/attendance/live", text_key="att.live", icon="sensors", allowed=readers, order=31)
    def attendance_live(ctx: PageContext) -> None:
        render_live(ctx)

    @module_page("/attendance/unit/{unit_code}/{day}", text_key="att.unit_day", icon="today", allowed=readers,
                 order=32, in_nav=False)  # fmt: skip
    async def attendance_unit_day(ctx: PageContext, unit_code: str, day: str) -> None:
        await render_unit_day(ctx, unit_code, day)

    @module_page("/attendance/person/{employee_code}/{period}", text_key="att.person_month", icon="person",
                 allowed=signed_in, order=33, in_nav=False)  # fmt: skip
    def attendance_person_month(ctx: PageContext, employee_code: str, period: str) -> None:
        render_person_month(ctx, employee_code, period)

    @module_page("/attendance/timesheet/{unit_code}/{period}", text_key="att.timesheet", icon="table_view",
                 allowed=readers, order=34, in_nav=False)  # fmt: skip
    async def attendance_timesheet(ctx: PageContext, unit_code: str, period: str) -> None:
        await render_timesheet(ctx, unit_code, period)
