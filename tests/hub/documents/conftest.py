"""Documents fixtures: the seeded org (tests.hub.orgdata: TCHQ → CHQHN → CCHQNB → DOI1, CHQHCM; every
kind there keeps a seal), a văn thư of CCHQNB, a manager of CCHQNB, and the service on a clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import pytest

from hub.accounts import service as accounts
from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Principal
from hub.accounts.service import GrantSpec
from hub.accounts.sessions import load_principal
from hub.db import open_pool
from hub.documents.service import DocumentsService

PASSWORD = "mat-khau-dai-du-12"


@dataclass
class Clock:
    now: datetime = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # Monday 5 January 2026, 09:00 in Hà Nội

    def __call__(self) -> datetime:
        return self.now


def make_user(conn: psycopg.Connection, username: str, grants: tuple = ()) -> Principal:
    user = accounts.create_user(
        conn, AccountsPolicy(), Principal.tool("test", "Test"), username=username, password=PASSWORD,
        grants=[GrantSpec(role, unit) for role, unit in grants],
    )  # fmt: skip
    found = load_principal(conn, user.id)
    assert found is not None
    return found


@dataclass
class People:
    admin: Principal
    clerk: Principal  # văn thư of CCHQNB
    manager: Principal  # lãnh đạo of CCHQNB
    office: Principal  # office admin of CCHQNB
    other_clerk: Principal  # văn thư of CHQHCM


@pytest.fixture
def people(org: psycopg.Connection) -> People:
    return People(
        admin=Principal.tool("test", "Test"),
        clerk=make_user(org, "van-thu", (("clerk", "CCHQNB"),)),
        manager=make_user(org, "lanh-dao", (("manager", "CCHQNB"),)),
        office=make_user(org, "quan-tri", (("office_admin", "CCHQNB"),)),
        other_clerk=make_user(org, "van-thu-hcm", (("clerk", "CHQHCM"),)),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def documents(database_url: str, people: People, clock: Clock) -> Iterator[DocumentsService]:
    pool = open_pool(database_url, max_size=4, name="cces-documents-test")
    try:
        service = DocumentsService(pool, clock)
        service.set_issuer(people.admin, "CCHQNB", "HQKV2", "Hà Nội")
        yield service
    finally:
        pool.close()
