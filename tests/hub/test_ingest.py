"""Ingest against a real broker (amqtt and Mosquitto) and a real PostgreSQL."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from hub.snapshots.store import SnapshotEvent
from protocol.topics import Topics
from provisioning.credentials import DeviceCredentials
from tests.hubstack import IngestStack, attendance_event, connect, device_client, provision, publish

pytestmark = pytest.mark.timeout(120)

# a real JPEG header + padding is enough for the snapshot validator; content is stored as is
TINY_JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"


def counters(stack: IngestStack) -> tuple[int, int, int]:
    return stack.query(
        "SELECT COALESCE(sum(accepted),0), COALESCE(sum(duplicates),0), COALESCE(sum(rejected),0) FROM ingest_counters"
    )[0]


def test_valid_event_published_three_times_is_stored_once(ingest_stack: IngestStack) -> None:
    credentials = provision(ingest_stack.database_url, "door-a-01", ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    event = attendance_event("door-a-01", seq=7)
    for _ in range(3):
        publish(client, Topics("door-a-01").events, event)
    ingest_stack.wait_for("SELECT COALESCE(sum(accepted) + sum(duplicates), 0) FROM ingest_counters", 3)
    rows = ingest_stack.query("SELECT id::text, person_id, seq, device_id FROM attendance_events")
    assert rows == [(event["id"], "nv-0001", 7, "door-a-01")]
    assert counters(ingest_stack) == (1, 2, 0)
    client.disconnect()


BAD_PAYLOADS = [
    ("not_json", b"\x00\x01 definitely not json"),
    ("not_object", b"[1, 2, 3]"),
    ("unsupported_version", json.dumps(attendance_event("door-b-01") | {"v": 2}).encode()),
    ("unknown_type", json.dumps(attendance_event("door-b-01") | {"type": "door.opened"}).encode()),
    ("schema", json.dumps(attendance_event("door-b-01") | {"data": {"person_id": "x", "score": 7}}).encode()),
    ("schema", json.dumps(attendance_event("door-b-01") | {"ts": "2026-11-23T08:00:00"}).encode()),  # naive time
    ("device_mismatch", json.dumps(attendance_event("door-zz-99")).encode()),
    (
        "ts_in_future",
        json.dumps(
            attendance_event("door-b-01") | {"ts": (datetime.now(UTC) + timedelta(days=30)).isoformat()}
        ).encode(),
    ),
]


def test_each_bad_payload_is_dead_lettered_with_its_reason_and_ingest_goes_on(ingest_stack: IngestStack) -> None:
    credentials = provision(ingest_stack.database_url, "door-b-01", ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    topic = Topics("door-b-01").events
    for _, payload in BAD_PAYLOADS:
        publish(client, topic, payload)
    good = attendance_event("door-b-01", seq=99)
    publish(client, topic, good)

    ingest_stack.wait_for("SELECT count(*) FROM ingest_rejects", len(BAD_PAYLOADS))
    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 1)
    rejects = ingest_stack.query("SELECT reason, payload, topic, device_id, detail FROM ingest_rejects ORDER BY id")
    assert sorted(r[0] for r in rejects) == sorted(reason for reason, _ in BAD_PAYLOADS)
    assert sorted(bytes(r[1]) for r in rejects) == sorted(p for _, p in BAD_PAYLOADS)  # kept whole
    assert all(r[2] == topic and r[3] == "door-b-01" and r[4] for r in rejects)
    assert ingest_stack.scalar("SELECT id::text FROM attendance_events") == good["id"]
    assert counters(ingest_stack) == (1, 0, len(BAD_PAYLOADS))
    assert ingest_stack.ingest is not None and ingest_stack.ingest.connected
    client.disconnect()


def test_unregistered_device_is_refused(ingest_stack: IngestStack) -> None:
    """A device the hub does not know cannot even connect; its events never count."""
    client, reason = connect(ingest_stack.broker, DeviceCredentials("door-nobody-01", "guess"))
    client.loop_stop()
    assert reason.is_failure, f"an unregistered device was let in: {reason}"


def test_event_types_land_in_their_tables_with_snapshot_telemetry_and_status(ingest_stack: IngestStack) -> None:
    device = "door-c-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    topics = Topics(device)
    now = datetime.now(UTC).isoformat()
    face = attendance_event(device, seq=1)
    face["data"]["snapshot"] = base64.b64encode(TINY_JPEG).decode()
    unknown = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": device,
        "type": "face.unknown",
        "ts": now,
        "seq": 2,
        "data": {"score": 0.2, "model": "yunet-sface", "snapshot": base64.b64encode(TINY_JPEG).decode()},
    }
    rfid = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": device,
        "type": "rfid.read",
        "ts": now,
        "seq": 3,
        "data": {
            "epc": "3034257bf7194e4000001a85",
            "antenna": 1,
            "rssi": -52.5,
            "count": 4,
            "first_seen": now,
            "last_seen": now,
            "zone": "p-301",
            "reader": "cua-1",
            "zone_first_seen": now,
        },
    }
    checkin = {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": device,
        "type": "meeting.checkin",
        "ts": now,
        "seq": 4,
        "data": {"meeting_id": "m-1", "person_id": "nv-0002", "method": "qr"},
    }
    for event in (face, unknown, rfid, checkin):
        publish(client, topics.events, event)
    telemetry = {
        "v": 1,
        "device_id": device,
        "ts": now,
        "uptime_s": 12.5,
        "software_version": "0.1.0",
        "outbox_pending": 0,
        "outbox_bytes": 0,
        "metrics": {"fps": 29.5, "faceid.model": "yunet-sface"},
    }
    publish(client, topics.telemetry, telemetry, qos=0)
    publish(client, topics.status, {"online": True, "ts": now, "software_version": "0.1.0"})

    ingest_stack.wait_for("SELECT count(*) FROM device_events", 1)
    ingest_stack.wait_for("SELECT count(*) FROM device_telemetry", 1)
    ingest_stack.wait_for("SELECT online FROM devices WHERE device_id = %s", True, 20, device)
    for kind, table, sent in (("attendance", "attendance_events", face), ("unknown_face", "unknown_faces", unknown)):
        file, ts = ingest_stack.query(f"SELECT snapshot_file, ts FROM {table}")[0]
        assert ingest_stack.snapshots.open(SnapshotEvent(kind, uuid.UUID(sent["id"]), ts), file) == TINY_JPEG
    assert ingest_stack.query(
        "SELECT epc, read_count, antenna, zone, reader, zone_first_seen = first_seen FROM rfid_reads"
    ) == [("3034257BF7194E4000001A85", 4, 1, "p-301", "cua-1", True)]
    assert ingest_stack.scalar("SELECT data->>'meeting_id' FROM device_events WHERE type = 'meeting.checkin'") == "m-1"
    assert ingest_stack.scalar("SELECT metrics->>'fps' FROM device_telemetry") == "29.5"
    assert ingest_stack.scalar("SELECT software_version FROM devices WHERE device_id = %s", device) == "0.1.0"
    ingest_stack.wait_for("SELECT model_pack FROM devices WHERE device_id = %s", "yunet-sface", 10, device)
    assert counters(ingest_stack) == (4, 0, 0)
    client.disconnect()


def test_event_in_a_month_without_partition_gets_one(ingest_stack: IngestStack) -> None:
    device = "door-d-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    old = attendance_event(device, ts="2024-02-29T01:02:03.000Z")  # replayed after a long outage
    publish(client, Topics(device).events, old)
    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 1)
    assert ingest_stack.scalar("SELECT tableoid::regclass::text FROM attendance_events") == "attendance_events_p202402"
    client.disconnect()


def test_device_may_not_publish_on_another_devices_topic(ingest_stack: IngestStack) -> None:
    a = provision(ingest_stack.database_url, "door-e-01", ingest_stack.broker_handle)
    provision(ingest_stack.database_url, "door-e-02", ingest_stack.broker_handle)
    forger = device_client(ingest_stack.broker, a)
    forged = attendance_event("door-e-02")
    # the broker refuses it: silently (amqtt) or by closing the connection (Mosquitto 2)
    info = forger.publish(Topics("door-e-02").events, json.dumps(forged), qos=1)
    info.wait_for_publish(5) if info.rc == 0 else None
    forger.disconnect()
    forger.loop_stop()
    client = device_client(ingest_stack.broker, a)
    publish(client, Topics("door-e-01").events, attendance_event("door-e-01"))
    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 1)
    time.sleep(0.5)  # the forged event, had it passed, would be in by now
    assert ingest_stack.query("SELECT device_id FROM attendance_events") == [("door-e-01",)]
    client.disconnect()


def test_events_sent_while_the_hub_is_away_are_stored_when_it_returns(ingest_stack: IngestStack) -> None:
    device = "door-f-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    ingest_stack.stop_ingest()
    client = device_client(ingest_stack.broker, credentials)
    events = [attendance_event(device, seq=i) for i in range(20)]
    for event in events:
        publish(client, Topics(device).events, event)
    client.disconnect()
    ingest_stack.start_ingest()
    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 20)
    assert {r[0] for r in ingest_stack.query("SELECT id::text FROM attendance_events")} == {e["id"] for e in events}


def test_events_published_right_after_a_broker_restart_wait_for_the_hub(ingest_stack: IngestStack) -> None:
    """The broker restarts; a device is back before the hub's ingest is: nothing is dropped."""
    device = "door-g-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    ingest_stack.stop_ingest()
    ingest_stack.broker_handle.stop()
    ingest_stack.broker_handle.start()
    client = device_client(ingest_stack.broker, credentials)
    events = [attendance_event(device, seq=i) for i in range(10)]
    for event in events:
        publish(client, Topics(device).events, event)
    client.disconnect()
    ingest_stack.start_ingest()
    ingest_stack.wait_for("SELECT count(*) FROM attendance_events", 10)


def test_last_will_after_online_marks_the_device_offline(ingest_stack: IngestStack) -> None:
    """A Last Will carries the time the device connected, older than its 'online': it still wins."""
    device = "door-h-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    connected_at = datetime.now(UTC) - timedelta(seconds=5)
    publish(client, Topics(device).status, {"online": True, "ts": datetime.now(UTC).isoformat()})
    ingest_stack.wait_for("SELECT online FROM devices WHERE device_id = %s", True, 20, device)
    publish(client, Topics(device).status, {"online": False, "ts": connected_at.isoformat(), "reason": "last-will"})
    ingest_stack.wait_for("SELECT online FROM devices WHERE device_id = %s", False, 20, device)
    assert ingest_stack.scalar("SELECT last_seen IS NOT NULL FROM devices WHERE device_id = %s", device)
    client.disconnect()


def test_a_backlog_beyond_mosquittos_default_queue_limit_is_kept_for_the_hub(
    mosquitto_factory, database_url: str
) -> None:
    """Mosquitto's default per-client queue is 1,000 messages; beyond it, it drops. The settings we
    ship (`max_queued_messages 0`) keep everything for an ingest that is away: 3,000 here."""
    import secrets

    from protocol.broker_url import BrokerAddress
    from tests.hubstack import HUB_USER, IngestStack

    broker = mosquitto_factory(hub_username=HUB_USER, hub_password=secrets.token_urlsafe(12))
    stack = IngestStack(database_url, BrokerAddress(broker.host, broker.port, tls=False), broker.hub_password)
    stack.broker_handle = broker
    stack.start_ingest()  # a first connection makes the hub's persistent session
    stack.stop_ingest()
    credentials = provision(database_url, "door-q-01", broker)
    client = device_client(stack.broker, credentials)
    for n in range(3000):
        info = client.publish(Topics("door-q-01").events, json.dumps(attendance_event("door-q-01", seq=n)), qos=1)
    info.wait_for_publish(30)
    client.disconnect()
    stack.start_ingest()
    try:
        stack.wait_for("SELECT count(*) FROM attendance_events", 3000, 60)
    finally:
        stack.stop_ingest()
