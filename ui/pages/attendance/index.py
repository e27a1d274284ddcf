"""Where attendance starts (/attendance): one's own month, the live feed, and each unit's day and sheet."""

from __future__ import annotations

from nicegui import ui

from hub.accounts.principal import Role
from ui.components.periods import Month, today_local
from ui.components.states import empty_state
from ui.components.tables import columns
from ui.i18n import N_
from ui.pages.attendance.scope import READERS, units_in_scope
from ui.shell import PageContext

#: units listed on one page of the index (a system admin sees every unit of the administration)
UNITS_PER_PAGE = 50


def render_index(ctx: PageContext) -> None:
    ui.label(ctx.t(N_("Chấm công"))).classes("text-xl font-bold")
    today = today_local(ctx.services)
    period = Month.of(today).text
    own = getattr(ctx.principal, "employee_code", None)
    with ui.row().classes("gap-4 flex-wrap"):
        if own is not None:
            ui.link(ctx.t(N_("Chấm công của tôi")), f"/attendance/person/{own}/{period}")
        if ctx.principal.has_role(Role.SYSTEM_ADMIN, *READERS):
            ui.link(ctx.t(N_("Chấm công trực tiếp")), "/attendance/live")
    if not ctx.principal.has_role(Role.SYSTEM_ADMIN, *READERS):
        if own is None:
            empty_state(ctx.t(N_("Tài khoản này chưa gắn với cán bộ nào")), icon="person_off")
        return
    units = units_in_scope(ctx)
    if not units:
        empty_state(ctx.t(N_("Bạn chưa được giao đơn vị nào")), icon="domain_disabled")
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
    cols = columns(
        ctx.t, [("code", N_("Đơn vị")), ("name", ""), ("day", N_("Hôm nay")), ("sheet", N_("Bảng chấm công"))]
    )
    table = ui.table(columns=cols, rows=rows, row_key="code", pagination=UNITS_PER_PAGE).classes("w-full")
    table.props("flat bordered dense").mark("attendance-units")
    for column, key in (("day", N_("Chấm công trong ngày")), ("sheet", N_("Bảng chấm công"))):
        table.add_slot(
            f"body-cell-{column}",
            f'<q-td :props="props"><a class="text-primary" :href="props.value">{ctx.t(key)}</a></q-td>',
        )
