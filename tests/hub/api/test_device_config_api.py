"""GET/PATCH /api/v1/devices/{id}/config: the desired config, published retained with a new version."""

from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg
from fastapi.testclient import TestClient
from paho.mqtt.enums import CallbackAPIVersion

from hub.accounts import audit
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.devices.config import DeviceConfigService
from hub.devices.config_publisher import MqttConfigPublisher
from hub.galleries.runtime import BiometricsRuntime
from hub.galleries.service import GalleryService
from protocol.broker_url import BrokerAddress
from protocol.config import DeviceConfig
from tests.hub.api.conftest import Api
from tests.services import MosquittoBroker


def retained_config(broker: MosquittoBroker, device_id: str) -> DeviceConfig:
    """What a device subscribing now receives (the retained message), read as the hub's user."""
    got = threading.Event()
    seen: list[bytes] = []
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"reader-{secrets.token_hex(3)}")
    client.username_pw_set(broker.hub_username, broker.hub_password)
    client.on_message = lambda _c, _u, m: (seen.append(bytes(m.payload)), got.set())
    client.on_connect = lambda c, *_: c.subscribe(f"cces/v1/devices/{device_id}/config", 1)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        assert got.wait(10)
    finally:
        client.loop_stop()
        client.disconnect()
    return DeviceConfig.model_validate_json(seen[-1])


def test_an_admin_changes_a_devices_config_and_it_is_published_with_a_new_version(
    api: Api, client: TestClient, org: psycopg.Connection, mosquitto: MosquittoBroker, tmp_path: Path
) -> None:
    org.execute("INSERT INTO devices (device_id, kind, site) VALUES ('door-api-01', 'faceid', 'nb')")
    publisher = MqttConfigPublisher(
        BrokerAddress(mosquitto.host, mosquitto.port, tls=False),
        f"cces-hub-config-{secrets.token_hex(3)}",
        username=mosquitto.hub_username,
        password=mosquitto.hub_password,
    )
    assert publisher.start(10)
    pool, sealer, engines = api.services.pool, Sealer(secrets.token_bytes(32)), EngineCache(tmp_path)
    device_config = DeviceConfigService(
        pool, publisher, gallery_base_url=None, default_pack="yunet-sface", audit=audit.record
    )
    galleries = GalleryService(pool, sealer, engines, default_pack="yunet-sface")
    biometrics = BiometricsService(pool, sealer, engines, check_pack="yunet-sface")
    api.services.attach_biometrics(BiometricsRuntime(biometrics, galleries, device_config, publisher, 900))
    try:
        first = client.get("/api/v1/devices/door-api-01/config")
        assert first.status_code == 200 and first.json()["applied_version"] is None
        changed = client.patch(
            "/api/v1/devices/door-api-01/config",
            json={"threshold": 0.45, "cooldown_s": 30, "camera": {"device": "rtsp://cam-1/stream"}},
        )
        assert changed.status_code == 200, changed.text
        body = changed.json()
        assert body["threshold"] == 0.45 and body["desired_version"] == 1 and body["updated_by"] == "admin"
        config = retained_config(mosquitto, "door-api-01")
        assert config.version == 1 and config.faceid is not None and config.faceid.threshold == 0.45
        assert config.faceid.camera is not None and config.faceid.camera.device == "rtsp://cam-1/stream"

        again = client.patch("/api/v1/devices/door-api-01/config", json={"threshold": None})
        assert again.json()["desired_version"] == 2 and again.json()["threshold"] is None
        assert retained_config(mosquitto, "door-api-01").version == 2

        bad = client.patch("/api/v1/devices/door-api-01/config", json={"threshold": 3})
        assert bad.status_code == 422
        assert client.get("/api/v1/devices/door-api-01/config").json()["desired_version"] == 2  # unchanged
        assert client.patch("/api/v1/devices/door-none-01/config", json={"cooldown_s": 5}).status_code == 404
        audited = org.execute("SELECT after FROM audit_log WHERE action = 'device.config' ORDER BY id").fetchall()
        assert len(audited) == 2 and json.dumps(audited[0][0]).count("0.45") == 1
    finally:
        publisher.stop()
