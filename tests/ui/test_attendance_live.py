"""The live feed page: a check-in committed to PostgreSQL appears without a reload, only for those
who may see the person's unit, and the page's subscriptions end with the page."""

from __future__ import annotations

import asyncio

from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.live.feed import LiveFeed
from hub.live.models import CheckIn
from tests.ui.attendance_data import now_utc, publish_checkin
from tests.ui.conftest import open_refused, table_rows


async def _rows_when(user: User, predicate, timeout: float = 10.0) -> list[dict]:  # noqa: ANN001
    """The feed's rows once `predicate(rows)` holds (the page's timer drains the feed twice a second)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        rows = await table_rows(user, "live-feed")
        if predicate(rows) or asyncio.get_running_loop().time() > deadline:
            return rows
        await asyncio.sleep(0.1)


async def test_a_check_in_appears_live(sign_in, live_feed: LiveFeed, ui_database_url: str) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/attendance/live")
    await user.should_see(marker="live-empty")
    assert await table_rows(user, "live-feed") == []
    publish_checkin(ui_database_url, "nv-0001", now_utc(), device_id="door-hq-01")
    rows = await _rows_when(user, lambda rows: len(rows) == 1)
    assert [(r["code"], r["name"], r["unit"]) for r in rows] == [
        ("NV001", "Nguyễn Văn Đức", "Đội Thủ tục hàng hóa xuất nhập khẩu")
    ]
    assert rows[0]["direction"] == "Vào"
    publish_checkin(ui_database_url, "nv-0003", now_utc())
    rows = await _rows_when(user, lambda rows: len(rows) == 2)
    assert [r["code"] for r in rows] == ["NV003", "NV001"]  # newest first


async def test_a_manager_sees_only_check_ins_of_their_units(sign_in, live_feed: LiveFeed, ui_database_url: str) -> None:
    user = await sign_in((Role.MANAGER, "CHQHCM"))
    await user.open("/attendance/live")
    publish_checkin(ui_database_url, "nv-0001", now_utc())  # DOI1, under CHQHN: not theirs
    publish_checkin(ui_database_url, "nv-0003", now_utc())  # CHQHCM: theirs
    rows = await _rows_when(user, lambda rows: len(rows) >= 1)
    await asyncio.sleep(1.0)  # time for anything else to (wrongly) arrive
    rows = await table_rows(user, "live-feed")
    assert [r["code"] for r in rows] == ["NV003"]


async def test_the_subscription_ends_with_the_page(sign_in, live_feed: LiveFeed) -> None:
    user = await sign_in((Role.MANAGER, "CCHQNB"), (Role.HR, "CHQHCM"))
    before = live_feed.subscriber_count
    await user.open("/attendance/live")
    assert live_feed.subscriber_count == before + 2  # one per subtree in scope
    user.client.delete()  # what NiceGUI does when the browser has gone for good
    assert live_feed.subscriber_count == before


async def test_employees_do_not_open_the_live_feed(sign_in, live_feed: LiveFeed) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    await open_refused(user, "/attendance/live")
    assert live_feed.subscribers_of(CheckIn) == 0  # (the header's bell has its own, for notifications)


async def test_without_a_live_feed_the_page_says_so(sign_in) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/attendance/live")
    await user.should_see("Luồng chấm công trực tiếp chưa sẵn sàng")


async def test_the_page_opens_with_todays_latest_check_ins_of_the_units_in_scope(
    sign_in, live_feed: LiveFeed, ui_database_url: str
) -> None:
    """A manager arriving at 09:00 sees who already checked in, not an empty table."""
    publish_checkin(ui_database_url, "nv-0001", now_utc())  # DOI1, under CHQHN: not theirs
    publish_checkin(ui_database_url, "nv-0003", now_utc())  # CHQHCM: theirs
    user = await sign_in((Role.MANAGER, "CHQHCM"))
    await user.open("/attendance/live")
    rows = await _rows_when(user, lambda rows: len(rows) >= 1)
    assert [r["code"] for r in rows] == ["NV003"]


async def test_an_admin_opens_the_page_with_everyones_latest_check_ins(
    sign_in, live_feed: LiveFeed, ui_database_url: str
) -> None:
    publish_checkin(ui_database_url, "nv-0001", now_utc())
    publish_checkin(ui_database_url, "nv-0003", now_utc())
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    await user.open("/attendance/live")
    rows = await _rows_when(user, lambda rows: len(rows) >= 2)
    assert [r["code"] for r in rows] == ["NV003", "NV001"]  # newest first
