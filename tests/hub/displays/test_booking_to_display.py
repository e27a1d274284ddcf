"""From a booking over the API to the room's display: the real meetings service, the hub's display publisher,
a real Mosquitto and the real agent with its `display` capability (its /state.json, what its page draws)."""

from __future__ import annotations

import json
import secrets
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from edge_agent.agent import Agent
from edge_agent.settings import AgentSettings, DisplaySettings
from hub.devices.config_publisher import MqttConfigPublisher
from protocol.broker_acl import mosquitto_acl
from protocol.broker_url import BrokerAddress
from tests.edge_agent.helpers import running_agent, unique, wait_until
from tests.hub.api.conftest import ADMIN_PASSWORD, Api
from tests.hub.meetings.conftest import at, room_body
from tests.services import MosquittoBroker, free_port

pytestmark = pytest.mark.timeout(180)

WAIT_S = 30.0


def view(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{url}/state.json", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def next_title(url: str) -> str | None:
    found = view(url)
    state = (found or {}).get("state") or {}
    return (state.get("next") or {}).get("title")


def test_a_booking_reaches_the_rooms_display_through_the_broker(
    api: Api, mosquitto_factory: Any, tmp_path: Path
) -> None:
    broker: MosquittoBroker = mosquitto_factory()
    device, password = "room-a-display", secrets.token_urlsafe(12)
    broker.add_user(device, password)
    (broker.workdir / "acl").write_text(mosquitto_acl(broker.hub_username, {device: "phong-a"}))
    broker.reload()
    publisher = MqttConfigPublisher(
        BrokerAddress(broker.host, broker.port, tls=False), unique("hub-displays"),
        username=broker.hub_username, password=broker.hub_password,
    )  # fmt: skip
    assert publisher.start(wait_s=15)
    displays = api.services.displays
    displays.publisher = publisher  # what the runtime gives it on a hub with a broker
    displays.start()
    try:
        admin = api.sign_in("admin", ADMIN_PASSWORD)
        assert admin.put("/api/v1/meeting-rooms/phong-a", json=room_body()).status_code == 200
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        # (on a hub the room comes with the device's config, display_room; here from agent.toml)
        settings = AgentSettings(
            device_id=device, mqtt_url=broker.url, username=device, password=password, data_dir=tmp_path,
            reconnect_max_delay_s=1, await_receipts=False,
            display=DisplaySettings(enabled=True, port=port, room="phong-a"),
        )  # fmt: skip
        with running_agent(Agent(settings)):
            body = {"title": "Giao ban tuần", "starts_at": at(2, 1).isoformat(), "ends_at": at(2, 2).isoformat()}
            assert admin.post("/api/v1/meeting-rooms/phong-a/bookings", json=body).status_code == 201
            assert wait_until(lambda: next_title(url) == "Giao ban tuần", WAIT_S), view(url)
            shown = view(url)
            assert shown is not None and shown["state"]["room_name"] == "Phòng họp A"
            assert shown["state"]["colour"] == "free" and shown["notice"] is None
            api_state = admin.get("/api/v1/rooms/phong-a/display").json()
            assert {k: v for k, v in api_state.items() if k != "updated_at"} == {
                k: v for k, v in shown["state"].items() if k != "updated_at"
            }  # the API answers the JSON the display got

            booking = admin.get(
                "/api/v1/meeting-rooms/phong-a/bookings",
                params={"start": at(2, 0).isoformat(), "end": at(3, 0).isoformat()},
            ).json()[0]
            assert admin.post(f"/api/v1/meeting-bookings/{booking['id']}/cancel", json={}).status_code == 200
            assert wait_until(lambda: next_title(url) is None and (view(url) or {}).get("state"), WAIT_S), view(url)
    finally:
        displays.stop()
        publisher.stop()
