"""REST for the device registry over a real database; telemetry rows are inserted directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg.types.json import Jsonb

from hub.devices import repository
from hub.ingest.repository import ensure_partitions

DEVICES = [
    # device_id, kind, site, room, direction, online
    ("door-hn-01", "faceid", "Hà Nội", None, "in", True),
    ("door-hn-02", "faceid", "Hà Nội", None, "out", False),
    ("door-hcm-01", "faceid", "TP. HCM", None, None, True),
    ("portal-hn-01", "rfid", "Hà Nội", "kho-1", None, True),
    ("room-hn-301", "display", "Hà Nội", "p301", None, False),
]


@pytest.fixture
def devices(org: psycopg.Connection) -> psycopg.Connection:
    for device_id, kind, site, room, direction, online in DEVICES:
        org.execute(
            "INSERT INTO devices (device_id, kind, site, room, direction, online, status_at, last_seen,"
            " software_version) VALUES (%s, %s, %s, %s, %s, %s, now(), now(), '1.2.0')",
            (device_id, kind, site, room, direction, online),
        )
    return org


def add_telemetry(conn: psycopg.Connection, device_id: str, ts: datetime, cpu: float, version: str = "1.2.0") -> None:
    ensure_partitions(conn, ts, ts)
    conn.execute(
        "INSERT INTO device_telemetry (device_id, ts, uptime_s, software_version, outbox_pending, outbox_bytes,"
        " telemetry_dropped, metrics) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (device_id, ts, 3600.0, version, 2, 2048, 0, Jsonb({"cpu_percent": cpu, "temp_c": 51.5})),
    )


def test_list_is_paginated_and_filtered_by_kind_site_and_online(client: TestClient, devices: object) -> None:
    page = client.get("/api/v1/devices").json()
    assert page["total"] == 5
    assert [d["device_id"] for d in page["items"]] == sorted(d[0] for d in DEVICES)
    faceid = client.get("/api/v1/devices", params={"kind": "faceid", "site": "Hà Nội"}).json()
    assert [d["device_id"] for d in faceid["items"]] == ["door-hn-01", "door-hn-02"]
    offline = client.get("/api/v1/devices", params={"online": "false"}).json()
    assert [d["device_id"] for d in offline["items"]] == ["door-hn-02", "room-hn-301"]
    second = client.get("/api/v1/devices", params={"online": "true", "limit": 2, "offset": 2}).json()
    assert (second["total"], second["limit"], second["offset"]) == (3, 2, 2)
    assert [d["device_id"] for d in second["items"]] == ["portal-hn-01"]
    assert client.get("/api/v1/devices", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/devices", params={"online": "maybe"}).status_code == 422


def test_one_device_shows_registry_liveness_and_the_latest_metrics(
    client: TestClient, devices: psycopg.Connection
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    add_telemetry(devices, "door-hn-01", now - timedelta(minutes=2), 40.0)
    add_telemetry(devices, "door-hn-01", now - timedelta(minutes=1), 42.5, "1.2.1")
    body = client.get("/api/v1/devices/door-hn-01").json()
    assert body["kind"] == "faceid" and body["site"] == "Hà Nội" and body["direction"] == "in"
    assert body["online"] is True and body["last_seen"] is not None and body["status_at"] is not None
    assert datetime.fromisoformat(body["last_heartbeat"]) == now - timedelta(minutes=1)
    latest = body["latest_telemetry"]
    assert latest["metrics"] == {"cpu_percent": 42.5, "temp_c": 51.5}
    assert (latest["software_version"], latest["outbox_pending"], latest["outbox_bytes"]) == ("1.2.1", 2, 2048)

    quiet = client.get("/api/v1/devices/room-hn-301").json()
    assert quiet["online"] is False and quiet["last_heartbeat"] is None and quiet["latest_telemetry"] is None
    missing = client.get("/api/v1/devices/door-zz-99")
    assert missing.status_code == 404 and missing.json() == {"detail": "no device has the id 'door-zz-99'"}


def test_telemetry_history_is_time_bounded_newest_first_and_limited(
    client: TestClient, devices: psycopg.Connection
) -> None:
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    for i in range(6):  # every 30 minutes
        add_telemetry(devices, "door-hn-01", base + timedelta(minutes=30 * i), float(i))
    add_telemetry(devices, "door-hn-02", base, 99.0)  # another device's point is never mixed in

    url = "/api/v1/devices/door-hn-01/telemetry"
    window = {"from": (base + timedelta(minutes=30)).isoformat(), "to": (base + timedelta(minutes=120)).isoformat()}
    body = client.get(url, params=window).json()
    assert [p["metrics"]["cpu_percent"] for p in body["items"]] == [3.0, 2.0, 1.0]  # `to` is exclusive
    assert datetime.fromisoformat(body["from"]) == base + timedelta(minutes=30)
    limited = client.get(url, params={**window, "limit": 2}).json()
    assert [p["metrics"]["cpu_percent"] for p in limited["items"]] == [3.0, 2.0]
    recent = client.get(url).json()  # default: the last 24 hours
    assert len(recent["items"]) == 6

    inverted = client.get(url, params={"from": window["to"], "to": window["from"]})
    assert inverted.status_code == 422 and "must be before" in inverted.json()["detail"]
    too_long = client.get(url, params={"from": "2025-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"})
    assert too_long.status_code == 422 and "at most 92 days" in too_long.json()["detail"]
    naive = client.get(url, params={"from": "2026-01-01T00:00:00", "to": "2026-01-02T00:00:00"})
    assert naive.status_code == 422 and "time zone" in naive.json()["detail"]
    assert client.get("/api/v1/devices/door-zz-99/telemetry").status_code == 404


def test_telemetry_query_reads_only_the_partitions_of_its_span(devices: psycopg.Connection) -> None:
    ensure_partitions(devices, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 30, tzinfo=UTC))
    plan = repository.telemetry_plan(
        devices, "door-hn-01", datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 3, 12, tzinfo=UTC)
    )
    scanned = {w for w in plan.split() if w.startswith("device_telemetry_p") and not w.endswith("_pkey")}
    assert scanned == {"device_telemetry_p202603"}, plan


def test_patch_changes_site_room_direction_and_kind(client: TestClient, devices: object) -> None:
    changed = client.patch("/api/v1/devices/door-hn-02", json={"site": "  Nội Bài ", "direction": "in"})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["site"], body["direction"], body["kind"], body["room"]) == ("Nội Bài", "in", "faceid", None)
    cleared = client.patch("/api/v1/devices/door-hn-02", json={"direction": None, "room": "sảnh A"}).json()
    assert (cleared["direction"], cleared["room"], cleared["site"]) == (None, "sảnh A", "Nội Bài")
    assert client.patch("/api/v1/devices/door-hn-02", json={"kind": "rfid"}).json()["kind"] == "rfid"
    assert client.get("/api/v1/devices/door-hn-02").json()["kind"] == "rfid"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"direction": "sideways"}, "'in' or 'out'"),
        ({"kind": "toaster"}, "'generic', 'faceid', 'rfid' or 'display'"),
        ({"kind": None}, "kind cannot be cleared"),
        ({}, "nothing to change"),
        ({"online": True}, "is not a field of this request"),
        ({"site": "x" * 200}, "at most 128 characters"),
    ],
)
def test_patch_refuses_bad_input_with_a_clear_message_and_changes_nothing(
    client: TestClient, devices: object, body: dict[str, object], message: str
) -> None:
    before = client.get("/api/v1/devices/door-hn-01").json()
    response = client.patch("/api/v1/devices/door-hn-01", json=body)
    assert response.status_code == 422
    assert message in str(response.json()["detail"]), response.json()
    assert client.get("/api/v1/devices/door-hn-01").json() == before


def test_patch_of_an_unknown_device_is_404(client: TestClient, devices: object) -> None:
    response = client.patch("/api/v1/devices/door-zz-99", json={"site": "Hà Nội"})
    assert response.status_code == 404 and "door-zz-99" in response.json()["detail"]
    assert client.patch("/api/v1/devices/BAD ID", json={"site": "x"}).status_code == 422
