"""Accounts (tài khoản): the user list, creating an account, granting and removing roles, disabling, passwords.

System admins manage everyone; an office admin manages the accounts of their units and may grant
only non-admin roles there. The rules are the accounts service's (hub.accounts): this page offers
the choices and shows its refusals as they come, it does not decide.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from hub.accounts import actions as accounts_actions
from hub.accounts.access import ADMIN_ROLES, USER_ADMINS
from hub.accounts.checks import GrantSpec
from hub.accounts.models import AccessDenied, AccountError, UnknownUser, User
from hub.accounts.principal import Role
from hub.services import HubServices
from ui import shell
from ui.components.format import NOTHING, local_time
from ui.components.labels.accounts import language_label, language_options, role_label, role_options
from ui.components.pager import pager
from ui.components.states import empty_state
from ui.components.units import unit_label
from ui.i18n import N_, pgettext
from ui.pages.people import all_units, scoped_units
from ui.shell import PageContext, any_role, client_ip, forbidden, module_page

EVERY_UNIT = N_("Toàn hệ thống")
GRANTED_BY = N_("Người giao")

PAGE_SIZE = 25


user_admin = any_role(*USER_ADMINS)


def grantable_roles(ctx: PageContext) -> list[Role]:
    """The roles this principal may hand out (only a system admin grants the admin roles)."""
    return [r for r in Role if ctx.principal.is_system_admin or r not in ADMIN_ROLES]


def _unit_options(ctx: PageContext) -> dict[str, str]:
    units = scoped_units(ctx.services, ctx.principal, accounts_actions.MANAGE_USERS)
    if units is None:
        units = all_units(ctx.services, ctx.principal, accounts_actions.MANAGE_USERS)
    return {u.code: unit_label(u) for u in units}


def _grant_text(ctx: PageContext, role: Role | str, unit_name: str | None) -> str:
    return f"{role_label(ctx.t, role)} · {unit_name or ctx.t(EVERY_UNIT)}"


def register(services: HubServices) -> None:
    @module_page(
        "/users",
        text_key=pgettext("menu", "Tài khoản"),
        icon="manage_accounts",
        action=accounts_actions.MANAGE_USERS,
        order=80,
    )
    def users(ctx: PageContext, q: str = "", page: int = 1) -> None:
        _users(ctx, q, max(1, page))

    @module_page("/users/{user_id}", text_key=N_("Tài khoản"), icon="manage_accounts",
                 action=accounts_actions.MANAGE_USERS, order=81, in_nav=False)  # fmt: skip
    def user(ctx: PageContext, user_id: int) -> None:
        _user(ctx, user_id)


def _users(ctx: PageContext, q: str, page: int) -> None:
    t = ctx.t
    state: dict[str, Any] = {"q": q, "page": page}
    with ui.row().classes("w-full items-center gap-2"):
        ui.label(t(pgettext("menu", "Tài khoản"))).classes("text-xl font-bold")
        ui.space()
        ui.button(t(N_("Tạo tài khoản")), icon="person_add", on_click=lambda: _create_dialog(ctx)).props(
            "unelevated"
        ).mark("create-user")
    search = ui.input(t(N_("Tìm theo tên đăng nhập, họ tên")), value=q).props("clearable outlined dense maxlength=200")
    search.classes("w-full sm:w-80")
    search.mark("users-search")

    @ui.refreshable
    def results() -> None:
        total, found = ctx.services.accounts.find_users(
            ctx.principal, state["q"], limit=PAGE_SIZE, offset=(state["page"] - 1) * PAGE_SIZE
        )
        if not found:
            empty_state(t(N_("Không có tài khoản nào.")), icon="person_off", marker="no-users")
        columns = [
            {"name": "username", "label": t(N_("Tên đăng nhập")), "field": "username", "align": "left"},
            {"name": "display_name", "label": t(N_("Tên hiển thị")), "field": "display_name", "align": "left"},
            {"name": "employee", "label": t(N_("Cán bộ")), "field": "employee", "align": "left"},
            {"name": "roles", "label": t(N_("Vai trò")), "field": "roles", "align": "left"},
            {"name": "state", "label": t(N_("Trạng thái")), "field": "state", "align": "left"},
        ]
        rows = [_user_row(ctx, u) for u in found]
        table = ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props("flat bordered dense")
        table.mark("users-table")
        table.add_slot(
            "body-cell-username",
            '<q-td :props="props"><a class="text-primary" :href="\'/users/\' + props.row.id">{{ props.value }}</a>'
            "</q-td>",
        )
        pager(t, state["page"], total, PAGE_SIZE, turn)

    def turn(step: int) -> None:
        state["page"] = max(1, state["page"] + step)
        results.refresh()

    def searched(value: str | None) -> None:
        state["q"], state["page"] = (value or "").strip(), 1
        results.refresh()

    search.on_value_change(lambda e: searched(e.value))
    results()


def _user_row(ctx: PageContext, u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "username": u.username,
        "display_name": u.display_name,
        "employee": f"{u.employee_name} ({u.employee_code})" if u.employee_code else NOTHING,
        "roles": ", ".join(_grant_text(ctx, g.role, g.unit_name) for g in u.grants) or NOTHING,
        "state": ctx.t(N_("Đã khóa")) if u.disabled else ctx.t(N_("Đang hoạt động")),
    }


def _create_dialog(ctx: PageContext) -> None:
    t = ctx.t
    roles = role_options(t, grantable_roles(ctx))
    units = {"": t(N_("Toàn hệ thống"))} if ctx.principal.is_system_admin else {}
    units.update(_unit_options(ctx))
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg"):
        ui.label(t(N_("Tạo tài khoản"))).classes("text-lg font-bold")
        username = ui.input(t(N_("Tên đăng nhập"))).props("maxlength=64").classes("w-full").mark("new-username")
        display_name = ui.input(t(N_("Tên hiển thị"))).props("maxlength=200").classes("w-full").mark("new-display-name")
        employee_code = ui.input(t(N_("Mã cán bộ (nếu có)"))).props("maxlength=32").classes("w-full")
        employee_code.mark("new-employee-code")
        password = ui.input(t(N_("Mật khẩu ban đầu")), password=True, password_toggle_button=True).classes("w-full")
        password.props("maxlength=256")
        password.mark("new-password")
        language = ui.toggle(language_options(t), value="vi").mark("new-language")
        with ui.row().classes("w-full gap-2"):
            role = ui.select(roles, value=Role.EMPLOYEE.value, label=t(N_("Vai trò"))).classes("flex-1")
            role.mark("new-role")
            unit = ui.select(units, value=next(iter(units), None), label=t(N_("Tại đơn vị")), with_input=True)
            unit.classes("flex-1").mark("new-unit")
        error = ui.label().classes("text-negative").mark("create-error")

        def create() -> None:
            # a system admin's grant has no unit; an employee's is on their own unit
            own = role.value in (Role.SYSTEM_ADMIN.value, Role.EMPLOYEE.value)
            grant = GrantSpec(role.value, None if own else (unit.value or None))
            try:
                created = ctx.services.accounts.create_user(
                    ctx.principal,
                    username=(username.value or "").strip(),
                    password=password.value or "",
                    display_name=(display_name.value or "").strip() or None,
                    employee_code=(employee_code.value or "").strip() or None,
                    grants=[grant],
                    language=language.value,
                    client_ip=client_ip(),
                )
            except (AccountError, AccessDenied, LookupError) as exc:
                error.text = t(N_("Không thực hiện được: {error}")).format(error=exc)
                return
            dialog.close()
            ui.notify(t(N_("Đã tạo tài khoản {name}.")).format(name=created.username), type="positive")
            ui.navigate.to(f"/users/{created.id}")

        with ui.row().classes("w-full justify-end"):
            ui.button(t(N_("Hủy")), on_click=dialog.close).props("flat")
            ui.button(t(N_("Tạo tài khoản")), on_click=create).props("unelevated").mark("confirm-create-user")
    dialog.open()


def _user(ctx: PageContext, user_id: int) -> None:
    t, accounts = ctx.t, ctx.services.accounts
    try:
        account = ctx.services.accounts.get_user(ctx.principal, user_id)
    except UnknownUser:
        ui.label(t(N_("Không có tài khoản này."))).classes("text-negative").mark("unknown-user")
        return
    except AccessDenied:
        forbidden(ctx)
        return

    def act(action: Any) -> bool:
        try:
            action()
        except (AccountError, AccessDenied, LookupError) as exc:
            ui.notify(t(N_("Không thực hiện được: {error}")).format(error=exc), type="negative", multi_line=True)
            return False
        return True

    with ui.row().classes("items-center gap-2"):
        ui.link(t(pgettext("menu", "Tài khoản")), "/users")
        ui.icon("chevron_right")
        ui.label(account.username).classes("text-xl font-bold").mark("account-username")
        ui.badge(t(N_("Đã khóa")) if account.disabled else t(N_("Đang hoạt động")),
                 color="negative" if account.disabled else "positive").mark("account-state")  # fmt: skip
    with ui.row().classes("w-full gap-4 flex-wrap items-start"):
        with ui.card().classes("min-w-72"):
            with ui.grid(columns="auto 1fr").classes("gap-x-4 gap-y-1 text-sm"):
                for label, value in (
                    (t(N_("Tên hiển thị")), account.display_name),
                    (t(N_("Cán bộ")), f"{account.employee_name} ({account.employee_code})" if account.employee_code
                     else NOTHING),
                    (t(shell.LANGUAGE), language_label(t, account.language)),
                    (t(N_("Ngày tạo")), f"{local_time(account.created_at, seconds=False)} · {account.created_by}"),
                ):  # fmt: skip
                    ui.label(label).classes("text-grey-7")
                    ui.label(value)
            with ui.row().classes("gap-2 mt-2"):

                def toggle_disabled() -> None:
                    if act(lambda: ctx.services.accounts.update_user(ctx.principal, account.id, client_ip=client_ip(),
                                                            disabled=not account.disabled)):  # fmt: skip
                        ui.navigate.reload()

                ui.button(
                    t(N_("Mở khóa tài khoản")) if account.disabled else t(N_("Khóa tài khoản")),
                    on_click=toggle_disabled,
                ).props("outline").mark("toggle-disabled")
            with ui.row().classes("items-end gap-2"):
                new_password = ui.input(t(N_("Mật khẩu mới")), password=True, password_toggle_button=True)
                new_password.props("maxlength=256")
                new_password.mark("reset-password-input")

                def reset() -> None:
                    if act(lambda: accounts.reset_password(ctx.principal, account.id, new_password.value or "",
                                                         client_ip())):  # fmt: skip
                        new_password.value = ""
                        ui.notify(t(N_("Đã đặt lại mật khẩu; các phiên đăng nhập cũ đã bị hủy.")), type="positive")

                ui.button(t(N_("Đặt lại mật khẩu")), on_click=reset).props("flat").mark("reset-password")
        with ui.card().classes("min-w-72 flex-1").mark("grants"):
            ui.label(t(N_("Vai trò được giao"))).classes("font-bold")
            for grant in account.grants:
                with ui.row().classes("items-center gap-2 w-full"):
                    ui.label(_grant_text(ctx, grant.role, grant.unit_name)).classes("flex-1").mark("grant")
                    ui.label(f"{t(GRANTED_BY)}: {grant.granted_by}").classes("text-xs text-grey-7")

                    def remove(grant_id: int = grant.id) -> None:
                        if act(lambda: accounts.remove_grant(ctx.principal, account.id, grant_id, client_ip())):
                            ui.navigate.reload()

                    ui.button(t(N_("Thu hồi")), on_click=remove).props("flat dense color=negative").mark("remove-grant")
            roles = role_options(t, grantable_roles(ctx))
            units = {"": t(N_("Toàn hệ thống"))} if ctx.principal.is_system_admin else {}
            units.update(_unit_options(ctx))
            with ui.row().classes("items-end gap-2 w-full"):
                role = ui.select(roles, value=Role.MANAGER.value, label=t(N_("Vai trò"))).classes("w-48")
                role.mark("grant-role")
                unit = ui.select(units, value=next(iter(units), None), label=t(N_("Tại đơn vị")), with_input=True)
                unit.classes("w-64").mark("grant-unit")

                def add() -> None:
                    if act(lambda: accounts.add_grant(ctx.principal, account.id, role.value, unit.value or None,
                                                    client_ip())):  # fmt: skip
                        ui.navigate.reload()

                ui.button(t(N_("Giao vai trò")), icon="add", on_click=add).props("unelevated").mark("add-grant")
