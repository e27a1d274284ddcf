"""The FastAPI app over a real, seeded database, driven by TestClient, with real accounts and sessions.

`client` is signed in as the system admin (every route open to it); `api.client_as(...)` creates an
account with the given grants through the real service and returns a client signed in as it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Principal, Role
from hub.accounts.service import GrantSpec
from hub.api.app import create_app
from hub.db import open_pool
from hub.services import HubServices

ADMIN_PASSWORD = "quan-tri-he-thong-1"
PASSWORD = "mat-khau-cua-toi-1"


@dataclass
class Api:
    """The app under test, its services, and a way to sign in as anyone."""

    app: FastAPI
    services: HubServices
    admin: Principal
    clients: list[TestClient] = field(default_factory=list)

    def sign_in(self, username: str, password: str = PASSWORD) -> TestClient:
        """A client carrying the session cookie of a real sign-in."""
        client = TestClient(self.app)
        response = client.post("/api/v1/auth/sign-in", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.clients.append(client)
        return client

    def client_as(self, username: str, *grants: tuple[Role, str | None], employee: str | None = None) -> TestClient:
        """Create `username` (linked to `employee`, with these (role, unit code) grants) and sign in."""
        self.services.accounts.create_user(
            self.admin,
            username=username,
            password=PASSWORD,
            employee_code=employee,
            grants=[GrantSpec(role, unit) for role, unit in grants],
        )
        return self.sign_in(username)


def make_api(database_url: str, data_dir: Path, policy: AccountsPolicy | None = None) -> Iterator[Api]:
    pool = open_pool(database_url, max_size=4, name="cces-api-test")
    try:
        services = HubServices(pool, None)
        if policy is not None:
            services.accounts.policy = policy
        services.accounts.ensure_first_admin(data_dir, ADMIN_PASSWORD)
        admin = services.accounts.sign_in("admin", ADMIN_PASSWORD).principal
        api = Api(create_app(services), services, admin)
        yield api
        for client in api.clients:
            client.close()
    finally:
        pool.close()


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


@pytest.fixture
def client(api: Api) -> Iterator[TestClient]:
    """Signed in as the bootstrap system admin `admin`."""
    with TestClient(api.app) as test_client:
        response = test_client.post("/api/v1/auth/sign-in", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert response.status_code == 200, response.text
        yield test_client
