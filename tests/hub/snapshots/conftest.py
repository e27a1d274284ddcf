"""Fixtures of the snapshot tests: a hub's sealed store in its data dir, real JPEGs, events stored as ingest does."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts import audit
from hub.db import open_pool
from hub.files import ContentStore
from hub.ingest.classify import classify
from hub.ingest.repository import ensure_partitions, store_batch
from hub.ingest.rows import build_rows
from hub.snapshots.service import SnapshotService
from hub.snapshots.store import SnapshotStore
from protocol.topics import Topics
from tests.hubstack import attendance_event, snapshot_store

JPEG_MAGIC = b"\xff\xd8\xff"


def face_jpeg(seed: int = 1) -> bytes:
    """A real JPEG (a small noisy image: incompressible enough that its bytes are distinctive)."""
    image = np.random.default_rng(seed).integers(0, 255, (48, 48, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return data.tobytes()


def with_snapshot(event: dict[str, Any], jpeg: bytes) -> dict[str, Any]:
    event["data"]["snapshot"] = base64.b64encode(jpeg).decode()
    return event


def unknown_face_event(device_id: str, jpeg: bytes, ts: datetime | None = None) -> dict[str, Any]:
    return {
        "v": 1,
        "id": str(uuid.uuid4()),
        "device_id": device_id,
        "type": "face.unknown",
        "ts": (ts or datetime.now(UTC)).isoformat(),
        "seq": 1,
        "data": {"score": 0.2, "model": "yunet-sface", "snapshot": base64.b64encode(jpeg).decode()},
    }


def face_event(
    person_id: str, jpeg: bytes, ts: datetime | None = None, device_id: str = "door-hq-01"
) -> dict[str, Any]:
    event = attendance_event(device_id, person_id=person_id)
    if ts is not None:
        event["ts"] = ts.isoformat()
    return with_snapshot(event, jpeg)


def ingest(database_url: str, store: SnapshotStore, *events: dict[str, Any]) -> None:
    """Store events exactly as the ingest worker does with a batch from the broker (same classify, rows, SQL)."""
    now = datetime.now(UTC)
    max_future = timedelta(days=1)
    items = [classify(Topics(e["device_id"]).events, json.dumps(e).encode(), None, now, max_future) for e in events]
    rows, _ = build_rows(items, store)
    assert not rows.rejects, rows.rejects
    stamps = [datetime.fromisoformat(e["ts"].replace("Z", "+00:00")) for e in events]
    with psycopg.connect(database_url) as conn:
        ensure_partitions(conn, min(stamps) - timedelta(days=2), max(stamps) + timedelta(days=2))
        store_batch(conn, "snapshot-test", rows)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> SnapshotStore:
    return snapshot_store(data_dir)


@pytest.fixture
def clear(data_dir: Path) -> ContentStore:
    """Where earlier versions wrote snapshots in clear (`<data dir>/files`)."""
    return ContentStore(data_dir / "files")


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool]:
    pool = open_pool(database_url, 4)
    yield pool
    pool.close()


@pytest.fixture
def snapshots(pool: ConnectionPool, store: SnapshotStore, clear: ContentStore) -> SnapshotService:
    return SnapshotService(pool, store, clear, audit.record)
