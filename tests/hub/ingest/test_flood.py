"""Nothing a broker acknowledged is lost on the default setup (issue 12, item 2), amqtt and Mosquitto.

A device that floods and disconnects while the broker still holds a backlog for the hub lost the
tail on amqtt (83,200 acknowledged, 48,195 stored); a real agent stopped 2 s into replaying its
outbox lost events too (15,000 → 12,984). Both runs must store every event exactly once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from protocol.topics import Topics
from tests.edge_agent.helpers import wait_until
from tests.edge_agent.test_exactly_once_to_hub import outbox_state
from tests.hubstack import IngestStack, attendance_event, provision
from tests.services import free_port

pytestmark = [pytest.mark.timeout(420), pytest.mark.slow]

FLOOD = 10_000
REPLAY = 15_000


def _settled_count(stack: IngestStack, device_id: str, expected: int, timeout: float) -> int:
    """The device's stored events once the count reached `expected` or stopped moving for 10 s."""
    deadline = time.monotonic() + timeout
    last, still_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = stack.scalar("SELECT count(*) FROM attendance_events WHERE device_id = %s", device_id)
        if count == expected:
            time.sleep(1.0)  # a duplicate still on its way would show now
            return int(stack.scalar("SELECT count(*) FROM attendance_events WHERE device_id = %s", device_id))
        if count != last:
            last, still_since = count, time.monotonic()
        elif time.monotonic() - still_since > 10:
            return int(count)
        time.sleep(0.2)
    return int(last)


def test_a_device_that_floods_then_disconnects_loses_nothing_the_broker_acknowledged(
    ingest_stack: IngestStack,
) -> None:
    device = "door-flood-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device, protocol=mqtt.MQTTv311)
    client.username_pw_set(credentials.username, credentials.password)
    client.max_inflight_messages_set(100)
    client.connect(ingest_stack.broker.host, ingest_stack.broker.port)
    client.loop_start()
    assert wait_until(client.is_connected, 10)
    sent = [
        client.publish(Topics(device).events, json.dumps(attendance_event(device, seq=i)), qos=1) for i in range(FLOOD)
    ]
    for info in sent:
        info.wait_for_publish(120)
    assert all(info.is_published() for info in sent)  # every one acknowledged by the broker
    client.disconnect()  # at once, while the broker still holds a backlog for the hub
    client.loop_stop()

    assert _settled_count(ingest_stack, device, FLOOD, 300) == FLOOD
    distinct, seqs = ingest_stack.query(
        "SELECT count(DISTINCT id), count(DISTINCT seq) FROM attendance_events WHERE device_id = %s", device
    )[0]
    assert distinct == seqs == FLOOD


def _agent_config(data_dir: Path, device: str, password: str, url: str) -> Path:
    """An agent.toml as a person writes it: nothing said about receipts, so the default holds."""
    config = data_dir / "agent.toml"
    config.write_text(
        "\n".join(
            [
                f'device_id = "{device}"',
                f'mqtt_url = "{url}"',
                f'username = "{device}"',
                f'password = "{password}"',
                f'data_dir = "{data_dir}"',
                "reconnect_max_delay_s = 1",
                "max_inflight = 1000",
                "[simulated]",
                "enabled = true",
                "interval_s = 0.0001",
                f"count = {REPLAY}",
            ]
        )
        + "\n"
    )
    return config


def _agent(config: Path) -> subprocess.Popen[bytes]:
    log = open(config.parent / "agent.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)], stdout=log, stderr=log)


def test_a_real_agent_killed_early_in_its_replay_loses_nothing(ingest_stack: IngestStack, tmp_path: Path) -> None:
    device = "door-replay-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    data_dir = tmp_path / device
    data_dir.mkdir()
    # offline first (no broker at that port): the outbox fills with every event
    offline = _agent(_agent_config(data_dir, device, credentials.password, f"mqtt://127.0.0.1:{free_port()}"))
    try:
        assert wait_until(lambda: outbox_state(data_dir) == (REPLAY, REPLAY), 120), outbox_state(data_dir)
    finally:
        offline.terminate()
        offline.wait(30)

    config = _agent_config(data_dir, device, credentials.password, ingest_stack.broker.url)
    replaying = _agent(config)

    def stored() -> int:
        return int(ingest_stack.scalar("SELECT count(*) FROM attendance_events WHERE device_id = %s", device))

    # killed early in the replay (the run stopped it 2 s in; a quiet machine replays all 15,000 in
    # less than that, so the stop follows the replay rather than the clock)
    assert wait_until(lambda: stored() >= 500, 60, interval=0.01)
    replaying.kill()  # a crash: a clean stop would flush the whole outbox first
    replaying.wait(60)
    stored_at_stop = ingest_stack.scalar("SELECT count(*) FROM attendance_events WHERE device_id = %s", device)
    assert 0 < stored_at_stop < REPLAY, "the stop must fall inside the replay for this test to mean anything"

    again = _agent(config)
    try:
        assert _settled_count(ingest_stack, device, REPLAY, 300) == REPLAY
        assert wait_until(lambda: outbox_state(data_dir) == (REPLAY, 0), 60), outbox_state(data_dir)
    finally:
        again.terminate()
        again.wait(30)
    rows, distinct, seqs = ingest_stack.query(
        "SELECT count(*), count(DISTINCT id), count(DISTINCT seq) FROM attendance_events WHERE device_id = %s",
        device,
    )[0]
    assert rows == distinct == seqs == REPLAY
