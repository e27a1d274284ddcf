"""Fixtures of the hub's tests: a real migrated database with a small org, and the hub's services on it
with the bootstrap admin signed in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.services import HubServices
from tests.hub.orgdata import seed_org

ADMIN_PASSWORD = "quan-tri-he-thong-1"
PASSWORD = "mat-khau-cua-toi-1"


@pytest.fixture
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection: each service call commits (or rolls back) on its own, as in the hub."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


@pytest.fixture
def org(conn: psycopg.Connection) -> psycopg.Connection:
    """The connection, after seeding the org tree and three employees of `orgdata`."""
    seed_org(conn)
    return conn


@pytest.fixture
def services(database_url: str, org: psycopg.Connection) -> Iterator[HubServices]:
    """The hub's services on the seeded database (no ingest, no broker)."""
    pool = open_pool(database_url, max_size=4, name="cces-hub-test")
    try:
        yield HubServices(pool, None)
    finally:
        pool.close()


@pytest.fixture
def admin(services: HubServices, tmp_path: Path) -> Principal:
    """The bootstrap system admin, signed in."""
    services.accounts.ensure_first_admin(tmp_path, ADMIN_PASSWORD)
    return services.accounts.sign_in("admin", ADMIN_PASSWORD).principal
