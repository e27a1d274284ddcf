"""HTTP metrics are labelled by route template, never by the path that was sent (hub.metrics.http).

A real FastAPI app shaped like the hub's: an API router included with a prefix, plain Starlette
routes, and a second app mounted on `/` (as NiceGUI is) holding a static-files mount and a route
registered under a concrete per-client path (as NiceGUI's upload routes are).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from starlette.responses import PlainTextResponse
from starlette.staticfiles import StaticFiles

from hub.metrics.http import OTHER, UNMATCHED, HttpInstruments, HttpMetricsMiddleware


def hub_shaped_app(static_dir: Path) -> tuple[FastAPI, CollectorRegistry]:
    app = FastAPI()
    api = APIRouter(prefix="/api/v1")

    @api.get("/devices/{device_id}")
    def device(device_id: str) -> dict[str, str]:
        return {"id": device_id}

    @api.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    app.include_router(api)
    app.add_route("/plain", lambda _request: PlainTextResponse("ok"))
    pages = FastAPI()

    @pages.get("/people/{code}")
    def person(code: str) -> dict[str, str]:
        return {"code": code}

    @pages.post("/_nicegui/client/4f7c-client/upload/17")
    def upload() -> dict[str, str]:
        return {}

    pages.mount("/_nicegui/3.0.0/static", StaticFiles(directory=static_dir), name="static")
    app.mount("/", pages)
    registry = CollectorRegistry()
    app.add_middleware(HttpMetricsMiddleware, instruments=HttpInstruments(registry))
    return app, registry


def count(registry: CollectorRegistry, method: str, route: str, status: int) -> float:
    value = registry.get_sample_value(
        "cces_http_requests_total", {"method": method, "route": route, "status": str(status)}
    )
    return value or 0.0


def test_requests_are_counted_by_template(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text("1")
    app, registry = hub_shaped_app(tmp_path)
    client = TestClient(app, raise_server_exceptions=False)
    for device_id in ("door-a", "door-b", "door-c"):
        assert client.get(f"/api/v1/devices/{device_id}").status_code == 200
    assert client.get("/people/NV001").status_code == 200
    assert client.get("/plain").status_code == 200
    assert client.post("/_nicegui/client/4f7c-client/upload/17").status_code == 200
    assert client.get("/_nicegui/3.0.0/static/app.js").status_code == 200
    assert client.get("/_nicegui/3.0.0/static/missing-98765.js").status_code == 404
    assert client.get("/random-12345").status_code == 404
    assert client.get("/api/v1/boom").status_code == 500
    assert client.request("BREW", "/api/v1/devices/door-a").status_code == 404  # (the pages mounted on / take it)

    assert count(registry, "GET", "/api/v1/devices/{device_id}", 200) == 3
    assert count(registry, "GET", "/people/{code}", 200) == 1
    assert count(registry, "GET", "/plain", 200) == 1
    assert count(registry, "POST", "/_nicegui/client/{client_id}/upload/{element_id}", 200) == 1
    assert count(registry, "GET", "/_nicegui/3.0.0/static/{path}", 200) == 1
    assert count(registry, "GET", "/_nicegui/3.0.0/static/{path}", 404) == 1
    assert count(registry, "GET", UNMATCHED, 404) == 1
    assert count(registry, "GET", "/api/v1/boom", 500) == 1
    assert count(registry, OTHER, UNMATCHED, 404) == 1
    histogram = {"method": "GET", "route": "/api/v1/devices/{device_id}"}
    assert registry.get_sample_value("cces_http_request_duration_seconds_count", histogram) == 3

    labels = {value for metric in registry.collect() for s in metric.samples for value in s.labels.values()}
    for sent in ("door-a", "NV001", "4f7c-client", "missing-98765", "random-12345", "BREW"):
        assert not [label for label in labels if sent in label], sent


def test_past_the_limit_new_routes_are_counted_as_other() -> None:
    instruments = HttpInstruments(CollectorRegistry(), max_routes=2)
    assert [instruments.bounded(r) for r in ("/a", "/b", "/c", "/a", "/d", "/b")] == [
        "/a",
        "/b",
        OTHER,
        "/a",
        OTHER,
        "/b",
    ]
