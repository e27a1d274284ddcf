"""Enrollment end to end: token → `cces agent enroll` → certificate → events stored.

A real hub HTTP server (uvicorn) with the enrollment routes on a real database, the CA from
`provisioning`, a real Mosquitto with the TLS configuration we ship, and the agent's own
enrollment code talking HTTP to it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
import uvicorn
from fastapi import Depends, FastAPI

from edge_agent.enrollment import EnrollmentError, Ticket, enroll
from edge_agent.settings import AgentSettings
from hub.api.auth import guard, install_auth
from hub.db import open_pool
from hub.devices.enrollment import create_token
from hub.devices.enrollment_api import Enrollment, enrollment_router
from hub.services import HubServices
from protocol.topics import Topics
from provisioning.ca import make_csr, new_private_key
from tests.provisioning.tlskit import TlsBroker, connect, hub_identity
from tests.services import free_port

pytestmark = pytest.mark.timeout(120)


ADMIN_PASSWORD = "quan-tri-thu-nghiem-enroll"


def enrollment_app(pool: object, signer: object, mqtt_url: str) -> tuple[FastAPI, dict[str, str]]:
    """The enrollment routes behind the hub's session guard, and a signed-in system admin's bearer header."""
    services = HubServices(pool, None)  # type: ignore[arg-type]
    services.accounts.ensure_first_admin(Path(tempfile.mkdtemp(prefix="cces-admin-")), ADMIN_PASSWORD)
    token = services.accounts.sign_in("admin", ADMIN_PASSWORD).token
    app = FastAPI(dependencies=[Depends(guard)])
    install_auth(app)
    app.state.services = services
    app.state.enrollment = Enrollment(pool, signer, mqtt_url)  # type: ignore[arg-type]
    app.include_router(enrollment_router())
    return app, {"Authorization": f"Bearer {token}"}


class HubServer:
    def __init__(self, app: FastAPI, headers: dict[str, str] | None = None) -> None:
        self.headers = headers or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> HubServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def hub(tls_broker: TlsBroker, database_url: str) -> Iterator[HubServer]:
    pool = open_pool(database_url, 2)
    app, headers = enrollment_app(pool, tls_broker.ca, f"mqtts://127.0.0.1:{tls_broker.broker.port}")
    with HubServer(app, headers) as server:
        server.pool = pool  # type: ignore[attr-defined]
        yield server
    pool.close()


def new_token(hub: HubServer, device_id: str, **extra: object) -> str:
    url = f"{hub.url}/api/v1/devices/enrollment-tokens"
    assert httpx.post(url, json={"device_id": device_id, **extra}).status_code == 401  # no session, no token
    response = httpx.post(url, json={"device_id": device_id, **extra}, headers=hub.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["qr_text"])


def tokens_used(database_url: str) -> list[tuple[str, bool]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT device_id, used_at IS NOT NULL FROM enrollment_tokens ORDER BY device_id"
        ).fetchall()


def test_enrolled_device_connects_with_its_certificate_and_its_events_are_stored(
    hub: HubServer, tls_broker: TlsBroker, database_url: str, tmp_path: Path
) -> None:
    qr = new_token(hub, "door-enr-01", kind="faceid", site="hq")
    config = enroll(hub.url, Ticket.parse(qr), tmp_path / "device")
    settings = AgentSettings.load(config)
    assert settings.device_id == "door-enr-01" and settings.broker.tls
    assert (tmp_path / "device" / "identity" / "device.key").stat().st_mode & 0o077 == 0  # key stays private

    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT kind, site FROM devices WHERE device_id = 'door-enr-01'").fetchone() == (
            "faceid",
            "hq",
        )
    # the agent itself, with the written config, publishing through the TLS broker
    agent_config = config.read_text() + "[simulated]\nenabled = true\ninterval_s = 0.05\ncount = 5\n"
    config.write_text(agent_config)
    received: list[str] = []
    hub_client, ok = connect(tls_broker, "cces-hub-ingest", hub_identity(tls_broker))
    assert ok
    hub_client.on_message = lambda _c, _u, m: received.append(m.topic)
    hub_client.subscribe(Topics.all_events(), 1)
    time.sleep(0.3)
    agent = subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)])
    try:
        deadline = time.monotonic() + 30
        while len(received) < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert received == [Topics("door-enr-01").events] * 5
    finally:
        agent.terminate()
        agent.wait(15)
        hub_client.disconnect()


def test_reused_expired_and_tampered_tokens_are_refused_and_change_nothing(
    hub: HubServer, database_url: str, tmp_path: Path
) -> None:
    qr = new_token(hub, "door-enr-02")
    enroll(hub.url, Ticket.parse(qr), tmp_path / "first")
    with pytest.raises(EnrollmentError, match="already_used"):
        enroll(hub.url, Ticket.parse(qr), tmp_path / "again")

    tampered = qr[:-3] + ("AAA" if not qr.endswith("AAA") else "BBB")
    new_token(hub, "door-enr-03")
    before = tokens_used(database_url)
    with pytest.raises(EnrollmentError, match="wrong_token"):
        enroll(hub.url, Ticket.parse(tampered.replace("door-enr-02", "door-enr-03")), tmp_path / "t")
    assert tokens_used(database_url) == before

    with hub.pool.connection() as conn:  # type: ignore[attr-defined]
        expired = create_token(conn, "door-enr-04", "faceid", None, None, "test", timedelta(seconds=-1))
    with pytest.raises(EnrollmentError, match="expired"):
        enroll(hub.url, Ticket.parse(expired.qr_text), tmp_path / "x")
    assert not (tmp_path / "x" / "agent.toml").exists()


def test_a_csr_for_another_device_is_refused_and_the_token_stays_usable(hub: HubServer, database_url: str) -> None:
    qr = new_token(hub, "door-enr-05")
    token = Ticket.parse(qr).token
    csr = make_csr("door-someone-else", new_private_key()).decode()
    refused = httpx.post(f"{hub.url}/api/v1/enroll", json={"token": token, "csr_pem": csr})
    assert refused.status_code == 422 and refused.json()["reason"] == "bad_csr"
    assert tokens_used(database_url) == [("door-enr-05", False)]
    ok = httpx.post(
        f"{hub.url}/api/v1/enroll",
        json={"token": token, "csr_pem": make_csr("door-enr-05", new_private_key()).decode()},
    )
    assert ok.status_code == 200 and ok.json()["device_id"] == "door-enr-05"


def test_a_hub_without_a_tls_broker_refuses_enrollment_before_using_the_token(
    tls_broker: TlsBroker, database_url: str
) -> None:
    pool = open_pool(database_url, 2)
    app, headers = enrollment_app(pool, tls_broker.ca, "mqtt://127.0.0.1:1883")
    try:
        with HubServer(app, headers) as server:
            qr = new_token(server, "door-enr-06")
            answer = httpx.post(
                f"{server.url}/api/v1/enroll",
                json={"token": Ticket.parse(qr).token, "csr_pem": make_csr("door-enr-06", new_private_key()).decode()},
            )
            assert answer.status_code == 409 and answer.json()["reason"] == "no_tls_broker"
            assert tokens_used(database_url) == [("door-enr-06", False)]
    finally:
        pool.close()
