"""Fixtures for the hub's people and timekeeping tests: a real migrated database with a small org."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.hub.orgdata import seed_org


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
