"""Guessing passwords does not grow the audit log by a row per attempt (issue 12, item 6): failures are
counted on one row per run, a lock writes one row and counts what it refused; the rate limit still
holds across two hub processes (two pools on the same PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest

from hub.accounts.models import AccountsPolicy, SignInRefused
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.services import HubServices
from tests.hub.conftest import ADMIN_PASSWORD


@pytest.fixture
def second_hub(database_url: str, services: HubServices) -> Iterator[HubServices]:
    """The services of another hub process on the same database."""
    pool = open_pool(database_url, max_size=2, name="cces-hub-test-2")
    try:
        other = HubServices(pool, None)
        yield other
    finally:
        pool.close()


def _attempts(hubs: list[HubServices], usernames: list[str], client_ip: str) -> list[str]:
    reasons = []
    for i, username in enumerate(usernames):
        with pytest.raises(SignInRefused) as refused:
            hubs[i % len(hubs)].accounts.sign_in(username, f"sai-mat-khau-{i}", client_ip=client_ip)
        reasons.append(refused.value.reason)
    return reasons


def _rows_since(conn: psycopg.Connection, last_id: int) -> list[tuple]:
    return conn.execute(
        "SELECT action, entity, entity_id, after, client_ip FROM audit_log WHERE id > %s ORDER BY id", (last_id,)
    ).fetchall()


def _last_id(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()
    assert row is not None
    return int(row[0])


def test_a_username_under_attack_gets_one_counted_row_and_one_lock_row(
    services: HubServices, second_hub: HubServices, admin: Principal, org: psycopg.Connection
) -> None:
    policy = AccountsPolicy(max_failures_per_user=5, max_failures_per_ip=1000)
    services.accounts.policy = second_hub.accounts.policy = policy
    start = _last_id(org)

    reasons = _attempts([services, second_hub], ["admin"] * 60, "198.51.100.7")

    # the limit holds across both processes: 5 failures, then locked, whichever process answers
    assert reasons == ["bad_credentials"] * 5 + ["locked"] * 55
    rows = _rows_since(org, start)
    assert [(a, e, k) for a, e, k, _, _ in rows] == [
        ("sign_in.failed", "user", "admin"),
        ("sign_in.locked", "user", "admin"),
    ]
    failed, locked = rows[0][3], rows[1][3]
    assert failed["failures"] == 5 and "last_at" in failed
    assert locked["by"] == "username" and locked["failures"] == 5 and locked["refused"] == 55
    assert rows[1][4] == "198.51.100.7"

    # a success ends the run: the next failure starts a new counted row
    org.execute("DELETE FROM sign_in_failures")  # (the lock's time passing)
    assert services.accounts.sign_in("admin", ADMIN_PASSWORD, client_ip="198.51.100.7").principal.username == "admin"
    _attempts([services], ["admin"], "198.51.100.7")
    newest = _rows_since(org, start)[-2:]
    assert [r[0] for r in newest] == ["sign_in.success", "sign_in.failed"] and newest[1][3]["failures"] == 1


def test_guessing_across_usernames_from_one_address_is_counted_on_the_address_lock(
    services: HubServices, second_hub: HubServices, org: psycopg.Connection
) -> None:
    policy = AccountsPolicy(max_failures_per_user=100, max_failures_per_ip=4, failure_window=timedelta(minutes=5))
    services.accounts.policy = second_hub.accounts.policy = policy
    start = _last_id(org)

    reasons = _attempts([services, second_hub], [f"khong-co-{i}" for i in range(40)], "203.0.113.9")

    assert reasons == ["bad_credentials"] * 4 + ["locked"] * 36
    rows = _rows_since(org, start)
    assert [(a, e) for a, e, _, _, _ in rows] == [("sign_in.failed", "user")] * 4 + [
        ("sign_in.locked", "client_address")
    ]
    assert rows[-1][2] == "203.0.113.9" and rows[-1][3]["failures"] == 4 and rows[-1][3]["refused"] == 36
    # another address is not locked, and its failure is its username's own row
    with pytest.raises(SignInRefused) as refused:
        services.accounts.sign_in("khong-co-1", "x", client_ip="203.0.113.10")
    assert refused.value.reason == "bad_credentials"
