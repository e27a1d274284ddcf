"""A running `cces hub` for the browser tests: the real process on the test's PostgreSQL (seeded
with the small organisation), the embedded amqtt broker, the real `yunet-sface` pack, the first
admin's password given. Driven with the `browser` fixture (headless Chromium) of tests/conftest.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.hub.orgdata import seed_org
from tests.hubprocess import HubProcess, hub_env, running_hub
from tests.services import new_workdir

ADMIN_PASSWORD = "trình-duyệt-thử-2026"


@contextmanager
def browser_test_hub(database_url: str, **settings: str) -> Iterator[HubProcess]:
    """`cces hub` on `database_url` (seeded by the caller) with the first admin's password given."""
    data_dir = new_workdir("cces-hub-browser-")
    env = hub_env(data_dir, CCES_DATABASE_URL=database_url, CCES_ADMIN_PASSWORD=ADMIN_PASSWORD, **settings)
    try:
        with running_hub(env) as hub:
            yield hub
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def browser_hub(database_url: str, models_dir: Path) -> Iterator[HubProcess]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    with browser_test_hub(database_url, CCES_MODELS_DIR=str(models_dir)) as hub:
        yield hub
