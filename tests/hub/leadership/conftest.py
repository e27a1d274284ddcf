"""Leadership fixtures: the hub's services on one movable clock over the seeded org and the records of
tests.hub.leadership.seed, a manager of the Chi cục CCHQNB and one of the Cục CHQHN."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.services import HubServices
from tests.hub.documents.conftest import make_user
from tests.hub.leadership.seed import Clock, seed


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(database_url: str, org: psycopg.Connection, clock: Clock) -> Iterator[HubServices]:
    pool = open_pool(database_url, max_size=4, name="cces-leadership-test")
    try:
        hub = HubServices(pool, None, clock=clock)
        seed(org, hub, clock)
        yield hub
    finally:
        pool.close()


@pytest.fixture
def chi_cuc(org: psycopg.Connection) -> Principal:
    return make_user(org, "chi-cuc-truong", (("manager", "CCHQNB"),))


@pytest.fixture
def cuc(org: psycopg.Connection) -> Principal:
    return make_user(org, "cuc-truong", (("manager", "CHQHN"),))
