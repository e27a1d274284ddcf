"""The "Góp ý" box of the tablet page with NiceGUI's simulated user over the real database: under the item under
discussion a member writes an opinion about one of its papers, rewrites it and withdraws another of theirs, and
never sees the secretary's; the chair sees everyone's on that item."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing.user import User

from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, PUBLIC_PAPER, make_meeting, person
from tests.ui.conftest import Account, sign_in_through_form, sign_out


async def set_value(user: User, marker: str, value: object) -> None:
    with user:
        element = user.find(marker=marker).elements.pop()
        assert isinstance(element, (ui.textarea, ui.select))
        element.value = value
    await asyncio.sleep(0.1)


async def test_a_member_gives_edits_and_withdraws_opinions_and_the_chair_reads_them(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair_p, member_p, secretary_p = (person(conn, c) for c in ("NV002", "NV003", "NV001"))
    mid, first = world.meeting_id, world.item_ids[0]
    svc.set_status(chair_p, ACTOR, mid, "in_progress")
    svc.set_current_item(chair_p, ACTOR, mid, first)
    svc.give_opinion(secretary_p, ACTOR, mid, first, "Ý kiến riêng của thư ký")
    page = f"/meetings/tablet?id={mid}"

    member = make_account(employee_code="NV003")
    user = await sign_in_through_form(ui_user, member, page)
    await user.open(page)
    await user.should_see(marker="mtg-opinions")
    await user.should_see("Chưa có ý kiến góp ý về nội dung này.")
    await user.should_not_see("Ý kiến riêng của thư ký")
    await set_value(user, "mtg-opinion-text", "Đề nghị bổ sung số liệu quý IV")
    await set_value(user, "mtg-opinion-paper", world.public_paper_id)
    user.find(marker="mtg-opinion-send").click()
    await user.should_see("Đã ghi nhận ý kiến góp ý", retries=20)
    await user.should_see("Đề nghị bổ sung số liệu quý IV", retries=20)
    await user.should_see(f"về tài liệu: {PUBLIC_PAPER}")
    mine = svc.opinions(member_p, mid)
    assert [(o.body, o.paper_id) for o in mine] == [("Đề nghị bổ sung số liệu quý IV", world.public_paper_id)]

    user.find(marker=f"mtg-opinion-edit-{mine[0].id}").click()
    await user.should_see("Lưu ý kiến", retries=20)
    await set_value(user, "mtg-opinion-text", "Đề nghị bổ sung số liệu quý IV và cùng kỳ")
    user.find(marker="mtg-opinion-send").click()
    await user.should_see("Đề nghị bổ sung số liệu quý IV và cùng kỳ", retries=20)
    extra = svc.give_opinion(member_p, ACTOR, mid, first, "Ý kiến sẽ rút lại")
    await user.should_see("Ý kiến sẽ rút lại", retries=80)  # the box follows by itself
    user.find(marker=f"mtg-opinion-withdraw-{extra.id}").click()
    await user.should_see("Đã rút ý kiến", retries=20)
    await user.should_not_see(marker=f"mtg-opinion-{extra.id}")
    await user.should_not_see("Ý kiến riêng của thư ký")
    assert [o.body for o in svc.opinions(member_p, mid)] == ["Đề nghị bổ sung số liệu quý IV và cùng kỳ"]
    await sign_out(user)

    chair = make_account(employee_code="NV002")
    user = await sign_in_through_form(ui_user, chair, page)
    await user.open(page)
    await user.should_see("Ý kiến riêng của thư ký")
    await user.should_see("Đề nghị bổ sung số liệu quý IV và cùng kỳ")
    await user.should_not_see("Ý kiến sẽ rút lại")
    await user.should_not_see(marker=f"mtg-opinion-edit-{mine[0].id}")  # not the chair's to change
