"""Where attendance starts (/attendance): one's own month, the live feed, and each unit's day and sheet."""

from __future__ import annotations

from nicegui import ui

from hub.accounts.principal import Role
from ui.components.periods import Month, today_local
from ui.components.states import empty_state
from ui.components.tables import columns
from ui.pages.attendance.scope import READERS, units_in_scope
from ui.shell import PageContext

#: units listed on one page of the index (a system admin sees every unit of the administration)
UNITS_PER_PAGE = 50


def render_index(ctx: PageContext) -> None:
    ui.label(ctx.t("att.title")).classes("text-xl font-bold")
    today = today_local(ctx.services)
    period = Month.of(today).text
    own = getattr(ctx.principal, "employee_code", None)
    with ui.row().classes("gap-4 flex-wrap"):
        if own is not None:
            ui.link(ctx.t("att.my_month"), f"/attendance/person/{own}/{period}")
        if ctx.principal.has_role(Role.SYSTEM_ADMIN, *READERS):
            ui.link(ctx.t("att.live"), "/attendance/live")
    if not ctx.principal.has_role(Role.SYSTEM_ADMIN, *READERS):
        if own is None:
            empty_state(ctx.t("att.no_employee"), icon="person_off")
        return
    units = units_in_scope(ctx)
    if not units:
        empty_state(ctx.t("att.no_units"), icon="domain_disabled")
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
    cols = columns(ctx.t, [("code", "att.unit"), ("name", ""), ("day", "att.today"), ("sheet", "att.timesheet")])
    table = ui.table(columns=cols, rows=rows, row_key="code", pagination=UNITS_PER_PAGE).classes("w-full")
    table.props("flat bordered dense").mark("attendance-units")
    for column, key in (("day", "att.unit_day"), ("sheet", "att.timesheet")):
        table.add_slot(
            f"body-cell-{column}",
            f'<q-td :props="props"><a class="text-primary" :href="props.value">{ctx.t(key)}</a></q-td>',
        )
