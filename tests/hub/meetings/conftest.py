"""Fixtures of the meetings tests: the API over a seeded organisation (tests.hub.orgdata), rooms made through it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.hub.api.conftest import Api, make_api

ADMIN_PASSWORD = "quan-tri-he-thong-1"


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` from today at hour:minute UTC (a booking's instant, always in the future for days ≥ 1)."""
    base = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return base + timedelta(days=days, hours=hour, minutes=minute)


def room_body(**extra: object) -> dict:
    return {"office": "Trụ sở Nội Bài", "unit_code": "CCHQNB", "name": "Phòng họp A", "capacity": 20,
            "equipment": ["Màn hình 75 inch", "Hệ thống âm thanh"], "display_device_id": "room-a-display",
            "door_device_id": "room-a-door", **extra}  # fmt: skip


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


@pytest.fixture
def admin_client(api: Api) -> TestClient:
    client = api.sign_in("admin", ADMIN_PASSWORD)
    assert client.put("/api/v1/meeting-rooms/phong-a", json=room_body()).status_code == 200
    return client
