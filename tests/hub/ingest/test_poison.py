"""One bad message never stops ingest (issue 12, item 1), on amqtt and Mosquitto with a real PostgreSQL.

Each kind of message that used to kill the ingest writer (a NUL character that PostgreSQL's text and
jsonb refuse; Infinity in a metric) is dead-lettered at validation and the next valid event of every
device is stored; a batch the database itself refuses is split so that every good row is stored; a
writer that dies anyway is started again while health answers 503 naming ingest.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.db import open_pool
from hub.ingest.consumer import IngestService
from hub.ingest.records import IngestConfig
from hub.services import HubServices
from protocol.topics import Topics
from tests.hubstack import HUB_USER, IngestStack, attendance_event, device_client, provision, publish

pytestmark = pytest.mark.timeout(180)

NOW = lambda: datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")  # noqa: E731


def _telemetry(device: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "v": 1,
        "device_id": device,
        "ts": NOW(),
        "uptime_s": 5.0,
        "software_version": "0.1.0",
        "outbox_pending": 0,
        "outbox_bytes": 0,
        "metrics": {"faceid.fps": 12.0},
    }
    body.update(overrides)
    return body


def _poisons(device: str) -> list[tuple[str, bytes]]:
    """(channel, payload) of every kind seen to kill the writer."""
    topics = Topics(device)
    unknown = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": device,
        "type": "face.unknown",
        "ts": NOW(),
        "seq": 3,
        "data": {"score": 0.2, "model": "yunet\u0000"},
    }
    return [
        (topics.events, json.dumps(attendance_event(device, seq=1, person_id="p-\u0000x")).encode()),
        (
            topics.events,
            json.dumps(
                attendance_event(device, seq=2) | {"data": {"person_id": "nv-1", "score": 0.7, "model": "m\u0000"}}
            ).encode(),
        ),
        (topics.events, json.dumps(unknown).encode()),
        (topics.status, json.dumps({"online": True, "ts": NOW(), "software_version": "1.0\u0000"}).encode()),
        (topics.telemetry, json.dumps(_telemetry(device, software_version="0.1\u0000")).encode()),
        (topics.telemetry, json.dumps(_telemetry(device, metrics={"faceid.model": "x\u0000"})).encode()),
        (topics.telemetry, json.dumps(_telemetry(device)).replace("12.0", "Infinity").encode()),
        (topics.telemetry, json.dumps(_telemetry(device)).replace("12.0", "1e999").encode()),
        (topics.telemetry, json.dumps(_telemetry(device)).replace("12.0", "NaN").encode()),
    ]


def test_each_poisoned_message_is_dead_lettered_and_every_device_goes_on(ingest_stack: IngestStack) -> None:
    devices = ["door-p-01", "door-p-02", "door-p-03"]
    clients = {
        d: device_client(ingest_stack.broker, provision(ingest_stack.database_url, d, ingest_stack.broker_handle))
        for d in devices
    }
    poisons = _poisons(devices[0])
    for topic, payload in poisons:
        # telemetry is QoS 0 on the wire; QoS 1 here so the test knows the broker has each one
        publish(clients[devices[0]], topic, payload, qos=1)
    good = {d: attendance_event(d, seq=10) for d in devices}
    for device, event in good.items():
        publish(clients[device], Topics(device).events, event)

    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", len(devices), 30)
    ingest_stack.wait_for("SELECT count(*) FROM ingest_rejects", len(poisons), 30)
    stored = {r[0] for r in ingest_stack.query("SELECT id::text FROM attendance_events")}
    assert stored == {e["id"] for e in good.values()}
    reasons = ingest_stack.query("SELECT reason, detail FROM ingest_rejects")
    assert all(reason == "schema" for reason, _ in reasons), reasons  # refused at validation, before any SQL
    assert sum("NUL" in detail for _, detail in reasons) == 6 and sum("finite" in d for _, d in reasons) == 3
    assert ingest_stack.scalar("SELECT count(*) FROM device_telemetry") == 0
    ingest = ingest_stack.ingest
    assert ingest is not None
    state = ingest.health()
    assert state.writer.alive and state.writer.restarts == 0 and state.problem is None
    for client in clients.values():
        client.disconnect()


def test_a_batch_the_database_refuses_stores_every_good_row(ingest_stack: IngestStack) -> None:
    """A row valid by the contract that the database refuses anyway: split, dead-letter it, store the rest."""
    ingest_stack.query_commit(
        "ALTER TABLE attendance_events ADD CONSTRAINT test_refuse CHECK (person_id <> 'refuse-me')"
    )
    device = "door-q-01"
    client = device_client(
        ingest_stack.broker, provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    )
    ingest_stack.stop_ingest()  # the broker queues what follows, so ingest takes it in large batches
    events = [attendance_event(device, seq=i, person_id="refuse-me" if i == 23 else f"nv-{i}") for i in range(40)]
    for event in events:
        publish(client, Topics(device).events, event)
    ingest_stack.start_ingest()

    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 39, 30)
    ingest_stack.wait_for("SELECT count(*) FROM ingest_rejects", 1, 30)
    reason, detail, payload = ingest_stack.query("SELECT reason, detail, payload FROM ingest_rejects")[0]
    assert reason == "db_refused" and "test_refuse" in detail and "23514" in detail
    assert json.loads(bytes(payload))["id"] == events[23]["id"]
    assert ingest_stack.scalar("SELECT sum(accepted) FROM ingest_counters") == 39
    assert ingest_stack.scalar("SELECT sum(rejected) FROM ingest_counters") == 1
    publish(client, Topics(device).events, attendance_event(device, seq=41))  # and ingest goes on
    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 40, 30)
    assert ingest_stack.ingest is not None and ingest_stack.ingest.health().writer.restarts == 0
    client.disconnect()


class _DiesAfterCommits(IngestService):
    """Ingest with a defect injected: its writer raises right after a commit, `deaths` times."""

    deaths = 3

    def _acknowledge(self, messages: list[Any]) -> None:
        super()._acknowledge(messages)
        if self.deaths > 0:
            self.deaths -= 1
            raise RuntimeError("injected defect: the writer dies after a commit")


def test_a_writer_that_dies_is_started_again_and_health_answers_503_meanwhile(ingest_stack: IngestStack) -> None:
    ingest_stack.stop_ingest()
    pool = open_pool(ingest_stack.database_url, 4, name="dying")
    ingest = _DiesAfterCommits(
        IngestConfig(
            broker=ingest_stack.broker,
            username=HUB_USER,
            password=ingest_stack.hub_password,
            client_id="cces-hub-test-worker",
            worker="dying",
            batch_wait_s=0.02,
            restart_backoff_s=1.0,
        ),
        pool,
        ingest_stack.snapshots,
    )
    ingest.start()
    services = HubServices(pool, ingest)
    api = TestClient(create_app(services))
    try:
        assert ingest.wait_connected(20)
        device = "door-r-01"
        client = device_client(
            ingest_stack.broker, provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
        )
        publish(client, Topics(device).events, attendance_event(device, seq=1))

        seen_503: dict[str, Any] | None = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and seen_503 is None:
            answer = api.get("/api/v1/health")
            if answer.status_code == 503:
                seen_503 = answer.json()
            time.sleep(0.05)
        assert seen_503 is not None, "health never said ingest was down while its writer was dead"
        assert seen_503["ingest"].startswith("down:") and "injected defect" in seen_503["ingest"]
        assert seen_503["database"] == "ok" and seen_503["ingest_detail"]["writer_alive"] is False

        for seq in range(2, 6):  # one batch each: the writer dies after the next two, and is started again
            publish(client, Topics(device).events, attendance_event(device, seq=seq))
            ingest_stack.wait_for("SELECT count(*) FROM attendance_events", seq, 60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and api.get("/api/v1/health").status_code != 200:
            time.sleep(0.1)
        health = api.get("/api/v1/health")
        assert health.status_code == 200, health.json()
        assert health.json()["ingest"] == "ok" and health.json()["ingest_detail"]["writer_restarts"] == 3
        client.disconnect()
    finally:
        ingest.stop()
        pool.close()


def test_health_says_ingest_is_stuck_when_messages_wait_without_a_commit(ingest_stack: IngestStack) -> None:
    """Messages waiting and no commit for longer than the setting: 503 'stuck', with the backlog."""
    ingest_stack.stop_ingest()
    pool = open_pool(ingest_stack.database_url, 4, name="stuck")
    ingest = IngestService(
        IngestConfig(
            broker=ingest_stack.broker,
            username=HUB_USER,
            password=ingest_stack.hub_password,
            client_id="cces-hub-test-worker",
            worker="stuck",
            stuck_after=timedelta(seconds=1),
        ),
        pool,
        ingest_stack.snapshots,
    )
    device = "door-s-01"
    client = device_client(
        ingest_stack.broker, provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    )
    # the table is locked by another transaction: ingest's inserts wait, messages pile up
    import psycopg

    blocker = psycopg.connect(ingest_stack.database_url)
    blocker.execute("LOCK TABLE ingest_counters IN ACCESS EXCLUSIVE MODE")
    ingest.start()
    try:
        assert ingest.wait_connected(20)
        for seq in range(3):
            publish(client, Topics(device).events, attendance_event(device, seq=seq))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ingest.health().stuck:
            time.sleep(0.1)
        state = ingest.health()
        assert state.stuck and state.backlog == 3 and state.writer.alive
        report = HubServices(pool, ingest).ingest_figures.health()
        assert not report.ok and report.ingest.startswith("stuck: 3 message(s) waiting")
        blocker.rollback()
        ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 3, 30)
        # the rows are visible as the commit returns; the writer counts the commit a moment later
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and ingest.health().problem is not None:
            time.sleep(0.05)
        assert ingest.health().problem is None
    finally:
        blocker.close()
        ingest.stop()
        pool.close()
        client.disconnect()
