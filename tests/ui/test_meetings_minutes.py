"""The minutes page (/meetings/minutes?id=…) with NiceGUI's simulated user over the real database: the secretary
finds it from their meetings, edits the conclusion and submits the minutes; the chair sees them read-only with the
sign-off buttons, signs them off, and the page then offers the PDF and no editor; a member never gets the buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.services import HubServices
from tests.hub.meetings.tablet_world import make_meeting, person
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
