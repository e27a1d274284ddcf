"""A hub's ingest side wired to a real broker and a real database, for integration tests.

The same classes `cces hub` runs (IngestService, EmbeddedBroker), started in-process so a
test can stop and restart each part and look at the database directly.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion

from hub.biometrics.crypto import load_or_create_key
from hub.db import open_pool
from hub.devices.repository import register_device
from hub.ingest.consumer import IngestService
from hub.ingest.records import IngestConfig
from hub.passwords import hash_secret, mosquitto_hash
from hub.snapshots.store import SnapshotStore
from protocol.broker_url import BrokerAddress
from provisioning.credentials import DeviceCredentials, new_device_credentials
from tests.services import free_port

HUB_USER = "cces-hub"


def snapshot_store(data_dir: Path) -> SnapshotStore:
    """The sealed snapshot store of a hub whose data dir is `data_dir` (key made in its `secrets/`)."""
    return SnapshotStore(data_dir / "snapshots", load_or_create_key(data_dir / "secrets"))


def provision(database_url: str, device_id: str, broker: Any = None) -> DeviceCredentials:
    """Register a device at the hub (and at Mosquitto's password file when given one)."""
    credentials = new_device_credentials(device_id)
    with psycopg.connect(database_url) as conn:
        register_device(
            conn,
            device_id,
            credentials.username,
            hash_secret(credentials.password),
            rotate=True,
            broker_hash=mosquitto_hash(credentials.password),
        )
    if broker is not None and hasattr(broker, "add_user"):
        broker.add_user(credentials.username, credentials.password)
    return credentials


def attendance_event(device_id: str, seq: int = 1, person_id: str = "nv-0001", **overrides: Any) -> dict[str, Any]:
    event = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": device_id,
        "type": "attendance.face",
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "seq": seq,
        "data": {"person_id": person_id, "score": 0.71, "liveness": 0.9, "model": "yunet-sface"},
    }
    event.update(overrides)
    return event


def connect(address: BrokerAddress, credentials: DeviceCredentials) -> tuple[mqtt.Client, Any]:
    """Connect as a device; returns the client (network loop running) and the broker's CONNACK reason."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=credentials.username, protocol=mqtt.MQTTv311)
    client.username_pw_set(credentials.username, credentials.password)
    answers: list[Any] = []
    answered = threading.Event()

    def on_connect(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        answers.append(reason)
        answered.set()

    client.on_connect = on_connect
    client.connect(address.host, address.port, keepalive=30)
    client.loop_start()
    if not answered.wait(10):
        client.loop_stop()
        raise AssertionError(f"the broker gave {credentials.username} no CONNACK")
    return client, answers[0]


def device_client(address: BrokerAddress, credentials: DeviceCredentials) -> mqtt.Client:
    """A plain device connection, returned once the broker has accepted it."""
    client, reason = connect(address, credentials)
    if reason.is_failure:
        client.loop_stop()
        raise AssertionError(f"broker refused device {credentials.username}: {reason}")
    return client


def publish(client: mqtt.Client, topic: str, payload: bytes | str | dict[str, Any], qos: int = 1) -> None:
    data = json.dumps(payload) if isinstance(payload, dict) else payload
    info = client.publish(topic, data, qos=qos)
    info.wait_for_publish(10)
    assert info.rc == mqtt.MQTT_ERR_SUCCESS, f"publish failed: {info.rc}"


@dataclass
class IngestStack:
    database_url: str
    broker: BrokerAddress
    hub_password: str
    ingest: IngestService | None = None
    broker_handle: Any = None  # EmbeddedBroker or MosquittoBroker: stop()/start()
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cces-data-")))
    snapshots: SnapshotStore = field(init=False)  # sealed under the key `<data_dir>/secrets` gets, as in `cces hub`

    def __post_init__(self) -> None:
        self.snapshots = snapshot_store(self.data_dir)

    def start_ingest(self, worker: str = "test-worker") -> IngestService:
        pool = open_pool(self.database_url, 4, name=f"ingest-{worker}")
        self.ingest = IngestService(
            IngestConfig(
                broker=self.broker,
                username=HUB_USER,
                password=self.hub_password,
                client_id=f"cces-hub-{worker}",
                worker=worker,
                batch_wait_s=0.02,
            ),
            pool,
            self.snapshots,
        )
        self._pool = pool
        self.ingest.start()
        assert self.ingest.wait_connected(20), "ingest did not connect to the broker"
        return self.ingest

    def stop_ingest(self) -> None:
        if self.ingest is not None:
            self.ingest.stop()
            self._pool.close()
            self.ingest = None

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql, params).fetchall()

    def query_commit(self, sql: str, *params: Any) -> None:
        """Run a statement that returns no rows (DDL, a change) and commit it."""
        with psycopg.connect(self.database_url) as conn:
            conn.execute(sql, params)

    def scalar(self, sql: str, *params: Any) -> Any:
        return self.query(sql, *params)[0][0]

    def wait_for(self, sql: str, expected: Any, timeout: float = 20.0, *params: Any) -> Any:
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.scalar(sql, *params)
            if value == expected:
                return value
            time.sleep(0.1)
        raise AssertionError(f"{sql!r} gave {value!r}, expected {expected!r} within {timeout}s")


def embedded_broker_port() -> int:
    return free_port()


@dataclass
class IngestWorker:
    """`cces hub --role ingest` as its own process, pointed at a production-style broker and database."""

    database_url: str
    broker_url: str
    hub_password: str
    index: int
    shared: bool
    workdir: Path
    receipts: bool = True
    mqtt_version: str = "3.1.1"
    process: Any = None
    port: int = 0

    def start(self, timeout: float = 60.0) -> IngestWorker:
        import os
        import subprocess
        import sys

        import httpx

        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CCES_")}
        env.update(
            CCES_DATABASE_URL=self.database_url,
            CCES_MQTT_URL=self.broker_url,
            CCES_MQTT_PASSWORD=self.hub_password,
            CCES_MQTT_CLIENT_ID=f"cces-ingest-{self.index}",
            CCES_WORKER_NAME=f"worker-{self.index}",
            CCES_MQTT_SHARED_SUBSCRIPTION="true" if self.shared else "false",
            CCES_HTTP_PORT=str(self.port),
            CCES_DATA_DIR=str(self.workdir / f"ingest-{self.index}"),
            CCES_INGEST_RECEIPTS="true" if self.receipts else "false",
            CCES_MQTT_VERSION=self.mqtt_version,
            CCES_LOG_LEVEL="WARNING",
        )
        log = open(self.workdir / f"ingest-{self.index}.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cces", "hub", "--role", "ingest"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"ingest worker {self.index} exited; see {self.workdir}/ingest-{self.index}.log")
            time.sleep(0.3)
        raise RuntimeError(f"ingest worker {self.index} did not become healthy")

    def kill(self) -> None:
        import signal

        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        import signal
        import subprocess

        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
