"""A hub's command side on a real broker (embedded amqtt or Mosquitto) and a real database."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import paho.mqtt.client as mqtt
import psycopg
import pytest
from fastapi.testclient import TestClient
from paho.mqtt.enums import CallbackAPIVersion
from psycopg_pool import ConnectionPool

from hub.api.app import create_app
from hub.commands.channel import ChannelConfig, CommandChannel
from hub.commands.resend import CommandResender, resend_job
from hub.db import open_pool
from hub.ingest.consumer import IngestService
from hub.ingest.records import IngestConfig
from hub.jobs.queue import JobQueue
from hub.services import HubServices
from protocol.broker_url import BrokerAddress
from protocol.status import DeviceStatus
from protocol.topics import Topics
from tests.hubstack import HUB_USER, provision, snapshot_store
from tests.services import MosquittoBroker, find_mosquitto, free_port, new_workdir


@dataclass
class CommandStack:
    database_url: str
    broker: BrokerAddress
    hub_password: str
    broker_handle: Any
    pool: ConnectionPool
    channel: CommandChannel
    client: TestClient
    kind: str
    ingest: IngestService | None = None
    resender: CommandResender | None = None
    jobs: JobQueue | None = None  # the job queue running the periodic re-send round

    def device(self, device_id: str) -> FakeDevice:
        """A registered device connection that records the commands it gets."""
        credentials = provision(self.database_url, device_id, self.broker_handle)
        return FakeDevice(self.broker, device_id, credentials.password).start()

    def scalar(self, sql: str, *params: Any) -> Any:
        with psycopg.connect(self.database_url) as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None


@dataclass
class FakeDevice:
    """A bare MQTT device: subscribes to its commands topic and records what arrives."""

    broker: BrokerAddress
    device_id: str
    password: str
    received: list[bytes] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    client: mqtt.Client | None = None

    def start(self) -> FakeDevice:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=self.device_id, protocol=mqtt.MQTTv311)
        client.username_pw_set(self.device_id, self.password)
        client.on_connect = lambda c, *_: c.subscribe(Topics(self.device_id).commands, 1)
        client.on_subscribe = lambda *_: self.ready.set()
        client.on_message = lambda _c, _u, m: self.received.append(bytes(m.payload))
        client.connect(self.broker.host, self.broker.port, keepalive=30)
        client.loop_start()
        self.client = client
        assert self.ready.wait(10), f"device {self.device_id} could not subscribe"
        return self

    def announce(self, online: bool = True) -> None:
        """The retained status message a device sends after it subscribed (what ingest marks online on)."""
        assert self.client is not None
        status = DeviceStatus(online=online, ts=datetime.now(UTC), software_version="test")
        info = self.client.publish(Topics(self.device_id).status, status.model_dump_json(), qos=1, retain=True)
        info.wait_for_publish(10)

    def reply(self, payload: bytes | str, topic: str | None = None) -> None:
        assert self.client is not None
        info = self.client.publish(topic or Topics(self.device_id).replies, payload, qos=1)
        info.wait_for_publish(10)

    def stop(self) -> None:
        if self.client is not None:
            self.client.disconnect()
            self.client.loop_stop()


ADMIN_PASSWORD = "Quan-tri-thu-nghiem-2026"


def admin_client(services: HubServices) -> TestClient:
    """The API as the first system admin sees it (device commands: system admin / office admin)."""
    import tempfile
    from pathlib import Path

    services.accounts.ensure_first_admin(Path(tempfile.mkdtemp(prefix="cces-admin-")), ADMIN_PASSWORD)
    token = services.accounts.sign_in("admin", ADMIN_PASSWORD).token
    return TestClient(create_app(services), headers={"Authorization": f"Bearer {token}"})


def start_broker(kind: str, database_url: str, password: str) -> tuple[BrokerAddress, Any]:
    if kind == "amqtt":
        from hub.embedded.broker import EmbeddedBroker

        port = free_port()
        broker = EmbeddedBroker("127.0.0.1", port, database_url, HUB_USER, password, hub_client_id="unused-ingest")
        broker.start()
        return BrokerAddress("127.0.0.1", port, tls=False), broker
    if find_mosquitto() is None:
        pytest.skip("mosquitto is not installed")
    mosq = MosquittoBroker(workdir=new_workdir("cces-mosquitto-"), hub_username=HUB_USER, hub_password=password)
    mosq.start()
    return BrokerAddress(mosq.host, mosq.port, tls=False), mosq


def start_stack(kind: str, database_url: str, mqtt_version: Literal["3.1.1", "5"] = "3.1.1") -> CommandStack:
    password = secrets.token_urlsafe(16)
    broker, handle = start_broker(kind, database_url, password)
    pool = open_pool(database_url, 6, name="commands-test")
    channel = CommandChannel(
        ChannelConfig(
            broker=broker,
            username=HUB_USER,
            password=password,
            client_id=f"cces-hub-commands-{secrets.token_hex(3)}",
            mqtt_version=mqtt_version,
        ),
        pool,
    )
    channel.start()
    assert channel.wait_connected(15), "the command channel did not connect"
    client = admin_client(HubServices(pool, None, channel))
    return CommandStack(database_url, broker, password, handle, pool, channel, client, kind)


def attach_resend(stack: CommandStack, interval_s: float, run_thread: bool) -> CommandStack:
    """Ingest (which marks devices online) and the command re-send, wired as `cces hub` wires them: the
    "online" re-sends on the resender's thread, the periodic round as a job of the job queue.

    Without them the re-send runs only when the test calls `run_once` (a deterministic round)."""
    ingest = IngestService(
        IngestConfig(
            broker=stack.broker,
            username=HUB_USER,
            password=stack.hub_password,
            client_id=f"cces-hub-ingest-{secrets.token_hex(3)}",
            worker="resend-test",
            batch_wait_s=0.02,
        ),
        stack.pool,
        snapshot_store(new_workdir("cces-data-")),
    )
    resender = CommandResender(stack.pool, stack.channel, interval_s=interval_s)
    ingest.on_online = resender.devices_online
    ingest.start()
    assert ingest.wait_connected(15), "ingest did not connect"
    if run_thread:
        resender.start()
        stack.jobs = JobQueue(stack.database_url, stack.pool, worker_name="resend-test", poll_s=0.5)
        stack.jobs.add(resend_job(resender))
        stack.jobs.start()
    stack.ingest, stack.resender = ingest, resender
    return stack


def stop_stack(stack: CommandStack) -> None:
    if stack.jobs is not None:
        stack.jobs.stop()
    if stack.resender is not None:
        stack.resender.stop()
    if stack.ingest is not None:
        stack.ingest.stop()
    stack.channel.stop()
    stack.pool.close()
    stack.broker_handle.stop()


@pytest.fixture(params=["amqtt", "mosquitto"])
def commands_stack(request: pytest.FixtureRequest, database_url: str) -> Iterator[CommandStack]:
    stack = start_stack(request.param, database_url)
    yield stack
    stop_stack(stack)
