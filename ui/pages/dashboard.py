"""The leaders' dashboard (bảng điều hành): today's presence by unit, late arrivals, devices offline.

It stays current by itself: check-ins and device status changes from the hub's live feed mark
it stale and it is recomputed at most every `LIVE_MIN_INTERVAL_S` (a burst of arrivals at 8:00
is one refresh, not thousands), and every `PERIODIC_REFRESH_S` anyway — someone who has not
arrived becomes absent when the grace period ends, which no event announces.
The numbers are the timekeeping engine's, the same as the unit's day and the monthly sheet.
"""

from __future__ import annotations

import time as clock

from nicegui import context, run, ui

from hub.people.service import UnknownUnit
from hub.reports import access as reports_access
from hub.reports.models import Dashboard, PresenceStatus
from hub.services import HubServices
from ui.components.charts import STATUS_COLOURS, bar_chart, pie_chart
from ui.components.format import clock_time, local_time
from ui.components.loading import load_after_connect
from ui.components.states import empty_state, show_problem
from ui.i18n import N_, pgettext
from ui.pages.attendance.scope import READERS, top_units_in_scope
from ui.pages.org import setup_notice
from ui.shell import PageContext, forbidden, module_page

NO_UNIT = N_("Không tìm thấy đơn vị")

AS_OF = N_("Cập nhật lúc")

LIVE_MIN_INTERVAL_S = 3.0
PERIODIC_REFRESH_S = 60.0
#: the tiles and chart series, in order (statuses of `hub.reports.models.PresenceStatus`)
SHOWN: tuple[PresenceStatus, ...] = (
    PresenceStatus.PRESENT,
    PresenceStatus.LATE,
    PresenceStatus.ABSENT,
    PresenceStatus.ON_LEAVE,
    PresenceStatus.BUSINESS_TRIP,
    PresenceStatus.NOT_YET,
)

#: each presence status as the tiles and the chart say it
PRESENCE_TEXTS = {
    "present": N_("Có mặt"),
    "late": N_("Đi muộn"),
    "absent": N_("Vắng mặt"),
    "on_leave": pgettext("presence", "Nghỉ phép"),
    "business_trip": N_("Công tác"),
    "not_yet": N_("Chưa đến"),
    "day_off": N_("Nghỉ"),
}


class DashboardView:
    """The dashboard's elements, drawn once and updated in place on every refresh."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self.as_of = ui.label().classes("text-sm text-grey-7").mark("dash-as-of")
        self.day_note = ui.label(t(N_("Hôm nay là ngày nghỉ"))).classes("text-primary")
        self.tiles: dict[str, ui.label] = {}
        with ui.row().classes("w-full gap-2 flex-wrap"):
            for key in ("total", *(s.value for s in SHOWN)):
                colour = STATUS_COLOURS.get(key, "#0b4f8a")
                with ui.card().classes("p-3 min-w-[8rem] items-center").style(f"border-top: 4px solid {colour}"):
                    self.tiles[key] = ui.label("0").classes("text-2xl font-bold").mark(f"dash-{key}")
                    ui.label(t(N_("Tổng số")) if key == "total" else t(PRESENCE_TEXTS[key])).classes("text-sm")
        with ui.row().classes("w-full gap-4 flex-wrap items-start"):
            with ui.card().classes("grow min-w-[18rem]"):
                ui.label(t(N_("Theo đơn vị"))).classes("font-bold")
                self.by_unit = ui.echart(bar_chart([], {})).classes("w-full h-80").mark("chart-by-unit")
            with ui.card().classes("w-full sm:w-96"):
                ui.label(t(N_("Tình hình có mặt hôm nay"))).classes("font-bold")
                self.pie = ui.echart(pie_chart({})).classes("w-full h-80").mark("chart-presence")
        with ui.row().classes("w-full gap-4 flex-wrap items-start"):
            with ui.card().classes("grow min-w-[18rem]"):
                ui.label(t(N_("Đến muộn hôm nay"))).classes("font-bold")
                self.late = (
                    ui.table(
                        columns=[
                            {"name": "name", "label": t(N_("Họ và tên")), "field": "name", "align": "left"},
                            {"name": "unit", "label": t(N_("Đơn vị")), "field": "unit", "align": "left"},
                            {"name": "arrived", "label": t(N_("Giờ đến")), "field": "arrived", "align": "left"},
                            {"name": "minutes", "label": t(N_("Số phút muộn")), "field": "minutes", "align": "right"},
                        ],
                        rows=[],
                        row_key="code",
                        pagination=10,
                    )
                    .classes("w-full")
                    .props("flat dense")
                    .mark("table-late")
                )
                self.nobody_late = empty_state(t(N_("Chưa có ai đến muộn")), icon="schedule")
            with ui.card().classes("grow min-w-[18rem]"):
                ui.label(t(pgettext("dashboard", "Thiết bị mất kết nối"))).classes("font-bold")
                self.devices = ui.label().mark("dash-devices")
                self.offline = (
                    ui.table(
                        columns=[
                            {"name": "device", "label": t(N_("Thiết bị")), "field": "device", "align": "left"},
                            {"name": "site", "label": t(N_("Địa điểm")), "field": "site", "align": "left"},
                            {"name": "since", "label": t(N_("Mất kết nối từ")), "field": "since", "align": "left"},
                        ],
                        rows=[],
                        row_key="device",
                        pagination=10,
                    )
                    .classes("w-full")
                    .props("flat dense")
                    .mark("table-offline")
                )
                self.all_online = empty_state(t(N_("Tất cả thiết bị đang trực tuyến")), icon="wifi")

    def show(self, board: Dashboard) -> None:
        t = self.ctx.t
        presence = board.presence
        counts = presence.counts
        self.as_of.text = f"{t(AS_OF)} {local_time(presence.as_of)} — {presence.unit.name}"
        self.day_note.visible = not presence.day_kind.is_working
        self.tiles["total"].text = str(counts.total)
        for status in SHOWN:
            self.tiles[status.value].text = str(getattr(counts, status.value))
        names = [u.unit_name for u in presence.by_unit]
        self.by_unit.options.clear()
        self.by_unit.options.update(
            bar_chart(
                names,
                {t(PRESENCE_TEXTS[s.value]): [getattr(u.counts, s.value) for u in presence.by_unit] for s in SHOWN},
                stacked=True,
                colours={
                    t(PRESENCE_TEXTS[s.value]): STATUS_COLOURS[s.value] for s in SHOWN if s.value in STATUS_COLOURS
                }
                | {t(N_("Chưa đến")): STATUS_COLOURS["pending"]},
            )
        )
        self.by_unit.update()
        self.pie.options.clear()
        self.pie.options.update(
            pie_chart(
                {t(PRESENCE_TEXTS[s.value]): getattr(counts, s.value) for s in SHOWN},
                colours={
                    t(PRESENCE_TEXTS[s.value]): STATUS_COLOURS.get(s.value, STATUS_COLOURS["pending"]) for s in SHOWN
                },
            )
        )
        self.pie.update()
        self.late.rows = [
            {
                "code": p.employee_code,
                "name": f"{p.full_name} ({p.employee_code})",
                "unit": p.unit_name,
                "arrived": clock_time(p.first_in),
                "minutes": p.late_minutes,
            }
            for p in board.late_arrivals
        ]
        self.late.update()
        self.nobody_late.visible = not board.late_arrivals
        self.devices.text = t(N_("{online}/{total} thiết bị trực tuyến")).format(
            online=board.devices_online, total=board.devices_total
        )
        self.offline.rows = [
            {
                "device": d.device_id,
                "site": " · ".join(x for x in (d.site, d.room) if x),
                "since": local_time(d.since) if d.since else t(N_("chưa từng kết nối")),
            }
            for d in board.offline_devices
        ]
        self.offline.update()
        self.all_online.visible = not board.offline_devices


async def render_dashboard(ctx: PageContext, unit: str) -> None:
    ui.label(ctx.t(N_("Bảng điều hành"))).classes("text-xl font-bold")
    scope = top_units_in_scope(ctx)
    chosen = next((u for u in scope if u.code == unit), None) if unit else (scope[0] if scope else None)
    if chosen is None and unit:
        try:
            asked = ctx.services.people.unit(ctx.principal, unit)
        except UnknownUnit:
            show_problem(f"{ctx.t(NO_UNIT)}: {unit}")
            return
        if ctx.principal.can_in_unit(asked.path, *READERS):
            chosen = asked  # a sub-unit of one of the principal's units
    if chosen is None and not unit and ctx.principal.is_system_admin and not scope:
        setup_notice(ctx)  # org: an empty hub — set the organisation up first, not "access denied"
        return
    if chosen is None:
        forbidden(ctx)  # nothing is computed for a unit outside the scope
        return
    if len(scope) > 1:
        choose = ui.select({u.code: u.name for u in scope}, value=chosen.code, label=ctx.t(N_("Đơn vị")))
        choose.on_value_change(lambda e: ui.navigate.to(f"/dashboard?unit={e.value}"))
        choose.classes("min-w-[16rem]").mark("dash-unit")
    board = await load_after_connect(
        ctx.services.reports.dashboard, ctx.principal, chosen.code
    )  # devices: of their offices
    if board is None:
        return
    view = DashboardView(ctx)
    view.show(board)

    last = {"at": clock.monotonic()}
    busy = {"now": False}
    # check-ins of the unit's subtree, device status changes and feed gaps all make the board stale
    live = ctx.services.live is not None
    subscription = ctx.services.subscribe_live(unit_path=chosen.path, maxsize=100) if live else None
    if subscription is not None:
        context.client.on_delete(subscription.close)

    async def refresh() -> None:
        if busy["now"]:
            return
        since = clock.monotonic() - last["at"]
        stale = subscription is not None and since >= LIVE_MIN_INTERVAL_S and bool(subscription.drain())
        if not stale and since < PERIODIC_REFRESH_S:
            return
        busy["now"] = True
        try:
            fresh = await run.io_bound(ctx.services.reports.dashboard, ctx.principal, chosen.code)
            last["at"] = clock.monotonic()
            if fresh is not None:
                view.show(fresh)
        finally:
            busy["now"] = False

    ui.timer(1.0, refresh)


def register(services: HubServices) -> None:

    @module_page(
        "/dashboard", text_key=N_("Bảng điều hành"), icon="dashboard", action=reports_access.VIEW_UNIT, order=20
    )
    async def dashboard_page(ctx: PageContext, unit: str = "") -> None:
        await render_dashboard(ctx, unit)
