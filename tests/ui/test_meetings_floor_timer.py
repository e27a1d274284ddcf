"""The speaker's timer on the tablet page with NiceGUI's simulated user over the real database: the chair gives the
floor for the minutes typed, sees the time left count down, adds minutes; a short turn shows the 3-minute alert;
the member holding the floor sees their own time left."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person
from tests.ui.conftest import Account, sign_in_through_form, sign_out


async def test_the_chair_times_the_floor_and_the_speaker_sees_the_time_left(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair_p, member_p = person(conn, "NV002"), person(conn, "NV003")
    mid = world.meeting_id
    svc.set_status(chair_p, ACTOR, mid, "in_progress")
    request = svc.ask_floor(member_p, mid)[0]["id"]
    page = f"/meetings/tablet?id={mid}"

    chair = make_account(employee_code="NV002")
    user = await sign_in_through_form(ui_user, chair, page)
    await user.open(page)
    await user.should_see(marker="mtg-floor-minutes")
    with user:
        box = user.find(marker="mtg-floor-minutes").elements.pop()
        assert isinstance(box, ui.number) and box.value == 3  # [meetings] speaker_minutes
        box.value = 10
    await asyncio.sleep(0.1)
    user.find(marker=f"mtg-give-{request}").click()
    await user.should_see("Còn lại 09:", marker="mtg-speaker-timer", retries=20)
    assert svc.speakers(chair_p, mid)[0]["limit_minutes"] == 10
    user.find(marker="mtg-extend-3").click()
    await user.should_see("Còn lại 12:", marker="mtg-speaker-timer", retries=20)
    assert svc.speakers(chair_p, mid)[0]["limit_minutes"] == 13
    await sign_out(user)

    svc.give_floor(chair_p, ACTOR, mid, None)
    svc.ask_floor(member_p, mid)
    svc.give_floor(chair_p, ACTOR, mid, svc.speakers(chair_p, mid)[0]["id"], minutes=2)
    member = make_account(employee_code="NV003")
    user = await sign_in_through_form(ui_user, member, page)
    await user.open(page)
    await user.should_see("Bạn đang phát biểu")
    await user.should_see("Sắp hết giờ — còn 01:", marker="mtg-speaker-timer", retries=20)
    await user.should_not_see(marker="mtg-extend-1")  # the chair's alone
