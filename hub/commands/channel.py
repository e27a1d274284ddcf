"""The hub's MQTT side of commands: publishes them, receives the replies.

Its own client (not ingest's): commands are sent by API nodes too, and a command must not
wait behind a batch of events. Replies are few, so they are stored one at a time, on a worker
thread, and acknowledged to the broker after COMMIT (manual ack) — the same rule as events:
a reply is never lost between the broker and the database.

With MQTT v5 (`mqtt_version = "5"`, Mosquitto or EMQX) each command carries a message expiry
equal to its ttl, so the broker drops it unseen once stale. MQTT 3.1.1 (the embedded amqtt)
has no such property; the device's own check of `expires_at` is then the only guard.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Literal

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from psycopg_pool import ConnectionPool, PoolTimeout

from hub.commands.service import CommandsUnavailable, ReplyOutcome, dead_letter_refused, handle_reply
from hub.db import describe_error, is_refusal
from hub.mqtt import MqttLogin, connect_async, new_client
from hub.supervisor import SupervisedThread
from protocol.broker_url import BrokerAddress
from protocol.topics import Topics

log = logging.getLogger(__name__)

#: MQTT v5 session expiry of the channel's persistent session (replies queue while the hub restarts)
SESSION_EXPIRY_S = 7 * 86_400


@dataclass(frozen=True)
class ChannelConfig:
    broker: BrokerAddress
    username: str
    password: str | None
    client_id: str
    mqtt_version: Literal["3.1.1", "5"] = "3.1.1"
    shared_subscription: bool = False
    tls_ca_file: str | None = None
    tls_cert_file: str | None = None
    tls_key_file: str | None = None
    publish_timeout_s: float = 5.0

    @property
    def login(self) -> MqttLogin:
        """The broker login for hub.mqtt's client factory."""
        return MqttLogin(self.broker, self.username, self.password, self.mqtt_version, self.tls_ca_file,
                         self.tls_cert_file, self.tls_key_file)  # fmt: skip


@dataclass(frozen=True)
class _Reply:
    generation: int
    mid: int
    qos: int
    topic: str
    payload: bytes


class CommandChannel:
    """Implements `CommandPublisher`; `start()` connects in the background, `stop()` disconnects."""

    def __init__(self, config: ChannelConfig, pool: ConnectionPool) -> None:
        self.config = config
        self._pool = pool
        self._connected = threading.Event()
        self._stopping = threading.Event()
        self._replies: queue.Queue[_Reply] = queue.Queue(maxsize=1000)
        self._generation = 0
        self._worker = SupervisedThread("command-replies", self._store_loop, self._stopping)
        self.stored = 0
        self.rejected = 0
        self._client = self._make_client()

    @property
    def v5(self) -> bool:
        return self.config.mqtt_version == "5"

    def _make_client(self) -> mqtt.Client:
        client = new_client(self.config.login, self.config.client_id, persistent=True, manual_ack=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._worker.start()
        connect_async(self._client, self.config.login, session_expiry_s=SESSION_EXPIRY_S)
        self._client.loop_start()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def stop(self) -> None:
        self._stopping.set()
        self._worker.join(timeout=10)
        self._client.disconnect()
        self._client.loop_stop()
        self._connected.clear()

    # -- publishing ------------------------------------------------------------------------
    def publish_command(self, device_id: str, payload: bytes, ttl_s: int) -> bool:
        """QoS 1 with a v5 message expiry of `ttl_s`. True once the broker acknowledged it; False
        when it did not within the timeout (paho keeps it and sends it after a reconnect). Raises
        CommandsUnavailable when paho would not take it at all."""
        properties = None
        if self.v5:
            properties = Properties(PacketTypes.PUBLISH)
            properties.MessageExpiryInterval = int(ttl_s)
        info = self._client.publish(Topics(device_id).commands, payload, qos=1, properties=properties)
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            raise CommandsUnavailable(f"the broker link refused the command: {mqtt.error_string(info.rc)}")
        try:
            info.wait_for_publish(self.config.publish_timeout_s)
        except (RuntimeError, ValueError) as exc:
            log.warning("command to %s not yet acknowledged by the broker: %s", device_id, exc)
            return False
        return info.is_published()

    # -- replies ---------------------------------------------------------------------------
    def _on_connect(self, client: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        if getattr(reason, "is_failure", False):
            log.error("broker refused the command channel: %s", reason)
            return
        topic = Topics.all_replies()
        client.subscribe(Topics.shared(topic) if self.config.shared_subscription else topic, qos=1)
        self._connected.set()
        log.info("command channel connected to %s", self.config.broker.url)

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        self._connected.clear()
        self._generation += 1
        if not self._stopping.is_set():
            log.warning("command channel lost the broker (%s); reconnecting", reason)

    def _on_message(self, _c: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        item = _Reply(self._generation, message.mid, message.qos, message.topic, bytes(message.payload))
        while not self._stopping.is_set():
            try:
                self._replies.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _store_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                item = self._replies.get(timeout=0.2)
            except queue.Empty:
                continue
            self._store(item)

    def _dead_letter_refused(self, item: _Reply, exc: BaseException) -> bool:
        """Keep a reply the database refused (with its reason) so the others go on; False on an outage."""
        try:
            with self._pool.connection() as conn, conn.transaction():
                dead_letter_refused(conn, item.topic, item.payload, describe_error(exc))
        except (psycopg.Error, PoolTimeout, OSError):
            return False
        log.error("reply on %s dead-lettered, the database refused it: %s", item.topic, describe_error(exc))
        return True

    def _store(self, item: _Reply) -> None:
        delay = 0.5
        while not self._stopping.is_set():
            try:
                with self._pool.connection() as conn:
                    outcome = handle_reply(conn, item.topic, item.payload)
                break
            except (psycopg.Error, PoolTimeout, OSError) as exc:
                if is_refusal(None, exc) and self._dead_letter_refused(item, exc):
                    outcome = ReplyOutcome("rejected", "db_refused")
                    break
                log.warning("database unavailable for a command reply (%s); retrying in %.1fs", exc, delay)
                self._stopping.wait(delay)
                delay = min(delay * 2, 10.0)
        else:
            return  # stopping: unacknowledged, the broker delivers it again to the next session
        if outcome.kind == "rejected":
            self.rejected += 1
        else:
            self.stored += 1
        if item.qos > 0 and item.generation == self._generation:
            self._client.ack(item.mid, item.qos)
