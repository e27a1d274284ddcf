"""The minutes page (/meetings/minutes?id=…) with NiceGUI's simulated user over the real database: the secretary
finds it from their meetings, edits the conclusion and submits the minutes; the chair sees them read-only with the
sign-off buttons, signs them off, and the page then offers the PDF and no editor; a member never gets the buttons.
Then the conclusion notice: the secretary drafts it from the signed minutes' page, which shows the draft's state,
its link to the documents module and the tasks of the conclusion."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.documents.files import FileRules
from hub.files import ContentStore
from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person
from tests.ui.conftest import Account, sign_in_through_form, sign_out

CONCLUSION = "Giao Đội Thủ tục hoàn thành kế hoạch trước ngày 31/12."


async def set_value(user: User, marker: str, value: object) -> None:
    with user:
        element = user.find(marker=marker).elements.pop()
        assert isinstance(element, (ui.input, ui.textarea))
        element.value = value
    await asyncio.sleep(0.1)


async def test_the_secretary_submits_and_the_chair_signs_the_minutes_off_on_the_page(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair_principal = person(conn, "NV002")
    page = f"/meetings/minutes?id={world.meeting_id}"

    # the secretary (NV001): from their meetings to the minutes, the conclusion written, saved, submitted
    secretary = make_account(employee_code="NV001")
    user = await sign_in_through_form(ui_user, secretary, "/meetings")
    await user.open("/meetings")
    user.find(marker=f"mtg-minutes-{world.meeting_id}").click()
    await user.should_see("Chưa lưu (bản nháp tự động)", marker="minutes-status", retries=20)
    await user.should_see(marker="minutes-conclusion")
    await user.should_not_see(marker="minutes-sign")
    await set_value(user, "minutes-conclusion", CONCLUSION)
    user.find(marker="minutes-save").click()
    await user.should_see("Đang soạn", marker="minutes-status", retries=20)
    user.find(marker="minutes-submit").click()
    await user.should_see("Chờ chủ trì ký duyệt", marker="minutes-status", retries=20)
    await user.should_not_see(marker="minutes-conclusion")  # no editor while the chair has them
    await sign_out(user)
    assert svc.minutes(chair_principal, world.meeting_id).sections["conclusion"] == CONCLUSION

    # a member reads them, with no buttons
    member = make_account(employee_code="NV003")
    user = await sign_in_through_form(ui_user, member, page)
    await user.open(page)
    await user.should_see(CONCLUSION, marker="minutes-text-conclusion")
    await user.should_not_see(marker="minutes-sign")
    await user.should_not_see(marker="minutes-save")
    await sign_out(user)

    # the chair (NV002) signs them off: frozen, the PDF offered
    chair = make_account(employee_code="NV002")
    user = await sign_in_through_form(ui_user, chair, page)
    await user.open(page)
    await user.should_see(marker="minutes-chair")
    await user.should_see(CONCLUSION, marker="minutes-text-conclusion")
    user.find(marker="minutes-sign").click()
    await user.should_see("Đã ký duyệt", marker="minutes-status", retries=20)
    await user.should_see(marker="minutes-pdf")
    await user.should_not_see(marker="minutes-chair")
    await user.should_not_see(marker="minutes-save")
    assert svc.minutes(chair_principal, world.meeting_id).frozen


async def test_the_secretary_drafts_the_conclusion_notice_from_the_signed_minutes_page(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    documents = ui_services.documents
    documents.store, documents.file_rules, documents.work_dir = ContentStore(tmp_path / "docs"), FileRules(), tmp_path
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair_principal, secretary_principal = person(conn, "NV002"), person(conn, "NV001")
    make_account((Role.MANAGER, "CCHQNB"), employee_code="NV002")  # the chair's account signs the notice
    task = svc.assign_task(chair_principal, ACTOR, world.meeting_id, "Rà soát danh sách doanh nghiệp", "NV003",
                           date.today() + timedelta(days=10))  # fmt: skip
    sections = svc.minutes(secretary_principal, world.meeting_id).sections
    svc.save_minutes(secretary_principal, ACTOR, world.meeting_id, {**sections, "conclusion": CONCLUSION})
    svc.submit_minutes(secretary_principal, ACTOR, world.meeting_id)
    svc.sign_minutes(chair_principal, ACTOR, world.meeting_id)

    secretary = make_account(employee_code="NV001")
    page = f"/meetings/minutes?id={world.meeting_id}"
    user = await sign_in_through_form(ui_user, secretary, page)
    await user.open(page)
    await user.should_see("Rà soát danh sách doanh nghiệp", marker=f"minutes-task-{task['id']}", retries=20)
    await user.should_see("Đang thực hiện", marker=f"minutes-task-{task['id']}")
    user.find(marker="minutes-make-notice").click()
    await user.should_see("Đang soạn thảo", marker="minutes-notice-state", retries=40)
    await user.should_see(marker="minutes-notice-link")
    await user.should_not_see(marker="minutes-make-notice")
    notice = svc.minutes(secretary_principal, world.meeting_id).notice
    assert notice is not None and notice.state == "unknown"  # this principal has no account: not a draft's reader
    assert (
        ui_services.outgoing.draft(
            ui_services.accounts.sign_in(secretary.username, secretary.password).principal, notice.draft_id
        ).subject
        == "Kết luận của Trần Thị Lan tại cuộc họp Họp giao ban tháng 12"
    )
