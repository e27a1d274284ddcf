"""The agent and its MQTT link against a real Mosquitto: delivery, outage replay, Last Will.

These tests start real processes (Mosquitto, and the agent itself for the Last Will), never
mocks; they skip when Mosquitto is not installed (the fixtures do that).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from edge_agent.agent import Agent
from edge_agent.link import MqttLink
from edge_agent.outbox import Outbox
from edge_agent.settings import SimulatedSettings
from protocol import DeviceStatus, Telemetry, parse_event
from protocol.envelope import AttendanceFaceEvent
from protocol.topics import Topics
from tests.edge_agent.helpers import (
    RecordingSimulated,
    Subscriber,
    agent_settings,
    running_agent,
    subscriber,
    unique,
    wait_until,
    write_config,
)
from tests.edge_agent.test_outbox import attendance
from tests.services import MosquittoBroker

pytestmark = pytest.mark.mosquitto
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_agent_delivers_every_simulated_event(mosquitto: MosquittoBroker, tmp_path: Path) -> None:
    n = 40
    settings = agent_settings(mosquitto, tmp_path, simulated=SimulatedSettings(enabled=True, interval_s=0.01, count=n))
    topics = Topics(settings.device_id)
    capability = RecordingSimulated(settings.simulated)
    agent = Agent(settings, capabilities=[capability])
    with subscriber(mosquitto, [topics.events, topics.telemetry, topics.status]) as sub:
        with running_agent(agent):
            assert wait_until(lambda: len(sub.on(topics.events)) >= n, 15), mosquitto.log()[-2000:]
            box = agent.outbox
            assert box is not None
            assert wait_until(lambda: box.stats().pending_count == 0, 10)
        events = [parse_event(m.payload) for m in sub.on(topics.events)]
        statuses = [DeviceStatus.model_validate_json(m.payload) for m in sub.on(topics.status)]
        beats = [Telemetry.model_validate_json(m.payload) for m in sub.on(topics.telemetry)]
    assert len(events) == n
    assert len({e.id for e in events}) == n
    assert [e.seq for e in events] == list(range(1, n + 1))  # in order, no gap
    assert {e.id for e in events} == {e.id for e in capability.events}
    assert all(e.device_id == settings.device_id for e in events)
    assert statuses[0].online and statuses[0].capabilities == ["simulated"]
    assert not statuses[-1].online and statuses[-1].reason == "shutdown"
    assert beats and beats[0].device_id == settings.device_id
    with Outbox(settings.outbox_path) as reopened:
        assert reopened.stats().pending_count == 0


def test_backlog_is_replayed_in_order_then_live_events(mosquitto: MosquittoBroker, tmp_path: Path) -> None:
    """Events stored while offline go out oldest first, original timestamps kept, live ones behind."""
    settings = agent_settings(mosquitto, tmp_path)
    topics = Topics(settings.device_id)

    def event(seq: int) -> AttendanceFaceEvent:
        return attendance(seq).model_copy(update={"device_id": settings.device_id})

    box = Outbox(settings.outbox_path)
    backlog = [box.put_new_event(event)[1] for _ in range(300)]  # more than max_inflight
    time.sleep(0.05)
    with subscriber(mosquitto, [topics.events]) as sub:
        link = MqttLink(settings, box)
        link.start()
        try:
            assert link.wait_connected(10)
            live = [box.put_new_event(event)[1] for _ in range(20)]
            assert wait_until(lambda: len(sub.on(topics.events)) >= 320, 15)
            assert wait_until(lambda: box.stats().pending_count == 0, 10)
        finally:
            link.stop()
            box.close()
        received = [parse_event(m.payload) for m in sub.on(topics.events)]
    assert [e.seq for e in received] == list(range(1, 321))
    assert [e.ts for e in received[:300]] == [
        e.ts.replace(microsecond=e.ts.microsecond // 1000 * 1000) for e in backlog
    ]
    assert [e.id for e in received[300:]] == [e.id for e in live]


def test_broker_outage_loses_nothing(mosquitto_factory: Callable[[], MosquittoBroker], tmp_path: Path) -> None:
    broker = mosquitto_factory()
    settings = agent_settings(broker, tmp_path, simulated=SimulatedSettings(enabled=True, interval_s=0.02, count=250))
    topics = Topics(settings.device_id)
    capability = RecordingSimulated(settings.simulated)
    agent = Agent(settings, capabilities=[capability])
    # the hub's side: a persistent session, so the broker queues for it across the restart
    with subscriber(broker, [topics.events], clean_session=False) as sub:
        with running_agent(agent):
            assert wait_until(lambda: len(sub.on(topics.events)) >= 20, 10)
            broker.stop()
            emitted_at_stop = len(capability.events)
            time.sleep(3)  # the agent keeps emitting into its outbox
            assert len(capability.events) > emitted_at_stop + 50, "capabilities must not block on the network"
            assert agent.link is not None and not agent.link.connected
            broker.start()
            assert capability.inner.finished.wait(20)
            emitted = {e.id for e in capability.events}
            assert len(emitted) == 250

            def all_arrived() -> bool:
                return emitted <= {parse_event(m.payload).id for m in sub.on(topics.events)}

            assert wait_until(all_arrived, 20), broker.log()[-2000:]
            box = agent.outbox
            assert box is not None
            assert wait_until(lambda: box.stats().pending_count == 0, 10)
            assert agent.link.connects >= 2
        received = [parse_event(m.payload) for m in sub.on(topics.events)]
    assert {e.id for e in received} == emitted  # every id at least once, nothing else
    first_seen: dict[object, int] = {}
    for e in received:
        first_seen.setdefault(e.id, e.seq)
    assert sorted(first_seen.values()) == list(range(1, 251))


def _spawn_agent(config: Path, log_file: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCES_AGENT_")}
    env["PYTHONPATH"] = f"{REPO_ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return subprocess.Popen(
        [sys.executable, "-m", "edge_agent", "--config", str(config)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file.open("wb"),
    )


def _latest_status(sub: Subscriber, topic: str) -> DeviceStatus | None:
    found = sub.on(topic)
    return DeviceStatus.model_validate_json(found[-1].payload) if found else None


@pytest.mark.parametrize(("sig", "reason"), [(signal.SIGKILL, "last-will"), (signal.SIGTERM, "shutdown")])
def test_status_goes_offline_on_kill_and_on_shutdown(
    mosquitto: MosquittoBroker, tmp_path: Path, sig: signal.Signals, reason: str
) -> None:
    settings = agent_settings(mosquitto, tmp_path / "data", simulated=SimulatedSettings(enabled=True, interval_s=0.2))
    topic = Topics(settings.device_id).status
    log_file = tmp_path / "agent.log"
    proc = _spawn_agent(write_config(tmp_path / "agent.toml", settings), log_file)
    try:
        with subscriber(mosquitto, [topic]) as sub:

            def online() -> bool:
                status = _latest_status(sub, topic)
                return status is not None and status.online

            assert wait_until(online, 15), f"agent never came online ({proc.poll()=}): {log_file.read_text()}"
        proc.send_signal(sig)
        code = proc.wait(15)
        if sig == signal.SIGTERM:
            assert code == 0, log_file.read_text()
        # a new subscriber sees the retained status: the broker's view now
        with subscriber(mosquitto, [topic]) as late:

            def offline() -> bool:
                status = _latest_status(late, topic)
                return status is not None and not status.online

            assert wait_until(offline, 10)
            status = _latest_status(late, topic)
            assert status is not None and status.reason == reason
            assert late.on(topic)[-1].retain
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_unique_device_ids_do_not_collide() -> None:
    assert unique("dev") != unique("dev")
