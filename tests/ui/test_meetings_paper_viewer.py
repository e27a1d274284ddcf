"""The PDF viewer inside the tablet page, with NiceGUI's simulated user over the real database: a member opens a
3-page paper of the first item in the page (not as a download), sees "Trang 1 / 3", pages forward and back (the
buttons stop at either end), zooms in and back to the width; the image each step names is the page the hub draws
for that member (decoded with Pillow at the width asked). A restricted paper they may not read has no viewer."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from nicegui.testing.user import User
from PIL import Image

from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, make_meeting, person
from tests.hub.meetings.test_secret_papers import real_pdf
from tests.ui.conftest import Account, sign_in_through_form

TITLE = "Báo cáo chi tiết số thu tháng 11"


def image_src(user: User) -> str:
    with user:
        element = user.find(marker="mtg-viewer-image").elements.pop()
        return str(element.props["src"])


async def shows_page(user: User, page: int, of: int, width: int) -> None:
    await user.should_see(f"Trang {page} / {of}", marker="mtg-viewer-page", retries=20)
    url = urlparse(image_src(user))
    assert url.path.endswith(f"/pages/{page}") and parse_qs(url.query) == {"width": [str(width)]}


def disabled(user: User, marker: str) -> bool:
    with user:
        return "disable" in user.find(marker=marker).elements.pop().props


async def test_a_member_pages_through_a_pdf_paper_inside_the_tablet_page(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
        chair, member = person(conn, "NV002"), person(conn, "NV003")
    paper = svc.add_paper(chair, ACTOR, world.meeting_id, title=TITLE, filename="so-thu.pdf",
                          data=real_pdf("Số thu tháng 11", pages=3), item_id=world.item_ids[0])  # fmt: skip
    page = f"/meetings/tablet?id={world.meeting_id}"

    user = await sign_in_through_form(ui_user, make_account(employee_code="NV003"), page)
    await user.open(page)
    await user.should_see(TITLE)
    await user.should_not_see(marker=f"mtg-paper-view-{world.secret_paper_id}")  # not among its readers
    await user.should_not_see(marker="mtg-viewer-page")
    user.find(marker=f"mtg-paper-view-{paper.id}").click()
    await user.should_see(TITLE, marker="mtg-viewer-title", retries=20)
    await shows_page(user, 1, 3, 1000)
    assert disabled(user, "mtg-viewer-prev") and not disabled(user, "mtg-viewer-next")

    user.find(marker="mtg-viewer-next").click()
    await shows_page(user, 2, 3, 1000)
    user.find(marker="mtg-viewer-next").click()
    await shows_page(user, 3, 3, 1000)
    assert disabled(user, "mtg-viewer-next") and not disabled(user, "mtg-viewer-prev")
    user.find(marker="mtg-viewer-zoom-in").click()
    await user.should_see("150%", marker="mtg-viewer-zoom", retries=20)
    await shows_page(user, 3, 3, 1500)
    user.find(marker="mtg-viewer-fit").click()
    await user.should_see("100%", marker="mtg-viewer-zoom", retries=20)
    user.find(marker="mtg-viewer-prev").click()
    await shows_page(user, 2, 3, 1000)

    # the image the page names is what the hub draws for this member: page 2, 1000 pixels wide
    drawn = svc.paper_page(member, world.meeting_id, paper.id, 2, 1000)
    image = Image.open(io.BytesIO(drawn.png))
    assert image.format == "PNG" and image.width == 1000 and drawn.pages == 3

    user.find(marker="mtg-viewer-close").click()
    await user.should_not_see(marker="mtg-viewer-page", retries=20)


async def test_a_paper_the_hub_cannot_show_says_so_in_both_languages(
    ui_user: User, make_account: Callable[..., Account], ui_services: HubServices, tmp_path: Path
) -> None:
    svc = ui_services.meetings
    with ui_services.pool.connection() as conn:
        world = make_meeting(svc, conn, tmp_path / "files", ui_services.now())
    page = f"/meetings/tablet?id={world.meeting_id}"
    user = await sign_in_through_form(ui_user, make_account(employee_code="NV003"), page)
    await user.open(page)
    user.find(marker=f"mtg-paper-view-{world.public_paper_id}").click()  # "%PDF-" and nothing PDFium can read
    await user.should_see("hãy tải về để xem", retries=20)
    await user.should_not_see(marker="mtg-viewer-page")
