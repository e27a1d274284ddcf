"""The one way the hub makes an MQTT client: ingest, the command channel and the config publisher.

Every hub client speaks the settings' protocol version ([mqtt] version), logs in with the hub's account
or its client certificate, verifies the broker's certificate over TLS, and reconnects with the same
backoff. A client that must not lose what the broker queued for it while it was away (ingest, command
replies) asks for a persistent session: clean_session=False in 3.1.1, clean_start=False plus a session
expiry in v5.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Literal

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from protocol.broker_url import BrokerAddress

KEEPALIVE_S = 30
RECONNECT_MIN_S, RECONNECT_MAX_S = 1, 10


@dataclass(frozen=True)
class MqttLogin:
    """Where the broker is and how the hub logs in (the runtime makes one from the [mqtt] settings)."""

    broker: BrokerAddress
    username: str
    password: str | None  # None: a client certificate is the login
    version: Literal["3.1.1", "5"] = "3.1.1"
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None


def new_client(login: MqttLogin, client_id: str, *, persistent: bool = False, manual_ack: bool = False) -> mqtt.Client:
    """A paho client (callback API 2) with the login, TLS and reconnect backoff set; callbacks are the caller's."""
    if login.version == "5":  # v5 has no clean_session: a persistent session is asked for when connecting
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=manual_ack,
        )
    else:
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=not persistent,
            protocol=mqtt.MQTTv311,
            manual_ack=manual_ack,
        )
    if login.password is not None:  # with a client certificate the broker needs no password
        client.username_pw_set(login.username, login.password)
    if login.broker.tls:
        client.tls_set(
            ca_certs=login.ca_file, certfile=login.cert_file, keyfile=login.key_file, cert_reqs=ssl.CERT_REQUIRED
        )
    client.reconnect_delay_set(min_delay=RECONNECT_MIN_S, max_delay=RECONNECT_MAX_S)
    return client


def connect_async(client: mqtt.Client, login: MqttLogin, *, session_expiry_s: int | None = None) -> None:
    """Connect in the background (the caller starts paho's loop). `session_expiry_s`: v5's persistent session
    (clean_start=False, kept this long by the broker); ignored in 3.1.1, where `new_client(persistent=True)`
    already asked for it."""
    if login.version == "5" and session_expiry_s is not None:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = session_expiry_s
        client.connect_async(
            login.broker.host, login.broker.port, keepalive=KEEPALIVE_S, clean_start=False, properties=properties
        )
    else:
        client.connect_async(login.broker.host, login.broker.port, keepalive=KEEPALIVE_S)
