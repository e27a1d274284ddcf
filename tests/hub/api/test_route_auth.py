"""Every /api/v1 route of the real app is protected: generated from the app's own route list, so a
route added later is covered without touching this file — and one that names no declared action of
the rule book (hub.access; `openapi_extra=ACTION.route()`) fails here.

Real PostgreSQL, real sign-ins; expired and revoked sessions are made by the real code (the expiry
by moving the stored clock back, the revocation by signing out).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hub.access import Action
from hub.accounts.principal import Role
from hub.accounts.service import GrantSpec
from hub.accounts.sessions import token_digest
from hub.api.app import create_app
from hub.api.auth import SESSION_COOKIE, route_actions
from hub.db import migrate, open_pool
from hub.devices.enrollment_api import Enrollment, enrollment_router
from hub.domains import all_actions
from hub.services import HubServices
from tests.conftest import new_database
from tests.hub.api.conftest import ADMIN_PASSWORD, PASSWORD
from tests.hub.orgdata import seed_org


def full_app(services: HubServices | None) -> FastAPI:
    """The API as `cces hub` composes it (create_app plus the enrollment routes it mounts)."""
    app = create_app(services)  # type: ignore[arg-type]
    app.include_router(enrollment_router())
    return app


RULES: dict[tuple[str, str], Action | None] = route_actions(full_app(None))  # derived from the routes
ROUTES = list(RULES)
PUBLIC_ROUTES = [r for r, a in RULES.items() if a is not None and a.public]
PROTECTED = [r for r in ROUTES if r not in PUBLIC_ROUTES]
NEEDS_ROLE = [r for r in PROTECTED if (a := RULES[r]) is not None and not a.signed_in_only]
ANY_SIGNED_IN = [r for r in PROTECTED if (a := RULES[r]) is not None and a.signed_in_only]


SAMPLE = {
    "device_id": "door-x-01",
    "user_id": "1",
    "grant_id": "1",
    "command_id": "0192f7a4-0000-7000-8000-000000000001",
    "employee_code": "NV001",  # the plain employee's own code
    "unit_code": "DOI1",
    "period": "2025-11",
    "day": "2025-11-03",
    "year": "2026",
    "site": "tru-so-x",
}


def url(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLE.get(m.group(1), "x1"), path)


def ids(routes: list[tuple[str, str]]) -> list[str]:
    return [f"{m} {p}" for m, p in routes]


@dataclass
class Hub:
    app: FastAPI
    services: HubServices
    database_url: str

    def token_of(self, username: str, password: str = PASSWORD) -> str:
        return self.services.accounts.sign_in(username, password).token


@pytest.fixture(scope="module")
def hub(postgres_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """One database for the module: ~40 routes × 5 cases would otherwise make ~200 databases."""
    database_url = new_database(postgres_server)
    migrate(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, max_size=4, name="cces-route-auth")
    try:
        services = HubServices(pool, None)
        services.accounts.ensure_first_admin(tmp_path_factory.mktemp("admin"), ADMIN_PASSWORD)
        admin = services.accounts.sign_in("admin", ADMIN_PASSWORD).principal
        services.accounts.create_user(
            admin, username="nv001", password=PASSWORD, employee_code="NV001",
            grants=[GrantSpec(Role.EMPLOYEE)],
        )  # fmt: skip
        app = full_app(services)
        app.state.enrollment = Enrollment(pool, None, "mqtt://127.0.0.1:1883")  # type: ignore[arg-type]
        yield Hub(app, services, database_url)
    finally:
        pool.close()


def call(hub: Hub, method: str, path: str, token: str | None = None, cookie: bool = False) -> int:
    client = TestClient(hub.app)
    headers = {}
    if token is not None and not cookie:
        headers["Authorization"] = f"Bearer {token}"
    if token is not None and cookie:
        client.cookies.set(SESSION_COOKIE, token)
    return client.request(method, url(path), headers=headers).status_code


def test_every_route_names_a_declared_action() -> None:
    unruled = [r for r in ROUTES if RULES[r] is None]
    assert not unruled, f"name the action of these routes (openapi_extra=ACTION.route()): {unruled}"
    registered = {a.name: a for a in all_actions()}  # the actions of the domains in hub.domains.DOMAINS
    undeclared = [r for r in ROUTES if (a := RULES[r]) is not None and registered.get(a.name) is not a]
    assert not undeclared, f"routes naming actions no registered domain declares: {undeclared}"
    outside = [r for r in ROUTES if not r[1].startswith("/api/v1/")]
    assert not outside, f"API routes outside /api/v1 are not guarded: {outside}"
    assert set(PUBLIC_ROUTES) == {
        ("GET", "/api/v1/health"),
        ("POST", "/api/v1/auth/sign-in"),
        ("POST", "/api/v1/enroll"),
        ("GET", "/api/v1/actions/{token}"),  # notification mails' signed single-use links
        ("POST", "/api/v1/actions/{token}"),
    }
    assert len(PROTECTED) >= 30 and len(NEEDS_ROLE) >= 20  # the lists really come from the app


def test_a_route_missing_from_the_table_is_refused_even_when_signed_in(hub: Hub) -> None:
    """Fail closed: the guard refuses a route nobody wrote a rule for."""
    app = full_app(hub.services)

    @app.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "x"}

    client = TestClient(app)
    assert client.get("/api/v1/forgotten").status_code == 401
    admin = hub.token_of("admin", ADMIN_PASSWORD)
    response = client.get("/api/v1/forgotten", headers={"Authorization": f"Bearer {admin}"})
    assert response.status_code == 403 and "no access rule" in response.text


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=ids(PROTECTED))
def test_no_session_is_401(hub: Hub, method: str, path: str) -> None:
    response = TestClient(hub.app).request(method, url(path))
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), PROTECTED, ids=ids(PROTECTED))
def test_a_wrong_expired_or_revoked_session_is_401(hub: Hub, method: str, path: str) -> None:
    assert call(hub, method, path, "not-a-session-" + uuid.uuid4().hex) == 401
    assert call(hub, method, path, "x" * 5000) == 401
    # idle too long (as if the last request was long ago)
    idle = hub.token_of("nv001")
    with psycopg.connect(hub.database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE token_sha256 = %s",
            (token_digest(idle),),
        )
    assert call(hub, method, path, idle) == 401
    assert call(hub, method, path, idle, cookie=True) == 401
    # past the absolute lifetime, however active
    old = hub.token_of("nv001")
    with psycopg.connect(hub.database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_sha256 = %s", (token_digest(old),)
        )
    assert call(hub, method, path, old) == 401
    # signed out
    revoked = hub.token_of("nv001")
    assert hub.services.accounts.sign_out(revoked)
    assert call(hub, method, path, revoked) == 401
    assert call(hub, method, path, revoked, cookie=True) == 401


@pytest.mark.parametrize(("method", "path"), NEEDS_ROLE, ids=ids(NEEDS_ROLE))
def test_a_plain_employee_gets_403_where_a_role_is_needed(hub: Hub, method: str, path: str) -> None:
    token = hub.token_of("nv001")
    status = call(hub, method, path, token)
    assert status == 403, f"{method} {path} answered {status} to a plain employee"
    assert call(hub, method, path, token, cookie=True) == 403


@pytest.mark.parametrize(("method", "path"), ANY_SIGNED_IN, ids=ids(ANY_SIGNED_IN))
def test_a_plain_employee_passes_the_guard_where_any_session_will_do(hub: Hub, method: str, path: str) -> None:
    """Routes open to everyone signed in: not 401/403 for their own data (bad bodies are 422)."""
    status = call(hub, method, path, hub.token_of("nv001"))
    assert status not in (401, 403), f"{method} {path} answered {status}"


def test_public_routes_need_no_session(hub: Hub) -> None:
    client = TestClient(hub.app)
    assert client.get("/api/v1/health").status_code == 200
    assert client.post("/api/v1/auth/sign-in", json={"username": "nv001", "password": PASSWORD}).status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    # enrollment is authorised by its one-time token, not a session: the body is judged (422), no 401
    assert client.post("/api/v1/enroll", json={"token": "x", "csr_pem": "x"}).status_code == 422
