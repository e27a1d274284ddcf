"""The paperless meeting's tablet page in a real Chromium at tablet size (800 × 1280 portrait, then 1280 × 800
landscape) against a running `cces hub`: a delegate signs in, sees the item under discussion change when the chair
moves on (the chair acting through the meetings service from elsewhere, as their own tablet would), asks to speak
and sees their place, votes once in a secret vote (a second ballot, sent with the same session, is refused), and
cannot open the restricted paper (not listed, and its address answers 403)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import psycopg
import pytest

from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.files import ContentStore
from hub.meetings.service import MeetingsService
from tests.hub.meetings.tablet_world import (
    ACTOR,
    ITEMS,
    PDF,
    PUBLIC_PAPER,
    SECRET_PAPER,
    TabletWorld,
    make_meeting,
    participant_id,
    person,
)
from tests.hub.orgdata import seed_org
from tests.hubprocess import HubProcess
from tests.ui.browser.conftest import browser_test_hub
from tests.ui.browser.waits import page_text, retry_stale, retype, wait_for_text, wait_until

pytestmark = pytest.mark.timeout(300)
PASSWORD = "mật-khẩu-đại-biểu-2026"
QUESTION = "Thông qua kế hoạch kiểm tra sau thông quan"


@dataclass
class Room:
    hub: HubProcess
    svc: MeetingsService
    chair: Principal
    world: TabletWorld


@pytest.fixture
def meeting_room(database_url: str, tmp_path) -> Iterator[Room]:  # noqa: ANN001
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, max_size=2, name="cces-browser-tablet")
    try:
        from hub.services import HubServices

        accounts = HubServices(pool, None).accounts
        accounts.create_user(Principal.tool("test", "Test"), username="dai-bieu", password=PASSWORD,
                             employee_code="NV003")  # fmt: skip
        svc = MeetingsService(pool, lambda: datetime.now(UTC))
        with pool.connection() as conn:
            world = make_meeting(svc, conn, tmp_path / "files", datetime.now(UTC))
            chair = person(conn, "NV002")
        svc.set_status(chair, ACTOR, world.meeting_id, "in_progress")
        svc.set_current_item(chair, ACTOR, world.meeting_id, world.item_ids[0])
        svc.mark_attendance(chair, ACTOR, world.meeting_id, participant_id(svc, world.meeting_id, "NV003"))
        with browser_test_hub(database_url) as hub:
            ContentStore(hub.data_dir / "files").put(PDF)  # the papers' bytes where the hub keeps files
            yield Room(hub, svc, chair, world)
    finally:
        pool.close()


def marked(browser, name: str) -> str:  # noqa: ANN001
    """The text of the element marked `name` on the page."""
    return retry_stale(lambda: browser.find_element("css selector", f'[data-mark="{name}"]').text)


def click(browser, xpath: str) -> None:  # noqa: ANN001
    retry_stale(lambda: browser.find_element("xpath", xpath).click())


def open_tablet_as_delegate(browser, hub: HubProcess, meeting_id: int) -> None:  # noqa: ANN001
    """Sign in as the delegate on a tablet-sized window and land on the meeting's tablet page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    page = f"/meetings/tablet?id={meeting_id}"
    browser.set_window_size(800, 1280)
    browser.get(f"{hub.base_url}/sign-in?next={quote(page, safe='/')}")
    wait_until(browser, ec.element_to_be_clickable((By.CSS_SELECTOR, "input[name=username]")))

    def fill_in_and_send() -> None:
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=username]"), "dai-bieu")
        retype(browser.find_element(By.CSS_SELECTOR, "input[name=password]"), PASSWORD)
        browser.find_element(By.XPATH, "//button[contains(., 'Đăng nhập')]").click()

    retry_stale(fill_in_and_send)
    wait_until(browser, ec.url_contains(f"id={meeting_id}"))


def status_of(browser, url: str, body: dict | None = None) -> int:  # noqa: ANN001
    """What the hub answers this browser (its session cookie) for a GET, or a POST of `body`."""
    return browser.execute_async_script(
        """
        const [url, body, done] = arguments;
        const init = body === null ? {credentials: "same-origin"} : {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
        fetch(url, init).then(r => done(r.status), () => done(-1));
        """,
        url,
        body,
    )


def test_a_delegate_follows_asks_to_speak_votes_once_and_is_kept_from_a_restricted_paper(
    browser,  # noqa: ANN001
    meeting_room: Room,
) -> None:
    from selenium.webdriver.common.by import By

    hub, svc, chair, world = meeting_room.hub, meeting_room.svc, meeting_room.chair, meeting_room.world
    mid = world.meeting_id
    open_tablet_as_delegate(browser, hub, mid)
    wait_until(browser, lambda b: marked(b, "mtg-current") == f"1. {ITEMS[0]}")
    wait_for_text(browser, "Đã điểm danh lúc")
    wait_for_text(browser, PUBLIC_PAPER)
    assert SECRET_PAPER not in page_text(browser)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 800  # no sideways scroll

    # the chair moves on: the delegate's page follows by itself
    svc.set_current_item(chair, ACTOR, mid, world.item_ids[1])
    wait_until(browser, lambda b: marked(b, "mtg-current") == f"2. {ITEMS[1]}")

    # asks to speak: their place in the queue; then the chair gives them the floor
    click(browser, "//button[contains(., 'Xin phát biểu')]")
    wait_until(browser, lambda b: marked(b, "mtg-my-place") == "Bạn đang ở vị trí thứ 1 trong danh sách chờ phát biểu")
    svc.give_floor(chair, ACTOR, mid, svc.speakers(chair, mid)[0]["id"])
    wait_until(browser, lambda b: marked(b, "mtg-my-place") == "Bạn đang phát biểu")

    # a secret vote: one ballot; the buttons go; a second ballot with the same session is refused (409)
    vote = svc.open_vote(chair, ACTOR, mid, QUESTION, secret=True, item_id=world.item_ids[1])
    browser.set_window_size(1280, 800)
    wait_until(browser, lambda b: marked(b, "mtg-vote-question") == QUESTION)
    wait_for_text(browser, "Bỏ phiếu kín — không ai biết bạn chọn phương án nào.")
    click(browser, "//button[contains(., 'Tán thành') and not(contains(., 'Không'))]")
    wait_for_text(browser, "Bạn đã biểu quyết. Mỗi người chỉ một phiếu.")
    assert browser.find_elements(By.CSS_SELECTOR, '[data-mark="mtg-choice-for"]') == []
    ballot = f"/api/v1/meetings/{mid}/votes/{vote.id}/ballot"
    assert status_of(browser, ballot, {"choice": "against"}) == 409
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1280
    closed = svc.close_vote(chair, ACTOR, mid, vote.id)
    assert closed.voted == 1 and closed.counts == {"for": 1, "against": 0, "abstain": 0}
    wait_until(browser, lambda b: "Tán thành: 1" in marked(b, "mtg-results"))

    # the papers: the delegate's opens; the restricted one's address answers 403
    assert status_of(browser, f"/api/v1/meetings/{mid}/papers/{world.public_paper_id}") == 200
    assert status_of(browser, f"/api/v1/meetings/{mid}/papers/{world.secret_paper_id}") == 403
    browser.get(f"{hub.base_url}/api/v1/meetings/{mid}/papers/{world.secret_paper_id}")
    assert "tài liệu mật" in page_text(browser)


def test_a_delegate_pages_through_a_pdf_paper_inside_the_tablet_page(
    browser,  # noqa: ANN001
    meeting_room: Room,
) -> None:
    """The PDF viewer at tablet size: the paper opens over the page (no new tab), its first page drawn by the hub
    1000 pixels wide and shown fitted to the 800-pixel screen, page 2 after "next", "page x of n" in step."""

    from tests.hub.meetings.test_secret_papers import real_pdf

    hub, svc, chair, world = meeting_room.hub, meeting_room.svc, meeting_room.chair, meeting_room.world
    data = real_pdf("Báo cáo số thu tháng 11", pages=3)
    paper = svc.add_paper(chair, ACTOR, world.meeting_id, title="Báo cáo số thu", filename="so-thu.pdf", data=data,
                          item_id=world.item_ids[0])  # fmt: skip
    ContentStore(hub.data_dir / "files").put(data)
    open_tablet_as_delegate(browser, hub, world.meeting_id)
    tabs = len(browser.window_handles)
    click(browser, f'//*[@data-mark="mtg-paper-view-{paper.id}"]')
    wait_until(browser, lambda b: marked(b, "mtg-viewer-page") == "Trang 1 / 3")

    def drawn(b) -> dict | None:  # noqa: ANN001
        # drawn and settled: the dialog opens with a zoom transition (a CSS transform), during which the on-screen
        # box is scaled down (a run measured 336 px) and the image lies over the buttons; once the box equals the
        # layout width (offsetWidth) the dialog is fully open
        return b.execute_script(
            """const img = document.querySelector('[data-mark="mtg-viewer-image"]');
            if (!(img && img.complete && img.naturalWidth && img.offsetWidth)) return null;
            const shown = img.getBoundingClientRect().width;
            return Math.abs(shown - img.offsetWidth) < 1 ? {src: img.getAttribute('src'),
                natural: img.naturalWidth, shown: shown} : null;"""
        )

    first = wait_until(browser, drawn)
    assert first["src"].endswith("/pages/1?width=1000") and first["natural"] == 1000
    assert 600 <= first["shown"] <= 800  # fitted to the tablet's width
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 800
    assert len(browser.window_handles) == tabs  # in the page, not a new tab or a download
    click(browser, '//*[@data-mark="mtg-viewer-next"]')
    wait_until(browser, lambda b: marked(b, "mtg-viewer-page") == "Trang 2 / 3")
    wait_until(browser, lambda b: (d := drawn(b)) is not None and d["src"].endswith("/pages/2?width=1000"))
