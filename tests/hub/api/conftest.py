"""The FastAPI app over a real, seeded database, driven by TestClient."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.db import open_pool
from hub.services import HubServices


@pytest.fixture
def client(database_url: str, org: psycopg.Connection) -> Iterator[TestClient]:
    pool = open_pool(database_url, max_size=4, name="cces-api-test")
    try:
        with TestClient(create_app(HubServices(pool, None))) as test_client:
            yield test_client
    finally:
        pool.close()
