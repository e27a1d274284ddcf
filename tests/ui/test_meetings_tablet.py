"""The meetings pages with NiceGUI's simulated user over the real database: my meetings (/meetings) lead to the
tablet page; on it the chair starts the meeting, moves to the next item, marks a member present and opens a secret
vote; the member sees the item under discussion (and it changes live when the chair moves on), the paper for
everyone but not the restricted one, asks to speak and sees their place, votes once, and keeps a private note."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.services import HubServices
from tests.hub.meetings.tablet_world import (
    ACTOR,
    ITEMS,
    PUBLIC_PAPER,
    SECRET_PAPER,
    make_meeting,
    participant_id,
    person,
)
from tests.ui.conftest import Account, sign_in_through_form, sign_out


async def set_value(user: User, marker: str, value: object) -> None:
    with user:
        element = user.find(marker=marker).elements.pop()
        assert isinstance(element, (ui.input, ui.textarea, ui.checkbox))
        element.value = value
    await asyncio.sleep(0.1)


async def test_the_chair_runs_the_meeting_and_a_member_follows_on_the_tablet(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair_principal = person(conn, "NV002")
    page = f"/meetings/tablet?id={world.meeting_id}"
    member_pid = participant_id(svc, world.meeting_id, "NV003")

    # the chair: start, first item, mark the member present, open a secret vote
    chair = make_account(employee_code="NV002")
    user = await sign_in_through_form(ui_user, chair, "/meetings")
    await user.open("/meetings")
    await user.should_see("Họp giao ban tháng 12")
    await user.open(page)
    await user.should_see(marker="mtg-chair")
    await user.should_see(SECRET_PAPER)  # the chair reads the restricted paper
    await user.should_see("Chủ trì chưa bắt đầu nội dung nào.")
    user.find(marker="mtg-start").click()
    await user.should_see("Đang họp", retries=20)
    user.find(marker="mtg-next").click()
    await user.should_see(f"1. {ITEMS[0]}", marker="mtg-current", retries=20)
    user.find(marker=f"mtg-mark-{member_pid}").click()
    await user.should_see("Điểm danh (1/3 có mặt)", retries=20)
    await set_value(user, "mtg-question", "Thông qua báo cáo tháng 11")
    await set_value(user, "mtg-secret", True)
    user.find(marker="mtg-open-vote").click()
    await user.should_see("Thông qua báo cáo tháng 11", marker="mtg-vote-question", retries=20)
    await sign_out(user)

    # the member
    member = make_account(employee_code="NV003")
    user = await sign_in_through_form(ui_user, member, page)
    await user.open(page)
    await user.should_see(f"1. {ITEMS[0]}", marker="mtg-current", retries=20)
    await user.should_see(PUBLIC_PAPER)
    await user.should_not_see(SECRET_PAPER)
    await user.should_not_see(marker="mtg-chair")
    await user.should_see("Đã điểm danh lúc")
    await user.should_see("Bỏ phiếu kín — không ai biết bạn chọn phương án nào.")
    user.find(marker="mtg-ask").click()
    await user.should_see("Bạn đang ở vị trí thứ 1 trong danh sách chờ phát biểu", retries=20)
    user.find(marker="mtg-choice-against").click()
    await user.should_see("Bạn đã biểu quyết. Mỗi người chỉ một phiếu.", retries=20)
    await user.should_not_see(marker="mtg-choice-for")
    first = world.item_ids[0]
    await set_value(user, f"mtg-note-{first}", "Hỏi lại số liệu thu nộp")
    user.find(marker=f"mtg-note-save-{first}").click()
    await user.should_see("Đã lưu ghi chú", retries=20)
    assert svc.tablet_view(person_of(ui_services, "NV003"), world.meeting_id).notes == {
        first: "Hỏi lại số liệu thu nộp"
    }

    # the chair moves on (elsewhere): the member's page follows by itself
    svc.set_current_item(chair_principal, ACTOR, world.meeting_id, world.item_ids[1])
    await user.should_see(f"2. {ITEMS[1]}", marker="mtg-current", retries=60)
    speaker = svc.speakers(chair_principal, world.meeting_id)[0]["id"]
    svc.give_floor(chair_principal, ACTOR, world.meeting_id, speaker)
    await user.should_see("Bạn đang phát biểu", retries=60)
    closed = svc.close_vote(
        chair_principal, ACTOR, world.meeting_id, svc.votes(chair_principal, world.meeting_id)[0].id
    )
    assert closed.counts == {"for": 0, "against": 1, "abstain": 0}
    await user.should_see(marker="mtg-results", retries=60)


def person_of(services: HubServices, code: str):  # noqa: ANN201
    with services.pool.connection() as conn:
        return person(conn, code)
