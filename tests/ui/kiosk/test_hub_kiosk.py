"""The hub-served kiosk screens (no sign-in, only with the screen's link) on real HubServices and
PostgreSQL, simulated user.

Events reach the database through ingest's own code path (classify → rows → store_batch), as
they would from a door. The door screen must show that door's last greetings, update without a
reload, and show nothing else: no other door's check-ins, nothing older than the day, no staff list.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from nicegui.testing.user import User

from hub.accounts.audit import Actor
from hub.kiosk.models import KioskKind
from hub.services import HubServices
from protocol.envelope import AttendanceFaceData, AttendanceFaceEvent, FaceUnknownData, FaceUnknownEvent
from protocol.topics import Topics
from tests.ui.conftest import SETUP_ADMIN, open_refused

pytestmark = pytest.mark.timeout(120)
DOOR = "door-hq-01"


def register_door(database_url: str, device_id: str, direction: str | None) -> None:
    from hub.devices.repository import register_device, update_device
    from hub.passwords import hash_secret

    with psycopg.connect(database_url, autocommit=True) as conn:
        register_device(conn, device_id, device_id, hash_secret("not-used-here"), kind="faceid", site="Nội Bài")
        update_device(conn, device_id, {"direction": direction})


def store(database_url: str, files: Path, *events: AttendanceFaceEvent | FaceUnknownEvent) -> None:
    """Store events exactly as the ingest worker does with a batch from the broker."""
    from hub.ingest.classify import classify
    from hub.ingest.repository import ensure_partitions, store_batch
    from hub.ingest.rows import build_rows
    from tests.hubstack import snapshot_store

    now = datetime.now(UTC)
    items = [
        classify(Topics(e.device_id).events, e.model_dump_json().encode(), None, now, timedelta(minutes=5))
        for e in events
    ]
    rows, _ = build_rows(items, snapshot_store(files))
    assert not rows.rejects, rows.rejects
    with psycopg.connect(database_url) as conn:
        ensure_partitions(conn, now - timedelta(days=2), now + timedelta(days=2))
        store_batch(conn, "kiosk-test", rows)


_seq = iter(range(1, 10_000))


def screen_link(services: HubServices, kind: KioskKind, target: str) -> str:
    """The screen's address with its key, as an admin makes it on the kiosk links page."""
    return services.kiosk.make_link(SETUP_ADMIN, kind, target, None, Actor("test-setup")).path_with_key


def checkin(person_id: str, ago_s: float, device: str = DOOR, direction: str | None = "in") -> AttendanceFaceEvent:
    data = AttendanceFaceData(person_id=person_id, score=0.7, liveness=0.9, model="yunet-sface", direction=direction)
    ts = datetime.now(UTC) - timedelta(seconds=ago_s)
    return AttendanceFaceEvent(id=uuid.uuid4(), device_id=device, ts=ts, seq=next(_seq), data=data)


def unknown(ago_s: float, device: str = DOOR) -> FaceUnknownEvent:
    data = FaceUnknownData(score=0.1, liveness=None, model="yunet-sface", direction="in")
    ts = datetime.now(UTC) - timedelta(seconds=ago_s)
    return FaceUnknownEvent(id=uuid.uuid4(), device_id=device, ts=ts, seq=next(_seq), data=data)


async def test_the_door_screen_shows_that_doors_greetings_live_and_nothing_else(
    ui_user: User, ui_services: HubServices, ui_database_url: str, tmp_path: Path
) -> None:
    register_door(ui_database_url, DOOR, "in")
    register_door(ui_database_url, "door-hcm-01", "in")
    store(
        ui_database_url,
        tmp_path,
        checkin("nv-0002", ago_s=13 * 3600),  # yesterday evening: not on today's screen
        checkin("nv-0003", ago_s=2, device="door-hcm-01"),  # another door
        checkin("nv-0001", ago_s=4),
    )
    await ui_user.open(screen_link(ui_services, KioskKind.TERMINAL, DOOR))  # no sign-in asked
    await ui_user.should_see("Nguyễn Văn Đức")
    await ui_user.should_see("Đã chấm công vào")
    await ui_user.should_see("Thiết bị mất kết nối")  # the door has not connected to this hub
    await ui_user.should_not_see("Lê Minh Đạt")  # checked in at another door
    await ui_user.should_not_see("Trần Thị Lan")  # too long ago for the door's screen
    await ui_user.should_not_see("Đăng nhập")
    await ui_user.should_not_see(marker="kiosk-preview")  # frames never leave the device

    store(ui_database_url, tmp_path, checkin("nv-0002", ago_s=0.5))
    await ui_user.should_see("Trần Thị Lan", retries=30)  # without a reload
    await ui_user.should_see("Nguyễn Văn Đức")  # now in the recent strip

    store(ui_database_url, tmp_path, unknown(ago_s=0.2))
    await ui_user.should_see("Không nhận diện được, vui lòng liên hệ quản trị", retries=30)

    found = ui_services.kiosk.door_screen(DOOR)
    assert found is not None
    _, greetings = found
    assert [(g.kind, g.full_name) for g in greetings] == [
        ("unknown", None),
        ("recognised", "Trần Thị Lan"),
        ("recognised", "Nguyễn Văn Đức"),
    ]


async def test_without_a_valid_link_the_door_screen_shows_nothing_of_the_door(
    ui_user: User, ui_services: HubServices, ui_database_url: str, tmp_path: Path
) -> None:
    register_door(ui_database_url, DOOR, "in")
    register_door(ui_database_url, "door-hcm-01", "in")
    store(ui_database_url, tmp_path, checkin("nv-0001", ago_s=4))
    other_door = screen_link(ui_services, KioskKind.TERMINAL, "door-hcm-01")
    for path in (
        f"/kiosk/terminal/{DOOR}",  # no key
        f"/kiosk/terminal/{DOOR}?key=doan-bua-khong-dung",  # a made-up one
        f"/kiosk/terminal/{DOOR}?{other_door.split('?')[1]}",  # another door's
        "/kiosk/terminal/door-nowhere-99",
        "/kiosk/terminal/NOT%20A%20DEVICE?lang=en",
    ):
        await open_refused(ui_user, path, marker="kiosk-refused")
        await ui_user.should_not_see("Nguyễn Văn Đức")
        await ui_user.should_not_see(marker="kiosk-recent")
    await ui_user.should_see("This screen has no valid link")


async def test_revoking_the_link_blanks_an_open_door_screen(
    ui_user: User, ui_services: HubServices, ui_database_url: str, tmp_path: Path
) -> None:
    register_door(ui_database_url, DOOR, "in")
    store(ui_database_url, tmp_path, checkin("nv-0001", ago_s=2))
    made = ui_services.kiosk.make_link(SETUP_ADMIN, KioskKind.TERMINAL, DOOR, "Sảnh", Actor("test-setup"))
    await ui_user.open(made.path_with_key)
    await ui_user.should_see("Nguyễn Văn Đức")
    ui_services.kiosk.revoke_link(SETUP_ADMIN, made.link.id, Actor("test-setup"))
    await ui_user.should_see("Màn hình này chưa có liên kết hợp lệ", retries=60)  # at the next re-read
    await ui_user.should_not_see("Nguyễn Văn Đức")


async def test_the_room_display_shows_the_rooms_state(ui_user: User, ui_services: HubServices) -> None:
    """The same state the hub publishes to the room's displays (services.displays, from the meetings service)."""
    from hub.meetings.models import BookingInput, RoomInput

    meetings = ui_services.meetings
    room = RoomInput(office="Trụ sở Nội Bài", unit_code="CCHQNB", name="Phòng họp tầng 3", capacity=12)
    meetings.save_room(SETUP_ADMIN, Actor("test-setup"), "phong-hop-3", room)
    now = datetime.now(UTC).replace(microsecond=0)
    for title, start, end in (
        ("Giao ban tuần", now - timedelta(minutes=10), now + timedelta(minutes=50)),
        ("Họp hội đồng", now + timedelta(hours=2), now + timedelta(hours=3)),
    ):
        meetings.book(SETUP_ADMIN, Actor("test-setup"), BookingInput("phong-hop-3", title, start, end))
    await ui_user.open(screen_link(ui_services, KioskKind.ROOM, "phong-hop-3"))
    await ui_user.should_see("Phòng họp tầng 3")
    await ui_user.should_see("Đang họp")
    await ui_user.should_see("Giao ban tuần")
    await ui_user.should_see("Cuộc họp tiếp theo", retries=5)
    await ui_user.should_see(marker="kiosk-next")
    assert "Họp hội đồng" in next(iter(ui_user.find(marker="kiosk-next").elements)).text
    ui_user.find("English").click()
    await ui_user.should_see("In a meeting")

    await ui_user.open(screen_link(ui_services, KioskKind.ROOM, "phong-hop-9"))  # a room the meetings module lacks
    await ui_user.should_see("Không tìm thấy phòng họp")
    await open_refused(ui_user, "/kiosk/room/phong-hop-4", marker="kiosk-refused")  # no link
    await open_refused(ui_user, "/kiosk/room/Phòng 3", marker="kiosk-refused")


async def test_a_check_in_reaches_the_door_screen_through_the_live_feed(ui_database_url: str, tmp_path: Path) -> None:
    """With the hub's live feed the screen re-reads the door when a check-in there is committed,
    not on a timer: here the timer is a minute, and the greeting still comes within seconds."""
    from hub.db import open_pool
    from hub.live.feed import LiveFeed
    from tests.ui.kiosk.conftest import simulated_app
    from ui.kiosk.terminal import register_hub

    register_door(ui_database_url, DOOR, "out")
    live = LiveFeed(ui_database_url)
    live.start()
    pool = open_pool(ui_database_url, 2)
    try:
        assert live.wait_connected(20), "the live feed did not connect"
        services = HubServices(pool, None, live=live)
        async with simulated_app(lambda: register_hub(services, reread_s=60.0)) as user:
            await user.open(screen_link(services, KioskKind.TERMINAL, DOOR))
            await user.should_see("Xin mời nhìn vào camera")
            assert live.subscriber_count == 1
            store(ui_database_url, tmp_path, checkin("nv-0003", ago_s=0.3, direction="out"))
            await user.should_see("Lê Minh Đạt", retries=50)
            await user.should_see("Đã chấm công ra")
    finally:
        pool.close()
        live.stop()
