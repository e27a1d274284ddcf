"""The hub's MQTT connection for retained device configs (separate from ingest's).

Ingest's client has a persistent session and manual acknowledgements tuned for taking in
events; configs are few, retained, and must be confirmed one by one (PUBACK) before the hub
records a version as published, so they get a small client of their own with the same broker
identity (password or client certificate) as ingest.
"""

from __future__ import annotations

import logging
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

from hub.mqtt import MqttLogin, connect_async, new_client
from protocol.broker_url import BrokerAddress

log = logging.getLogger(__name__)


class MqttConfigPublisher:
    def __init__(
        self,
        broker: BrokerAddress,
        client_id: str,
        *,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        cert_file: str | None = None,
        key_file: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.broker = broker
        self.timeout_s = timeout_s
        self._connected = threading.Event()
        # MQTT 3.1.1 whatever the hub's version: a retained publish with PUBACK is all it needs
        self._login = MqttLogin(broker, username or "", password, "3.1.1", ca_file, cert_file, key_file)
        self._client = new_client(self._login, client_id)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = lambda *_: self._connected.clear()

    def _on_connect(self, _client: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        if getattr(reason, "is_failure", False):
            log.error("broker refused the hub's config publisher: %s", reason)
            return
        self._connected.set()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def start(self, wait_s: float = 10.0) -> bool:
        connect_async(self._client, self._login)
        self._client.loop_start()
        return self._connected.wait(wait_s)

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def publish_retained(self, topic: str, payload: bytes) -> bool:
        if not self._connected.is_set():  # not waiting: a sync over 500 devices must not stall on a dead broker
            return False
        info = self._client.publish(topic, payload, qos=1, retain=True)
        if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return False
        try:
            info.wait_for_publish(timeout=self.timeout_s)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()
