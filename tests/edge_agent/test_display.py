"""The room display (`display` capability): the real agent, a real broker (Mosquitto and the embedded amqtt).

The hub's side is stood in for by a plain client with the hub's login publishing retained states on
`cces/v1/rooms/{room}/display`. The display must show what was published (its `/state.json` and its
page in a real Chromium), follow the chair's next change, and — once the broker stops — keep the
last state on screen with the offline notice, also after the agent restarts with no broker.
"""

from __future__ import annotations

import json
import secrets
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from edge_agent.agent import Agent
from edge_agent.settings import AgentSettings, DisplaySettings
from protocol.broker_acl import mosquitto_acl
from protocol.display import AgendaItemShown, CheckinShown, MeetingShown, RoomDisplayState
from protocol.topics import Topics
from tests.edge_agent.helpers import running_agent, unique, wait_until
from tests.services import MosquittoBroker, free_port

pytestmark = pytest.mark.timeout(180)

WAIT_S = 30.0


def room_state(room: str, item: str, *, at: datetime | None = None) -> RoomDisplayState:
    at = at or datetime.now(UTC)
    start = at.replace(microsecond=0) - timedelta(minutes=30)
    return RoomDisplayState(
        room_id=room,
        room_name="Phòng họp 301",
        colour="busy",
        now=MeetingShown(
            meeting_id="m-1", title="Giao ban tuần", start=start, end=start + timedelta(hours=2), chair="Nguyễn Văn An"
        ),
        agenda_item=AgendaItemShown(number="1", title=item),
        updated_at=at,
        valid_until=start + timedelta(hours=2),
    )


@dataclass
class Rig:
    """A broker a display device may read its room on, and the hub's login to publish there."""

    url: str
    host: str
    port: int
    hub_user: str
    hub_password: str
    device_id: str
    device_password: str
    room: str
    stop_broker: Any
    broker: Any = None

    def publish(self, state: RoomDisplayState | bytes) -> None:
        client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=unique("hub-pub"))
        client.username_pw_set(self.hub_user, self.hub_password)
        client.connect(self.host, self.port)
        client.loop_start()
        try:
            payload = state if isinstance(state, bytes) else state.model_dump_json().encode()
            info = client.publish(Topics.room_display(self.room), payload, qos=1, retain=True)
            info.wait_for_publish(10)
            assert info.is_published()
        finally:
            client.disconnect()
            client.loop_stop()

    def settings(self, data_dir: Path, port: int) -> AgentSettings:
        return AgentSettings(
            device_id=self.device_id,
            mqtt_url=self.url,
            username=self.device_id,
            password=self.device_password,
            data_dir=data_dir,
            reconnect_max_delay_s=1,
            await_receipts=False,
            display=DisplaySettings(enabled=True, room=self.room, port=port),
        )


@pytest.fixture
def mosquitto_rig(mosquitto_factory: Any) -> Iterator[Rig]:
    broker: MosquittoBroker = mosquitto_factory()
    device, room = unique("display"), unique("p")
    password = secrets.token_urlsafe(12)
    broker.add_user(device, password)
    (broker.workdir / "acl").write_text(mosquitto_acl(broker.hub_username, {device: room}))
    broker.reload()
    yield Rig(broker.url, broker.host, broker.port, broker.hub_username, broker.hub_password, device, password, room,
              broker.stop, broker)  # fmt: skip


@pytest.fixture
def amqtt_rig(database_url: str) -> Iterator[Rig]:
    import psycopg

    from hub.embedded.broker import EmbeddedBroker
    from tests.hubstack import HUB_USER, provision

    password, port = secrets.token_urlsafe(16), free_port()
    broker = EmbeddedBroker("127.0.0.1", port, database_url, HUB_USER, password, hub_client_id=unique("hub"))
    broker.start()
    device, room = unique("display"), unique("p")
    credentials = provision(database_url, device)
    with psycopg.connect(database_url) as conn:  # the broker reads the device's room at log-in
        conn.execute("UPDATE devices SET room = %s WHERE device_id = %s", (room, device))
    try:
        yield Rig(f"mqtt://127.0.0.1:{port}", "127.0.0.1", port, HUB_USER, password, device, credentials.password,
                  room, broker.stop)  # fmt: skip
    finally:
        broker.stop()


def read_view(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/state.json", timeout=5) as response:
        return json.loads(response.read())


def showing(url: str, item: str, notice: str | None) -> bool:
    try:
        view = read_view(url)
    except OSError:
        return False
    state = view["state"] or {}
    return (state.get("agenda_item") or {}).get("title") == item and view["notice"] == notice


def exercise(rig: Rig, data_dir: Path) -> None:
    rig.publish(room_state(rig.room, "Báo cáo thu ngân sách"))  # retained before the display exists
    port = free_port()
    agent = Agent(rig.settings(data_dir, port))
    url = f"http://127.0.0.1:{port}"
    with running_agent(agent):
        assert wait_until(lambda: showing(url, "Báo cáo thu ngân sách", None), WAIT_S), read_view(url)
        view = read_view(url)
        assert view["link"] == "online" and view["room_id"] == rig.room
        assert view["state"]["room_name"] == "Phòng họp 301" and view["state"]["colour"] == "busy"
        with urllib.request.urlopen(url + "/", timeout=5) as response:
            page = response.read().decode()
        assert "Mất kết nối máy chủ" in page and "<title>CCES — phòng họp</title>" in page

        rig.publish(room_state(rig.room, "Kế hoạch năm 2027"))  # the chair moves to the next item
        assert wait_until(lambda: showing(url, "Kế hoạch năm 2027", None), WAIT_S), read_view(url)
        rig.publish(b"{not json")  # a broken message changes nothing
        rig.publish(room_state(rig.room, "Cũ", at=datetime.now(UTC) - timedelta(hours=1)))  # older: ignored
        rig.publish(room_state(rig.room, "Kế hoạch năm 2027 (tiếp)"))
        assert wait_until(lambda: showing(url, "Kế hoạch năm 2027 (tiếp)", None), WAIT_S), read_view(url)
        assert agent.capabilities[0].rejected >= 1  # type: ignore[attr-defined]

        rig.stop_broker()
        assert wait_until(lambda: showing(url, "Kế hoạch năm 2027 (tiếp)", "offline"), WAIT_S), read_view(url)
        assert read_view(url)["link"] == "offline"

    # restarted with the broker still down: the state kept on disk is shown, with the notice
    with running_agent(Agent(rig.settings(data_dir, port))):
        assert wait_until(lambda: showing(url, "Kế hoạch năm 2027 (tiếp)", "offline"), WAIT_S), read_view(url)


def test_the_display_follows_its_room_and_keeps_the_last_state_when_mosquitto_stops(
    mosquitto_rig: Rig, tmp_path: Path
) -> None:
    exercise(mosquitto_rig, tmp_path)


def test_the_display_follows_its_room_and_keeps_the_last_state_when_amqtt_stops(amqtt_rig: Rig, tmp_path: Path) -> None:
    exercise(amqtt_rig, tmp_path)


def test_the_display_page_in_chromium_shows_the_state_then_the_notice(
    mosquitto_rig: Rig, tmp_path: Path, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    state = room_state(mosquitto_rig.room, "Báo cáo thu ngân sách")
    mosquitto_rig.publish(state.model_copy(update={"checkin": CheckinShown(payload="https://hub.example/c/m-1?t=x")}))
    port = free_port()
    agent = Agent(mosquitto_rig.settings(tmp_path, port))
    with running_agent(agent):
        browser.get(f"http://127.0.0.1:{port}/")
        wait = WebDriverWait(browser, WAIT_S)
        wait.until(lambda b: b.find_element(By.ID, "agenda-title").text == "1. Báo cáo thu ngân sách")
        assert browser.find_element(By.ID, "room-name").text == "Phòng họp 301"
        assert browser.find_element(By.ID, "colour").text == "Đang họp"
        assert browser.find_element(By.ID, "now-title").text == "Giao ban tuần"
        assert browser.find_element(By.ID, "now-chair").text == "Chủ trì: Nguyễn Văn An"
        assert browser.find_element(By.ID, "qr-label").text == "Quét mã để điểm danh"
        wait.until(lambda b: b.execute_script("return document.getElementById('qr-img').naturalWidth") > 0)
        assert not browser.find_element(By.ID, "notice").is_displayed()
        assert not browser.find_element(By.ID, "alert").is_displayed()
        display = next(c for c in agent.capabilities if c.name == "display")
        display.show_alert("CẢNH BÁO: tài sản TS-7 ra cửa", "ALERT: asset TS-7 leaving", "Máy chiếu", "Projector", 2)
        wait.until(lambda b: b.find_element(By.ID, "alert").is_displayed())
        assert browser.find_element(By.ID, "alert-title").text == "CẢNH BÁO: tài sản TS-7 ra cửa"
        wait.until(lambda b: not b.find_element(By.ID, "alert").is_displayed())  # gone once it expires

        mosquitto_rig.publish(room_state(mosquitto_rig.room, "Kế hoạch năm 2027"))
        wait.until(lambda b: b.find_element(By.ID, "agenda-title").text == "1. Kế hoạch năm 2027")
        mosquitto_rig.stop_broker()
        wait.until(lambda b: b.find_element(By.ID, "notice").is_displayed())
        assert browser.find_element(By.ID, "notice").text.startswith("Mất kết nối máy chủ")
        assert browser.find_element(By.ID, "agenda-title").text == "1. Kế hoạch năm 2027"  # the last state stays
        browser.find_element(By.ID, "switch").click()
        wait.until(lambda b: b.find_element(By.ID, "notice").text.startswith("Hub unreachable"))
        assert browser.find_element(By.ID, "colour").text == "In a meeting"


def test_the_hub_config_moves_a_display_to_another_room(mosquitto_rig: Rig, tmp_path: Path) -> None:
    """`display_room` in the hub's retained config wins over agent.toml's room."""
    from protocol.config import DeviceConfig

    rig, other = mosquitto_rig, unique("p")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    rig.publish(room_state(rig.room, "Phòng cũ"))
    Rig(**{**rig.__dict__, "room": other}).publish(room_state(other, "Phòng mới"))
    with running_agent(Agent(rig.settings(tmp_path, port))):
        assert wait_until(lambda: showing(url, "Phòng cũ", None), WAIT_S), read_view(url)
        # the device moved: the broker lets it read its new room (the hub rewrites the ACL when a room changes)
        broker: MosquittoBroker = rig.broker
        (broker.workdir / "acl").write_text(mosquitto_acl(broker.hub_username, {rig.device_id: other}))
        broker.reload()
        publish_config(rig, DeviceConfig(version=1, issued_at=datetime.now(UTC), display_room=other))
        assert wait_until(lambda: showing(url, "Phòng mới", None), WAIT_S), read_view(url)
        assert read_view(url)["room_id"] == other


def publish_config(rig: Rig, config: Any) -> None:
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id=unique("hub-cfg"))
    client.username_pw_set(rig.hub_user, rig.hub_password)
    client.connect(rig.host, rig.port)
    client.loop_start()
    try:
        info = client.publish(Topics(rig.device_id).config, config.model_dump_json().encode(), qos=1, retain=True)
        info.wait_for_publish(10)
    finally:
        client.disconnect()
        client.loop_stop()
