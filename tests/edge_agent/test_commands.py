"""A running agent answers the hub's commands through a real Mosquitto, and the hub stores the replies.

The hub side is the real command channel, API and database; the device is the real `Agent` (the
simulated capability, or faceid on the test clip with the real model pack for `snapshot`).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg_pool import ConnectionPool

from edge_agent.agent import Agent
from edge_agent.commands import CommandRunner
from edge_agent.outbox import Outbox
from hub.commands import repository as commands_repo
from hub.commands.channel import ChannelConfig, CommandChannel
from hub.db import open_pool
from hub.services import HubServices
from protocol.broker_url import BrokerAddress
from protocol.commands import Command
from tests.edge_agent.helpers import agent_settings, running_agent, unique, wait_until
from tests.hub.commands.conftest import admin_client
from tests.hubstack import provision
from tests.services import MosquittoBroker

pytestmark = pytest.mark.timeout(120)


@dataclass
class Hub:
    pool: ConnectionPool
    channel: CommandChannel
    client: TestClient
    database_url: str

    def send(self, device_id: str, name: str, **body: Any) -> dict[str, Any]:
        sent = self.client.post(f"/api/v1/devices/{device_id}/commands", json={"name": name, **body})
        assert sent.status_code == 202, sent.text
        return dict(sent.json())

    def answer(self, device_id: str, command_id: str, timeout: float = 20.0) -> dict[str, Any]:
        url = f"/api/v1/devices/{device_id}/commands/{command_id}"
        assert wait_until(lambda: self.client.get(url).json()["state"] == "replied", timeout), self.client.get(url)
        return dict(self.client.get(url).json())

    def push_raw(self, device_id: str, command: dict[str, Any]) -> None:
        """Store a command row as the hub would, then publish `command` as given (stale, unknown...)."""
        with self.pool.connection() as conn, conn.transaction():
            commands_repo.insert_command(
                conn,
                uuid.UUID(command["id"]),
                device_id,
                command["name"],
                {},
                "test",
                datetime.fromisoformat(command["issued_at"]),
                datetime.fromisoformat(command["expires_at"]),
            )
        import json

        assert self.channel.publish_command(device_id, json.dumps(command).encode(), 60)


@pytest.fixture
def hub(mosquitto: MosquittoBroker, database_url: str) -> Iterator[Hub]:
    pool = open_pool(database_url, 4, name="agent-commands-test")
    channel = CommandChannel(
        ChannelConfig(
            broker=BrokerAddress(mosquitto.host, mosquitto.port, tls=False),
            username=mosquitto.hub_username,
            password=mosquitto.hub_password,
            client_id=unique("cces-hub-commands"),
        ),
        pool,
    )
    channel.start()
    assert channel.wait_connected(15)
    yield Hub(pool, channel, admin_client(HubServices(pool, None, channel)), database_url)
    channel.stop()
    pool.close()


def simulated_agent(mosquitto: MosquittoBroker, hub: Hub, tmp_path: Path) -> Agent:
    settings = agent_settings(
        mosquitto, tmp_path / "device", simulated={"enabled": True, "interval_s": 0.1, "count": None}
    )
    provision(hub.database_url, settings.device_id)
    return Agent(settings)


def test_ping_restart_and_flush_are_carried_out_and_answered(
    mosquitto: MosquittoBroker, hub: Hub, tmp_path: Path
) -> None:
    agent = simulated_agent(mosquitto, hub, tmp_path)
    device = agent.settings.device_id
    with running_agent(agent):
        assert agent.link is not None and agent.link.wait_connected(10)
        ping = hub.answer(device, hub.send(device, "ping")["id"])
        assert ping["ok"] is True and ping["result"]["pong"] is True
        assert ping["result"]["capabilities"] == ["simulated"] and ping["replied_at"] is not None

        before = agent.capabilities[0]
        restarted = hub.answer(device, hub.send(device, "restart_capability", args={"capability": "simulated"})["id"])
        assert restarted["ok"] is True and restarted["result"]["restarted"] is True
        after = agent.capabilities[0]
        assert after is not before  # a fresh instance from the settings, and it works
        assert wait_until(lambda: after.emitted >= 3, 10)  # type: ignore[attr-defined]

        missing = hub.answer(device, hub.send(device, "restart_capability", args={"capability": "rfid"})["id"])
        assert (missing["ok"], missing["code"]) == (False, "unavailable") and "simulated" in missing["error"]

        flushed = hub.answer(device, hub.send(device, "flush_outbox", args={"timeout_s": 5})["id"])
        assert flushed["ok"] is True and flushed["result"]["drained"] is True and flushed["result"]["connected"]

        no_sync = hub.answer(device, hub.send(device, "resync_gallery")["id"])
        assert (no_sync["ok"], no_sync["code"]) == (False, "unavailable")
        no_camera = hub.answer(device, hub.send(device, "snapshot")["id"])
        assert (no_camera["ok"], no_camera["code"]) == (False, "unavailable")


def test_a_stale_or_unknown_command_is_refused_with_a_reply(
    mosquitto: MosquittoBroker, hub: Hub, tmp_path: Path
) -> None:
    agent = simulated_agent(mosquitto, hub, tmp_path)
    device = agent.settings.device_id
    now = datetime.now(UTC)
    stale = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "name": "restart_capability",
        "args": {"capability": "simulated"},
        "issued_at": (now - timedelta(minutes=10)).isoformat(),
        "expires_at": (now - timedelta(minutes=5)).isoformat(),
    }
    unknown = {
        **stale,
        "id": str(uuid.uuid4()),
        "name": "format_disk",
        "expires_at": (now + timedelta(minutes=5)).isoformat(),
    }
    with running_agent(agent):
        assert agent.link is not None and agent.link.wait_connected(10)
        instance = agent.capabilities[0]
        hub.push_raw(device, stale)
        hub.push_raw(device, unknown)
        refused = hub.answer(device, stale["id"])
        assert (refused["ok"], refused["code"]) == (False, "expired") and "not carried out" in refused["error"]
        assert agent.capabilities[0] is instance  # the stale restart did not happen
        assert hub.answer(device, unknown["id"])["code"] == "unknown_command"


def test_a_redelivered_command_is_answered_again_but_run_once(tmp_path: Path) -> None:
    runs: list[str] = []
    handlers = {"ping": lambda _a: runs.append("ping") or {"pong": True}, "flush_outbox": lambda _a: runs.append("x")}
    later = datetime.now(UTC) + timedelta(minutes=1)

    def wire(name: str, expires_at: datetime = later, **args: Any) -> bytes:
        issued = expires_at - timedelta(minutes=2)
        command = Command(id=uuid.uuid4(), name=name, args=args, issued_at=issued, expires_at=expires_at)  # type: ignore[arg-type]
        return command.model_dump_json().encode()

    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        runner = CommandRunner("door-cmd-10", outbox, handlers)
        payload = wire("ping")
        first, second = runner.handle(payload), runner.handle(payload)
        assert first == second and first is not None and first.ok and runs == ["ping"]

        def code(payload: bytes) -> str | None:
            reply = runner.handle(payload)
            assert reply is not None and not reply.ok and reply.error
            return reply.code

        assert code(wire("ping", expires_at=datetime.now(UTC) - timedelta(seconds=1))) == "expired"
        assert code(wire("flush_outbox", timeout_s=0)) == "bad_args"
        assert code(wire("snapshot")) == "unknown_command"  # this runner has no camera
        assert code(b'{"id": "%s", "name": "ping"}' % str(uuid.uuid4()).encode()) == "bad_command"
        assert runner.handle(b"not json") is None  # no id to answer to: logged, nothing sent
        assert runs == ["ping"]  # nothing refused was run


def test_snapshot_returns_a_small_jpeg_of_the_door_camera(
    mosquitto: MosquittoBroker, hub: Hub, tmp_path: Path, models_dir: Path, testdata_dir: Path
) -> None:
    faces = testdata_dir / "faces"
    settings = agent_settings(
        mosquitto,
        tmp_path / "door",
        faceid={
            "enabled": True,
            "models_dir": models_dir,
            "gallery_dir": faces / "enroll",
            "camera": {"file": faces / "video" / "short_hamilton_clip.mp4", "realtime": True, "loop": True},
        },
    )
    provision(hub.database_url, settings.device_id)
    agent = Agent(settings)
    device = settings.device_id
    with running_agent(agent, timeout=30):
        capability = agent.capabilities[0]
        assert wait_until(lambda: capability.metrics()["frames"] > 5, 60), capability.metrics()  # type: ignore[attr-defined]
        answer = hub.answer(device, hub.send(device, "snapshot", args={"max_side": 240, "quality": 70})["id"])
        assert answer["ok"] is True, answer
        result = answer["result"]
        jpeg = base64.b64decode(result["jpeg_base64"])
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None and max(image.shape[:2]) == 240 == max(result["width"], result["height"])
        assert len(jpeg) == result["bytes"] < 60_000 and result["age_s"] < 5
    with psycopg.connect(hub.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM ingest_rejects").fetchone() == (0,)


def test_show_alert_puts_the_hubs_notice_on_the_door_screen_and_a_screenless_device_refuses(
    mosquitto: MosquittoBroker, hub: Hub, tmp_path: Path
) -> None:
    """The door portal's alert as the hub sends it (`show_alert`): the agent's screen feed serves it in its
    state (protocol.terminal.Notice) until it expires; a device without a screen answers `unavailable`."""
    import json
    import urllib.request

    from tests.services import free_port

    port = free_port()
    settings = agent_settings(
        mosquitto, tmp_path / "door", simulated={"enabled": True, "interval_s": 0.5, "count": None},
        screen={"enabled": True, "port": port},
    )  # fmt: skip
    provision(hub.database_url, settings.device_id)
    agent = Agent(settings)
    device = settings.device_id
    args = {"title_vi": "CẢNH BÁO: tài sản TS-1 ra cổng", "title_en": "ALERT: asset TS-1 leaving",
            "text_vi": "Máy tính TS-1 — Cổng nhà A", "text_en": "Computer TS-1 — Gate A", "show_s": 30}  # fmt: skip
    with running_agent(agent):
        assert agent.link is not None and agent.link.wait_connected(10)
        shown = hub.answer(device, hub.send(device, "show_alert", args=args)["id"])
        assert shown["ok"] is True and shown["result"]["shown"] is True, shown
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/state.json", timeout=10) as answer:
            state = json.loads(answer.read())
        assert state["notice"]["title_vi"] == "CẢNH BÁO: tài sản TS-1 ra cổng"
        assert state["notice"]["text_en"] == "Computer TS-1 — Gate A"

    plain = simulated_agent(mosquitto, hub, tmp_path / "plain")
    with running_agent(plain):
        assert plain.link is not None and plain.link.wait_connected(10)
        refused = hub.answer(
            plain.settings.device_id, hub.send(plain.settings.device_id, "show_alert", args=args)["id"]
        )
        assert (refused["ok"], refused["code"]) == (False, "unavailable")


def test_show_alert_reaches_a_meeting_rooms_display_page(mosquitto: MosquittoBroker, hub: Hub, tmp_path: Path) -> None:
    """A portal at a meeting room's door whose display is the room's screen: the alert is served in the display
    page's state (`alert`) until it expires, over the room's state, and is not kept on disk."""
    import json
    import urllib.request

    from tests.services import free_port

    port = free_port()
    settings = agent_settings(
        mosquitto, tmp_path / "room", display={"enabled": True, "room": "phong-301", "port": port},
    )  # fmt: skip
    provision(hub.database_url, settings.device_id)
    agent = Agent(settings)
    device = settings.device_id
    args = {"title_vi": "CẢNH BÁO: tài sản TS-7 ra cửa phòng họp", "title_en": "ALERT: asset TS-7 leaving the room",
            "text_vi": "Máy chiếu TS-7", "text_en": "Projector TS-7", "show_s": 30}  # fmt: skip
    with running_agent(agent):
        assert agent.link is not None and agent.link.wait_connected(10)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/state.json", timeout=10) as answer:
            assert json.loads(answer.read())["alert"] is None
        shown = hub.answer(device, hub.send(device, "show_alert", args=args)["id"])
        assert shown["ok"] is True and shown["result"]["on"] == "room display", shown
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/state.json", timeout=10) as answer:
            state = json.loads(answer.read())
        assert state["alert"]["title_vi"] == "CẢNH BÁO: tài sản TS-7 ra cửa phòng họp"
        assert state["alert"]["text_en"] == "Projector TS-7" and state["room_id"] == "phong-301"
    assert "TS-7" not in "".join(p.read_text(errors="replace") for p in (tmp_path / "room").glob("display-state*"))
