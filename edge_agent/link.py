"""The MQTT link: publishes what the outbox holds, and deletes a row only on its PUBACK.

Why it is shaped like this:
- Capabilities never wait for the network; they write to the outbox. This link is the only
  reader, with one publisher thread, so the publish order is the outbox's id order: after an
  outage the backlog is replayed oldest first and live events queue behind it. Payloads are
  published byte for byte as stored, so the original timestamps are kept.
- At most `max_inflight` publishes are unacknowledged at a time. The publisher keeps a
  mid → outbox-id map; paho's `on_publish` (PUBACK for QoS 1, socket write for QoS 0) only
  queues the mid, and the publisher thread, which registered the mid when `publish()`
  returned, matches it and marks the rows sent in one transaction. Doing the matching on
  the publisher thread avoids both a race (an ack before the mid is registered) and a
  deadlock (paho calls `on_publish` with its own message lock held, which `publish()` takes).
- On a new connection the map is forgotten and publishing restarts at the oldest pending row.
  Rows published before the drop but not acknowledged are therefore sent again (and paho may
  resend its own copies): duplicates, which the hub removes by event id. Never loss.
- Status is retained: `online=true` on every connect, `online=false` as the Last Will (the
  broker publishes it when the connection dies without a DISCONNECT) and on a clean shutdown.
  It is not history, so it goes straight to the broker, not through the outbox.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.reasoncodes import ReasonCode

from edge_agent.outbox import Outbox
from edge_agent.settings import AgentSettings
from protocol.receipts import CommitReceipt
from protocol.status import DeviceStatus
from protocol.topics import Topics

log = logging.getLogger(__name__)

STATUS_QOS = 1
_IDLE_WAIT_S = 1.0


class MqttLink:
    """One device's connection to the broker, fed from the outbox."""

    def __init__(self, settings: AgentSettings, outbox: Outbox, capabilities: Sequence[str] = ()) -> None:
        self._settings = settings
        self._outbox = outbox
        self._topics = Topics(settings.device_id)
        self._capabilities = list(capabilities)
        self._max_inflight = settings.max_inflight

        self._wake = threading.Event()  # new rows, acks, (dis)connects, stop
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._acks: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._session = 0  # bumped by the network thread on each successful CONNACK
        self._publisher: threading.Thread | None = None

        # owned by the publisher thread only
        self._inflight: dict[int, int | None] = {}  # mid -> outbox id (None: a status message)
        self._cursor = 0  # highest outbox id published in the current session
        self._seen_session = 0

        self.connects = 0
        self.published = 0
        self.acknowledged = 0
        self.confirmed = 0  # events the hub's receipts deleted (receipt mode)
        self._next_requeue_check = 0.0
        self._handlers: dict[str, tuple[int, Callable[[bytes], None]]] = {}  # topic -> (qos, handler)
        # a subscription added while paho connects is either in on_connect's list or subscribed by `subscribe`
        self._subscribing = threading.Lock()

        self._tls: ssl.SSLContext | None = None
        self._client = self._make_client()
        outbox.add_listener(self._wake.set)

    # -- public ----------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def subscribe(self, topic: str, qos: int, handler: Callable[[bytes], None]) -> None:
        """Subscribe to `topic` on every connection and hand each message's payload to `handler`.

        The handler runs on paho's network thread: it must only queue the work (commands, config)."""
        with self._subscribing:
            self._handlers[topic] = (qos, handler)
            if self.connected:
                self._client.subscribe(topic, qos=qos)

    def unsubscribe(self, topic: str) -> None:
        """Stop receiving `topic` (now, and on later connections)."""
        with self._subscribing:
            if self._handlers.pop(topic, None) is not None and self.connected:
                self._client.unsubscribe(topic)

    def reload_identity(self, cert_file: str, key_file: str) -> None:
        """Use a renewed certificate: load it for the next handshakes, then reconnect with it.

        A clean DISCONNECT (no Last Will: the device is not going away) and a new connection; rows
        in flight are published again on the new session, as after any reconnect. Not to be called
        from paho's thread."""
        if self._tls is None:
            raise RuntimeError("this link does not use TLS")
        self._tls.load_cert_chain(cert_file, key_file)  # raises before anything changes if the pair is bad
        self._client.disconnect()
        self._client.loop_stop()
        self._connected.clear()
        broker = self._settings.broker
        self._client.connect_async(broker.host, broker.port, keepalive=self._settings.keepalive_s)
        self._client.loop_start()
        log.info("reconnecting to %s with the renewed certificate", broker.url)

    def start(self) -> None:
        """Connect in the background (retrying with backoff) and start publishing."""
        if self._publisher is not None:
            raise RuntimeError("link already started")
        broker = self._settings.broker
        self._client.connect_async(broker.host, broker.port, keepalive=self._settings.keepalive_s)
        self._client.loop_start()
        self._publisher = threading.Thread(target=self._run, name="mqtt-publisher", daemon=True)
        self._publisher.start()

    def stop(self, reason: str = "shutdown", flush_timeout_s: float = 2.0) -> None:
        """Give pending rows `flush_timeout_s` to be acknowledged, publish offline status, disconnect.

        Rows still pending stay in the outbox and are sent by the next run.
        """
        deadline = time.monotonic() + flush_timeout_s
        while self.connected and self._outbox.stats().pending_count > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self._stop.set()
        self._wake.set()
        if self._publisher is not None:
            self._publisher.join(timeout=10)
            self._publisher = None
        if self.connected:
            info = self._client.publish(
                self._topics.status, self._status(online=False, reason=reason), qos=STATUS_QOS, retain=True
            )
            try:
                info.wait_for_publish(timeout=2.0)
            except (RuntimeError, ValueError) as exc:
                log.warning("could not publish offline status: %s", exc)
        self._client.disconnect()
        self._client.loop_stop()
        self._connected.clear()

    # -- paho client and callbacks (network thread) ----------------------------------------

    def _make_client(self) -> mqtt.Client:
        s = self._settings
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=s.device_id,
            protocol=mqtt.MQTTv311,
            clean_session=True,
        )
        if s.mqtt_username is not None:
            client.username_pw_set(s.mqtt_username, s.mqtt_password)
        if s.broker.tls:
            # our own context (what paho's tls_set builds), kept so a renewed certificate can be loaded into it
            self._tls = ssl.create_default_context(cafile=str(s.tls_ca_file) if s.tls_ca_file else None)
            if s.tls_cert_file:
                self._tls.load_cert_chain(str(s.tls_cert_file), str(s.tls_key_file) if s.tls_key_file else None)
            client.tls_set_context(self._tls)
        client.reconnect_delay_set(s.reconnect_min_delay_s, max(s.reconnect_min_delay_s, s.reconnect_max_delay_s))
        client.max_inflight_messages_set(self._max_inflight)
        client.max_queued_messages_set(0)
        self._set_will(client)
        client.on_pre_connect = self._on_pre_connect
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        client.on_message = self._on_message
        return client

    def _set_will(self, client: mqtt.Client) -> None:
        client.will_set(
            self._topics.status, self._status(online=False, reason="last-will"), qos=STATUS_QOS, retain=True
        )

    def _on_pre_connect(self, client: mqtt.Client, userdata: Any) -> None:
        self._set_will(client)  # so the will's ts is the start of the session it covers

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason_code: ReasonCode, properties: Any
    ) -> None:
        if reason_code.is_failure:
            log.error("broker %s refused the connection: %s", self._settings.broker.url, reason_code)
            return
        log.info("connected to %s as %s", self._settings.broker.url, self._settings.device_id)
        self.connects += 1
        if self._settings.await_receipts:
            client.subscribe(self._topics.receipts, qos=1)
        with self._subscribing:  # (another thread may be adding a subscription right now)
            for topic, (qos, _) in list(self._handlers.items()):
                client.subscribe(topic, qos=qos)
            self._session += 1
            self._connected.set()
        self._wake.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason_code: ReasonCode, properties: Any
    ) -> None:
        was_connected = self._connected.is_set()
        self._connected.clear()
        self._wake.set()
        if was_connected and not self._stop.is_set():
            log.warning("disconnected from %s (%s); will reconnect", self._settings.broker.url, reason_code)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        if (registered := self._handlers.get(message.topic)) is not None:
            try:
                registered[1](bytes(message.payload))
            except Exception:  # a handler's bug must not kill paho's network thread
                log.exception("handler of %s failed", message.topic)
            return
        if message.topic != self._topics.receipts:
            return
        try:
            receipt = CommitReceipt.model_validate_json(message.payload)
        except ValueError:
            log.warning("ignored a malformed commit receipt on %s", message.topic)
            return
        self.confirmed += self._outbox.confirm(str(i) for i in receipt.ids)

    def _on_publish(
        self, client: mqtt.Client, userdata: Any, mid: int, reason_code: ReasonCode, properties: Any
    ) -> None:
        self._acks.put(mid)
        self._wake.set()

    # -- publisher thread ------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:  # e.g. a disk error: keep the thread alive, the rows stay in the outbox
                log.exception("MQTT publisher step failed; retrying in 1 s")
                self._wait(1.0)
        self._collect_acks()

    def _step(self) -> None:
        """One round: record acks, then publish the next pending rows up to `max_inflight`."""
        self._collect_acks()
        if not self._connected.is_set():
            self._wait(_IDLE_WAIT_S)
            return
        session = self._session
        if session != self._seen_session:
            self._begin_session(session)
        self._resend_unconfirmed()
        room = self._max_inflight - len(self._inflight)
        if room <= 0:
            self._wait(_IDLE_WAIT_S)
            return
        items = self._outbox.pending(room, after_id=self._cursor)
        if not items:
            self._wait(_IDLE_WAIT_S)
            return
        for item in items:
            if self._session != session or self._stop.is_set():
                return
            info = self._client.publish(item.topic, item.payload, qos=item.qos, retain=item.retain)
            if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                # not connected (any more), or a mid clash: retry from this row after a pause
                log.debug("publish of outbox row %d deferred: %s", item.id, mqtt.error_string(info.rc))
                self._wait(0.1)
                return
            self._inflight[info.mid] = item.id
            self._cursor = item.id
            self.published += 1

    def _resend_unconfirmed(self) -> None:
        """Receipt mode: events the broker took but the hub never confirmed are published again."""
        if not self._settings.await_receipts or time.monotonic() < self._next_requeue_check:
            return
        self._next_requeue_check = time.monotonic() + min(5.0, self._settings.receipt_timeout_s / 2)
        requeued = self._outbox.requeue_unconfirmed(self._settings.receipt_timeout_s)
        if requeued:
            log.warning(
                "%d event(s) had no commit receipt after %.0fs; publishing them again",
                requeued,
                self._settings.receipt_timeout_s,
            )
            self._cursor = 0  # they are older than the cursor

    def _begin_session(self, session: int) -> None:
        """A new connection: forget what was in flight and start again at the oldest pending row."""
        self._seen_session = session
        self._inflight.clear()
        self._cursor = 0
        info = self._client.publish(self._topics.status, self._status(online=True), qos=STATUS_QOS, retain=True)
        if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
            self._inflight[info.mid] = None

    def _collect_acks(self) -> None:
        done: list[int] = []
        while True:
            try:
                mid = self._acks.get_nowait()
            except queue.Empty:
                break
            if mid in self._inflight:
                row_id = self._inflight.pop(mid)
                if row_id is not None:
                    done.append(row_id)
        if done:
            self.acknowledged += len(done)
            if self._settings.await_receipts:
                self._outbox.mark_published(done)
            else:
                self._outbox.mark_sent(done)

    def _wait(self, timeout: float) -> None:
        self._wake.wait(timeout)
        self._wake.clear()

    def _status(self, online: bool, reason: str | None = None) -> bytes:
        status = DeviceStatus(
            online=online,
            ts=datetime.now(UTC),
            software_version=self._settings.software_version,
            capabilities=self._capabilities,
            reason=reason,
        )
        return status.model_dump_json().encode()
