"""Replacing a meeting's chair or secretary before it ends (issue 17 item 2), over the API on the real PostgreSQL:
the chair hands the secretary's part to a member, a manager over the unit makes someone not yet in the meeting its
chair (they join it), the ones replaced stay as voting members, the new and the replaced are told in their inbox, the
room's display names the new chair, each change audited; refused: a plain member and the secretary (403), the same
person again or the other lead (409), a part that is not chair or secretary and an unknown employee (422), and
anything once the meeting is over (409 in both languages)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from hub.people.importing import import_employees
from tests.hub.api.conftest import Api
from tests.hub.meetings.tablet_world import ACTOR, TabletWorld, make_meeting, person

NEW_STAFF = [{"employee_code": "NV004", "full_name": "Phạm Thị Hoa", "unit_code": "DOI1", "person_id": "nv-0004"}]


@pytest.fixture
def world(api: Api, conn: psycopg.Connection, tmp_path: Path) -> tuple[TabletWorld, dict[str, TestClient]]:
    assert import_employees(conn, NEW_STAFF).inserted == 1
    made = make_meeting(api.services.meetings, conn, tmp_path / "files", datetime.now(UTC))
    clients = {
        "chair": api.client_as("lan", employee="NV002"),
        "secretary": api.client_as("duc", employee="NV001"),
        "member": api.client_as("dat", employee="NV003"),
        "hoa": api.client_as("hoa", employee="NV004"),
        "manager": api.client_as("truong-phong", (Role.MANAGER, "CCHQNB")),
    }
    return made, clients


def _parts(client: TestClient, mid: int) -> dict[str, tuple[str, bool]]:
    return {
        p["employee_code"]: (p["role"], p["voting"]) for p in client.get(f"/api/v1/meetings/{mid}/attendance").json()
    }


def _told(conn: psycopg.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT u.username, n.title_vi FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.category = 'meetings.role' ORDER BY n.id"
    ).fetchall()


def test_the_chair_and_the_organisers_replace_a_lead_until_the_meeting_ends(
    api: Api, world: tuple[TabletWorld, dict[str, TestClient]], conn: psycopg.Connection
) -> None:
    made, c = world
    mid, svc = made.meeting_id, api.services.meetings
    base = f"/api/v1/meetings/{mid}/leads"

    # who may not
    for who in ("member", "secretary", "hoa"):
        refused = c[who].put(f"{base}/secretary", json={"employee_code": "NV003"})
        assert refused.status_code == 403, (who, refused.text)

    # the chair hands the secretary's part to a member; the secretary replaced stays as a voting member
    done = c["chair"].put(f"{base}/secretary", json={"employee_code": "NV003"})
    assert done.status_code == 200, done.text
    assert (done.json()["employee_code"], done.json()["role"]) == ("NV003", "secretary")
    assert _parts(c["chair"], mid) == {"NV002": ("chair", True), "NV003": ("secretary", True),
                                       "NV001": ("member", True)}  # fmt: skip

    # a manager over the unit makes someone not yet taking part the chair: they join the meeting
    chair = c["manager"].put(f"{base}/chair", json={"employee_code": "NV004"})
    assert chair.status_code == 200, chair.text
    assert _parts(c["chair"], mid)["NV004"] == ("chair", True)
    assert _parts(c["chair"], mid)["NV002"] == ("member", True)
    assert c["hoa"].get(f"/api/v1/meetings/{mid}").status_code == 200  # now in it
    room = svc.room_schedule("phong-hop-2", datetime.now(UTC))
    assert room.current is not None and room.current.chair == "Phạm Thị Hoa"  # the display follows

    # told in their inbox, both the new and the replaced
    assert _told(conn) == [
        ("dat", "Bạn được giao làm thư ký cuộc họp: Họp giao ban tháng 12"),
        ("duc", "Bạn không còn là thư ký cuộc họp: Họp giao ban tháng 12 (vẫn là thành phần dự họp)"),
        ("hoa", "Bạn được giao làm chủ trì cuộc họp: Họp giao ban tháng 12"),
        ("lan", "Bạn không còn là chủ trì cuộc họp: Họp giao ban tháng 12 (vẫn là thành phần dự họp)"),
    ]
    audited = conn.execute(
        "SELECT actor, before->>'employee', after->>'employee', after->>'was_participant' FROM audit_log"
        " WHERE action = 'meeting.lead_replace' ORDER BY id"
    ).fetchall()
    assert audited == [("lan", "NV001", "NV003", "true"), ("truong-phong", "NV002", "NV004", "false")]

    # refusals: no longer the chair (403), the same person (409), the other lead (409), bad input (422)
    assert c["chair"].put(f"{base}/secretary", json={"employee_code": "NV001"}).status_code == 403
    same = c["hoa"].put(f"{base}/chair", json={"employee_code": "NV004"})
    assert same.status_code == 409 and "đã là chủ trì" in same.json()["detail"], same.text
    both = c["hoa"].put(f"{base}/secretary", json={"employee_code": "NV004"})
    assert both.status_code == 409 and "must be two people" in both.json()["detail"]
    assert c["hoa"].put(f"{base}/member", json={"employee_code": "NV001"}).status_code == 422
    unknown = c["hoa"].put(f"{base}/secretary", json={"employee_code": "NV999"})
    assert unknown.status_code == 422 and "no employee" in unknown.json()["detail"]
    assert c["hoa"].put(f"{base}/secretary", json={"employee_code": "NV001", "x": 1}).status_code == 422
    assert c["manager"].put("/api/v1/meetings/999999/leads/chair", json={"employee_code": "NV001"}).status_code == 404

    # once the meeting is over, nobody is replaced
    svc.set_status(person(conn, "NV004"), ACTOR, mid, "closed")
    over = c["manager"].put(f"{base}/secretary", json={"employee_code": "NV001"})
    assert over.status_code == 409
    assert "đã kết thúc" in over.json()["detail"] and "is over" in over.json()["detail"]
    assert _parts(c["chair"], mid)["NV003"] == ("secretary", True)
    assert len(_told(conn)) == 4
