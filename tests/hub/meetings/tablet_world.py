"""A meeting running now for the tablet tests (service, simulated UI, real Chromium): in a booked room of CCHQNB,
chaired by NV002 (Trần Thị Lan) with NV001 (Nguyễn Văn Đức) as secretary and NV003 (Lê Minh Đạt) as a member; three
agenda items; a PDF for everyone on the first item and a restricted one (no readers named: the chair and the
secretary only) on the second. Made through the real service on the real PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.files import ContentStore
from hub.meetings.models import BookingInput, ItemInput, MeetingInput, RoomInput
from hub.meetings.service import MeetingsService

SETUP = Principal.tool("test-setup", "Test setup")
ACTOR = Actor("test-setup")
PDF = b"%PDF-1.4\n% tai lieu hop\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEMS = ("Báo cáo kết quả công tác tháng 11", "Dự thảo kế hoạch kiểm tra sau thông quan", "Các việc khác")
PUBLIC_PAPER = "Báo cáo tháng 11"
SECRET_PAPER = "Danh sách doanh nghiệp trọng điểm"


@dataclass(frozen=True)
class TabletWorld:
    meeting_id: int
    item_ids: tuple[int, ...]
    public_paper_id: int
    secret_paper_id: int


def person(conn: psycopg.Connection, code: str) -> Principal:
    """A principal of an employee with no grants (what any signed-in participant has)."""
    row = conn.execute(
        "SELECT e.id, u.path FROM employees e JOIN org_units u ON u.id = e.unit_id WHERE e.employee_code = %s", (code,)
    ).fetchone()
    return Principal(0, code.lower(), code, row[0], row[1], ())


def make_meeting(svc: MeetingsService, conn: psycopg.Connection, files_dir: Path, now: datetime) -> TabletWorld:
    svc.store = ContentStore(files_dir)
    svc.save_room(SETUP, ACTOR, "phong-hop-2", RoomInput("Trụ sở Nội Bài", "CCHQNB", "Phòng họp tầng 2", 30))
    booking = svc.book(SETUP, ACTOR, BookingInput("phong-hop-2", "Giao ban", now - timedelta(minutes=5),
                                                  now + timedelta(hours=2)))[0]  # fmt: skip
    meeting = svc.create_meeting(SETUP, ACTOR, MeetingInput(
        "Họp giao ban tháng 12", "CCHQNB", "NV002", "NV001", ("NV003",), booking_id=booking.id))  # fmt: skip
    chair = person(conn, "NV002")
    items = svc.set_agenda(chair, ACTOR, meeting.id, [ItemInput(t, duration_minutes=20) for t in ITEMS])
    public = svc.add_paper(chair, ACTOR, meeting.id, title=PUBLIC_PAPER, filename="bao-cao-t11.pdf", data=PDF,
                           item_id=items[0].id)  # fmt: skip
    secret = svc.add_paper(chair, ACTOR, meeting.id, title=SECRET_PAPER, filename="danh-sach.pdf", data=PDF,
                           item_id=items[1].id, restricted=True)  # fmt: skip
    return TabletWorld(meeting.id, tuple(i.id for i in items), public.id, secret.id)


def participant_id(svc: MeetingsService, meeting_id: int, code: str) -> int:
    return next(p.id for p in svc.attendance(SETUP, meeting_id) if p.employee_code == code)
