"""Cross-site requests and the security headers (issue 12, item 7), on the real app and PostgreSQL.

A browser says where a request comes from (Origin, else Referer, else Sec-Fetch-Site): a state change
from another site is refused with 403 (Vietnamese and English) before it reaches any route, and
nothing changes. A request without any of those headers is no browser page's (an API client with a
bearer token, a device): it passes. Every answer carries the framing, sniffing, referrer and content
security headers.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.api.auth import SESSION_COOKIE
from tests.hub.api.conftest import Api
from tests.hub.api.test_route_auth import ROUTES, full_app, url

HUB = "http://testserver"  # the address TestClient's requests are made to
EVIL = "https://evil.example"
NEW_USER = {"username": "moi.tao", "password": "mat-khau-moi-dai-1", "display_name": "Mới tạo"}
UNSAFE = [r for r in ROUTES if r[0] in ("POST", "PUT", "PATCH", "DELETE")]


def _users(org: psycopg.Connection) -> int:
    row = org.execute("SELECT count(*) FROM users").fetchone()
    assert row is not None
    return int(row[0])


CROSS_SITE = [
    {"Origin": EVIL},
    {"Origin": "null"},  # a sandboxed frame or an opaque redirect
    {"Origin": "http://testserver.evil.example"},
    {"Origin": "http://testserver:8081"},  # another port is another origin
    {"Referer": f"{EVIL}/trap.html"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is not the hub either
]


def test_a_state_change_from_another_site_is_refused_and_changes_nothing(
    client: TestClient, org: psycopg.Connection
) -> None:
    users = _users(org)
    for headers in CROSS_SITE:
        response = client.post("/api/v1/users", json=NEW_USER, headers=headers)
        assert response.status_code == 403, (headers, response.text)
        assert response.json()["reason"] == "cross_site"
        assert "trang web khác" in response.json()["detail"] and "another site" in response.json()["detail"]
        assert response.headers["x-frame-options"] == "DENY"
    assert _users(org) == users


def test_the_hubs_own_pages_and_api_clients_pass(api: Api, client: TestClient, org: psycopg.Connection) -> None:
    same_origin = client.post("/api/v1/users", json=NEW_USER, headers={"Origin": HUB})
    assert same_origin.status_code == 201, same_origin.text
    from_a_page = client.patch(
        f"/api/v1/users/{same_origin.json()['id']}",
        json={"display_name": "Đổi tên"},
        headers={"Referer": f"{HUB}/users/{same_origin.json()['id']}", "Sec-Fetch-Site": "same-origin"},
    )
    assert from_a_page.status_code == 200, from_a_page.text
    # a bearer-token client (no cookie, no browser headers) is no cross-site request
    token = client.cookies[SESSION_COOKIE]
    bearer = TestClient(api.app)
    api.clients.append(bearer)
    other = {**NEW_USER, "username": "qua.token"}
    response = bearer.post("/api/v1/users", json=other, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    # nor is one that keeps its own cookie without browser headers (curl -b): no site to compare
    assert client.post("/api/v1/users", json={**NEW_USER, "username": "qua.cookie"}).status_code == 201


def test_signing_in_from_another_site_is_refused(api: Api) -> None:
    """Login CSRF: another site must not sign a visitor's browser into an account of its choosing."""
    browser = TestClient(api.app)
    api.clients.append(browser)
    body = {"username": "admin", "password": "quan-tri-he-thong-1"}
    refused = browser.post("/api/v1/auth/sign-in", json=body, headers={"Origin": EVIL})
    assert refused.status_code == 403 and SESSION_COOKIE not in browser.cookies
    assert browser.post("/api/v1/auth/sign-in", json=body, headers={"Origin": HUB}).status_code == 200


@pytest.fixture(scope="module")
def bare_app() -> Iterator[TestClient]:
    """The app's middleware and routes with no database: a cross-site refusal comes before any route."""
    with TestClient(full_app(None), raise_server_exceptions=False) as bare:
        yield bare


@pytest.mark.parametrize(("method", "path"), UNSAFE, ids=[f"{m} {p}" for m, p in UNSAFE])
def test_every_state_changing_route_refuses_another_site(bare_app: TestClient, method: str, path: str) -> None:
    """Generated from the app's routes: a route added later is covered too (refused before it runs)."""
    response = bare_app.request(method, url(path), headers={"Origin": EVIL}, json={})
    assert response.status_code == 403 and response.json()["reason"] == "cross_site", response.text


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for response in (client.get("/api/v1/health"), client.get("/api/v1/auth/me"), client.get("/api/v1/nowhere")):
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_a_device_enrolling_without_browser_headers_reaches_the_route(bare_app: TestClient) -> None:
    """Devices enroll with a plain POST (no Origin): it reaches the route (here: its body check)."""
    response = bare_app.post("/api/v1/enroll", json={})
    assert response.status_code == 422, response.text
