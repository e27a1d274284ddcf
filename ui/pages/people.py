"""People (nhân sự): the employee list of the units one may see, and one person's page.

The list searches without diacritics ("nguyen duc" finds "Nguyễn Văn Đức") and never shows a
unit outside the principal's scope: the unit filter offers only those units, and a principal
with several separate units picks one of them. A person's page is open to that person and to
the roles that cover their unit.
"""

from __future__ import annotations

from urllib.parse import urlencode

from nicegui import ui

from hub.access import Action
from hub.accounts.access import PEOPLE_VIEWERS
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal, Role
from hub.people import access as people_access
from hub.people.models import Employee, OrgUnit
from hub.people.service import UnknownEmployee
from hub.services import HubServices
from ui.components.format import LOCAL_TZ, NOTHING, local_date
from ui.components.pager import pager
from ui.components.states import empty_state
from ui.components.units import top_units, unit_label
from ui.i18n import N_, pgettext
from ui.shell import PageContext, forbidden, module_page

PAGE_SIZE = 25
ENROLLERS = (Role.HR, Role.OFFICE_ADMIN)  # who may take and delete a person's face photos, on their unit

#: the month's totals on a person's page
TOTAL_TEXTS = {
    "working_days": N_("Ngày làm việc theo lịch"),
    "worked_days": N_("Ngày công"),
    "late_count": N_("Số lần đi muộn"),
    "early_leave_count": N_("Số lần về sớm"),
    "missing_punch_count": N_("Thiếu chấm công"),
    "absent_days": N_("Vắng không phép"),
    "leave_days": pgettext("presence", "Nghỉ phép"),
    "trip_days": N_("Công tác"),
}


def attendance_month_url(employee_code: str, year: int, month: int) -> str:
    """The person's month on the attendance pages."""
    return f"/attendance/person/{employee_code}/{year:04d}-{month:02d}"


def scoped_units(services: HubServices, principal: Principal, action: Action) -> list[OrgUnit] | None:
    """The units where `principal` may do `action`, tree order; None: every unit (system admin)."""
    if principal.is_system_admin:
        return None
    return services.people.units(principal, action)


def all_units(services: HubServices, principal: Principal, action: Action) -> list[OrgUnit]:
    """Every unit where `principal` may do `action` (all of them for a system admin), tree order."""
    return services.people.units(principal, action)


def register(services: HubServices) -> None:
    @module_page("/people", text_key=N_("Nhân sự"), icon="groups", action=people_access.LIST, order=20)
    def people_list(
        ctx: PageContext, q: str = "", unit: str = "", position: str = "", active: int = 1, page: int = 1
    ) -> None:
        _people_list(ctx, q, unit, position, bool(active), max(1, page))

    @module_page("/people/{employee_code}", text_key=N_("Cán bộ"), icon="person", action=people_access.VIEW_PERSON,
                 order=21, in_nav=False)  # fmt: skip
    def person(ctx: PageContext, employee_code: str) -> None:
        _person(ctx, employee_code)


# --- the list ----------------------------------------------------------------------------------


def _people_list(ctx: PageContext, q: str, unit: str, position: str, active: bool, page: int) -> None:
    t = ctx.t
    units = scoped_units(ctx.services, ctx.principal, people_access.LIST)
    if units is not None and not units:
        ui.label(t(N_("Tài khoản chưa được giao đơn vị nào."))).mark("no-units")
        return
    roots = None if units is None else top_units(units)
    options = {"": t(N_("Tất cả đơn vị"))} if roots is None or len(roots) == 1 else {}
    for u in units if units is not None else all_units(ctx.services, ctx.principal, people_access.LIST):
        options[u.code] = unit_label(u)
    if unit and unit not in options:
        forbidden(ctx)  # a unit outside theirs: refused, as GET /api/v1/employees?unit= is (people.list)
        return
    if unit == "" and roots is not None:
        unit = roots[0].code  # several separate subtrees: one at a time, never all employees of the hub

    state = {"q": q, "unit": unit, "position": position, "active": active, "page": page}
    ui.label(t(N_("Nhân sự"))).classes("text-xl font-bold")
    with ui.row().classes("w-full items-end gap-2 flex-wrap"):
        search = (
            ui.input(t(N_("Tìm theo tên, mã cán bộ, mã FaceID")), value=q)
            .props("clearable outlined dense debounce=400")
            .classes("w-full sm:w-80")
            .mark("people-search")
        )
        unit_select = (
            ui.select(options, value=unit, label=t(N_("Đơn vị")), with_input=True)
            .props("outlined dense options-dense")
            .classes("w-full sm:w-72")
            .mark("people-unit")
        )
        position_select = (
            ui.select({"": t(N_("Mọi chức vụ"))}, value="", label=t(N_("Chức vụ")))
            .props("outlined dense")
            .classes("w-full sm:w-56")
            .mark("people-position")
        )
        active_switch = ui.switch(t(N_("Chỉ người đang công tác")), value=active).mark("people-active")

    @ui.refreshable
    def results() -> None:
        total, people = ctx.services.people.find_employees(
            ctx.principal,
            query=state["q"],
            unit_code=state["unit"] or None,
            position=state["position"] or None,
            active_on=ctx.services.now().astimezone(LOCAL_TZ).date() if state["active"] else None,
            limit=PAGE_SIZE,
            offset=(state["page"] - 1) * PAGE_SIZE,
        )
        if not people:
            empty_state(t(N_("Không tìm thấy cán bộ nào.")), icon="person_search", marker="no-people")
        columns = [
            {"name": "employee_code", "label": t(N_("Mã cán bộ")), "field": "employee_code", "align": "left"},
            {"name": "full_name", "label": t(N_("Họ và tên")), "field": "full_name", "align": "left"},
            {"name": "unit", "label": t(N_("Đơn vị")), "field": "unit", "align": "left"},
            {"name": "position", "label": t(N_("Chức vụ")), "field": "position", "align": "left"},
            {"name": "person_id", "label": t(N_("Mã FaceID")), "field": "person_id", "align": "left"},
        ]
        table = ui.table(columns=columns, rows=[_row(e) for e in people], row_key="employee_code")
        table.classes("w-full").props("flat bordered dense wrap-cells").mark("people-table")
        table.add_slot(
            "body-cell-full_name",
            '<q-td :props="props"><a class="text-primary" :href="\'/people/\' + props.row.employee_code">'
            "{{ props.value }}</a></q-td>",
        )
        pager(t, state["page"], total, PAGE_SIZE, turn, marker="people")

    def positions() -> None:
        position_select.options = {
            "": t(N_("Mọi chức vụ")),
            **{p: p for p in ctx.services.people.positions(ctx.principal, state["unit"] or None)},
        }
        if state["position"] not in position_select.options:
            state["position"] = ""
        position_select.value = state["position"]
        position_select.update()

    def remember() -> None:
        query = {k: v for k, v in state.items() if v not in ("", None) and not (k == "page" and v == 1)}
        query["active"] = int(state["active"])
        ui.navigate.history.replace("/people?" + urlencode(query))

    def changed(key: str, value: object) -> None:
        state[key] = value if value is not None else ""
        state["page"] = 1
        if key == "unit":
            positions()
        remember()
        results.refresh()

    def turn(step: int) -> None:
        state["page"] = max(1, state["page"] + step)
        remember()
        results.refresh()

    positions()
    search.on_value_change(lambda e: changed("q", (e.value or "").strip()))
    unit_select.on_value_change(lambda e: changed("unit", e.value))
    position_select.on_value_change(lambda e: changed("position", e.value) if e.value != state["position"] else None)
    active_switch.on_value_change(lambda e: changed("active", bool(e.value)))
    results()


def _row(e: Employee) -> dict[str, str]:
    return {
        "employee_code": e.employee_code,
        "full_name": e.full_name,
        "unit": e.unit_name,
        "position": e.position or NOTHING,
        "person_id": e.person_id,
    }


# --- one person --------------------------------------------------------------------------------


def _person(ctx: PageContext, employee_code: str) -> None:
    t = ctx.t
    try:
        employee = ctx.services.people.employee(ctx.principal, employee_code)  # people.view_person
    except UnknownEmployee:
        ui.label(t(N_("Không có cán bộ mã {code}.")).format(code=employee_code)).classes("text-negative").mark(
            "unknown-employee"
        )
        return
    except AccessDenied:
        forbidden(ctx)
        return
    unit = ctx.services.people.unit(ctx.principal, employee.unit_code)
    with ui.row().classes("items-center gap-2"):
        if ctx.principal.is_system_admin or ctx.principal.has_role(*PEOPLE_VIEWERS):
            ui.link(t(N_("Nhân sự")), "/people")
            ui.icon("chevron_right")
        ui.label(employee.full_name).classes("text-xl font-bold").mark("person-name")
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-72"):
            with ui.grid(columns="auto 1fr").classes("gap-x-4 gap-y-1 text-sm").mark("person-facts"):
                for label, value in (
                    (t(N_("Mã cán bộ")), employee.employee_code),
                    (t(N_("Đơn vị")), f"{employee.unit_name} ({employee.unit_code})"),
                    (t(N_("Chức vụ")), employee.position or NOTHING),
                    (t(N_("Lịch làm việc")), employee.schedule_code),
                    (t(N_("Mã FaceID")), employee.person_id),
                    (t(N_("Bắt đầu công tác")), local_date(employee.active_from)),
                    (t(N_("Kết thúc công tác")), local_date(employee.active_to)),
                ):
                    ui.label(label).classes("text-grey-7")
                    ui.label(value)
            if ctx.principal.can_in_unit(unit.path, *ENROLLERS):
                ui.button(
                    t(N_("Ảnh khuôn mặt (FaceID)")),
                    icon="face",
                    on_click=lambda: ui.navigate.to(f"/people/{employee.employee_code}/enrollment"),
                ).props("outline").mark("open-enrollment")
        _month_summary(ctx, employee)


def _month_summary(ctx: PageContext, employee: Employee) -> None:
    t = ctx.t
    today = ctx.services.now().astimezone(LOCAL_TZ).date()  # the hub's clock
    with ui.card().classes("min-w-72 flex-1").mark("month-summary"):
        ui.label(t(N_("Chấm công tháng {month}")).format(month=f"{today.month:02d}/{today.year}")).classes("font-bold")
        try:
            month = ctx.services.timekeeping.person_month(
                ctx.principal, employee.employee_code, today.year, today.month
            )
        except (LookupError, ValueError, AccessDenied) as exc:
            ui.label(t(N_("Chưa tính được bảng công: {error}")).format(error=exc)).classes("text-grey-7")
            return
        totals = month.row.totals
        with ui.grid(columns="auto auto").classes("gap-x-6 gap-y-1 text-sm"):
            for key, value in (
                ("working_days", month.sheet.working_days),
                ("worked_days", _days(totals.worked_days)),
                ("late_count", totals.late_count),
                ("early_leave_count", totals.early_leave_count),
                ("missing_punch_count", totals.missing_punch_count),
                ("absent_days", _days(totals.absent_days)),
                ("leave_days", _days(totals.leave_days)),
                ("trip_days", _days(totals.trip_days)),
            ):
                ui.label(t(TOTAL_TEXTS[key])).classes("text-grey-7")
                ui.label(str(value)).mark(f"total-{key}")
        ui.link(
            t(N_("Xem bảng chấm công tháng")), attendance_month_url(employee.employee_code, today.year, today.month)
        ).mark("open-month")


def _days(value: float) -> str:
    return f"{value:g}".replace(".", ",")
