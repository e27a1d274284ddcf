"""The hub's MQTT v5 client: a persistent v5 session and a shared subscription that splits the load."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from hub.db import open_pool
from hub.ingest.consumer import IngestService
from hub.ingest.records import IngestConfig
from hub.settings import ConfigError, HubSettings
from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from tests.hubstack import attendance_event, device_client, provision, publish, snapshot_store
from tests.services import MosquittoBroker


def _worker(broker: MosquittoBroker, database_url: str, name: str, files: Path) -> tuple[IngestService, object]:
    pool = open_pool(database_url, 4, name=f"ingest-{name}")
    service = IngestService(
        IngestConfig(
            broker=BrokerAddress(broker.host, broker.port, tls=False),
            username=broker.hub_username,
            password=broker.hub_password,
            client_id=f"cces-hub-{name}",
            worker=name,
            batch_wait_s=0.02,
            shared_subscription=True,
            mqtt_version="5",
        ),
        pool,
        snapshot_store(files),
    )
    service.start()
    assert service.wait_connected(20), f"{name} did not connect over MQTT v5"
    return service, pool


def _rows(database_url: str) -> tuple[int, int]:
    with psycopg.connect(database_url) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM attendance_events").fetchone()
    return total, distinct


def test_two_v5_workers_on_a_shared_subscription_split_the_events_and_store_each_once(
    mosquitto_factory, database_url: str, tmp_path: Path
) -> None:
    broker: MosquittoBroker = mosquitto_factory()
    credentials = provision(database_url, "v5-door-01", broker)
    workers = [_worker(broker, database_url, f"v5-{i}", tmp_path / f"files-{i}") for i in range(2)]
    try:
        device = device_client(BrokerAddress(broker.host, broker.port, tls=False), credentials)
        for seq in range(1, 401):
            publish(device, Topics("v5-door-01").events, attendance_event("v5-door-01", seq=seq))
        device.loop_stop()
        device.disconnect()
        deadline = time.monotonic() + 30
        while _rows(database_url)[0] < 400 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _rows(database_url) == (400, 400)
        shares = [service.counters.accepted for service, _ in workers]
        assert sum(shares) == 400
        assert all(share > 0 for share in shares), f"the broker gave one v5 worker everything: {shares}"
    finally:
        for service, pool in workers:
            service.stop()
            pool.close()  # type: ignore[attr-defined]


def test_v5_session_keeps_events_published_while_the_hub_is_away(
    mosquitto_factory, database_url: str, tmp_path: Path
) -> None:
    """clean_start=False + a session expiry: the broker queues QoS 1 events for the absent v5 hub."""
    broker: MosquittoBroker = mosquitto_factory()
    credentials = provision(database_url, "v5-door-02", broker)
    service, pool = _worker(broker, database_url, "v5-away", tmp_path / "files")
    service.stop()
    pool.close()  # type: ignore[attr-defined]
    device = device_client(BrokerAddress(broker.host, broker.port, tls=False), credentials)
    for seq in range(1, 51):
        publish(device, Topics("v5-door-02").events, attendance_event("v5-door-02", seq=seq))
    device.loop_stop()
    device.disconnect()
    assert _rows(database_url) == (0, 0)
    service, pool = _worker(broker, database_url, "v5-away", tmp_path / "files")
    try:
        deadline = time.monotonic() + 20
        while _rows(database_url)[0] < 50 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _rows(database_url) == (50, 50)
    finally:
        service.stop()
        pool.close()  # type: ignore[attr-defined]


def test_mqtt_v5_with_the_embedded_broker_is_a_clear_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="amqtt speaks MQTT 3.1.1"):
        HubSettings.load(data_dir=tmp_path, mqtt_version="5")
    assert HubSettings.load(data_dir=tmp_path, mqtt_url="mqtt://broker:1883", mqtt_version="5").mqtt.version == "5"
