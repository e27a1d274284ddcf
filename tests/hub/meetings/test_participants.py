"""A meeting's participants changed by its organiser after it was called (issue 17), over the API on the real
PostgreSQL: staff added by employee code or by their account (invited in their inbox), guests added with their
organisation, removal of one not checked in, and the refusals — a plain member, someone already in, someone
checked in (409 in both languages), the chair, a meeting that is over — each audited when it changes something."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.meetings.models import MeetingError
from hub.people.importing import import_employees
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ACTOR, SETUP, TabletWorld, make_meeting, participant_id, person

NEW_STAFF = [
    {"employee_code": "NV004", "full_name": "Phạm Thị Hoa", "unit_code": "DOI1", "person_id": "nv-0004"},
    {"employee_code": "NV005", "full_name": "Phạm Quốc Bảo", "unit_code": "CCHQNB", "person_id": "nv-0005"},
]


@pytest.fixture
def world(api: Api, conn: psycopg.Connection, tmp_path: Path) -> tuple[TabletWorld, dict[str, TestClient]]:
    assert import_employees(conn, NEW_STAFF).inserted == 2
    made = make_meeting(api.services.meetings, conn, tmp_path / "files", datetime.now(UTC))
    clients = {
        "chair": api.client_as("lan", employee="NV002"),
        "member": api.client_as("dat", employee="NV003"),
        "hoa": api.client_as("hoa", employee="NV004"),
    }
    return made, clients


def _audit(conn: psycopg.Connection, action: str) -> list[dict]:
    rows = conn.execute("SELECT before, after FROM audit_log WHERE action = %s ORDER BY id", (action,)).fetchall()
    return [r[1] or r[0] for r in rows]


def test_the_organiser_adds_staff_and_guests_and_removes_one_not_checked_in(
    api: Api, world: tuple[TabletWorld, dict[str, TestClient]], conn: psycopg.Connection
) -> None:
    made, c = world
    mid, chair = made.meeting_id, c["chair"]
    base = f"/api/v1/meetings/{mid}/participants"

    # the picker: staff not yet in the meeting, found without diacritics
    found = chair.get(f"/api/v1/meetings/{mid}/staff-choices", params={"q": "pham"})
    assert found.status_code == 200 and [x["code"] for x in found.json()] == ["NV005", "NV004"]
    assert chair.get(f"/api/v1/meetings/{mid}/staff-choices", params={"q": "tran lan"}).json() == []  # the chair

    by_account = chair.post(base, json={"username": "hoa"})
    assert by_account.status_code == 201, by_account.text
    assert by_account.json() | {"id": 0} == {
        "id": 0, "employee_code": "NV004", "name": "Phạm Thị Hoa",
        "organisation": "Đội Thủ tục hàng hóa xuất nhập khẩu", "role": "member", "voting": True,
        "present_at": None, "checkin_method": None, "late": False}  # fmt: skip
    by_code = chair.post(base, json={"employee_code": "NV005"})
    assert by_code.status_code == 201 and by_code.json()["name"] == "Phạm Quốc Bảo"
    guest = chair.post(base, json={"guest_name": "  Bà Ngô Thị Khách ", "guest_organisation": "Sở Công Thương"})
    assert guest.status_code == 201, guest.text
    assert (guest.json()["name"], guest.json()["organisation"], guest.json()["role"], guest.json()["voting"]) == (
        "Bà Ngô Thị Khách", "Sở Công Thương", "guest", False)  # fmt: skip
    assert [x["code"] for x in chair.get(f"/api/v1/meetings/{mid}/staff-choices", params={"q": "pham"}).json()] == []

    # the added staff member is invited in their inbox (NV005 has no account: nobody to tell)
    invited = conn.execute(
        "SELECT u.username, n.link FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.category = 'meetings.invitation' AND u.username = 'hoa'"
    ).fetchall()
    assert invited == [("hoa", f"/meetings/tablet?id={mid}")]
    # …and now sees the meeting
    assert c["hoa"].get(f"/api/v1/meetings/{mid}").status_code == 200

    # refusals
    again = chair.post(base, json={"employee_code": "NV004"})
    assert again.status_code == 409 and "đã có trong thành phần" in again.json()["detail"]
    assert "already takes part" in again.json()["detail"]
    assert chair.post(base, json={"employee_code": "NV999"}).status_code == 422
    assert chair.post(base, json={"employee_code": "NV004", "guest_name": "Hai người"}).status_code == 422
    assert chair.post(base, json={"guest_name": "x" * 201}).status_code == 422
    assert chair.post(base, json={"guest_name": "   "}).status_code == 422
    assert c["member"].post(base, json={"guest_name": "Khách lạ"}).status_code == 403  # a plain member
    assert c["member"].get(f"/api/v1/meetings/{mid}/staff-choices", params={"q": "pham"}).status_code == 403
    assert c["member"].delete(f"{base}/{guest.json()['id']}").status_code == 403
    assert chair.delete(f"{base}/{participant_id(api.services.meetings, mid, 'NV002')}").status_code == 409  # chair
    assert chair.delete(f"{base}/999999").status_code == 404

    # removed: the guest; refused: someone checked in
    assert chair.delete(f"{base}/{guest.json()['id']}").status_code == 204
    names = [p["name"] for p in chair.get(f"/api/v1/meetings/{mid}/attendance").json()]
    assert "Bà Ngô Thị Khách" not in names and "Phạm Thị Hoa" in names
    hoa = by_account.json()["id"]
    assert chair.post(f"/api/v1/meetings/{mid}/attendance/{hoa}", json={"present": True}).status_code == 200
    kept = chair.delete(f"{base}/{hoa}")
    assert kept.status_code == 409
    assert "đã điểm danh" in kept.json()["detail"] and "has checked in" in kept.json()["detail"]
    assert "Phạm Thị Hoa" in [p["name"] for p in chair.get(f"/api/v1/meetings/{mid}/attendance").json()]

    assert [(a["employee"] if "employee" in a else a["guest"]) for a in _audit(conn, "meeting.participant_add")] == [
        "NV004", "NV005", "Bà Ngô Thị Khách"]  # fmt: skip
    assert [a["name"] for a in _audit(conn, "meeting.participant_remove")] == ["Bà Ngô Thị Khách"]

    # once the meeting is over, nobody is added or removed
    svc = api.services.meetings
    svc.set_status(person(conn, "NV002"), ACTOR, mid, "closed")
    over = chair.post(base, json={"guest_name": "Khách đến muộn"})
    assert over.status_code == 409 and "đã kết thúc" in over.json()["detail"] and "is over" in over.json()["detail"]
    bao = by_code.json()["id"]
    assert chair.delete(f"{base}/{bao}").status_code == 409
    assert len(_audit(conn, "meeting.participant_add")) == 3


def test_the_service_refuses_bad_guests_and_staff_alike(api: Api, world: tuple, conn: psycopg.Connection) -> None:
    made, _ = world
    svc = api.services.meetings
    with pytest.raises(MeetingError):
        svc.add_guest(SETUP, ACTOR, made.meeting_id, "Khách", "c" * 201)
    with pytest.raises(MeetingError):
        svc.add_staff(SETUP, ACTOR, made.meeting_id, employee_code="NV004", username="hoa")
    with pytest.raises(MeetingError):
        svc.add_staff(SETUP, ACTOR, made.meeting_id)
    added = svc.add_guest(SETUP, ACTOR, made.meeting_id, "Ông Trịnh Văn Khách", "o" * 200)
    assert added.organisation == "o" * 200 and added.role == "guest"
    assert conn.execute("SELECT count(*) FROM meeting_participants WHERE meeting_id = %s",
                        (made.meeting_id,)).fetchone() == (4,)  # fmt: skip
