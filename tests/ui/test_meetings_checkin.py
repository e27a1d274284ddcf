"""The phone's check-in page (/meetings/checkin?token=…) that the room display's QR opens, with NiceGUI's simulated
user over the real database: the room's display state carries the page's address with the meeting's token; a
participant not signed in opens it, signs in, comes back to it and is present; opening it again counts nothing
more and says when they checked in; a staff member who is not a participant is refused in both languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nicegui.testing.user import User

from hub.displays.source import meetings_schedule
from hub.people.importing import import_employees
from hub.services import HubServices
from tests.hub.meetings.tablet_world import SETUP, make_meeting
from tests.ui.conftest import Account, sign_out


async def test_a_participant_checks_in_with_the_displays_qr_and_a_stranger_is_refused(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        import_employees(conn, [{"employee_code": "NV004", "full_name": "Phạm Thị Hoa", "unit_code": "DOI1",
                                 "person_id": "nv-0004"}])  # fmt: skip
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
    shown = meetings_schedule(svc)("phong-hop-2", ui_services.now())
    assert shown is not None and shown.checkin is not None
    link = shown.checkin.payload
    assert link.startswith("/meetings/checkin?token=")
    assert meetings_schedule(svc)("phong-hop-2", ui_services.now()).checkin == shown.checkin  # the same QR

    def member_present() -> list:
        return [p.present_at for p in svc.attendance(SETUP, world.meeting_id) if p.employee_code == "NV003"]

    assert member_present() == [None]
    member = make_account(employee_code="NV003")
    await ui_user.open(link)  # not signed in: the sign-in form, which comes back to the link
    await ui_user.should_see(marker="username", retries=20)
    ui_user.find(marker="username").type(member.username)
    ui_user.find(marker="password").type(member.password)
    ui_user.find(marker="sign-in").click()
    await ui_user.should_see("Đã điểm danh: Họp giao ban tháng 12", marker="mtg-checkin-text", retries=40)
    await ui_user.should_not_see(marker="mtg-checkin-again")
    [first] = member_present()
    assert first is not None

    await ui_user.open(link)  # used twice: counts once
    await ui_user.should_see("Đã điểm danh: Họp giao ban tháng 12", retries=20)
    await ui_user.should_see("Bạn đã điểm danh lúc", marker="mtg-checkin-again")
    assert member_present() == [first]
    with ui_services.pool.connection() as conn:
        count = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'meeting.checkin' AND entity_id = %s",
            (str(world.meeting_id),),
        ).fetchone()
    assert count == (1,)
    await sign_out(ui_user)

    stranger = make_account(employee_code="NV004")
    await ui_user.open(link)
    await ui_user.should_see(marker="username", retries=20)
    ui_user.find(marker="username").type(stranger.username)
    ui_user.find(marker="password").type(stranger.password)
    ui_user.find(marker="sign-in").click()
    await ui_user.should_see("bạn không có trong thành phần cuộc họp này", marker="mtg-checkin-problem", retries=40)
    await ui_user.should_see("you are not a participant of this meeting")
    await ui_user.should_not_see(marker="mtg-checkin-text")

    await ui_user.open("/meetings/checkin?token=khong-hop-le")
    await ui_user.should_see("mã QR không hợp lệ", marker="mtg-checkin-problem")
