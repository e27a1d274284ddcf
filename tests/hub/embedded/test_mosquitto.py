"""The embedded broker is Mosquitto when it is installed (issue 12, item 2): accounts from the registry,
a flood on the default `cces hub` setup stored exactly once, and no Mosquitto left behind."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import paho.mqtt.client as mqtt
import psutil
import psycopg
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hub.db import migrate
from hub.embedded.mosquitto import EmbeddedMosquitto, find_mosquitto
from hub.passwords import mosquitto_hash
from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from provisioning.credentials import DeviceCredentials
from tests.edge_agent.helpers import wait_until
from tests.hubprocess import HubProcess, hub_env, running_hub, wait_healthy
from tests.hubstack import attendance_event, connect, provision
from tests.services import free_port, new_workdir

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.skipif(find_mosquitto() is None, reason="needs the mosquitto binary (apt-get install mosquitto)"),
]


def test_mosquitto_accepts_the_hash_the_hub_makes() -> None:
    """Our `$7$` hash is what `mosquitto_passwd` writes: Mosquitto itself verifies it (below, by logging in)."""
    import base64
    import hashlib

    _, kind, rounds, salt, derived = mosquitto_hash("s3cret").split("$")
    assert (kind, rounds) == ("7", "101")
    assert base64.b64decode(derived) == hashlib.pbkdf2_hmac("sha512", b"s3cret", base64.b64decode(salt), 101)


@pytest.fixture
def embedded(database_url: str, tmp_path: Path) -> Iterator[EmbeddedMosquitto]:
    migrate(database_url)
    binary = find_mosquitto()
    assert binary is not None
    broker = EmbeddedMosquitto(
        binary, "127.0.0.1", free_port(), tmp_path / "mosquitto", database_url, "cces-hub", "hub-pw"
    )
    broker.start()
    yield broker
    broker.stop()


def _refused(address: BrokerAddress, credentials: DeviceCredentials) -> bool:
    client, reason = connect(address, credentials)
    client.disconnect()
    client.loop_stop()
    return bool(reason.is_failure)


def test_a_device_logs_in_as_soon_as_it_is_registered_and_not_after_it_is_revoked(
    embedded: EmbeddedMosquitto, database_url: str
) -> None:
    address = BrokerAddress(embedded.host, embedded.port, tls=False)
    credentials = provision(database_url, "door-m-01")
    assert wait_until(lambda: not _refused(address, credentials), 10), "a registered device could not log in"
    assert _refused(address, DeviceCredentials("door-m-01", "wrong-password"))
    assert _refused(address, DeviceCredentials("door-nobody-01", credentials.password))
    with psycopg.connect(database_url) as conn:
        conn.execute("UPDATE device_credentials SET revoked_at = now() WHERE device_id = 'door-m-01'")
    assert wait_until(lambda: _refused(address, credentials), 10), "a revoked device could still log in"


def test_a_mosquitto_left_running_by_a_killed_hub_is_stopped_at_the_next_start(
    database_url: str, tmp_path: Path
) -> None:
    migrate(database_url)
    binary = find_mosquitto()
    assert binary is not None
    port = free_port()
    workdir = tmp_path / "mosquitto"
    first = EmbeddedMosquitto(binary, "127.0.0.1", port, workdir, database_url, "cces-hub", "pw")
    first.start()
    stale = psutil.Process(first.pid)
    # the hub that started it is gone without stopping it (its watch thread with it, or that thread
    # would start the stale broker again once the new hub stops it): a new hub on the same data dir starts
    first._stop.set()
    first._watch.join(timeout=30)
    assert not first._watch.state.alive
    second = EmbeddedMosquitto(binary, "127.0.0.1", port, workdir, database_url, "cces-hub", "pw")
    try:
        second.start()
        assert not stale.is_running() or stale.status() == psutil.STATUS_ZOMBIE
        assert second.pid != stale.pid and psutil.Process(second.pid).is_running()
    finally:
        second.stop()


def _mosquittos_of(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "mosquitto" in cmdline and str(data_dir) in cmdline:
            found.append(process)
    return found


def test_a_killed_hub_takes_its_mosquitto_with_it() -> None:
    data_dir = new_workdir("cces-hub-kill-")
    env = hub_env(data_dir)
    log = open(data_dir / "hub.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "cces", "hub"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = wait_healthy(f"http://127.0.0.1:{env['CCES_HTTP_PORT']}", process, data_dir=data_dir)
        assert health["mqtt"] == "ok"
        assert _mosquittos_of(data_dir), "the default broker on a machine with Mosquitto is Mosquitto"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert wait_until(lambda: not _mosquittos_of(data_dir), 15), "Mosquitto outlived the hub"
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
        from tests.services import stop_postgres

        if (data_dir / "postgres" / "postmaster.pid").exists():
            stop_postgres(data_dir / "postgres")
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def default_hub() -> Iterator[HubProcess]:
    data_dir = new_workdir("cces-hub-flood-")
    try:
        with running_hub(hub_env(data_dir, CCES_LOG_LEVEL="WARNING")) as hub:
            yield hub
    finally:
        from tests.services import stop_postgres

        if (data_dir / "postgres" / "postmaster.pid").exists():
            stop_postgres(data_dir / "postgres")
        shutil.rmtree(data_dir, ignore_errors=True)


def test_a_flood_then_disconnect_on_the_default_hub_is_stored_exactly_once(default_hub: HubProcess) -> None:
    total = 10_000
    result = default_hub.cces("provision", "device", "door-flood-02", "--json")
    assert result.returncode == 0, result.stderr
    device = json.loads(result.stdout)
    address = BrokerAddress.parse(device["mqtt_url"])
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device["username"], protocol=mqtt.MQTTv311)
    client.username_pw_set(device["username"], device["password"])
    client.max_inflight_messages_set(100)
    client.connect(address.host, address.port)
    client.loop_start()
    assert wait_until(client.is_connected, 10)
    topic = Topics("door-flood-02").events
    sent = [client.publish(topic, json.dumps(attendance_event("door-flood-02", seq=i)), qos=1) for i in range(total)]
    for info in sent:
        info.wait_for_publish(120)
    assert all(info.is_published() for info in sent)
    client.disconnect()
    client.loop_stop()

    password = (default_hub.data_dir / "admin-password").read_text().strip()
    signed_in = httpx.post(
        f"{default_hub.base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": password}
    )
    headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}

    def accepted() -> int:  # new rows stored, counted in the same transactions (a redelivery is a duplicate)
        return int(httpx.get(f"{default_hub.base_url}/api/v1/ingest/stats", headers=headers).json()["accepted"])

    assert wait_until(lambda: accepted() >= total, 240), accepted()
    time.sleep(1.0)
    assert accepted() == total
