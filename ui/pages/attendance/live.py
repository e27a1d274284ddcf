"""The live feed (/attendance/live): the latest check-ins of the units one may see, without a reload.

The page subscribes to the hub's live feed for its lifetime: the subscriptions end when this
page's client is deleted (tab closed or navigated away; a brief disconnect that reconnects keeps
the page, and so its subscriptions). A timer on the UI loop takes what arrived twice a second; the
feed's listener never waits for a browser.
"""

from __future__ import annotations

from datetime import datetime, time

from nicegui import context, ui

from hub.accounts.principal import Principal
from hub.live.feed import Subscription
from hub.live.models import CheckIn
from hub.services import HubServices
from ui.components.format import LOCAL_TZ, local_time
from ui.components.periods import today_local
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_
from ui.pages.attendance.scope import READERS
from ui.shell import PageContext

#: rows the feed keeps on screen (the newest first)
LIVE_ROWS = 50


def may_see_checkin(principal: Principal, checkin: CheckIn) -> bool:
    """A check-in of an employee is shown to whoever reads their unit; of an unknown FaceID id only to admins."""
    if checkin.unit_path is None:
        return principal.is_system_admin
    return principal.can_in_unit(checkin.unit_path, *READERS)


def feed_row(ctx: PageContext, c: CheckIn) -> dict[str, str]:
    """One check-in as the feed's table shows it."""
    direction = {"in": ctx.t(N_("Vào")), "out": ctx.t(N_("Ra"))}.get(c.direction or "", "")
    return {
        "key": str(c.event_id),
        "time": local_time(c.ts),
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
    """Today's latest check-ins first, then each new one on top as it arrives."""
    ui.label(ctx.t(N_("Chấm công trực tiếp"))).classes("text-xl font-bold")
    ui.label(ctx.t(N_("Các lượt chấm công mới nhất, tự cập nhật"))).classes("text-sm text-grey-7")
    cols = columns(
        ctx.t,
        [("time", N_("Thời gian")), ("code", N_("Mã cán bộ")), ("name", N_("Họ và tên")), ("unit", N_("Đơn vị")),
         ("device", N_("Thiết bị")), ("direction", N_("Hướng"))],
    )  # fmt: skip
    principal = ctx.principal
    table = data_table(cols, [], row_key="key", marker="live-feed")
    link_cell(table, "code")
    empty = empty_state(
        ctx.t(N_("Chưa có lượt chấm công nào kể từ khi mở trang")), icon="sensors_off", marker="live-empty"
    )
    if ctx.services.live is None:
        show_problem(ctx.t(N_("Luồng chấm công trực tiếp chưa sẵn sàng")))
        return
    subscriptions = subscribe_checkins(ctx.services, principal, LIVE_ROWS * 4)
    # subscribed first, then today's latest: a check-in committed in between is in both, shown once
    today_start = datetime.combine(today_local(ctx.services), time(), LOCAL_TZ)
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
