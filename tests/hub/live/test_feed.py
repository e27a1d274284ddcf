"""The live feed against a real broker, real ingest and real PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from hub.db import migrate
from hub.embedded.postgres import EmbeddedPostgres
from hub.ingest.repository import BatchRows, ensure_partitions, store_batch
from hub.live.feed import LiveFeed, Subscription
from hub.live.models import CheckIn, DeviceStatusChange, FeedGap, LiveItem
from protocol.topics import Topics
from tests.hub.orgdata import seed_org
from tests.hubstack import IngestStack, attendance_event, device_client, provision, publish
from tests.services import new_workdir, start_postgres, stop_postgres

WAIT_S = 10.0


def next_of(sub: Subscription, kind: type, timeout: float = WAIT_S) -> LiveItem:
    """The next item of `kind` (others skipped), or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        item = sub.get(timeout=left)
        if isinstance(item, kind):
            return item
    raise AssertionError(f"no {kind.__name__} within {timeout}s")


@pytest.fixture
def feed(database_url: str) -> Iterator[LiveFeed]:
    live = LiveFeed(database_url, poll_interval_s=0.2)
    live.start()
    assert live.wait_connected(10), "the live feed did not connect"
    yield live
    live.stop()


def attendance_row(person_id: str, ts: datetime, device: str = "door-hq-01") -> tuple:
    return (uuid.uuid4(), ts, device, 1, person_id, 0.8, 0.9, "yunet-sface", "in", None)


def test_a_published_check_in_reaches_a_subscriber_with_the_employees_name(
    ingest_stack: IngestStack, org: psycopg.Connection, feed: LiveFeed
) -> None:
    everyone = feed.subscribe()
    hcm_only = feed.subscribe(unit_path=org.execute("SELECT path FROM org_units WHERE code = 'CHQHCM'").fetchone()[0])
    credentials = provision(ingest_stack.database_url, "door-hq-01", ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    try:
        event = attendance_event("door-hq-01", person_id="nv-0002")
        started = time.monotonic()
        publish(client, Topics("door-hq-01").events, event)
        item = next_of(everyone, CheckIn)
        latency = time.monotonic() - started
    finally:
        client.loop_stop()
        client.disconnect()
    assert isinstance(item, CheckIn)
    assert item.event_id == uuid.UUID(event["id"]) and item.device_id == "door-hq-01"
    assert (item.full_name, item.employee_code, item.unit_code) == ("Trần Thị Lan", "NV002", "CCHQNB")
    assert latency < WAIT_S
    assert hcm_only.drain() == []  # Hà Nội's check-in is not shown to a Hồ Chí Minh page
    assert feed.stats.notifications >= 1


def test_device_status_changes_are_fed_on_their_own_channel(ingest_stack: IngestStack, feed: LiveFeed) -> None:
    sub = feed.subscribe(kinds={DeviceStatusChange})
    credentials = provision(ingest_stack.database_url, "door-hq-02", ingest_stack.broker_handle)
    client = device_client(ingest_stack.broker, credentials)
    try:
        publish(client, Topics("door-hq-02").status, {"online": True, "ts": datetime.now(UTC).isoformat()})
        came = next_of(sub, DeviceStatusChange)
        publish(client, Topics("door-hq-02").status, {"online": False, "ts": datetime.now(UTC).isoformat()})
        went = next_of(sub, DeviceStatusChange)
    finally:
        client.loop_stop()
        client.disconnect()
    assert (came.device_id, came.online, went.online) == ("door-hq-02", True, False)
    assert went.at >= came.at and came.kind == "generic"


def test_nothing_is_announced_for_a_rolled_back_batch_nor_twice_for_duplicates(
    org: psycopg.Connection, feed: LiveFeed
) -> None:
    sub = feed.subscribe(kinds={CheckIn})
    now = datetime.now(UTC)
    ensure_partitions(org, now, now)
    row = attendance_row("nv-0001", now)
    with pytest.raises(RuntimeError), org.transaction():
        store_batch(org, "test", BatchRows([row], [], [], [], [], []))
        raise RuntimeError("the batch fails after the insert: rolled back")
    assert sub.get(timeout=1.5) is None
    store_batch(org, "test", BatchRows([row], [], [], [], [], []))
    store_batch(org, "test", BatchRows([row], [], [], [], [], []))  # a redelivery: nothing new
    first = sub.get(timeout=WAIT_S)
    assert isinstance(first, CheckIn) and first.full_name == "Nguyễn Văn Đức"
    assert sub.get(timeout=1.5) is None


def test_a_slow_subscriber_loses_its_oldest_items_and_blocks_nobody(org: psycopg.Connection, feed: LiveFeed) -> None:
    slow = feed.subscribe(kinds={CheckIn}, maxsize=2)  # never read until the end
    got: list[CheckIn] = []
    done = threading.Event()

    def stuck(item: LiveItem) -> None:
        done.wait(30)  # a callback that hangs: only its own inbox fills

    feed.subscribe(kinds={CheckIn}, callback=stuck, maxsize=1)
    fast = feed.subscribe(kinds={CheckIn}, callback=lambda item: got.append(item))
    now = datetime.now(UTC)
    ensure_partitions(org, now, now)
    started = time.monotonic()
    for i in range(5):
        store_batch(org, "test", BatchRows([attendance_row("nv-0003", now.replace(microsecond=i))], [], [], [], [], []))
    assert time.monotonic() - started < 2.0  # ingest never waits for the feed
    deadline = time.monotonic() + WAIT_S
    while len(got) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    done.set()
    assert len(got) == 5 and all(c.full_name == "Lê Minh Đạt" for c in got)
    kept = slow.drain()
    assert slow.dropped == 3 and [c.ts for c in kept] == sorted(c.ts for c in got)[-2:]
    fast.close()
    assert feed.subscriber_count == 2


@pytest.fixture
def own_database() -> Iterator[tuple[str, Path]]:
    """A PostgreSQL of this test's own, so restarting it disturbs no other test."""
    server = EmbeddedPostgres(new_workdir("cces-live-pg-"))
    url = server.start()
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        seed_org(conn)
    yield url, server.pgdata
    server.stop()
    if (server.pgdata / "postmaster.pid").exists():  # restarted under pgserver's feet, so it lost track
        stop_postgres(server.pgdata)


def test_the_listener_survives_a_database_restart(own_database: tuple[str, Path]) -> None:
    url, pgdata = own_database
    live = LiveFeed(url, poll_interval_s=0.2, reconnect_max_s=1.0)
    live.start()
    try:
        assert live.wait_connected(10)
        sub = live.subscribe()
        stop_postgres(pgdata)
        deadline = time.monotonic() + WAIT_S
        while live.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not live.connected
        start_postgres(pgdata)
        # stored while the listener may still be reconnecting: found again by the catch-up or announced
        with psycopg.connect(url, autocommit=True) as conn:
            now = datetime.now(UTC)
            ensure_partitions(conn, now, now)
            store_batch(conn, "test", BatchRows([attendance_row("nv-0001", now)], [], [], [], [], []))
        # delivered once, by the catch-up (before the gap notice) or by its notification (after it)
        items: list[LiveItem] = []
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and not (
            any(isinstance(i, FeedGap) for i in items) and any(isinstance(i, CheckIn) for i in items)
        ):
            item = sub.get(timeout=0.2)
            if item is not None:
                items.append(item)
        assert [i.full_name for i in items if isinstance(i, CheckIn)] == ["Nguyễn Văn Đức"]
        gap = next(i for i in items if isinstance(i, FeedGap))
        assert gap.until > gap.since and live.connected
        # and live again, by notification
        with psycopg.connect(url, autocommit=True) as conn:
            store_batch(conn, "test", BatchRows([attendance_row("nv-0002", datetime.now(UTC))], [], [], [], [], []))
        assert next_of(sub, CheckIn).full_name == "Trần Thị Lan"
        assert live.stats.reconnects >= 1
    finally:
        live.stop()
