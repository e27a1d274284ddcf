"""The first `admin`: created once when there is no account, password file 0600, never logged."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import psycopg
import pytest

from hub.accounts.bootstrap import ensure_first_admin
from hub.accounts.models import AccountError
from hub.services import HubServices


def test_a_hub_without_accounts_creates_admin_with_a_0600_password_file(
    services: HubServices, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="hub.accounts.bootstrap"):
        made = services.accounts.ensure_first_admin(tmp_path)
    assert made is not None and made.username == "admin" and made.password_file == tmp_path / "admin-password"
    assert made.password_file.stat().st_mode & 0o777 == 0o600
    password = made.password_file.read_text().strip()
    assert len(password) >= 20
    assert str(made.password_file) in caplog.text and password not in caplog.text
    signed = services.accounts.sign_in("admin", password)
    assert signed.principal.is_system_admin
    # a second start (or a second hub node) changes nothing
    assert services.accounts.ensure_first_admin(tmp_path) is None
    assert made.password_file.read_text().strip() == password


def test_cces_admin_password_sets_it_and_writes_no_file(services: HubServices, tmp_path: Path) -> None:
    made = services.accounts.ensure_first_admin(tmp_path, "mat-khau-tu-env-1")
    assert made is not None and made.password_file is None
    assert not (tmp_path / "admin-password").exists()
    assert services.accounts.sign_in("admin", "mat-khau-tu-env-1").principal.username == "admin"


def test_a_weak_admin_password_is_refused_and_nothing_is_created(services: HubServices, tmp_path: Path) -> None:
    with pytest.raises(AccountError, match="at least 8"):
        services.accounts.ensure_first_admin(tmp_path, "123")
    assert services.accounts.ensure_first_admin(tmp_path) is not None  # still no account: the next start creates it


def test_hubs_starting_together_create_one_admin(database_url: str, org: psycopg.Connection, tmp_path: Path) -> None:
    results: list[object] = []

    def start(n: int) -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            results.append(ensure_first_admin(conn, tmp_path / str(n)))

    threads = [threading.Thread(target=start, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1
    assert org.execute("SELECT count(*) FROM users").fetchone() == (1,)
    assert org.execute("SELECT action, actor FROM audit_log").fetchall() == [("user.bootstrap", "system")]
