"""`cces hub` runs the snapshot jobs itself at start (then every 6 hours): an upgraded hub seals what the earlier
version left in clear, and deletes the snapshots already past their retention."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from hub.files import ContentStore
from hub.snapshots.store import SnapshotEvent
from tests.hub.snapshots.conftest import JPEG_MAGIC, face_event, face_jpeg, files_under, ingest
from tests.hubprocess import hub_env, running_hub
from tests.hubstack import snapshot_store

pytestmark = pytest.mark.timeout(240)


def test_an_upgraded_hub_seals_clear_snapshots_and_applies_the_retention_at_start(
    database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    store, clear = snapshot_store(data_dir), ContentStore(data_dir / "files")  # the hub's own key and stores
    now = datetime.now(UTC)
    expired = face_event("nv-0001", face_jpeg(1), ts=now - timedelta(days=31))
    ingest(database_url, store, expired)
    legacy_jpeg = face_jpeg(2)
    legacy_id = uuid.uuid4()
    with psycopg.connect(database_url) as conn:  # as an earlier version stored it: in clear, named by its SHA-256
        conn.execute(
            "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model, snapshot_sha256)"
            " VALUES (%s, %s, 'door-hq-01', 2, 'nv-0002', 0.8, 'yunet-sface', %s)",
            (legacy_id, now - timedelta(days=1), clear.put(legacy_jpeg)),
        )

    env = hub_env(data_dir, CCES_DATABASE_URL=database_url, CCES_SNAPSHOT_RETENTION_DAYS="30")
    with running_hub(env) as hub:
        deadline = time.monotonic() + 60
        state: tuple = ()
        while time.monotonic() < deadline:
            with psycopg.connect(database_url) as conn:
                state = conn.execute(
                    "SELECT (SELECT snapshot_removed FROM attendance_events WHERE id = %s),"
                    " (SELECT snapshot_file FROM attendance_events WHERE id = %s)",
                    (expired["id"], legacy_id),
                ).fetchone()
            if state[0] == "retention" and state[1] is not None:
                break
            time.sleep(0.2)
        assert state[0] == "retention" and state[1] is not None, f"{state}\n{hub.log_tail()}"

    assert files_under(clear.root) == []
    assert [p.name for p in files_under(store.root)] == [state[1]], "only the sealed copy of the clear snapshot"
    with psycopg.connect(database_url) as conn:
        ts = conn.execute("SELECT ts FROM attendance_events WHERE id = %s", (legacy_id,)).fetchone()[0]
    assert store.open(SnapshotEvent("attendance", legacy_id, ts), state[1]) == legacy_jpeg
    for path in files_under(data_dir / "snapshots") + files_under(data_dir / "files"):
        assert not path.read_bytes().startswith(JPEG_MAGIC)
