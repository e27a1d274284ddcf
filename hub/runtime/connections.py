"""Where the hub's database and broker are: the configured production ones, else the embedded ones it
starts in the data dir (PostgreSQL from the `pgserver` wheel; Mosquitto when installed, else amqtt)."""

from __future__ import annotations

import logging

from hub.embedded.broker import EmbeddedBroker
from hub.embedded.mosquitto import EmbeddedMosquitto, find_mosquitto
from hub.embedded.postgres import EmbeddedPostgres
from hub.settings import ConfigError, HubSettings
from protocol.broker_url import BrokerAddress

log = logging.getLogger("hub.runtime")


def resolve_database(settings: HubSettings) -> tuple[str, EmbeddedPostgres | None]:
    """The database URL to use, starting the embedded server when none is configured."""
    if settings.database.url:
        return settings.database.url, None
    embedded = EmbeddedPostgres(settings.data_dir)
    return embedded.start(), embedded


def device_broker_url(settings: HubSettings) -> str:
    """The broker URL devices should use (no credentials in it)."""
    if settings.mqtt.device_url:
        return settings.mqtt.device_url
    if settings.mqtt.url:
        return BrokerAddress.parse(settings.mqtt.url).url
    return f"mqtt://{settings.mqtt.embedded_host}:{settings.mqtt.embedded_port}"


def production_broker(s: HubSettings) -> tuple[BrokerAddress, str | None]:
    """The configured broker (CCES_MQTT_URL) and the hub's password for it; a ConfigError when the hub
    has neither a password nor a client certificate."""
    assert s.mqtt.url
    broker = BrokerAddress.parse(s.mqtt.url)
    password = (s.mqtt.password.get_secret_value() if s.mqtt.password else None) or broker.password
    if not password and not s.mqtt.cert_file:
        raise ConfigError(
            "the broker needs CCES_MQTT_PASSWORD (or a password in CCES_MQTT_URL) or a client"
            " certificate (CCES_MQTT_CERT_FILE and CCES_MQTT_KEY_FILE)"
        )
    return broker, password


def embedded_broker(s: HubSettings, database_url: str, password: str) -> EmbeddedBroker | EmbeddedMosquitto:
    """The embedded broker to start (not started): Mosquitto when it is installed (or asked for), else amqtt
    in this process."""
    binary = find_mosquitto() if s.mqtt.embedded_broker in ("auto", "mosquitto") else None
    if s.mqtt.embedded_broker == "mosquitto" and binary is None:
        raise ConfigError(
            "CCES_EMBEDDED_MQTT_BROKER=mosquitto but no mosquitto binary is installed"
            " (Debian/Ubuntu: apt-get install mosquitto)"
        )
    if binary is not None:
        return EmbeddedMosquitto(
            binary,
            s.mqtt.embedded_host,
            s.mqtt.embedded_port,
            s.data_dir / "mosquitto",
            database_url,
            s.mqtt.username,
            password,
        )
    log.info("Mosquitto is not installed: the embedded broker is amqtt (MQTT 3.1.1, in this process)")
    return EmbeddedBroker(
        s.mqtt.embedded_host,
        s.mqtt.embedded_port,
        database_url,
        s.mqtt.username,
        password,
        hub_client_id=s.mqtt.client_id,
    )
