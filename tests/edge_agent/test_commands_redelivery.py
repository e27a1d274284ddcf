"""A command delivered more than once (the hub's re-send, QoS 1) runs once on a real agent, through Mosquitto.

The hub publishes the same command id again while the agent is still carrying it out and after it
answered; the agent runs it once, answers every copy with the first answer, and the hub keeps one
reply. What this relies on is edge_agent.commands' memory of answered ids, checked here end to end.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from edge_agent.agent import Agent
from hub.commands import repository as commands_repo
from hub.commands.service import wire_command
from tests.edge_agent.helpers import agent_settings, running_agent, wait_until
from tests.hub.commands.conftest import CommandStack, start_stack, stop_stack
from tests.hubstack import provision

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def hub(database_url: str) -> Iterator[CommandStack]:
    stack = start_stack("mosquitto", database_url)
    yield stack
    stop_stack(stack)


def test_a_command_delivered_again_runs_once_and_keeps_one_reply(hub: CommandStack, tmp_path: Path) -> None:
    settings = agent_settings(
        hub.broker_handle, tmp_path / "device", simulated={"enabled": True, "interval_s": 0.5, "count": None}
    )
    device_id = settings.device_id
    provision(hub.database_url, device_id)
    agent = Agent(settings)
    with running_agent(agent):
        assert agent.link is not None and agent.link.wait_connected(10)
        runner = agent.commands
        assert runner is not None
        before = agent.capabilities[0]
        sent = hub.client.post(
            f"/api/v1/devices/{device_id}/commands",
            json={"name": "restart_capability", "args": {"capability": "simulated"}, "ttl_s": 60},
        )
        assert sent.status_code == 202, sent.text
        command_id = uuid.UUID(sent.json()["id"])
        with hub.pool.connection() as conn:
            record = commands_repo.get_command(conn, command_id)
        assert record is not None
        assert hub.channel.publish_command(device_id, wire_command(record), 60)  # again, while it runs

        url = f"/api/v1/devices/{device_id}/commands/{command_id}"
        assert wait_until(lambda: hub.client.get(url).json()["state"] == "replied", 20)
        first = hub.client.get(url).json()
        assert first["ok"] is True and first["result"]["restarted"] is True
        replaced = agent.capabilities[0]
        assert replaced is not before
        for _ in range(2):  # and after it answered
            assert hub.channel.publish_command(device_id, wire_command(record), 60)
        assert wait_until(lambda: hub.channel.stored >= 4, 20), hub.channel.stored  # every copy was answered
        time.sleep(0.5)

        assert agent.capabilities[0] is replaced  # not restarted again by a copy
        assert runner.handled == 1 and runner.refused == 0
        assert hub.client.get(url).json() == first  # one reply: the copies changed nothing
    assert hub.scalar("SELECT count(*) FROM device_commands") == 1
    assert hub.scalar("SELECT count(*) FROM ingest_rejects WHERE topic LIKE '%%/replies'") == 0
