"""Meetings (issue 17 items 2-3) over the API on the real PostgreSQL: calling one in a booked room with staff and
guests (invitations in the inbox), the agenda, papers in the content store with a restricted one hidden from a
participant not listed for it, check-in by QR (a second use counts once; late marked), by the secretary, and by the
room's door (an attendance event during the meeting marks the participant, one outside it does not), and the job
releasing a booking nobody checked in to, with its notification."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from hub.files import ContentStore
from tests.hub.api.conftest import Api
from tests.hub.orgdata import add_event

PDF = b"%PDF-1.4\n% tai lieu hop\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _iso(t: datetime) -> str:
    return t.isoformat()


@pytest.fixture
def world(api: Api, admin_client: TestClient, tmp_path: Path) -> dict:
    api.services.meetings.store = ContentStore(tmp_path / "files")
    people = {
        "chair": api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"), employee="NV002"),
        "member": api.client_as("nv001", employee="NV001"),
        "other": api.client_as("nv003", employee="NV003"),
    }
    return {"admin": admin_client, **people}


def _meeting(world: dict, start: datetime, end: datetime, **extra: object) -> dict:
    chair = world["chair"]
    booking = chair.post(
        "/api/v1/meeting-rooms/phong-a/bookings",
        json={"title": "Họp giao ban", "starts_at": _iso(start), "ends_at": _iso(end)},
    )
    assert booking.status_code == 201, booking.text
    body = {"title": "Họp giao ban tháng 12", "unit_code": "CCHQNB", "chair_code": "NV002", "secretary_code": "NV003",
            "member_codes": ["NV001"], "guests": [{"name": "Ông Phạm Văn Khách", "organisation": "Sở Tài chính"}],
            "booking_id": booking.json()[0]["id"], **extra}  # fmt: skip
    made = chair.post("/api/v1/meetings", json=body)
    assert made.status_code == 201, made.text
    return made.json()


def test_a_meeting_with_its_agenda_and_a_restricted_paper_hidden_from_a_participant_not_listed(
    api: Api, world: dict, conn: psycopg.Connection
) -> None:
    now = datetime.now(UTC)
    meeting = _meeting(world, now + timedelta(days=1), now + timedelta(days=1, hours=2))
    mid = meeting["id"]
    assert meeting["room_id"] == "phong-a"
    chair, member, other = world["chair"], world["member"], world["other"]
    invited = conn.execute("SELECT count(*) FROM notifications WHERE category = 'meetings.invitation'").fetchone()
    assert invited == (3,)  # the chair's, the secretary's and the member's accounts (the guest has none)
    agenda = chair.put(f"/api/v1/meetings/{mid}/agenda", json={"items": [
        {"title": "Báo cáo kết quả tháng 11", "presenter_code": "NV001", "duration_minutes": 15},
        {"title": "Kế hoạch tháng 12", "duration_minutes": 30}]})  # fmt: skip
    assert agenda.status_code == 200, agenda.text
    item = agenda.json()[0]
    assert item["presenter_name"] == "Nguyễn Văn Đức"
    assert member.put(f"/api/v1/meetings/{mid}/agenda", json={"items": []}).status_code == 403  # a plain member
    data = base64.b64encode(PDF).decode()
    open_paper = chair.post(
        f"/api/v1/meetings/{mid}/papers",
        json={"title": "Báo cáo tháng 11", "filename": "bao-cao.pdf", "data_base64": data, "item_id": item["id"]},
    )
    secret = chair.post(f"/api/v1/meetings/{mid}/papers", json={
        "title": "Tờ trình (mật)", "filename": "to-trinh.pdf", "data_base64": data, "restricted": True,
        "reader_codes": ["NV003"]})  # fmt: skip
    assert open_paper.status_code == 201 and secret.status_code == 201, secret.text
    fake = chair.post(
        f"/api/v1/meetings/{mid}/papers",
        json={"title": "Giả", "filename": "x.pdf", "data_base64": base64.b64encode(b"MZ\x90\x00").decode()},
    )
    assert fake.status_code == 422
    # the member sees the open paper only; the restricted one is neither listed nor readable
    seen = member.get(f"/api/v1/meetings/{mid}").json()
    assert [p["title"] for p in seen["papers"]] == ["Báo cáo tháng 11"]
    assert member.get(f"/api/v1/meetings/{mid}/papers/{secret.json()['id']}").status_code == 403
    got = member.get(f"/api/v1/meetings/{mid}/papers/{open_paper.json()['id']}")
    assert got.status_code == 200 and got.content == PDF
    # its reader (the secretary NV003) and the chair read it
    for client in (other, chair):
        shown = client.get(f"/api/v1/meetings/{mid}").json()
        assert {p["title"] for p in shown["papers"]} == {"Báo cáo tháng 11", "Tờ trình (mật)"}
        # a restricted PDF is handed out stamped with its reader (test_secret_papers); this one cannot be: refused
        assert client.get(f"/api/v1/meetings/{mid}/papers/{secret.json()['id']}").status_code == 409
    # someone who is not a participant sees nothing of it
    outsider = api.client_as("nguoi-ngoai")
    assert outsider.get(f"/api/v1/meetings/{mid}").status_code == 403
    assert outsider.get(f"/api/v1/meetings/{mid}/papers/{open_paper.json()['id']}").status_code == 403
    people = chair.get(f"/api/v1/meetings/{mid}").json()["participants"]
    assert [(p["role"], p["voting"]) for p in people] == [
        ("chair", True),
        ("secretary", True),
        ("member", True),
        ("guest", False),
    ]
    # the room's display reads the chair and the title
    schedule = api.services.meetings.room_schedule("phong-a", now + timedelta(days=1, minutes=5))
    assert schedule.current is not None and schedule.current.meeting_id == mid
    assert schedule.current.chair == "Trần Thị Lan" and schedule.current.title == "Họp giao ban tháng 12"


def test_qr_check_in_twice_counts_once_and_late_arrivals_are_marked(api: Api, world: dict) -> None:
    now = datetime.now(UTC)
    meeting = _meeting(world, now - timedelta(minutes=20), now + timedelta(hours=1))
    mid = meeting["id"]
    chair, member = world["chair"], world["member"]
    assert member.get(f"/api/v1/meetings/{mid}/checkin-token").status_code == 403
    token = chair.get(f"/api/v1/meetings/{mid}/checkin-token").json()["token"]
    first = member.post("/api/v1/meetings/checkin", json={"token": token})
    assert first.status_code == 200, first.text
    again = member.post("/api/v1/meetings/checkin", json={"token": token})
    assert again.status_code == 200
    assert first.json()["present_at"] == again.json()["present_at"]
    assert first.json()["late"] is True and first.json()["checkin_method"] == "qr"  # 20 min after a 5-min grace
    assert member.post("/api/v1/meetings/checkin", json={"token": token[:-2] + "xx"}).status_code == 422
    outsider = api.client_as("nguoi-ngoai")
    assert outsider.post("/api/v1/meetings/checkin", json={"token": token}).status_code == 403
    with psycopg.connect(api.services.pool.conninfo) as conn:
        rows = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'meeting.checkin'").fetchone()
        assert rows == (1,)  # counted once
        booked = conn.execute("SELECT checked_in_at IS NOT NULL FROM meeting_bookings").fetchone()
        assert booked == (True,)
    # the secretary marks the chair
    people = chair.get(f"/api/v1/meetings/{mid}/attendance").json()
    chair_row = next(p for p in people if p["role"] == "chair")
    secretary = world["other"]
    marked = secretary.post(f"/api/v1/meetings/{mid}/attendance/{chair_row['id']}", json={"present": True})
    assert marked.status_code == 200 and marked.json()["checkin_method"] == "secretary"
    present = [p["name"] for p in chair.get(f"/api/v1/meetings/{mid}/attendance").json() if p["present_at"]]
    assert sorted(present) == ["Nguyễn Văn Đức", "Trần Thị Lan"]


def test_the_rooms_door_marks_a_participant_present_during_the_meeting_and_not_outside_it(
    api: Api, world: dict, conn: psycopg.Connection
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    meeting = _meeting(world, now - timedelta(minutes=2), now + timedelta(hours=1))
    mid = meeting["id"]
    hanoi = now.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    add_event(conn, "nv-0003", hanoi - timedelta(hours=3), device="room-a-door")  # hours before: no meeting
    add_event(conn, "nv-0001", hanoi, device="door-hq-01")  # another door
    add_event(conn, "nv-0002", hanoi - timedelta(minutes=1), device="room-a-door")  # the chair, at the room's door
    people = {p["name"]: p for p in world["chair"].get(f"/api/v1/meetings/{mid}/attendance").json()}
    assert people["Trần Thị Lan"]["checkin_method"] == "face" and people["Trần Thị Lan"]["late"] is False
    assert people["Nguyễn Văn Đức"]["present_at"] is None
    assert people["Lê Minh Đạt"]["present_at"] is None
    assert conn.execute("SELECT checked_in_at IS NOT NULL FROM meeting_bookings").fetchone() == (True,)


def test_a_booking_nobody_checked_in_to_is_released_by_the_job_with_a_notification(
    api: Api, world: dict, conn: psycopg.Connection
) -> None:
    now = datetime.now(UTC)
    chair = world["chair"]
    for title, start in (("Không ai đến", now + timedelta(hours=1)), ("Có người đến", now + timedelta(hours=3))):
        made = chair.post(
            "/api/v1/meeting-rooms/phong-a/bookings",
            json={"title": title, "starts_at": _iso(start), "ends_at": _iso(start + timedelta(hours=1))},
        )
        assert made.status_code == 201
    svc = api.services.meetings
    conn.execute("UPDATE meeting_bookings SET checked_in_at = now() WHERE title = 'Có người đến'")
    svc.now = lambda: now + timedelta(hours=1, minutes=10)  # 10 min after the first start: within 15
    assert svc.release_unattended() == 0
    svc.now = lambda: now + timedelta(hours=3, minutes=20)  # both past their 15 minutes
    assert svc.release_unattended() == 1
    rows = conn.execute("SELECT title, status FROM meeting_bookings ORDER BY starts_at").fetchall()
    assert rows == [("Không ai đến", "released"), ("Có người đến", "confirmed")]
    told = conn.execute(
        "SELECT n.category FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'lanh-dao'"
        " AND n.category = 'meetings.booking_released'"
    ).fetchall()
    assert told == [("meetings.booking_released",)]
    assert svc.release_unattended() == 0  # once
    # the slot is free again
    svc.now = api.services.now
    again = world["admin"].post("/api/v1/meeting-rooms/phong-a/bookings", json={
        "title": "Đặt lại", "starts_at": _iso(now + timedelta(hours=1, minutes=30)),
        "ends_at": _iso(now + timedelta(hours=1, minutes=50))})  # fmt: skip
    assert again.status_code == 201


def test_a_meeting_online_only_and_bad_input(api: Api, world: dict) -> None:
    now = datetime.now(UTC)
    body = {"title": "Họp trực tuyến", "unit_code": "CCHQNB", "chair_code": "NV002", "secretary_code": "NV001",
            "starts_at": _iso(now + timedelta(days=2)), "ends_at": _iso(now + timedelta(days=2, hours=1)),
            "video_url": "https://meet.example.gov.vn/phong-1"}  # fmt: skip
    made = world["chair"].post("/api/v1/meetings", json=body)
    assert made.status_code == 201 and made.json()["room_id"] is None
    assert world["member"].post("/api/v1/meetings", json=body).status_code == 403  # a plain employee calls none
    assert world["chair"].post("/api/v1/meetings", json={**body, "secretary_code": "NV002"}).status_code == 422
    assert world["chair"].post("/api/v1/meetings", json={**body, "member_codes": ["KHONG-CO"]}).status_code == 422
    listed = world["member"].get("/api/v1/meetings", params={"start": _iso(now), "end": _iso(now + timedelta(days=7))})
    assert [m["title"] for m in listed.json()] == ["Họp trực tuyến"]


def test_the_chair_moves_the_current_item_the_display_follows_and_the_minutes_are_drafted(
    api: Api, world: dict
) -> None:
    now = datetime.now(UTC)
    mid = _meeting(world, now - timedelta(minutes=10), now + timedelta(hours=1))["id"]
    chair, member = world["chair"], world["member"]
    changed: list[str] = []
    api.services.meetings.on_room_change(changed.append)
    items = chair.put(
        f"/api/v1/meetings/{mid}/agenda",
        json={
            "items": [{"title": "Báo cáo kết quả tháng 11", "presenter_code": "NV001"}, {"title": "Kế hoạch tháng 12"}]
        },
    ).json()
    token = chair.get(f"/api/v1/meetings/{mid}/checkin-token").json()["token"]
    assert member.post("/api/v1/meetings/checkin", json={"token": token}).status_code == 200
    assert member.put(f"/api/v1/meetings/{mid}/current-item", json={"item_id": items[1]["id"]}).status_code == 403
    moved = chair.put(f"/api/v1/meetings/{mid}/current-item", json={"item_id": items[1]["id"]})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert "phong-a" in changed
    shown = api.services.meetings.room_schedule("phong-a", datetime.now(UTC))
    assert shown.current is not None and shown.current.current_item == "Kế hoạch tháng 12"
    vote = chair.post(
        f"/api/v1/meetings/{mid}/votes", json={"question": "Thông qua kế hoạch", "item_id": items[1]["id"]}
    )
    assert vote.status_code == 201
    assert (
        member.post(f"/api/v1/meetings/{mid}/votes/{vote.json()['id']}/ballot", json={"choice": "for"}).status_code
        == 200
    )
    assert (
        member.post(f"/api/v1/meetings/{mid}/votes/{vote.json()['id']}/ballot", json={"choice": "for"}).status_code
        == 409
    )
    closed = chair.post(f"/api/v1/meetings/{mid}/votes/{vote.json()['id']}/close").json()
    assert closed["counts"] == {"for": 1, "against": 0, "abstain": 0}
    text = member.get(f"/api/v1/meetings/{mid}/minutes-draft").json()["text"]
    assert "BIÊN BẢN CUỘC HỌP" in text and "Chủ trì: Trần Thị Lan" in text
    assert "Nguyễn Văn Đức (đến muộn)" in text and "2. Kế hoạch tháng 12" in text
    assert 'Biểu quyết "Thông qua kế hoạch" (biểu quyết công khai): 1/3 đại biểu tham gia' in text
    task = chair.post(f"/api/v1/meetings/{mid}/tasks", json={
        "title": "Hoàn thiện kế hoạch tháng 12", "owner_code": "NV001", "deadline": "2030-01-15"})  # fmt: skip
    assert task.status_code == 201 and task.json()["status"] == "open"
    assert chair.post(f"/api/v1/meeting-tasks/{task.json()['id']}/finish", json={}).status_code == 403
    done = member.post(f"/api/v1/meeting-tasks/{task.json()['id']}/finish", json={"note": "Đã gửi"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert chair.post(f"/api/v1/meetings/{mid}/status", json={"status": "closed"}).json()["status"] == "closed"
    assert chair.put(f"/api/v1/meetings/{mid}/current-item", json={"item_id": None}).status_code == 409
