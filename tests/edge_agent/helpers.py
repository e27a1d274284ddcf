"""Test helpers for the edge agent: a recording MQTT subscriber, config files, a threaded agent."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from edge_agent.agent import Agent
from edge_agent.capabilities.base import E, EventSink
from edge_agent.capabilities.simulated import SimulatedCapability
from edge_agent.outbox_file import Event
from edge_agent.settings import AgentSettings, SimulatedSettings
from tests.services import MosquittoBroker

_names = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other test in this session uses (the session broker is shared)."""
    return f"{prefix}-{next(_names)}-{int(time.time() * 1000) % 100000}"


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


@dataclass
class Received:
    topic: str
    payload: bytes
    retain: bool

    def json(self) -> Any:
        return json.loads(self.payload)


@dataclass
class Subscriber:
    """A plain paho client standing in for the hub: records every message it gets."""

    broker: MosquittoBroker
    topics: list[str]
    clean_session: bool = True
    client_id: str = field(default_factory=lambda: unique("test-sub"))
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    subscribed: threading.Event = field(default_factory=threading.Event)
    client: mqtt.Client | None = None

    def start(self, timeout: float = 10.0) -> Subscriber:
        # the broker's ACL lets only the hub's user read device topics; this client is the hub
        username, password = self.broker.hub_username, self.broker.hub_password
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv311,
            clean_session=self.clean_session,
        )
        client.username_pw_set(username, password)
        client.reconnect_delay_set(1, 1)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_subscribe = lambda *args: self.subscribed.set()
        client.connect_async(self.broker.host, self.broker.port, keepalive=10)
        client.loop_start()
        self.client = client
        if not self.subscribed.wait(timeout):
            raise TimeoutError(f"subscriber could not subscribe; broker log:\n{self.broker.log()[-2000:]}")
        return self

    def stop(self) -> None:
        if self.client is not None:
            self.client.disconnect()
            self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: Any, props: Any) -> None:
        if rc.is_failure:
            return
        client.subscribe([(topic, 1) for topic in self.topics])

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        with self.lock:
            self.messages.append(Received(message.topic, bytes(message.payload), bool(message.retain)))

    def on(self, topic: str) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if m.topic == topic]


@contextmanager
def subscriber(broker: MosquittoBroker, topics: list[str], clean_session: bool = True) -> Iterator[Subscriber]:
    sub = Subscriber(broker, topics, clean_session=clean_session).start()
    try:
        yield sub
    finally:
        sub.stop()


def agent_settings(
    broker: MosquittoBroker, data_dir: Path, device_id: str | None = None, **overrides: Any
) -> AgentSettings:
    """Settings for a device with its own broker user, on a bare broker: no hub sends commit receipts,
    so the outbox trusts the broker's PUBACK (`await_receipts` off, as for a broker with no CCES hub)."""
    device_id = device_id or unique("dev")
    password = f"pw-{device_id}"
    broker.add_user(device_id, password)
    values: dict[str, Any] = {
        "device_id": device_id,
        "mqtt_url": broker.url,
        "username": device_id,
        "password": password,
        "data_dir": data_dir,
        "reconnect_max_delay_s": 1,
        "telemetry_interval_s": 1.0,
        "await_receipts": False,
    }
    values.update(overrides)
    return AgentSettings(**values)


def write_config(path: Path, settings: AgentSettings) -> Path:
    """The TOML a provisioning bundle would hold for `settings`."""
    sim = settings.simulated
    lines = [
        f'device_id = "{settings.device_id}"',
        f'mqtt_url = "{settings.mqtt_url}"',
        f'username = "{settings.username}"',
        f'password = "{settings.password.get_secret_value() if settings.password else ""}"',
        f'data_dir = "{settings.data_dir}"',
        f"telemetry_interval_s = {settings.telemetry_interval_s}",
        f"reconnect_max_delay_s = {settings.reconnect_max_delay_s}",
        f"await_receipts = {'true' if settings.await_receipts else 'false'}",
        "[simulated]",
        f"enabled = {'true' if sim.enabled else 'false'}",
        f"interval_s = {sim.interval_s}",
    ]
    if sim.count is not None:
        lines.append(f"count = {sim.count}")
    path.write_text("\n".join(lines) + "\n")
    return path


class _RecordingSink:
    def __init__(self, inner: EventSink, events: list[Event], lock: threading.Lock) -> None:
        self._inner, self._events, self._lock = inner, events, lock

    @property
    def device_id(self) -> str:
        return self._inner.device_id

    @property
    def last_seq(self) -> int:
        return self._inner.last_seq

    def emit(self, build: Callable[[int], E]) -> E:
        event = self._inner.emit(build)
        with self._lock:
            self._events.append(event)
        return event


class RecordingSimulated:
    """The simulated capability, remembering every event it stored (what the hub must receive)."""

    name = "simulated"

    def __init__(self, settings: SimulatedSettings) -> None:
        self.inner = SimulatedCapability(settings)
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def start(self, sink: EventSink) -> None:
        self.inner.start(_RecordingSink(sink, self._events, self._lock))

    def stop(self) -> None:
        self.inner.stop()

    @property
    def events(self) -> list[Event]:
        with self._lock:
            return list(self._events)


@contextmanager
def running_agent(agent: Agent, timeout: float = 30.0) -> Iterator[Agent]:
    """Run `agent` on a thread; stop it (cleanly) on exit."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            agent.run(stop)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread below
            errors.append(exc)

    thread = threading.Thread(target=target, name="test-agent", daemon=True)
    thread.start()
    if not agent.started.wait(timeout):
        stop.set()
        raise TimeoutError(f"agent did not start: {errors}")
    try:
        yield agent
    finally:
        stop.set()
        thread.join(timeout=20)
        assert not thread.is_alive(), "agent did not stop within 20 s"
        if errors:
            raise errors[0]
