"""Commands through a real broker to a device connection and back, stored in a real database."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import psycopg
import pytest
from fastapi.testclient import TestClient
from paho.mqtt.enums import CallbackAPIVersion

from protocol.commands import Command, CommandReply
from protocol.topics import Topics
from tests.hub.commands.conftest import CommandStack, start_stack, stop_stack

pytestmark = pytest.mark.timeout(120)


def wait_until(predicate, timeout: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def reply_to(command: Command, ok: bool = True, **fields: object) -> str:
    return CommandReply(command_id=command.id, ok=ok, ts=datetime.now(UTC), **fields).model_dump_json()


def test_a_command_reaches_its_device_and_the_reply_is_stored(commands_stack: CommandStack) -> None:
    device = commands_stack.device("door-cmd-01")
    other = commands_stack.device("door-cmd-02")
    try:
        sent = commands_stack.client.post(
            "/api/v1/devices/door-cmd-01/commands", json={"name": "snapshot", "args": {"max_side": 200}, "ttl_s": 60}
        )
        assert sent.status_code == 202, sent.text
        body = sent.json()
        assert body["state"] == "pending" and body["issued_by"] == "admin" and body["args"]["max_side"] == 200
        assert wait_until(lambda: len(device.received) == 1)
        command = Command.model_validate_json(device.received[0])
        assert str(command.id) == body["id"] and command.name == "snapshot"
        assert (command.expires_at - command.issued_at).total_seconds() == 60
        assert other.received == []  # only the addressed device gets it

        device.reply(reply_to(command, result={"jpeg_base64": "AAAA", "width": 200}))
        url = f"/api/v1/devices/door-cmd-01/commands/{command.id}"
        assert wait_until(lambda: commands_stack.client.get(url).json()["state"] == "replied")
        stored = commands_stack.client.get(url).json()
        assert stored["ok"] is True and stored["result"] == {"jpeg_base64": "AAAA", "width": 200}
        listed = commands_stack.client.get("/api/v1/devices/door-cmd-01/commands").json()
        assert listed["total"] == 1 and listed["items"][0]["id"] == str(command.id)

        # QoS 1 may deliver a reply twice: the second copy changes nothing and is no dead letter
        device.reply(reply_to(command, ok=False, code="failed", error="late copy"))
        time.sleep(0.5)
        assert commands_stack.client.get(url).json()["ok"] is True
        assert commands_stack.scalar("SELECT count(*) FROM ingest_rejects") == 0
    finally:
        device.stop()
        other.stop()


def test_bad_replies_are_dead_lettered_with_their_reason_and_change_nothing(commands_stack: CommandStack) -> None:
    device = commands_stack.device("door-cmd-03")
    intruder = commands_stack.device("door-cmd-04")
    try:
        sent = commands_stack.client.post("/api/v1/devices/door-cmd-03/commands", json={"name": "ping"}).json()
        assert wait_until(lambda: len(device.received) == 1)
        command = Command.model_validate_json(device.received[0])

        device.reply(b"{not json")
        device.reply(json.dumps({"command_id": str(command.id), "ok": True}))  # no ts
        device.reply(reply_to(Command(**{**command.model_dump(), "id": uuid.uuid4()})))  # no such command
        intruder.reply(reply_to(command))  # door-cmd-04 answering door-cmd-03's command, on its own topic
        expected = {"bad_reply": 2, "unknown_command": 1, "wrong_device": 1}

        def reasons() -> dict[str, int]:
            with psycopg.connect(commands_stack.database_url) as conn:
                rows = conn.execute("SELECT reason, count(*) FROM ingest_rejects GROUP BY reason").fetchall()
            return {r: int(n) for r, n in rows}

        assert wait_until(lambda: reasons() == expected), reasons()
        assert (
            commands_stack.scalar("SELECT topic FROM ingest_rejects WHERE reason = 'wrong_device'")
            == Topics("door-cmd-04").replies
        )
        assert commands_stack.client.get(f"/api/v1/devices/door-cmd-03/commands/{sent['id']}").json()["state"] == (
            "pending"
        )
    finally:
        device.stop()
        intruder.stop()


def test_refused_requests_store_nothing(commands_stack: CommandStack) -> None:
    commands_stack.device("door-cmd-05").stop()
    client = commands_stack.client
    unknown_name = client.post("/api/v1/devices/door-cmd-05/commands", json={"name": "format_disk"})
    assert unknown_name.status_code == 422 and "unknown command" in unknown_name.json()["detail"]
    bad_args = client.post(
        "/api/v1/devices/door-cmd-05/commands", json={"name": "snapshot", "args": {"max_side": 99999}}
    )
    assert bad_args.status_code == 422 and "max_side" in bad_args.json()["detail"]
    extra = client.post("/api/v1/devices/door-cmd-05/commands", json={"name": "ping", "args": {"x": 1}})
    assert extra.status_code == 422
    assert client.post("/api/v1/devices/door-cmd-05/commands", json={"name": "ping", "ttl_s": 0}).status_code == 422
    assert client.post("/api/v1/devices/door-nobody/commands", json={"name": "ping"}).status_code == 404
    assert client.get("/api/v1/devices/door-nobody/commands").status_code == 404
    assert commands_stack.scalar("SELECT count(*) FROM device_commands") == 0


def test_an_unanswered_command_expires(commands_stack: CommandStack) -> None:
    commands_stack.device("door-cmd-06").stop()
    sent = commands_stack.client.post("/api/v1/devices/door-cmd-06/commands", json={"name": "ping", "ttl_s": 1})
    assert sent.status_code == 202
    time.sleep(1.2)
    listed = commands_stack.client.get("/api/v1/devices/door-cmd-06/commands").json()
    assert [c["state"] for c in listed["items"]] == ["expired"]


def test_without_a_broker_connection_nothing_is_stored(commands_stack: CommandStack) -> None:
    commands_stack.device("door-cmd-07").stop()
    commands_stack.channel.stop()
    refused = commands_stack.client.post("/api/v1/devices/door-cmd-07/commands", json={"name": "ping"})
    assert refused.status_code == 503
    assert commands_stack.scalar("SELECT count(*) FROM device_commands") == 0


def offline_device_backlog(stack: CommandStack, device_id: str) -> list[Command]:
    """A device with a persistent session goes offline; two commands are sent (ttl 1 s and 60 s);
    after 2.5 s it comes back: what does the broker still hand it?"""
    registered = stack.device(device_id)
    registered.stop()
    received: list[bytes] = []

    def session() -> mqtt.Client:
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=device_id, protocol=mqtt.MQTTv311, clean_session=False
        )
        client.username_pw_set(device_id, registered.password)
        client.on_connect = lambda c, *_: c.subscribe(Topics(device_id).commands, 1)
        client.on_message = lambda _c, _u, m: received.append(bytes(m.payload))
        client.connect(stack.broker.host, stack.broker.port, keepalive=30)
        client.loop_start()
        return client

    first = session()
    time.sleep(0.5)
    first.disconnect()
    first.loop_stop()
    for ttl in (1, 60):
        sent = stack.client.post(f"/api/v1/devices/{device_id}/commands", json={"name": "ping", "ttl_s": ttl})
        assert sent.status_code == 202, sent.text
    time.sleep(2.5)
    second = session()
    try:
        wait_until(lambda: len(received) >= 2, timeout=3)
        return [Command.model_validate_json(p) for p in received]
    finally:
        second.disconnect()
        second.loop_stop()


def test_mqtt_v5_message_expiry_drops_a_stale_command_at_the_broker(database_url: str) -> None:
    stack = start_stack("mosquitto", database_url, mqtt_version="5")
    try:
        backlog = offline_device_backlog(stack, "door-cmd-08")
        assert [round((c.expires_at - c.issued_at).total_seconds()) for c in backlog] == [60]
    finally:
        stop_stack(stack)


def test_over_mqtt_3_1_1_the_stale_command_still_arrives_and_only_expires_at_guards_it(database_url: str) -> None:
    stack = start_stack("mosquitto", database_url, mqtt_version="3.1.1")
    try:
        backlog = offline_device_backlog(stack, "door-cmd-09")
        assert sorted(round((c.expires_at - c.issued_at).total_seconds()) for c in backlog) == [1, 60]
        stale = min(backlog, key=lambda c: c.expires_at)
        assert stale.expires_at < datetime.now(UTC)  # the device refuses it (tests/edge_agent/test_commands.py)
    finally:
        stop_stack(stack)


def test_commands_need_a_device_admin(commands_stack: CommandStack) -> None:
    commands_stack.device("door-cmd-11").stop()
    anonymous = TestClient(commands_stack.client.app)
    assert anonymous.post("/api/v1/devices/door-cmd-11/commands", json={"name": "ping"}).status_code == 401
    assert anonymous.get("/api/v1/devices/door-cmd-11/commands").status_code == 401
    assert commands_stack.scalar("SELECT count(*) FROM device_commands") == 0
