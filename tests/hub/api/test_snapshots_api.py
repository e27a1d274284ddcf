"""GET …/snapshot: the JPEG for who may see it (every opening audited, never cached), 403 for anyone else with
nothing written, 404 for no snapshot, 410 with the reason once retention deleted it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from hub.accounts import audit
from hub.accounts.principal import Role
from hub.files import ContentStore
from hub.snapshots.jobs import expire_snapshots
from hub.snapshots.service import SnapshotService
from tests.hub.api.conftest import Api
from tests.hub.snapshots.conftest import face_event, face_jpeg, ingest
from tests.hubstack import snapshot_store


def _openings(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT actor, entity_id, after->>'person' FROM audit_log WHERE action = 'snapshot.open' ORDER BY id"
    ).fetchall()


def test_a_snapshot_opens_for_those_who_may_see_the_person_and_each_opening_is_audited(
    api: Api, database_url: str, org: psycopg.Connection, tmp_path: Path
) -> None:
    store = snapshot_store(tmp_path / "data")
    api.services.attach_snapshots(SnapshotService(api.services.pool, store, None, audit.record))
    face = face_jpeg(1)
    event = face_event("nv-0001", face, ts=datetime.now(UTC) - timedelta(days=1))
    ingest(database_url, store, event)
    path = f"/api/v1/attendance-events/{event['id']}/snapshot"

    hr = api.client_as("hr-noibai", (Role.HR, "CCHQNB"))
    answer = hr.get(path)
    assert answer.status_code == 200 and answer.content == face
    assert answer.headers["content-type"] == "image/jpeg" and "no-store" in answer.headers["cache-control"]
    assert _openings(org) == [("hr-noibai", event["id"], "NV001")]

    stranger = api.client_as("hr-hcm", (Role.HR, "CHQHCM"))
    refused = stranger.get(path)
    assert refused.status_code == 403 and "see the face snapshot" in refused.json()["detail"]
    assert stranger.get("/api/v1/unknown-faces/" + event["id"] + "/snapshot").status_code == 403  # not an admin
    assert hr.get("/api/v1/attendance-events/0192f7a4-0000-7000-8000-000000000001/snapshot").status_code == 404
    assert len(_openings(org)) == 1, "a refused or failed opening writes nothing"

    expire_snapshots(
        api.services.pool, store, ContentStore(tmp_path / "data" / "files"), keep=timedelta(days=90),
        now=datetime.now(UTC) + timedelta(days=90), max_future=timedelta(days=1),
    )  # fmt: skip
    gone = hr.get(path)
    assert gone.status_code == 410 and gone.json()["reason"] == "retention"
    assert "hết thời hạn lưu" in gone.json()["detail"] and "retention period" in gone.json()["detail"]
