"""Fixtures of the biometrics and gallery tests: real PostgreSQL, the real model pack, real photos."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.biometrics.crypto import Sealer
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.db import open_pool

OFFICER = Actor("hr-officer")


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool]:
    pool = open_pool(database_url, 4)
    yield pool
    pool.close()


@pytest.fixture
def sealer() -> Sealer:
    return Sealer(secrets.token_bytes(32))


@pytest.fixture
def engines(models_dir: Path) -> EngineCache:
    return EngineCache(models_dir)


@pytest.fixture
def biometrics(pool: ConnectionPool, sealer: Sealer, engines: EngineCache) -> BiometricsService:
    return BiometricsService(pool, sealer, engines, check_pack="yunet-sface", audit=audit.record)


@pytest.fixture
def faces(testdata_dir: Path) -> Path:
    return testdata_dir / "faces"


def employee_id(conn: psycopg.Connection, code: str) -> int:
    row = conn.execute("SELECT id FROM employees WHERE employee_code = %s", (code,)).fetchone()
    assert row is not None
    return int(row[0])


def png(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()
