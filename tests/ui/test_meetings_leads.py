"""Replacing the chair or the secretary on the meeting's participants page, with NiceGUI's simulated user over the
real database: the chair hands the secretary's part to a member and the page names the new secretary; the secretary
(who may prepare the meeting but not replace its leads) finds no such control; once the meeting is over, neither does
the chair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person
from tests.ui.conftest import Account, set_field, sign_in_through_form, sign_out


async def test_the_chair_replaces_the_secretary_on_the_participants_page(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair = person(conn, "NV002")
    page = f"/meetings/participants?id={world.meeting_id}"

    chair_account = make_account(employee_code="NV002")
    user = await sign_in_through_form(ui_user, chair_account, page)
    await user.open(page)
    await user.should_see("Thư ký: Nguyễn Văn Đức", marker="mtg-lead-secretary", retries=20)
    await set_field(user, "mtg-lead-role", "secretary", ui.select)
    await set_field(user, "mtg-lead-who", "NV003", ui.select)
    user.find(marker="mtg-lead-replace").click()
    await user.should_see("Thư ký: Lê Minh Đạt", marker="mtg-lead-secretary", retries=20)
    roles = {p.employee_code: p.role for p in svc.attendance(chair, world.meeting_id)}
    assert roles == {"NV002": "chair", "NV003": "secretary", "NV001": "member"}
    await sign_out(user)

    # the new secretary prepares the meeting, but does not replace its leads
    user = await sign_in_through_form(ui_user, make_account(employee_code="NV003"), page)
    await user.open(page)
    await user.should_see(marker="mtg-roster")
    await user.should_not_see(marker="mtg-leads")
    await sign_out(user)

    # once the meeting is over, the chair no longer finds the control
    svc.set_status(chair, ACTOR, world.meeting_id, "closed")
    user = await sign_in_through_form(ui_user, chair_account, page)
    await user.open(page)
    await user.should_see(marker="mtg-roster-over")
    await user.should_not_see(marker="mtg-leads")
