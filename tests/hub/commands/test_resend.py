"""Commands are sent again until their device answers or they expire (real broker, database, ingest, agent).

Devices connect with a clean session: what the hub publishes while a device is offline is lost at
the broker. The hub sends a pending command again when ingest commits the device's "online" and,
for an online device that has not answered, every `interval_s`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from edge_agent.agent import Agent
from edge_agent.settings import AgentSettings
from hub.commands import service as commands_service
from protocol.commands import Command
from tests.edge_agent.helpers import agent_settings, running_agent
from tests.hub.commands.conftest import CommandStack, FakeDevice, attach_resend, start_stack, stop_stack
from tests.hub.commands.test_commands import reply_to, wait_until
from tests.hubstack import provision

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(params=["amqtt", "mosquitto"])
def manual_resend(request: pytest.FixtureRequest, database_url: str) -> Iterator[CommandStack]:
    """Ingest and the re-send wired as in `cces hub`, the re-send's rounds run by the test (every `MANUAL_S`)."""
    stack = attach_resend(start_stack(request.param, database_url), interval_s=MANUAL_S, run_thread=False)
    yield stack
    stop_stack(stack)


@pytest.fixture
def running_resend(database_url: str) -> Iterator[CommandStack]:
    """Mosquitto, ingest and the re-send on its own thread, as `cces hub` runs it (interval `INTERVAL_S`)."""
    stack = attach_resend(start_stack("mosquitto", database_url), interval_s=INTERVAL_S, run_thread=True)
    yield stack
    stop_stack(stack)


INTERVAL_S = 4.0
MANUAL_S = 1.5


def send(stack: CommandStack, device_id: str, name: str = "ping", **body: Any) -> dict[str, Any]:
    sent = stack.client.post(f"/api/v1/devices/{device_id}/commands", json={"name": name, **body})
    assert sent.status_code == 202, sent.text
    return dict(sent.json())


def read(stack: CommandStack, device_id: str, command_id: str) -> dict[str, Any]:
    got = stack.client.get(f"/api/v1/devices/{device_id}/commands/{command_id}")
    assert got.status_code == 200, got.text
    return dict(got.json())


def online_device(stack: CommandStack, device_id: str) -> FakeDevice:
    """A device that subscribed, then said it is online, and that ingest has marked online."""
    device = stack.device(device_id)
    device.announce(online=True)
    assert wait_until(lambda: stack.scalar("SELECT online FROM devices WHERE device_id = %s", device_id) is True)
    return device


def ids(device: FakeDevice) -> list[str]:
    return [str(Command.model_validate_json(p).id) for p in device.received]


def test_a_device_coming_online_gets_its_pending_commands_at_once(database_url: str) -> None:
    """The re-send interval is a minute here: only ingest's "online" can bring the command this fast."""
    stack = attach_resend(start_stack("mosquitto", database_url), interval_s=60.0, run_thread=True)
    try:
        stack.device("door-rs-01").stop()  # registered, then offline
        command = send(stack, "door-rs-01", ttl_s=120)
        assert command["attempts"] == 1 and command["last_sent_at"] is not None
        device = stack.device("door-rs-01")  # back, subscribed, not yet announced: nothing waits for it
        time.sleep(0.5)
        assert device.received == []
        device.announce(online=True)
        assert wait_until(lambda: ids(device) == [command["id"]], timeout=10), ids(device)
        again = Command.model_validate_json(device.received[0])
        stored_expiry = datetime.fromisoformat(command["expires_at"])
        assert abs((again.expires_at - stored_expiry).total_seconds()) < 0.001  # same expiry (the wire has ms)
        assert read(stack, "door-rs-01", command["id"])["attempts"] == 2
        device.reply(reply_to(again, result={"pong": True}))
        assert wait_until(lambda: read(stack, "door-rs-01", command["id"])["state"] == "replied")
        device.stop()
    finally:
        stop_stack(stack)


def registered_agent(stack: CommandStack, tmp_path: Path) -> AgentSettings:
    """A simulated agent's settings, its device registered at the hub (not started: offline)."""
    settings = agent_settings(
        stack.broker_handle, tmp_path / "device", simulated={"enabled": True, "interval_s": 0.5, "count": None}
    )
    provision(stack.database_url, settings.device_id)
    return settings


def test_an_offline_device_runs_the_command_once_when_it_connects_and_the_reply_is_stored(
    running_resend: CommandStack, tmp_path: Path
) -> None:
    stack = running_resend
    settings = registered_agent(stack, tmp_path)
    device_id = settings.device_id
    command = send(stack, device_id, "restart_capability", args={"capability": "simulated"}, ttl_s=120)
    assert command["state"] == "pending" and command["attempts"] == 1  # published once, to nobody
    time.sleep(1.0)

    agent = Agent(settings)
    with running_agent(agent):
        runner = agent.commands
        assert runner is not None
        assert wait_until(lambda: read(stack, device_id, command["id"])["state"] == "replied", timeout=3 * INTERVAL_S)
        answered = read(stack, device_id, command["id"])
        assert answered["ok"] is True and answered["result"]["restarted"] is True, answered
        assert answered["attempts"] >= 2
        replaced = agent.capabilities[0]
        time.sleep(2.5 * INTERVAL_S)  # two periodic rounds: an answered command is not sent again
        assert agent.capabilities[0] is replaced  # the restart ran once
        assert runner.handled == 1 and runner.refused == 0
        assert read(stack, device_id, command["id"])["attempts"] == answered["attempts"]
        assert read(stack, device_id, command["id"])["replied_at"] == answered["replied_at"]
    assert stack.scalar("SELECT count(*) FROM ingest_rejects WHERE topic LIKE '%%/replies'") == 0


def test_a_command_that_expires_before_its_device_returns_is_never_delivered_and_shows_expired(
    running_resend: CommandStack, tmp_path: Path
) -> None:
    stack = running_resend
    settings = registered_agent(stack, tmp_path)
    device_id = settings.device_id
    command = send(stack, device_id, "restart_capability", args={"capability": "simulated"}, ttl_s=2)
    time.sleep(2.5)

    agent = Agent(settings)
    with running_agent(agent):
        runner = agent.commands
        assert runner is not None
        assert wait_until(lambda: stack.scalar("SELECT online FROM devices WHERE device_id = %s", device_id) is True)
        instance = agent.capabilities[0]
        time.sleep(1.5 * INTERVAL_S)  # the "online" round and a periodic one have passed
        assert runner.handled == 0 and runner.refused == 0  # nothing arrived, not even to be refused
        assert agent.capabilities[0] is instance
    expired = read(stack, device_id, command["id"])
    assert (expired["state"], expired["attempts"], expired["replied_at"], expired["ok"]) == ("expired", 1, None, None)
    listed = stack.client.get(f"/api/v1/devices/{device_id}/commands").json()
    assert [(c["id"], c["state"]) for c in listed["items"]] == [(command["id"], "expired")]


def test_the_periodic_round_sends_only_unanswered_unexpired_commands_of_online_devices(
    manual_resend: CommandStack,
) -> None:
    stack = manual_resend
    assert stack.resender is not None
    device = online_device(stack, "door-rs-02")
    stack.device("door-rs-03").stop()  # registered, never online
    stack.resender.run_once()  # the "online" of door-rs-02 was announced: nothing pending yet
    try:
        answered = send(stack, "door-rs-02", ttl_s=120)
        waiting = send(stack, "door-rs-02", ttl_s=120)
        short = send(stack, "door-rs-02", ttl_s=1)
        elsewhere = send(stack, "door-rs-03", ttl_s=120)
        assert wait_until(lambda: len(device.received) == 3)
        first = {str(c.id): c for c in map(Command.model_validate_json, device.received)}
        device.reply(reply_to(first[answered["id"]]))
        assert wait_until(lambda: read(stack, "door-rs-02", answered["id"])["state"] == "replied")
        time.sleep(MANUAL_S + 0.1)  # `short` has expired; the others were sent more than the interval ago

        assert stack.resender.run_once() == 1
        assert stack.resender.run_once() == 0  # just sent: not again within the interval
        assert wait_until(lambda: len(device.received) == 4)
        time.sleep(0.5)
        assert ids(device)[3:] == [waiting["id"]]  # not the answered one, not the expired one, not elsewhere
        commands = [("door-rs-02", answered), ("door-rs-02", waiting), ("door-rs-02", short), ("door-rs-03", elsewhere)]
        attempts = [read(stack, d, c["id"])["attempts"] for d, c in commands]
        assert attempts == [1, 2, 1, 1]
        assert read(stack, "door-rs-02", short["id"])["state"] == "expired"  # marked by the round, unread

        time.sleep(MANUAL_S + 0.1)
        assert stack.resender.run_once() == 1 and read(stack, "door-rs-02", waiting["id"])["attempts"] == 3
        device.reply(reply_to(first[waiting["id"]]))
        assert wait_until(lambda: read(stack, "door-rs-02", waiting["id"])["state"] == "replied")
        time.sleep(MANUAL_S + 0.1)
        assert stack.resender.run_once() == 0  # everything answered or expired: nothing goes out
        time.sleep(0.5)
        assert len(device.received) == 5
    finally:
        device.stop()


def test_without_a_broker_link_nothing_is_claimed_or_counted(manual_resend: CommandStack) -> None:
    stack = manual_resend
    assert stack.resender is not None
    device = online_device(stack, "door-rs-04")
    try:
        stack.resender.run_once()  # door-rs-04's "online": nothing pending yet
        command = send(stack, "door-rs-04", ttl_s=120)
        assert wait_until(lambda: len(device.received) == 1)
        time.sleep(MANUAL_S + 0.1)
        stack.channel.stop()
        assert stack.resender.run_once() == 0
        assert commands_service.resend_pending(stack.pool, stack.channel, None, 0.0) == 0
        assert read(stack, "door-rs-04", command["id"])["attempts"] == 1
    finally:
        device.stop()
