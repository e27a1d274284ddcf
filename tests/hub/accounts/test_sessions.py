"""Sessions and sign-in on the real database: only a digest is stored, idle expiry moves with use,
unknown users cost a hash, and the pure rate-limit rule."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from hub.accounts.credentials import DUMMY_HASH, verify_password
from hub.accounts.models import AccountsPolicy, SignInRefused
from hub.accounts.principal import Principal, Role
from hub.accounts.ratelimit import locked_until
from hub.accounts.service import GrantSpec
from hub.accounts.sessions import token_digest
from hub.services import HubServices
from tests.hub.conftest import PASSWORD


def test_only_the_tokens_digest_is_stored(services: HubServices, admin: Principal, org: psycopg.Connection) -> None:
    signed = services.accounts.sign_in("admin", "quan-tri-he-thong-1", client_ip="10.1.2.3", user_agent="pytest")
    stored = org.execute("SELECT token_sha256, client_ip, user_agent FROM sessions").fetchall()
    assert (token_digest(signed.token), "10.1.2.3", "pytest") in stored
    dump = str(org.execute("SELECT * FROM sessions").fetchall())
    assert signed.token not in dump
    assert services.accounts.principal_for_session(signed.token) == signed.principal
    assert (
        services.accounts.principal_for_session(signed.token[:-1] + ("A" if signed.token[-1] != "A" else "B")) is None
    )
    assert services.accounts.principal_for_session("") is None and services.accounts.principal_for_session(None) is None


def test_use_pushes_the_idle_expiry_but_never_past_the_lifetime(
    services: HubServices, admin: Principal, org: psycopg.Connection
) -> None:
    services.accounts.policy = AccountsPolicy(session_idle=timedelta(seconds=10), session_max=timedelta(seconds=12))
    token = services.accounts.sign_in("admin", "quan-tri-he-thong-1").token

    def expiry() -> tuple[datetime, datetime]:
        row = org.execute(
            "SELECT idle_expires_at, expires_at FROM sessions WHERE token_sha256 = %s", (token_digest(token),)
        ).fetchone()
        assert row is not None
        return row[0], row[1]

    first_idle, end = expiry()
    time.sleep(1.2)  # more than the refresh interval (idle / 10 = 1 s)
    assert services.accounts.principal_for_session(token) is not None
    second_idle, same_end = expiry()
    assert second_idle > first_idle and same_end == end
    time.sleep(2.2)
    assert services.accounts.principal_for_session(token) is not None
    assert expiry()[0] == end  # capped at the absolute end


def test_signing_in_under_different_case_and_spaces_finds_the_account(services: HubServices, admin: Principal) -> None:
    services.accounts.create_user(admin, username="Tran.Lan", password=PASSWORD, employee_code="NV002")
    assert services.accounts.sign_in("  TRAN.LAN ", PASSWORD).principal.username == "tran.lan"


def test_an_unknown_user_costs_a_hash_like_a_wrong_password(services: HubServices, admin: Principal) -> None:
    """The dummy hash is verified for unknown usernames (behaviour); the timing is only loosely compared."""
    assert not verify_password(None, "x") and DUMMY_HASH.startswith("$argon2id$")

    def took(username: str) -> float:
        started = time.perf_counter()
        with pytest.raises(SignInRefused):
            services.accounts.sign_in(username, "wrong-password", client_ip=f"10.9.{len(username)}.1")
        return time.perf_counter() - started

    unknown = statistics.median(took(f"khong-co-{i}") for i in range(3))
    wrong = statistics.median(took("admin") for _ in range(3))
    assert unknown > 0.4 * wrong, (unknown, wrong)  # without the dummy hash it would be ~50× faster


def test_principal_carries_the_grants_and_the_employee(services: HubServices, admin: Principal) -> None:
    services.accounts.create_user(
        admin,
        username="lan",
        password=PASSWORD,
        employee_code="NV002",
        grants=[GrantSpec(Role.MANAGER, "CCHQNB"), GrantSpec(Role.EMPLOYEE)],
    )
    me = services.accounts.sign_in("lan", PASSWORD).principal
    assert me.employee_code == "NV002" and me.employee_id is not None
    assert me.has_role(Role.MANAGER) and not me.is_system_admin
    assert {g.role for g in me.grants} == {Role.MANAGER, Role.EMPLOYEE}
    assert all(g.unit_path == me.employee_unit_path for g in me.grants)  # NV002 works in CCHQNB


def test_the_lock_rule_counts_failures_within_one_window() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    window, lockout = timedelta(minutes=15), timedelta(minutes=15)
    spread = [t0 + timedelta(minutes=m) for m in (60, 40, 20, 0)]  # newest first, 20 min apart
    assert locked_until(spread, 3, window, lockout) is None
    close = [t0 + timedelta(minutes=m) for m in (10, 9, 8, 0)]
    assert locked_until(close, 3, window, lockout) == t0 + timedelta(minutes=25)
    assert locked_until(close[:2], 3, window, lockout) is None
