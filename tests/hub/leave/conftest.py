"""Leave fixtures: the seeded org, accounts for its people and managers, and the leave service on a pool.

Org (tests.hub.orgdata): TCHQ → CHQHN → CCHQNB → DOI1, and CHQHCM. NV001 works in DOI1, NV002 in
CCHQNB, NV003 in CHQHCM. Accounts: `duc` (NV001), `doi-truong` (manager of DOI1), `chi-cuc-truong`
(manager of CCHQNB), `cuc-truong` (manager of CHQHN), `pho-doi` (NV002's account is `lan`, manager of
DOI1 as a second approver is not made), `tccb` (HR on TCHQ).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from hub.accounts import service as accounts
from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Principal
from hub.accounts.service import GrantSpec
from hub.accounts.sessions import load_principal
from hub.db import open_pool
from hub.files import ContentStore
from hub.leave.service import LeaveService

PASSWORD = "mat-khau-dai-du-12"


@dataclass
class Clock:
    now: datetime = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Outbox:
    sent: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    def __call__(self, conn, username, subject, body, link=None, **kwargs):  # type: ignore[no-untyped-def]
        self.sent.append((username, subject, body, link))

    def to(self, username: str) -> list[tuple[str, str, str, str | None]]:
        return [m for m in self.sent if m[0] == username]


def make_user(
    conn: psycopg.Connection, username: str, employee_code: str | None = None, grants: tuple = ()
) -> Principal:
    admin = Principal.tool("test", "Test")
    user = accounts.create_user(
        conn, AccountsPolicy(), admin, username=username, password=PASSWORD, employee_code=employee_code,
        grants=[GrantSpec(role, unit) for role, unit in grants],
    )  # fmt: skip
    found = load_principal(conn, user.id)
    assert found is not None
    return found


@dataclass
class People:
    duc: Principal
    lan: Principal
    dat: Principal
    doi_truong: Principal
    chi_cuc_truong: Principal
    cuc_truong: Principal
    tccb: Principal


@pytest.fixture
def people(org: psycopg.Connection) -> People:
    org.execute("UPDATE employees SET service_start = '2015-06-01'")
    doi = make_user(org, "doi-truong", grants=(("manager", "DOI1"),))
    chi = make_user(org, "chi-cuc-truong", grants=(("manager", "CCHQNB"),))
    cuc = make_user(org, "cuc-truong", grants=(("manager", "CHQHN"),))
    return People(
        duc=make_user(org, "duc", "NV001"),
        lan=make_user(org, "lan", "NV002"),
        dat=make_user(org, "dat", "NV003"),
        doi_truong=doi,
        chi_cuc_truong=chi,
        cuc_truong=cuc,
        tccb=make_user(org, "tccb", grants=(("hr", "TCHQ"),)),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def leave(database_url: str, people: People, clock: Clock, outbox: Outbox, tmp_path: Path) -> Iterator[LeaveService]:
    pool = open_pool(database_url, max_size=3, name="cces-leave-test")
    try:
        yield LeaveService(pool, clock, outbox, store=ContentStore(tmp_path / "files"))
    finally:
        pool.close()
