"""Who may read /metrics (hub.metrics.access) and the settings that say so."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry

from hub.metrics.access import MetricsAccess
from hub.metrics.endpoint import metrics_route
from hub.settings import ConfigError, HubSettings

TOKEN = "a-long-enough-token-0123456789"


def access(**settings: object) -> MetricsAccess:
    return MetricsAccess.from_settings(HubSettings.load(**settings))


def test_trusted_addresses_are_read_like_the_trusted_proxies() -> None:
    settings = HubSettings.load(metrics_trusted=" 10.0.0.1, 10.1.0.0/16 ,,fd00::/8")
    assert settings.metrics.trusted == ["10.0.0.1", "10.1.0.0/16", "fd00::/8"]
    with pytest.raises(ConfigError, match="metrics_trusted.*'prometheus.local' is not an IP address"):
        HubSettings.load(metrics_trusted="10.0.0.1,prometheus.local")
    with pytest.raises(ConfigError, match="metrics_trusted"):
        HubSettings.load(metrics_trusted=",".join(f"10.0.{i // 256}.{i % 256}" for i in range(101)))


def test_a_token_has_limits_and_is_never_echoed() -> None:
    with pytest.raises(ConfigError, match="metrics_token") as short:
        HubSettings.load(metrics_token="short-secret")
    assert "short-secret" not in str(short.value)
    with pytest.raises(ConfigError, match="metrics_token"):
        HubSettings.load(metrics_token="x" * 513)


def test_nothing_configured_is_off() -> None:
    assert access().decide("127.0.0.1", f"Bearer {TOKEN}") == "off"


@pytest.mark.parametrize(
    ("client", "allowed"),
    [
        ("10.0.0.1", True),
        ("10.1.200.3", True),
        ("::ffff:10.1.0.9", True),  # an IPv4 client on a dual-stack listener
        ("fd00::1234", True),
        ("fe80::1%eth0", False),
        ("10.0.0.2", False),
        ("10.2.0.1", False),
        ("127.0.0.1", False),
        ("testclient", False),  # not an address at all
        ("", False),
        (None, False),
    ],
)
def test_a_trusted_address_needs_no_token(client: str | None, allowed: bool) -> None:
    decision = access(metrics_trusted="10.0.0.1,10.1.0.0/16,fd00::/8").decide(client, None)
    assert decision == ("allow" if allowed else "refuse")


@pytest.mark.parametrize(
    ("authorization", "allowed"),
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer {TOKEN}", True),
        (f"Bearer  {TOKEN} ", True),
        (f"Bearer {TOKEN}x", False),
        (f"Bearer {TOKEN[:-1]}", False),
        (f"Basic {TOKEN}", False),
        (TOKEN, False),
        ("Bearer ", False),
        ("Bearer ĐĂNG-NHẬP", False),
        (None, False),
    ],
)
def test_the_token_opens_from_anywhere(authorization: str | None, allowed: bool) -> None:
    decision = access(metrics_token=TOKEN).decide("203.0.113.7", authorization)
    assert decision == ("allow" if allowed else "refuse")


def test_the_route_answers_404_when_off_and_403_with_the_reason_when_refused() -> None:
    def client_for(**settings: object) -> TestClient:
        app = FastAPI()
        app.router.routes.insert(0, metrics_route(CollectorRegistry(), access(**settings)))
        return TestClient(app)

    off = client_for().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert off.status_code == 404
    assert "CCES_METRICS_TRUSTED" in off.json()["detail"] and "Chưa bật" in off.json()["detail"]
    refused = client_for(metrics_token=TOKEN).get("/metrics")
    assert refused.status_code == 403 and refused.headers["www-authenticate"] == "Bearer"
    assert "Không được đọc" in refused.json()["detail"] and "Not allowed" in refused.json()["detail"]
    allowed = client_for(metrics_token=TOKEN).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.status_code == 200 and allowed.headers["cache-control"] == "no-store"
    openmetrics = client_for(metrics_token=TOKEN).get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/openmetrics-text"}
    )
    assert openmetrics.headers["content-type"].startswith("application/openmetrics-text")
    assert openmetrics.text.endswith("# EOF\n")
