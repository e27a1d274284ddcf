"""Accounts over a real migrated, seeded database: the hub's services with a bootstrap admin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.services import HubServices

ADMIN_PASSWORD = "quan-tri-he-thong-1"
PASSWORD = "mat-khau-cua-toi-1"


@pytest.fixture
def services(database_url: str, org: psycopg.Connection) -> Iterator[HubServices]:
    pool = open_pool(database_url, max_size=4, name="cces-accounts-test")
    try:
        yield HubServices(pool, None)
    finally:
        pool.close()


@pytest.fixture
def admin(services: HubServices, tmp_path: Path) -> Principal:
    """The bootstrap system admin, signed in."""
    services.ensure_first_admin(tmp_path, ADMIN_PASSWORD)
    return services.sign_in("admin", ADMIN_PASSWORD).principal
