"""Accounts and audit pages: create an account, grant and revoke roles, disable, search the log."""

from __future__ import annotations

import asyncio

from nicegui import ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.services import HubServices
from tests.ui.conftest import PASSWORD, SETUP_ADMIN, Account, open_refused, sign_in_through_form, table_rows


async def _set(user: User, marker: str, value: object) -> None:
    with user:
        element = user.find(marker=marker).elements.pop()
        element.value = value
    await asyncio.sleep(0.1)


async def test_system_admin_creates_an_account_that_can_then_sign_in(sign_in, ui_user: User, ui_services) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/users")
    user.find(marker="create-user").click()
    await user.should_see(marker="new-username")
    await _set(user, "new-username", "lan.tran")
    await _set(user, "new-employee-code", "NV002")
    await _set(user, "new-password", "ngắn")  # too short: refused, nothing created
    await _set(user, "new-role", Role.MANAGER.value)
    await _set(user, "new-unit", "CCHQNB")
    user.find(marker="confirm-create-user").click()
    await user.should_see(marker="create-error")
    with user:
        assert user.find(marker="create-error").elements.pop().text.startswith("Không thực hiện được")
    assert ui_services.accounts.find_users(SETUP_ADMIN, "lan.tran")[0] == 0

    await _set(user, "new-password", PASSWORD)
    user.find(marker="confirm-create-user").click()
    await user.should_see(marker="account-username", retries=20)
    await user.should_see("lan.tran")
    with user:
        grants = sorted(e.text for e in user.find(marker="grant").elements)
    assert grants == ["Lãnh đạo, quản lý · Chi cục Hải quan cửa khẩu Sân bay quốc tế Nội Bài"]

    # the new manager signs in and sees the people of their Chi cục
    user.find(marker="sign-out").click()
    await user.should_see(marker="sign-in", retries=20)
    await sign_in_through_form(user, Account("lan.tran", PASSWORD), next_path="/people")
    assert [r["employee_code"] for r in await table_rows(user, "people-table")] == ["NV002", "NV001"]


async def test_grant_revoke_and_disable(sign_in, make_account, ui_services: HubServices) -> None:
    target = make_account((Role.EMPLOYEE, None), employee_code="NV001")
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/users")
    rows = await table_rows(user, "users-table")
    target_row = next(r for r in rows if r["username"] == target.username)
    await user.open(f"/users/{target_row['id']}")
    with user:
        roles = user.find(marker="grant-role").elements.pop()
        assert Role.SYSTEM_ADMIN.value not in roles.options and Role.OFFICE_ADMIN.value not in roles.options
        units = user.find(marker="grant-unit").elements.pop()
        assert set(units.options) == {"CHQHN", "CCHQNB", "DOI1"}  # only their units, no "everywhere"
    await _set(user, "grant-role", Role.HR.value)
    await _set(user, "grant-unit", "DOI1")
    user.find(marker="add-grant").click()
    await user.should_see("Tổ chức cán bộ · Đội Thủ tục hàng hóa xuất nhập khẩu", retries=20)

    user.find(marker="toggle-disabled").click()
    await user.should_see("Đã khóa", retries=20)
    account = ui_services.accounts.get_user(SETUP_ADMIN, target_row["id"])
    assert account.disabled and {g.role for g in account.grants} == {Role.EMPLOYEE, Role.HR}

    # the disabled account cannot sign in, and says why
    user.find(marker="sign-out").click()
    await user.should_see(marker="sign-in", retries=20)
    user.find(marker="username").type(target.username)
    user.find(marker="password").type(target.password)
    user.find(marker="sign-in").click()
    await user.should_see("Tài khoản đã bị khóa")


async def test_office_admin_cannot_see_an_account_of_another_office(sign_in, make_account) -> None:
    make_account((Role.EMPLOYEE, None), employee_code="NV003")  # in CHQHCM
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/users")
    rows = await table_rows(user, "users-table")
    assert [r["employee"] for r in rows] == ["—"]  # only the office admin's own account, not NV003's


async def test_audit_log_search_finds_sign_ins_and_changes(sign_in, make_account) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/audit")
    rows = await table_rows(user, "audit-table")
    assert "sign_in.success" in {r["action"] for r in rows}
    await _set(user, "audit-action", "user.create")
    rows = await table_rows(user, "audit-table")
    assert rows and {r["action"] for r in rows} == {"user.create"}
    assert all(r["before"] == "—" and r["after"] != "—" for r in rows)

    await _set(user, "audit-action", "")
    await _set(user, "audit-text", "khong co gi nhu the nay")
    await user.should_see(marker="audit-none")

    await _set(user, "audit-text", "")
    with user:
        since = user.find(marker="audit-since").elements.pop()
        assert isinstance(since, ui.input)
        since.value = "31/02/2026"
    user.find(marker="audit-since").trigger("blur")
    await user.should_see("Ngày không hợp lệ (dd/mm/yyyy): 31/02/2026")


async def test_hr_cannot_open_users_or_audit(sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    for page in ("/users", "/audit"):
        await open_refused(user, page)
