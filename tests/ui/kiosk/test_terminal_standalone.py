"""The device's own greeting screen (`cces terminal`) on a real agent screen feed, simulated user.

The feed is the agent's real `ScreenFeed` + `ScreenServer`, fed by the door's real pipeline
(yunet-sface, the enrolled gallery with display names) looking at real photos; no hub anywhere.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from nicegui import ui

from edge_agent.screen import ScreenFeed, ScreenServer
from edge_agent.settings import ScreenSettings
from tests.services import free_port
from tests.ui.kiosk.conftest import is_jpeg, walk_past

pytestmark = pytest.mark.timeout(120)


async def test_the_device_greets_by_gallery_name_with_no_hub(
    agent_screen: ScreenServer, door_pipeline, testdata_dir: Path, standalone_user
) -> None:
    walk_past(agent_screen.feed, door_pipeline, testdata_dir / "faces" / "probe" / "obama1.jpg")
    async with standalone_user(agent_screen.url) as user:
        await user.open("/")
        await user.should_see("Barack Obama")  # the name from the device's gallery
        await user.should_see("Đã chấm công vào")
        await user.should_see("Xin chào")
        await user.should_see("Mất kết nối máy chủ — vẫn chấm công bình thường")
        await user.should_see("door-sim-01")
        await user.should_see("Vừa chấm công")

        with user:
            image = next(iter(user.find(marker="kiosk-preview").elements))
            source = image.source
        assert isinstance(image, ui.interactive_image) and source.startswith("/kiosk/agent/frame.jpg?n=")
        response = await user.http_client.get(source)  # the page relays the agent's preview
        assert response.status_code == 200 and is_jpeg(response.content)

        user.find("English").click()
        await user.should_see("Checked in")
        await user.should_see("Hub offline — attendance is still recorded")
        await user.should_see("Barack Obama")
        await user.should_not_see("Đã chấm công vào")


async def test_an_unknown_face_is_asked_to_see_the_admin(
    agent_screen: ScreenServer, door_pipeline, testdata_dir: Path, standalone_user
) -> None:
    walk_past(agent_screen.feed, door_pipeline, testdata_dir / "faces" / "unknown" / "paul_rudd.jpg")
    async with standalone_user(agent_screen.url) as user:
        await user.open("/?lang=vi")
        await user.should_see("Không nhận diện được, vui lòng liên hệ quản trị")
        await user.should_not_see("Đã chấm công vào")
        user.find("English").click()
        await user.should_see("Not recognised, please see the admin")


async def test_a_greeting_appears_live_and_goes_after_a_few_seconds(
    door_pipeline, testdata_dir: Path, standalone_user
) -> None:
    feed = ScreenFeed(ScreenSettings(greeting_s=3.0), device_id="door-sim-02", direction="out")
    server = ScreenServer(feed, "127.0.0.1", free_port())
    server.start()
    try:
        async with standalone_user(server.url) as user:
            await user.open("/")
            await user.should_see("Xin mời nhìn vào camera")
            await asyncio.to_thread(walk_past, feed, door_pipeline, testdata_dir / "faces" / "probe" / "obama1.jpg")
            await user.should_see("Đã chấm công ra", retries=20)  # the door's direction, without a reload
            await user.should_see("Barack Obama")
            await asyncio.sleep(3.0)
            await user.should_see("Xin mời nhìn vào camera", retries=20)
            await user.should_not_see("Đã chấm công ra")
            await user.should_see("Barack Obama")  # still in the recent check-ins strip
    finally:
        server.stop()


async def test_before_any_frame_and_without_the_agent(standalone_user) -> None:
    server = ScreenServer(ScreenFeed(ScreenSettings(), device_id="door-sim-03"), "127.0.0.1", free_port())
    server.start()
    try:
        async with standalone_user(server.url) as user:
            await user.open("/")
            await user.should_see("Xin mời nhìn vào camera")
            await user.should_see("Chưa có hình ảnh camera")
    finally:
        server.stop()
    async with standalone_user(f"http://127.0.0.1:{free_port()}") as user:  # nothing listens there
        await user.open("/")
        await user.should_see("Không kết nối được thiết bị nhận diện")
        response = await user.http_client.get("/kiosk/agent/frame.jpg?n=1")
        assert response.status_code == 503


async def test_the_hubs_alert_shows_as_a_banner_until_it_expires(standalone_user) -> None:
    """The show_alert command's notice (a door portal's alert) on the door's screen: Vietnamese, then English,
    gone when its time is up."""
    feed = ScreenFeed(ScreenSettings(), device_id="door-sim-04")
    server = ScreenServer(feed, "127.0.0.1", free_port())
    server.start()
    try:
        async with standalone_user(server.url) as user:
            await user.open("/")
            await user.should_see("Xin mời nhìn vào camera")
            await user.should_not_see("CẢNH BÁO")
            feed.show_notice("CẢNH BÁO: tài sản TS-1 ra cổng", "ALERT: asset TS-1 leaving",
                             "Máy tính TS-1 — Cổng nhà A", "Computer TS-1 — Gate A", 3.0)  # fmt: skip
            await user.should_see("CẢNH BÁO: tài sản TS-1 ra cổng", retries=20)  # without a reload
            await user.should_see("Máy tính TS-1 — Cổng nhà A")
            user.find("English").click()
            await user.should_see("ALERT: asset TS-1 leaving")
            await asyncio.sleep(3.0)
            await user.should_not_see("ALERT: asset TS-1 leaving", retries=20)
    finally:
        server.stop()
