"""The leave page (/leave) with NiceGUI's simulated user over the real database: an employee sees the
balance, the working days of the chosen dates before sending, sends, and is refused an overlap in
both languages; the team head approves from the inbox; the team calendar shows the leave."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta

from nicegui import ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.services import HubServices
from tests.ui.conftest import Account, sign_in_through_form, sign_out
from ui.components.periods import today_local


async def set_value(user: User, marker: str, value: object) -> None:
    with user:
        element = user.find(marker=marker).elements.pop()
        assert isinstance(element, (ui.select, ui.input, ui.textarea))
        element.value = value
    await asyncio.sleep(0.1)


def next_monday(services: HubServices) -> date:
    today = today_local(services)
    return today + timedelta(days=7 - today.weekday() + 7)  # the Monday after next: same year unless late December


async def test_ask_see_the_days_send_be_refused_an_overlap_and_get_approved(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices
) -> None:
    employee = make_account(employee_code="NV001")
    boss = make_account((Role.MANAGER, "DOI1"))
    monday = next_monday(ui_services)
    user = await sign_in_through_form(ui_user, employee, "/leave")
    await user.open("/leave")
    await user.should_see(marker="leave-balance")
    await user.should_see("Còn lại 12 ngày")
    await set_value(user, "leave-from", monday.isoformat())
    await set_value(user, "leave-to", (monday + timedelta(days=6)).isoformat())  # to Sunday: 5 working days
    await user.should_see("5 ngày làm việc")
    await set_value(user, "leave-to-part", "morning")
    await set_value(user, "leave-from-part", "afternoon")
    await set_value(user, "leave-to", (monday + timedelta(days=4)).isoformat())
    await user.should_see("4 ngày làm việc")  # Monday afternoon to Friday morning
    await set_value(user, "leave-reason", "Về quê")
    await set_value(user, "leave-substitute", "NV002")
    user.find(marker="leave-send").click()
    await user.should_see("Chờ duyệt", retries=20)
    # the same dates again: refused, said in both languages, nothing sent
    user.find(marker="leave-send").click()
    await user.should_see("trùng với đơn số", retries=20)
    await user.should_see("overlaps request")
    await sign_out(user)

    principal = ui_services.accounts.sign_in(boss.username, boss.password).principal
    (waiting,) = ui_services.leave.inbox(principal)
    user = await sign_in_through_form(ui_user, boss, "/leave")
    await user.open("/leave")
    await user.should_see(marker="leave-inbox")
    await user.should_see("Nguyễn Văn Đức · Nghỉ phép năm")
    await user.should_see("Người thay thế: Trần Thị Lan")
    for label in ("Duyệt", "Trả lại", "Từ chối"):  # the buttons say what they do, never a text key
        await user.should_see(label)
    await user.should_not_see("leave.approve")
    await set_value(user, f"leave-comment-{waiting.id}", "Đồng ý")
    user.find(marker=f"leave-approve-{waiting.id}").click()
    await user.should_not_see(marker="leave-inbox", retries=20)
    approved = ui_services.leave.request(principal, waiting.id)
    assert approved.status.value == "approved" and approved.working_days == 4
    assert approved.steps[0].comment == "Đồng ý"


async def test_a_manager_names_a_backup_approver(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices
) -> None:
    boss = make_account((Role.MANAGER, "DOI1"))
    backup = make_account((Role.MANAGER, "CCHQNB"))
    user = await sign_in_through_form(ui_user, boss, "/leave")
    await user.open("/leave")
    await user.should_see(marker="leave-delegate")
    await set_value(user, "leave-backup", "khong-co-ai")
    user.find(marker="leave-delegate-save").click()
    await user.should_see("không có tài khoản", retries=20)
    await set_value(user, "leave-backup", backup.username)
    user.find(marker="leave-delegate-save").click()
    await user.should_see("Đã ghi nhận", retries=20)
    with ui_services.pool.connection() as conn:
        row = conn.execute("SELECT approver, backup FROM leave_delegations").fetchone()
    assert row == (boss.username, backup.username)
