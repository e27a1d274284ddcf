"""The rejects API pages by bytes as well as rows, and dead letters have a retention (issue 12, item 6)."""

from __future__ import annotations

import base64

import psycopg
from fastapi.testclient import TestClient

from hub.ingest import repository as ingest_repo

CAP = 65_536


def _reject(conn: psycopg.Connection, size: int, age_days: int = 0) -> None:
    conn.execute(
        "INSERT INTO ingest_rejects (topic, device_id, reason, detail, payload, received_at)"
        " VALUES ('cces/v1/devices/door-x-01/events', 'door-x-01', 'not_json', 'x', %s,"
        " now() - make_interval(days => %s))",
        (b"\x01" * size, age_days),
    )


def test_twenty_10_mb_rejects_take_little_room_and_the_api_pages_them_by_bytes(
    client: TestClient, conn: psycopg.Connection
) -> None:
    for _ in range(20):
        _reject(conn, 10 * 1024 * 1024)
    stored = conn.execute("SELECT sum(length(payload)), sum(payload_size) FROM ingest_rejects").fetchone()
    assert stored == (20 * CAP, 20 * 10 * 1024 * 1024)

    seen: list[int] = []
    before: int | None = None
    while True:
        params: dict[str, int] = {"limit": 1000, "max_bytes": 150_000}
        if before is not None:
            params["before_id"] = before
        page = client.get("/api/v1/ingest/rejects", params=params)
        assert page.status_code == 200, page.text
        rows = page.json()
        if not rows:
            break
        assert len(page.content) < 500_000  # 3 x 64 KiB base64, not 1,000 rows
        assert len(rows) == 3 or (len(rows) < 3 and len(seen) + len(rows) == 20)
        assert all(r["payload_truncated"] and r["payload_size"] == 10 * 1024 * 1024 for r in rows)
        assert all(len(base64.b64decode(r["payload_base64"])) == CAP for r in rows)
        seen += [r["id"] for r in rows]
        before = rows[-1]["id"]
    assert len(seen) == len(set(seen)) == 20 and seen == sorted(seen, reverse=True)


def test_a_single_page_holds_at_least_one_row_whatever_its_size(client: TestClient, conn: psycopg.Connection) -> None:
    _reject(conn, 100_000)
    rows = client.get("/api/v1/ingest/rejects", params={"max_bytes": 1024}).json()
    assert len(rows) == 1 and rows[0]["payload_size"] == 100_000


def test_rejects_past_their_retention_are_deleted(conn: psycopg.Connection) -> None:
    _reject(conn, 10, age_days=120)
    _reject(conn, 10, age_days=10)
    assert ingest_repo.delete_rejects_older_than(conn, 90) == 1
    assert conn.execute("SELECT count(*) FROM ingest_rejects").fetchone() == (1,)
