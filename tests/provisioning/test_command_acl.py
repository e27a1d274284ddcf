"""Broker ACLs for commands and replies: a device reads only its own commands and writes only its own replies.

Both brokers we ship: Mosquitto with the TLS configuration and ACL file `cces provision broker-config`
writes (certificate CN = identity), and the embedded amqtt with its ACL plugin (passwords).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hub.embedded.broker import EmbeddedBroker
from hub.embedded.broker_plugins import device_may_publish, device_may_read
from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from tests.hubstack import HUB_USER, provision
from tests.provisioning.tlskit import TlsBroker, connect, enroll, hub_identity
from tests.services import free_port

pytestmark = pytest.mark.timeout(120)


class Recorder:
    def __init__(self, client: mqtt.Client) -> None:
        self.client = client
        self.got: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()
        client.on_message = self._on_message

    def _on_message(self, _c: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        with self.lock:
            self.got.append((message.topic, bytes(message.payload)))

    def payloads(self) -> list[bytes]:
        with self.lock:
            return [p for _, p in self.got]

    def subscribe(self, topic: str) -> None:
        done = threading.Event()
        self.client.on_subscribe = lambda *_: done.set()
        self.client.subscribe(topic, 1)
        assert done.wait(5)


def settle(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)
    return predicate()


def exercise(hub: Recorder, device_a: Recorder, reconnect_a: Callable[[], Recorder]) -> None:
    """The rules, whatever the broker: A gets its own commands only; only A's own replies reach the hub."""
    a, b = Topics("door-acl-a"), Topics("door-acl-b")
    device_a.subscribe(a.commands)
    device_a.subscribe(b.commands)  # refused or silently empty: either way nothing of B's may arrive
    hub.subscribe(Topics.all_replies())
    hub.subscribe(a.commands)  # to see whether a device can inject commands
    for topic, payload in ((b.commands, b"for-b"), (a.commands, b"for-a")):
        hub.client.publish(topic, payload, qos=1).wait_for_publish(5)
    assert settle(lambda: b"for-a" in device_a.payloads())
    time.sleep(0.3)
    assert device_a.payloads() == [b"for-a"], "a device read another device's commands"

    device_a.client.publish(b.replies, b"forged-reply", qos=1)  # Mosquitto may close A for it
    device_a.client.publish(a.commands, b"self-made-command", qos=1)
    device_a = reconnect_a()
    device_a.client.publish(a.replies, b"own-reply", qos=1).wait_for_publish(5)
    assert settle(lambda: b"own-reply" in hub.payloads())
    time.sleep(0.3)
    assert [p for p in hub.payloads() if p != b"for-a"] == [b"own-reply"], hub.got


def test_mosquitto_with_certificates(tls_broker: TlsBroker, tmp_path: Path) -> None:
    identity = enroll(tls_broker.ca, "door-acl-a", tmp_path)
    enroll(tls_broker.ca, "door-acl-b", tmp_path)
    hub_client, ok = connect(tls_broker, "cces-hub-acl", hub_identity(tls_broker))
    assert ok
    clients = [hub_client]

    def device() -> Recorder:
        client, ok = connect(tls_broker, "door-acl-a", identity)
        assert ok
        clients.append(client)
        return Recorder(client)

    try:
        exercise(Recorder(hub_client), device(), device)
    finally:
        for client in clients:
            client.disconnect()
            client.loop_stop()


def test_embedded_broker_with_passwords(database_url: str) -> None:
    password = secrets.token_urlsafe(16)
    port = free_port()
    broker = EmbeddedBroker("127.0.0.1", port, database_url, HUB_USER, password, hub_client_id="unused-ingest")
    broker.start()
    credentials = provision(database_url, "door-acl-a")
    provision(database_url, "door-acl-b")
    address = BrokerAddress("127.0.0.1", port, tls=False)
    clients: list[mqtt.Client] = []

    def login(client_id: str, username: str, secret: str) -> Recorder:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
        client.username_pw_set(username, secret)
        connected = threading.Event()
        client.on_connect = lambda *_: connected.set()
        client.connect(address.host, address.port, keepalive=30)
        client.loop_start()
        assert connected.wait(10)
        clients.append(client)
        return Recorder(client)

    try:
        hub = login("cces-hub-acl", HUB_USER, password)
        exercise(
            hub,
            login("door-acl-a", "door-acl-a", credentials.password),
            lambda: login("door-acl-a", "door-acl-a", credentials.password),
        )
    finally:
        for client in clients:
            client.disconnect()
            client.loop_stop()
        broker.stop()


def test_the_embedded_rules_as_written() -> None:
    a = Topics("door-acl-a")
    assert device_may_read("door-acl-a", None, a.commands)
    assert device_may_publish("door-acl-a", a.replies)
    assert not device_may_read("door-acl-a", None, Topics("door-acl-b").commands)
    assert not device_may_publish("door-acl-a", Topics("door-acl-b").replies)
    assert not device_may_publish("door-acl-a", a.commands)
    assert not device_may_read("door-acl-a", None, Topics.all_replies())
    assert not device_may_read("door-acl-a", None, "cces/v1/devices/+/commands")
