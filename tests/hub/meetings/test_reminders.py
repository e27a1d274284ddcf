"""Reminders before a meeting (issue 17 item 2) on the real PostgreSQL: the job's work reminds the participants with
an account through the notification inbox once the meeting starts within the hour, once only, and never a meeting
already started, closed or further off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.meetings.models import BookingInput, MeetingInput, RoomInput
from hub.meetings.service import MeetingsService
from hub.services import HubServices
from tests.hub.meetings.tablet_world import ACTOR, SETUP


def test_participants_are_reminded_once_within_the_hour(database_url: str, org: psycopg.Connection) -> None:
    pool = open_pool(database_url, max_size=2, name="cces-reminders-test")
    try:
        tool = Principal.tool("test", "Test")
        for username, code in (("lanh-dao", "NV002"), ("dai-bieu", "NV003")):
            HubServices(pool, None).accounts.create_user(tool, username=username, password="mật-khẩu-nhắc-họp-2026",
                                                employee_code=code)  # fmt: skip
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
        clock = [start - timedelta(minutes=90)]
        svc = MeetingsService(pool, lambda: clock[0])
        svc.save_room(SETUP, ACTOR, "phong-nhac", RoomInput("Trụ sở", "CCHQNB", "Phòng họp nhỏ", 10))
        booking = svc.book(SETUP, ACTOR, BookingInput("phong-nhac", "Giao ban", start, start + timedelta(hours=1)))
        meeting = svc.create_meeting(SETUP, ACTOR, MeetingInput(
            "Họp giao ban tuần", "CCHQNB", "NV002", "NV001", ("NV003",), booking_id=booking[0].id))  # fmt: skip
        far = svc.create_meeting(SETUP, ACTOR, MeetingInput(
            "Họp trực tuyến tuần sau", "CCHQNB", "NV002", "NV001", ("NV003",), starts_at=start + timedelta(days=7),
            ends_at=start + timedelta(days=7, hours=1), video_url="https://hop.example.vn/tuan-sau"))  # fmt: skip

        def reminders() -> list[tuple[str, str]]:
            return org.execute(
                "SELECT u.username, n.link FROM notifications n JOIN users u ON u.id = n.user_id"
                " WHERE n.category = 'meetings.reminder' ORDER BY u.username"
            ).fetchall()

        assert svc.remind_upcoming() == 0 and reminders() == []  # 90 minutes before: not yet
        clock[0] = start - timedelta(minutes=50)
        assert svc.remind_upcoming() == 1
        link = f"/meetings/tablet?id={meeting.id}"
        assert reminders() == [("dai-bieu", link), ("lanh-dao", link)]  # NV001 has no account: nobody to tell
        clock[0] = start - timedelta(minutes=10)
        assert svc.remind_upcoming() == 0 and len(reminders()) == 2  # once
        assert far.id != meeting.id
    finally:
        pool.close()
