"""The organiser's participants page (/meetings/participants?id=…) with NiceGUI's simulated user over the real
database: the chair finds a staff member without diacritics and adds them, adds a guest with their organisation,
removes the guest, and finds no remove button beside someone checked in; a plain member is refused the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.people.importing import import_employees
from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, SETUP, make_meeting, participant_id
from tests.ui.conftest import Account, set_field, sign_in_through_form, sign_out


async def test_the_chair_adds_staff_and_a_guest_and_removes_the_guest(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        import_employees(conn, [{"employee_code": "NV004", "full_name": "Phạm Thị Hoa", "unit_code": "DOI1",
                                 "person_id": "nv-0004"}])  # fmt: skip
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
    mid = world.meeting_id
    member_pid = participant_id(svc, mid, "NV003")
    svc.mark_attendance(SETUP, ACTOR, mid, member_pid)
    page = f"/meetings/participants?id={mid}"

    chair = make_account(employee_code="NV002")
    user = await sign_in_through_form(ui_user, chair, page)
    await user.open(f"/meetings/tablet?id={mid}")
    await user.should_see(marker="mtg-roster-link")
    await user.open(page)
    await user.should_see("Thành phần (3 người)")
    await user.should_not_see(marker=f"mtg-remove-{member_pid}")  # checked in: stays
    await user.should_not_see(marker=f"mtg-remove-{participant_id(svc, mid, 'NV002')}")  # the chair stays

    await set_field(user, "mtg-staff-q", "pham thi", ui.input)
    user.find(marker="mtg-staff-find").click()
    await user.should_see("Phạm Thị Hoa (NV004)", retries=20)
    user.find(marker="mtg-staff-add-NV004").click()
    await user.should_see("Thành phần (4 người)", retries=20)
    await user.should_not_see(marker="mtg-staff-NV004")

    await set_field(user, "mtg-guest-name", "Ông Phạm Văn Khách", ui.input)
    await set_field(user, "mtg-guest-org", "Sở Tài chính", ui.input)
    user.find(marker="mtg-guest-add").click()
    await user.should_see("Thành phần (5 người)", retries=20)
    await user.should_see("Khách mời · Sở Tài chính")
    guest = next(p.id for p in svc.attendance(SETUP, mid) if p.name == "Ông Phạm Văn Khách")
    user.find(marker=f"mtg-remove-{guest}").click()
    await user.should_see("Thành phần (4 người)", retries=20)
    assert [p.name for p in svc.attendance(SETUP, mid) if p.role != "chair" and p.role != "secretary"] == [
        "Lê Minh Đạt", "Phạm Thị Hoa"]  # fmt: skip
    await sign_out(user)

    member = make_account(employee_code="NV003")
    user = await sign_in_through_form(ui_user, member, page)
    await user.open(page)
    await user.should_see(marker="mtg-problem")
    await user.should_not_see(marker="mtg-guest-add")
