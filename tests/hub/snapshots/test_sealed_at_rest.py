"""A face snapshot that came through a real broker is sealed on disk: no JPEG, no original bytes, a name that
says nothing; it opens through the service with the hub's key and with no other."""

from __future__ import annotations

import hashlib
import secrets
import uuid

import pytest

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.biometrics.crypto import Sealer, SealError
from hub.db import open_pool
from hub.snapshots.service import SnapshotService
from hub.snapshots.store import SnapshotEvent, SnapshotStore
from protocol.topics import Topics
from tests.hub.snapshots.conftest import JPEG_MAGIC, face_jpeg, files_under, unknown_face_event, with_snapshot
from tests.hubstack import IngestStack, attendance_event, device_client, provision, publish

pytestmark = pytest.mark.timeout(120)


def test_a_snapshot_ingested_through_a_broker_is_unreadable_on_disk_and_opens_with_the_key(
    ingest_stack: IngestStack,
) -> None:
    device = "door-s-01"
    client = device_client(
        ingest_stack.broker, provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    )
    face, stranger = face_jpeg(1), face_jpeg(2)
    event = with_snapshot(attendance_event(device, seq=1), face)
    unknown = unknown_face_event(device, stranger)
    for payload in (event, unknown, event):  # the attendance event replayed: one row, still one file
        publish(client, Topics(device).events, payload)
    ingest_stack.wait_for("SELECT COALESCE(sum(accepted) + sum(duplicates), 0) FROM ingest_counters", 3)
    client.disconnect()

    on_disk = files_under(ingest_stack.data_dir)
    snapshot_files = files_under(ingest_stack.data_dir / "snapshots")
    assert len(snapshot_files) == 2, on_disk
    for path in on_disk:
        content = path.read_bytes()
        assert not content.startswith(JPEG_MAGIC), f"{path} is a JPEG in clear"
        assert b"\xff\xd8\xff\xe0" not in content, f"{path} holds a JPEG header"
        for original in (face, stranger):
            assert original not in content and original[200:264] not in content, f"{path} holds the image"
    names = {p.name for p in snapshot_files}
    assert not names & {hashlib.sha256(face).hexdigest(), hashlib.sha256(stranger).hexdigest()}, (
        "a file named by the image's SHA-256 confirms a guessed image"
    )
    assert ingest_stack.scalar("SELECT count(*) FROM attendance_events WHERE snapshot_file IS NOT NULL") == 1

    pool = open_pool(ingest_stack.database_url, 2)
    try:
        service = SnapshotService(pool, ingest_stack.snapshots, None, audit.record)
        admin = Principal.tool("test-admin", "Quản trị kiểm thử")
        opened = service.open(admin, "attendance", uuid.UUID(event["id"]), Actor("test-admin"))
        assert opened.jpeg == face and opened.person_id == "nv-0001" and opened.device_id == device
        assert service.open(admin, "unknown_face", uuid.UUID(unknown["id"]), Actor("test-admin")).jpeg == stranger
    finally:
        pool.close()

    file, ts = ingest_stack.query("SELECT snapshot_file, ts FROM attendance_events")[0]
    another_key = SnapshotStore(ingest_stack.data_dir / "snapshots", Sealer(secrets.token_bytes(32)))
    with pytest.raises(SealError):
        another_key.open(SnapshotEvent("attendance", uuid.UUID(event["id"]), ts), file)
    with pytest.raises(SealError):  # the right key, but presented as another event: it does not open either
        ingest_stack.snapshots.open(SnapshotEvent("attendance", uuid.uuid4(), ts), file)
