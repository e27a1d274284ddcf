"""Snapshots are deleted after CCES_SNAPSHOT_RETENTION_DAYS by a job driven by a clock (no waiting); the rows
keep saying they had one; what an earlier version wrote in clear is sealed in place."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.files import ContentStore
from hub.snapshots.jobs import expire_snapshots, seal_clear_snapshots
from hub.snapshots.models import RetentionReport, SealReport
from hub.snapshots.service import SnapshotRemoved, SnapshotService
from hub.snapshots.store import SnapshotEvent, SnapshotStore
from tests.hub.snapshots.conftest import JPEG_MAGIC, face_event, face_jpeg, files_under, ingest

KEEP = timedelta(days=90)
MAX_FUTURE = timedelta(days=1)  # CCES_INGEST_MAX_FUTURE_S's default
ADMIN = Principal.tool("test-admin", "Quản trị kiểm thử")
VIEWER = Actor("test-admin")


def _row(database_url: str, event: dict) -> tuple:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT snapshot_file, snapshot_sha256, snapshot_removed, snapshot_removed_at FROM attendance_events"
            " WHERE id = %s",
            (event["id"],),
        ).fetchone()


def _ts(event: dict) -> datetime:
    return datetime.fromisoformat(event["ts"])


def test_a_snapshot_is_gone_after_its_retention_and_its_row_says_it_was_removed(
    database_url: str, pool: ConnectionPool, store: SnapshotStore, clear: ContentStore, snapshots: SnapshotService
) -> None:
    start = datetime.now(UTC)
    old = face_event("nv-0001", face_jpeg(1), ts=start - timedelta(hours=1))
    new = face_event("nv-0002", face_jpeg(2), ts=start)
    ingest(database_url, store, old, new)
    assert len(files_under(store.root)) == 2

    def run(now: datetime) -> RetentionReport:
        return expire_snapshots(pool, store, clear, keep=KEEP, now=now, max_future=MAX_FUTURE)

    assert run(_ts(old) + KEEP - timedelta(minutes=1)) == RetentionReport(0, 0, 0)  # a minute early: kept
    assert _row(database_url, old)[0] is not None and len(files_under(store.root)) == 2

    later = _ts(old) + KEEP + timedelta(minutes=1)
    assert run(later) == RetentionReport(rows=1, files=1, orphans=0)
    assert _row(database_url, old) == (None, None, "retention", later)
    assert len(files_under(store.root)) == 1, "the old snapshot's file is deleted, the newer one kept"
    with pytest.raises(SnapshotRemoved, match="retention period") as removed:
        snapshots.open(ADMIN, "attendance", uuid.UUID(old["id"]), VIEWER)
    assert removed.value.reason == "retention" and "hết thời hạn lưu" in str(removed.value)
    assert snapshots.open(ADMIN, "attendance", uuid.UUID(new["id"]), VIEWER).jpeg == face_jpeg(2)
    assert run(later) == RetentionReport(0, 0, 0)  # nothing left to do


def test_a_file_no_row_points_at_is_deleted_once_no_event_within_retention_can_own_it(
    pool: ConnectionPool, store: SnapshotStore, clear: ContentStore
) -> None:
    written = datetime.now(UTC)  # the file's time on disk: a batch that was never stored, or a dropped row
    store.put(SnapshotEvent("unknown_face", uuid.uuid4(), written), face_jpeg(3))
    edge = written + KEEP + MAX_FUTURE  # an event of up to MAX_FUTURE ahead could still be within KEEP before
    early = expire_snapshots(pool, store, clear, keep=KEEP, now=edge - timedelta(hours=1), max_future=MAX_FUTURE)
    assert early.orphans == 0 and len(files_under(store.root)) == 1
    late = expire_snapshots(pool, store, clear, keep=KEEP, now=edge + timedelta(hours=1), max_future=MAX_FUTURE)
    assert late.orphans == 1 and files_under(store.root) == []


def _insert_as_an_earlier_version(conn: psycopg.Connection, table: str, digest: str, ts: datetime) -> uuid.UUID:
    event_id = uuid.uuid4()
    if table == "attendance_events":
        conn.execute(
            "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model, snapshot_sha256)"
            " VALUES (%s, %s, 'door-old-01', 1, 'nv-0001', 0.8, 'yunet-sface', %s)",
            (event_id, ts, digest),
        )
    else:
        conn.execute(
            "INSERT INTO unknown_faces (id, ts, device_id, seq, score, model, snapshot_sha256)"
            " VALUES (%s, %s, 'door-old-01', 2, 0.2, 'yunet-sface', %s)",
            (event_id, ts, digest),
        )
    return event_id


def test_clear_snapshots_left_by_an_earlier_version_are_sealed_in_place(
    database_url: str,
    data_dir: Path,
    pool: ConnectionPool,
    store: SnapshotStore,
    clear: ContentStore,
    snapshots: SnapshotService,
) -> None:
    now = datetime.now(UTC)
    shared, stray = face_jpeg(4), face_jpeg(5)
    digest = clear.put(shared)  # the earlier version stored identical images once, for every event holding them
    stray_digest = clear.put(stray)  # written, but its batch was never stored
    two_hours_ago = (now - timedelta(hours=2)).timestamp()
    os.utime(clear.path_of(stray_digest), (two_hours_ago, two_hours_ago))
    with psycopg.connect(database_url) as conn:
        attendance = _insert_as_an_earlier_version(conn, "attendance_events", digest, now - timedelta(days=1))
        unknown = _insert_as_an_earlier_version(conn, "unknown_faces", digest, now - timedelta(days=1))
    assert snapshots.open(ADMIN, "attendance", attendance, VIEWER).jpeg == shared  # readable meanwhile

    assert seal_clear_snapshots(pool, clear, store, now=now) == SealReport(files=1, rows=2, unreferenced=1)

    assert files_under(clear.root) == []
    for path in files_under(data_dir):
        content = path.read_bytes()
        assert not content.startswith(JPEG_MAGIC) and shared not in content and stray not in content, path
    with psycopg.connect(database_url) as conn:
        for table, event_id in (("attendance_events", attendance), ("unknown_faces", unknown)):
            query = f"SELECT snapshot_file, snapshot_sha256 FROM {table} WHERE id = %s"
            file, sha = conn.execute(query, (event_id,)).fetchone()
            assert file is not None and sha is None
    assert snapshots.open(ADMIN, "attendance", attendance, VIEWER).jpeg == shared
    assert snapshots.open(ADMIN, "unknown_face", unknown, VIEWER).jpeg == shared
    assert seal_clear_snapshots(pool, clear, store, now=now) == SealReport(0, 0, 0)
