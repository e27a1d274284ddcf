"""A person's erasure also removes the face snapshots of their attendance: deleted from disk, unlinked from the
rows (which say so), in the erasure's own transaction; other people's snapshots stay."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.files import ContentStore
from hub.snapshots.service import SnapshotRemoved, SnapshotService
from tests.hub.biometrics.conftest import employee_id
from tests.hub.snapshots.conftest import face_event, face_jpeg, files_under, ingest, unknown_face_event
from tests.hubstack import snapshot_store

ADMIN = Principal.tool("test-admin", "Quản trị kiểm thử")


def test_erasure_deletes_the_persons_snapshots_from_disk_and_unlinks_them_from_their_rows(
    database_url: str, org: psycopg.Connection, pool: ConnectionPool, tmp_path: Path
) -> None:
    store, clear = snapshot_store(tmp_path / "data"), ContentStore(tmp_path / "data" / "files")
    snapshots = SnapshotService(pool, store, clear, audit.record)
    biometrics = BiometricsService(
        pool, Sealer(b"k" * 32), EngineCache(tmp_path / "no-models"), check_pack="yunet-sface", audit=audit.record,
        snapshots=snapshots,
    )  # fmt: skip
    mine = [face_event("nv-0001", face_jpeg(1)), face_event("nv-0001", face_jpeg(2))]
    theirs = face_event("nv-0002", face_jpeg(3))
    stranger = unknown_face_event("door-hq-01", face_jpeg(4))
    ingest(database_url, store, *mine, theirs, stranger)
    legacy = clear.put(face_jpeg(5))  # an earlier version's clear-text snapshot of the same person, not yet sealed
    org.execute(
        "INSERT INTO attendance_events (id, ts, device_id, seq, person_id, score, model, snapshot_sha256)"
        " SELECT gen_random_uuid(), ts, device_id, 9, 'nv-0001', score, model, %s FROM attendance_events WHERE id = %s",
        (legacy, mine[0]["id"]),
    )
    assert len(files_under(store.root)) == 4 and len(files_under(clear.root)) == 1

    report = biometrics.erase_biometrics(employee_id(org, "NV001"), Actor("dpo"))

    assert report.snapshots_removed == 3
    assert len(files_under(store.root)) == 2, "NV002's snapshot and the unknown face's stay"
    assert files_under(clear.root) == []
    rows = org.execute(
        "SELECT snapshot_file, snapshot_sha256, snapshot_removed FROM attendance_events WHERE person_id = 'nv-0001'"
    ).fetchall()
    assert rows == [(None, None, "erasure")] * 3
    for event in mine:
        with pytest.raises(SnapshotRemoved, match="biometric data was erased"):
            snapshots.open(ADMIN, "attendance", uuid.UUID(event["id"]), Actor("test-admin"))
    assert snapshots.open(ADMIN, "attendance", uuid.UUID(theirs["id"]), Actor("test-admin")).jpeg == face_jpeg(3)
    after = org.execute("SELECT before->>'snapshots' FROM audit_log WHERE action = 'biometrics.erase'").fetchone()
    assert after == ("3",)
