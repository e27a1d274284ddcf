"""The running `cces hub` against outsiders (issue 12, items 6 and 7): what uvicorn, NiceGUI and the
hub's middleware do together, over real HTTP.

- `X-Forwarded-For` is believed only from `CCES_TRUSTED_PROXIES` (uvicorn trusted loopback by default,
  so anyone could reset the per-address sign-in limit and write any address into the audit log).
- NiceGUI's `session` cookie follows the session settings (Secure, SameSite, no longer than a session).
- Anonymous visitors leave no storage file; old files are swept when the hub starts.
- The UI's own endpoints refuse other sites (POST /sign-out, /sign-in/done, the page WebSocket);
  pages and API carry the security headers.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import drop_database, new_database
from tests.hubprocess import HubProcess, hub_env, running_hub
from tests.services import new_workdir

pytestmark = pytest.mark.timeout(300)

ADMIN_PASSWORD = "bao-mat-thu-nghiem-2026"
EVIL = "https://evil.example"
OLD_STORAGE = "storage-user-00000000-0000-0000-0000-000000000000.json"


@contextmanager
def security_hub(server_url: str, before_start=None, **settings: str) -> Iterator[HubProcess]:  # noqa: ANN001
    """`cces hub` on a database of its own; `before_start(data_dir)` may plant files first."""
    from hub.db import migrate

    url = new_database(server_url)
    migrate(url)
    data_dir = new_workdir("cces-hub-security-")
    try:
        if before_start is not None:
            before_start(data_dir)
        env = hub_env(data_dir, CCES_DATABASE_URL=url, CCES_ADMIN_PASSWORD=ADMIN_PASSWORD, **settings)
        with running_hub(env) as hub:
            yield hub
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        drop_database(server_url, url)


def _plant_old_storage(data_dir: Path) -> None:
    folder = data_dir / "ui-storage"
    folder.mkdir(mode=0o700)
    (folder / OLD_STORAGE).write_text('{"cces_lang": "en"}')
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(folder / OLD_STORAGE, (two_days_ago, two_days_ago))


@pytest.fixture(scope="module")
def hub(postgres_server: str) -> Iterator[HubProcess]:
    """One hub for the module: HTTPS cookies, 2 h sessions, 3 failures per address, an old storage file."""
    with security_hub(
        postgres_server,
        _plant_old_storage,
        CCES_SESSION_COOKIE_SECURE="true",
        CCES_SESSION_MAX_HOURS="2",
        CCES_SIGNIN_MAX_FAILURES_PER_IP="3",
    ) as running:
        yield running


def _sign_in(base_url: str, password: str = ADMIN_PASSWORD, **headers: str) -> httpx.Response:
    return httpx.post(f"{base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": password},
                      headers=headers)  # fmt: skip


def _newest_sign_in_address(base_url: str, token: str) -> str | None:
    page = httpx.get(
        f"{base_url}/api/v1/audit", params={"action": "sign_in.success"}, headers={"Authorization": f"Bearer {token}"}
    ).json()
    return page["items"][0]["client_ip"]


def test_forwarded_for_from_anyone_is_not_believed(hub: HubProcess) -> None:
    signed = _sign_in(hub.base_url, **{"X-Forwarded-For": "203.0.113.7"})
    assert signed.status_code == 200, signed.text
    assert _newest_sign_in_address(hub.base_url, signed.json()["token"]) == "127.0.0.1"
    # a new made-up address per guess does not get around the per-address limit (3 here)
    for i in range(3):
        wrong = _sign_in(hub.base_url, password=f"sai-{i}", **{"X-Forwarded-For": f"198.51.100.{i}"})
        assert wrong.status_code == 401, wrong.text
    locked = _sign_in(hub.base_url, **{"X-Forwarded-For": "198.51.100.99"})
    assert locked.status_code == 429 and locked.json()["reason"] == "locked"
    with psycopg.connect(hub.env["CCES_DATABASE_URL"], autocommit=True) as conn:
        conn.execute("DELETE FROM sign_in_failures")  # (the lock's time passing, for the module's other tests)


def test_forwarded_for_from_a_trusted_proxy_names_the_client(postgres_server: str) -> None:
    with security_hub(postgres_server, CCES_TRUSTED_PROXIES="127.0.0.1") as proxied:
        signed = _sign_in(proxied.base_url, **{"X-Forwarded-For": "203.0.113.7"})
        assert signed.status_code == 200, signed.text
        assert _newest_sign_in_address(proxied.base_url, signed.json()["token"]) == "203.0.113.7"


def test_niceguis_cookie_follows_the_session_settings(hub: HubProcess) -> None:
    response = httpx.get(f"{hub.base_url}/sign-in")
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("session=")]
    assert len(cookies) == 1, response.headers
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookies[0].split(";")[1:]}
    assert "secure" in attributes and "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=lax"
    assert attributes["max-age"] == "Max-Age=7200"  # CCES_SESSION_MAX_HOURS=2, not NiceGUI's 14 days


def test_anonymous_visitors_leave_no_storage_and_old_files_are_swept(hub: HubProcess) -> None:
    folder = hub.data_dir / "ui-storage"
    deadline = time.monotonic() + 60
    while (folder / OLD_STORAGE).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not (folder / OLD_STORAGE).exists(), "a storage file two days old was not swept at start"
    for i in range(100):  # cookieless, as a script would
        for path in ("/sign-in", "/sign-in?lang=en", f"/people?q={i}", "/sign-out"):
            assert httpx.get(f"{hub.base_url}{path}", follow_redirects=True).status_code == 200
    time.sleep(1)  # (NiceGUI writes storage in the background)
    assert list(folder.glob("storage-*.json")) == []


def _websocket_handshake(base_url: str, origin: str) -> str:
    """The status line a WebSocket upgrade of the pages' socket gets with this Origin."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            (
                "GET /_nicegui_ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: {origin}\r\n\r\n"
            ).encode()
        )
        return conn.recv(4096).decode(errors="replace").split("\r\n")[0]


def test_the_uis_own_endpoints_refuse_other_sites(hub: HubProcess) -> None:
    own = hub.base_url
    signed = _sign_in(own, Origin=own)
    assert signed.status_code == 200, signed.text
    token = signed.json()["token"]
    me = f"{own}/api/v1/auth/me"
    with httpx.Client(cookies={"cces_session": token}) as browser:
        assert browser.post(f"{own}/sign-out", headers={"Origin": EVIL}).status_code == 403
        assert browser.get(f"{own}/sign-out").status_code == 200  # the question page; nothing happens
        assert httpx.get(me, headers={"Authorization": f"Bearer {token}"}).status_code == 200  # still signed in
        done = browser.get(f"{own}/sign-in/done", headers={"Sec-Fetch-Site": "cross-site"})
        assert done.status_code == 403
    assert "403" in _websocket_handshake(own, EVIL)
    assert "101" in _websocket_handshake(own, own)
    with httpx.Client(cookies={"cces_session": token}) as browser:
        out = browser.post(f"{own}/sign-out", headers={"Origin": own})
        assert out.status_code == 303 and out.headers["location"] == "/sign-in"
    assert httpx.get(me, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_pages_and_api_send_the_security_headers(hub: HubProcess) -> None:
    for path in ("/sign-in", "/api/v1/health", "/kiosk/room/r1?key=nothing", "/_nicegui/auto/static/nonexistent"):
        headers = httpx.get(f"{hub.base_url}{path}").headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


def test_trusted_proxies_are_addresses_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.settings import ConfigError, HubSettings

    monkeypatch.delenv("CCES_TRUSTED_PROXIES", raising=False)
    assert HubSettings.load().http.trusted_proxies == []  # nobody's X-Forwarded-For by default
    monkeypatch.setenv("CCES_TRUSTED_PROXIES", "10.0.0.1, 10.1.0.0/16,::1")
    assert HubSettings.load().http.trusted_proxies == ["10.0.0.1", "10.1.0.0/16", "::1"]
    for wrong in ("*", "proxy.example", "10.0.0.300"):
        monkeypatch.setenv("CCES_TRUSTED_PROXIES", wrong)
        with pytest.raises(ConfigError, match="trusted_proxies.*not an IP address or network"):
            HubSettings.load()
