"""GET /api/v1/rooms/{room_id}/display over the real meetings service: the same JSON a display gets over MQTT,
for anyone signed in; 404 for a room the meetings service does not know; 422 for what is not a room id."""

from __future__ import annotations

from fastapi.testclient import TestClient

from protocol.display import RoomDisplayState
from tests.hub.api.conftest import ADMIN_PASSWORD, Api
from tests.hub.meetings.conftest import at, room_body


def test_a_room_display_answers_the_state_its_displays_get(api: Api) -> None:
    admin = api.sign_in("admin", ADMIN_PASSWORD)
    assert admin.put("/api/v1/meeting-rooms/phong-a", json=room_body()).status_code == 200
    for title, start, end in (("Giao ban tuần", at(2, 1), at(2, 2)), ("Họp trưa", at(2, 4), at(2, 5))):
        body = {"title": title, "starts_at": start.isoformat(), "ends_at": end.isoformat()}
        booked = admin.post("/api/v1/meeting-rooms/phong-a/bookings", json=body)
        assert booked.status_code == 201, booked.text
    api.services.clock = lambda: at(2, 1, 30)  # during the first meeting

    staff = api.client_as("nhan-vien")  # no role: anyone signed in may read a door sign
    answer = staff.get("/api/v1/rooms/phong-a/display")
    assert answer.status_code == 200, answer.text
    state = RoomDisplayState.model_validate_json(answer.content)
    assert (state.room_name, state.colour) == ("Phòng họp A", "busy")
    assert state.now is not None and state.now.title == "Giao ban tuần" and state.now.end == at(2, 2)
    assert state.next is not None and state.next.title == "Họp trưa"
    assert state.valid_until == at(2, 2) and state.updated_at == at(2, 1, 30)
    assert answer.json()["updated_at"].endswith("Z")  # the wire's spelling, as on MQTT

    api.services.clock = lambda: at(2, 3, 50)  # 10 minutes before the second one
    soon = RoomDisplayState.model_validate_json(staff.get("/api/v1/rooms/phong-a/display").content)
    assert soon.colour == "starting_soon" and soon.now is None and soon.next is not None

    missing = staff.get("/api/v1/rooms/p-999/display")
    assert missing.status_code == 404 and "Không có phòng họp p-999" in missing.json()["detail"]
    assert staff.get("/api/v1/rooms/P%20301/display").status_code == 422
    assert TestClient(api.app).get("/api/v1/rooms/phong-a/display").status_code == 401
