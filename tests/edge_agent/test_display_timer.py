"""The speaker's timer on the room's display (issue 17 items 3 and 5), end to end: the chair gives the floor with a
speaking time over the hub's API (the real meetings service on the real PostgreSQL), the hub's display publisher puts
the room's state on a real Mosquitto (retained), and the real agent's `display` capability shows it — its
`/state.json` carries the speaker with `since` and `until`, and its page in a real Chromium the speaker's name and
the time left counting down as m:ss; extending the floor moves the timer, ending it takes the speaker away."""

from __future__ import annotations

import json
import re
import secrets
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from edge_agent.agent import Agent
from edge_agent.settings import AgentSettings, DisplaySettings
from hub.devices.config_publisher import MqttConfigPublisher
from protocol.broker_acl import mosquitto_acl
from protocol.broker_url import BrokerAddress
from tests.edge_agent.helpers import running_agent, unique, wait_until
from tests.hub.api.conftest import Api
from tests.hub.conftest import conn, org  # noqa: F401 — the seeded organisation the meeting is made in
from tests.hub.meetings.conftest import api  # noqa: F401 — the hub's API over it
from tests.hub.meetings.tablet_world import make_meeting
from tests.services import MosquittoBroker, free_port

pytestmark = pytest.mark.timeout(120)

WAIT_S = 15.0
ROOM = "phong-hop-2"  # the room tablet_world books the meeting in
SPEAKER = "Lê Minh Đạt"  # NV003, the member who asks for the floor
TIMER = re.compile(r"^Còn lại (\d{1,3}):([0-5]\d)$")


def view(url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(f"{url}/state.json", timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return {}


def speaker(url: str) -> dict[str, Any] | None:
    return (view(url).get("state") or {}).get("speaker")


def now_title(url: str) -> str | None:
    return ((view(url).get("state") or {}).get("now") or {}).get("title")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def seconds_left(shown: str) -> int | None:
    found = TIMER.match(shown)
    return int(found[1]) * 60 + int(found[2]) if found else None


def test_the_speakers_timer_reaches_the_rooms_display_through_the_broker(
    api: Api,  # noqa: F811
    org: Any,  # noqa: F811
    mosquitto_factory: Any,
    browser: Any,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    broker: MosquittoBroker = mosquitto_factory()
    device, password = unique("room-display"), secrets.token_urlsafe(12)
    broker.add_user(device, password)
    (broker.workdir / "acl").write_text(mosquitto_acl(broker.hub_username, {device: ROOM}))
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
        mid = make_meeting(api.services.meetings, org, tmp_path / "files", datetime.now(UTC)).meeting_id
        chair, member = api.client_as("lan", employee="NV002"), api.client_as("dat", employee="NV003")
        assert chair.post(f"/api/v1/meetings/{mid}/status", json={"status": "in_progress"}).status_code == 200
        asked = member.post(f"/api/v1/meetings/{mid}/speakers")
        assert asked.status_code in (200, 201), asked.text
        speaker_id = asked.json()[0]["id"]

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings = AgentSettings(
            device_id=device, mqtt_url=broker.url, username=device, password=password, data_dir=tmp_path / "agent",
            reconnect_max_delay_s=1, await_receipts=False, display=DisplaySettings(enabled=True, port=port, room=ROOM),
        )  # fmt: skip
        with running_agent(Agent(settings)):
            # the meeting is on the display, nobody has the floor yet
            assert wait_until(lambda: now_title(url) == "Họp giao ban tháng 12", WAIT_S), view(url)
            assert speaker(url) is None

            given = chair.put(f"/api/v1/meetings/{mid}/floor", json={"speaker_id": speaker_id, "minutes": 7})
            assert given.status_code == 200, given.text
            assert wait_until(lambda: (speaker(url) or {}).get("name") == SPEAKER, WAIT_S), view(url)
            shown = speaker(url)
            assert shown is not None and shown.get("until") and shown.get("since")
            assert instant(shown["until"]) - instant(shown["since"]) == timedelta(minutes=7)
            assert view(url)["notice"] is None and view(url)["link"] == "online"

            browser.get(f"{url}/")
            wait = WebDriverWait(browser, WAIT_S)
            wait.until(lambda b: b.find_element(By.ID, "speaker-name").text == SPEAKER)
            assert browser.find_element(By.ID, "speaker").is_displayed()
            assert browser.find_element(By.ID, "speaker-label").text == "Đang phát biểu"
            wait.until(lambda b: seconds_left(b.find_element(By.ID, "speaker-timer").text) is not None)
            first = seconds_left(browser.find_element(By.ID, "speaker-timer").text)
            assert first is not None and 6 * 60 <= first <= 7 * 60  # counted from when the floor was given
            # it counts down (the page redraws every second)
            wait.until(lambda b: (seconds_left(b.find_element(By.ID, "speaker-timer").text) or first) < first)
            assert "over" not in (browser.find_element(By.ID, "speaker-timer").get_attribute("class") or "")

            # the chair adds two minutes: the display's timer moves on by them
            more = chair.post(f"/api/v1/meetings/{mid}/floor/extend", json={"minutes": 2})
            assert more.status_code == 200, more.text
            wait.until(lambda b: (seconds_left(b.find_element(By.ID, "speaker-timer").text) or 0) > 8 * 60)
            shown = speaker(url)
            assert shown is not None and instant(shown["until"]) - instant(shown["since"]) == timedelta(minutes=9)

            # the chair ends the floor: the speaker leaves the display
            assert chair.put(f"/api/v1/meetings/{mid}/floor", json={"speaker_id": None}).status_code == 200
            wait.until(lambda b: not b.find_element(By.ID, "speaker").is_displayed())
            assert speaker(url) is None
    finally:
        displays.stop()
        publisher.stop()
