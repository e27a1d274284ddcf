"""Rooms and bookings (issue 17 item 1) over the API on the real PostgreSQL: conflicts refused with 409 in
Vietnamese and English (also when two requests race: the exclusion constraint), recurring bookings all or none,
rooms needing approval, cancelling, and what a room's display reads (room_schedule)."""

from __future__ import annotations

import threading
from datetime import timedelta

import psycopg
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from tests.hub.api.conftest import Api
from tests.hub.meetings.conftest import at, room_body


def _book(client: TestClient, title: str, start, end, room: str = "phong-a", **extra: object):
    return client.post(
        f"/api/v1/meeting-rooms/{room}/bookings",
        json={"title": title, "starts_at": start.isoformat(), "ends_at": end.isoformat(), **extra},
    )


def test_a_room_is_booked_and_an_overlapping_booking_is_refused_with_409(api: Api, admin_client: TestClient) -> None:
    staff = api.client_as("nv001", employee="NV001")
    rooms = staff.get("/api/v1/meeting-rooms").json()
    assert [(r["room_id"], r["office"], r["capacity"]) for r in rooms] == [("phong-a", "Trụ sở Nội Bài", 20)]
    first = _book(staff, "Giao ban tuần", at(2, 2), at(2, 3))
    assert first.status_code == 201, first.text
    assert first.json()[0]["status"] == "confirmed" and first.json()[0]["booked_by"] == "nv001"
    clash = _book(admin_client, "Họp chi bộ", at(2, 2, 30), at(2, 4))
    assert clash.status_code == 409
    detail = clash.json()["detail"]
    assert "đã có lịch đặt trùng" in detail and "already booked" in detail
    assert _book(admin_client, "Họp liền sau", at(2, 3), at(2, 4)).status_code == 201  # [start, end): touching is fine
    assert _book(admin_client, "Giờ ngược", at(3, 4), at(3, 3)).status_code == 422
    # cancelling frees the slot; another's booking cannot be cancelled by a plain employee
    other = api.client_as("nv002", employee="NV002")
    booking_id = first.json()[0]["id"]
    assert other.post(f"/api/v1/meeting-bookings/{booking_id}/cancel", json={}).status_code == 403
    assert staff.post(f"/api/v1/meeting-bookings/{booking_id}/cancel", json={}).status_code == 200
    assert _book(admin_client, "Họp chi bộ", at(2, 2, 30), at(2, 3)).status_code == 201
    listed = staff.get(
        "/api/v1/meeting-rooms/phong-a/bookings", params={"start": at(2, 0).isoformat(), "end": at(3, 0).isoformat()}
    ).json()
    assert [b["status"] for b in listed] == ["cancelled", "confirmed", "confirmed"]
    # a plain employee may not change rooms
    assert staff.put("/api/v1/meeting-rooms/phong-b", json=room_body(display_device_id=None)).status_code == 403


def test_two_racing_bookings_of_one_slot_one_wins(api: Api, admin_client: TestClient, database_url: str) -> None:
    """The exclusion constraint holds when the service's own check cannot see the other (both pass it at once)."""
    clients = [api.client_as(f"racer-{i}", employee=None) for i in range(6)]
    results: list[int] = []
    barrier = threading.Barrier(len(clients))

    def go(client: TestClient) -> None:
        barrier.wait()
        results.append(_book(client, "Cùng giờ", at(5, 1), at(5, 2)).status_code)

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [201] + [409] * 5
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM meeting_bookings WHERE status = 'confirmed'").fetchone() == (1,)
        # and the database itself refuses an overlap written past the service
        try:
            conn.execute(
                "INSERT INTO meeting_bookings (room_key, title, starts_at, ends_at, booked_by)"
                " SELECT room_key, 'x', starts_at, ends_at, 'sql' FROM meeting_bookings LIMIT 1"
            )
            raise AssertionError("the overlap was stored")
        except psycopg.errors.ExclusionViolation:
            pass


def test_a_recurring_booking_is_stored_whole_or_not_at_all(api: Api, admin_client: TestClient) -> None:
    assert _book(admin_client, "Đã có", at(15, 2), at(15, 3)).status_code == 201  # the 3rd week's slot
    weekly = {"interval_days": 7, "count": 4}
    refused = _book(admin_client, "Giao ban hằng tuần", at(1, 2), at(1, 3), recurrence=weekly)
    assert refused.status_code == 409
    listed = admin_client.get(
        "/api/v1/meeting-rooms/phong-a/bookings", params={"start": at(0, 0).isoformat(), "end": at(40, 0).isoformat()}
    ).json()
    assert len(listed) == 1  # nothing of the series
    made = _book(admin_client, "Giao ban hằng tuần", at(1, 4), at(1, 5), recurrence=weekly)
    assert made.status_code == 201
    series = made.json()
    assert len(series) == 4 and len({b["series_id"] for b in series}) == 1
    assert [b["starts_at"][:10] for b in series] == [(at(1 + 7 * i, 4)).date().isoformat() for i in range(4)]
    cancelled = admin_client.post(f"/api/v1/meeting-bookings/{series[1]['id']}/cancel", json={"whole_series": True})
    assert sorted(cancelled.json()) == sorted(b["id"] for b in series[1:])


def test_a_room_needing_approval_holds_the_slot_pending_until_decided(api: Api, admin_client: TestClient) -> None:
    assert admin_client.put("/api/v1/meeting-rooms/hoi-truong",
                            json=room_body(name="Hội trường", display_device_id=None, door_device_id=None,
                                           needs_approval=True, capacity=200)).status_code == 200  # fmt: skip
    staff = api.client_as("nv001", employee="NV001")
    pending = _book(staff, "Hội nghị cán bộ", at(3, 1), at(3, 4), room="hoi-truong").json()[0]
    assert pending["status"] == "pending"
    assert _book(admin_client, "Trùng", at(3, 2), at(3, 3), room="hoi-truong").status_code == 409  # held
    assert staff.post(f"/api/v1/meeting-bookings/{pending['id']}/decision", json={"approve": True}).status_code == 403
    manager = api.client_as("lanh-dao", (Role.MANAGER, "CCHQNB"), employee="NV002")
    outside = api.client_as("lanh-dao-hcm", (Role.MANAGER, "CHQHCM"))
    assert outside.post(f"/api/v1/meeting-bookings/{pending['id']}/decision", json={"approve": True}).status_code == 403
    own = _book(manager, "Của lãnh đạo", at(4, 1), at(4, 2), room="hoi-truong").json()[0]
    assert own["status"] == "confirmed"  # a decider's own booking needs nobody's approval
    decided = manager.post(
        f"/api/v1/meeting-bookings/{pending['id']}/decision", json={"approve": True, "note": "Đồng ý"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    again = manager.post(f"/api/v1/meeting-bookings/{pending['id']}/decision", json={"approve": False})
    assert again.status_code == 409


def test_room_schedule_gives_the_current_and_the_next_meeting(api: Api, admin_client: TestClient) -> None:
    changed: list[str] = []
    api.services.meetings.on_room_change(changed.append)
    _book(admin_client, "Họp sáng", at(2, 1), at(2, 2))
    _book(admin_client, "Họp trưa", at(2, 4), at(2, 5))
    _book(admin_client, "Ngày sau", at(3, 1), at(3, 2))
    assert changed == ["phong-a"] * 3
    svc = api.services.meetings
    during = svc.room_schedule("phong-a", at(2, 1, 30))
    assert during.current is not None and during.current.title == "Họp sáng"
    assert during.next is not None and during.next.title == "Họp trưa"
    between = svc.room_schedule("phong-a", at(2, 3))
    assert between.current is None and between.next is not None and between.next.title == "Họp trưa"
    assert svc.room_for_device("room-a-door").room_id == "phong-a"
    assert svc.display_room_ids() == ["phong-a"]
    edges = svc.next_changes(at(2, 0), at(2, 23))
    assert [(t - at(2, 0)) // timedelta(hours=1) for t, _ in edges] == [1, 2, 4, 5]
    shown = admin_client.get("/api/v1/meeting-rooms/phong-a/schedule", params={"at": at(2, 1, 30).isoformat()})
    assert shown.status_code == 200 and shown.json()["current"]["title"] == "Họp sáng"
    assert admin_client.get("/api/v1/meeting-rooms/khong-co/schedule").status_code == 404
