"""`/metrics` on the hub's HTTP port, and the HTTP middleware that feeds it: `install_metrics`.

Outside `/api/v1` on purpose: it is a plain Starlette route, not an API route, so the API's session
guard (hub.api.auth) never sees it, the OpenAPI description does not list it, and no user session
opens it — only hub.metrics.access decides. Each hub process serves its own (ingest workers too):
Prometheus scrapes every process, and its `instance` label tells them apart.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector
from prometheus_client.exposition import choose_encoder
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.metrics.access import METRICS_OFF, METRICS_REFUSED, MetricsAccess
from hub.metrics.collectors import (
    BrokerCollector,
    BuildCollector,
    DatabaseCollector,
    IngestCollector,
    JobWorkerCollector,
    PoolCollector,
)
from hub.metrics.http import HttpInstruments, HttpMetricsMiddleware

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

METRICS_PATH = "/metrics"


def metrics_route(registry: CollectorRegistry, access: MetricsAccess) -> Route:
    """GET /metrics: the registry in Prometheus' text format (OpenMetrics when the scraper asks for it)."""

    def metrics(request: Request) -> Response:  # sync: Starlette runs it in a thread (a scrape queries the pool)
        client = request.client.host if request.client else None
        decision = access.decide(client, request.headers.get("authorization"))
        if decision == "off":
            return JSONResponse({"detail": METRICS_OFF}, status_code=404)
        if decision == "refuse":
            return JSONResponse({"detail": METRICS_REFUSED}, status_code=403, headers={"WWW-Authenticate": "Bearer"})
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(registry), media_type=content_type, headers={"Cache-Control": "no-store"})

    return Route(METRICS_PATH, metrics, methods=["GET"], include_in_schema=False)


def _version() -> str:
    try:
        return version("cces")
    except PackageNotFoundError:
        return "unknown"


def build_registry(runtime: HubRuntime) -> CollectorRegistry:
    """A registry of this process only (no module-level default registry): the runtime's parts, read per scrape."""
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)  # process_cpu_seconds_total, process_resident_memory_bytes, open fds
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    s = runtime.settings
    registry.register(BuildCollector(_version(), s.role, s.worker_name))
    registry.register(IngestCollector(lambda: runtime.ingest))
    registry.register(
        BrokerCollector(
            lambda: runtime.embedded_broker, lambda: {"ingest": runtime.ingest, "commands": runtime.commands}
        )
    )
    registry.register(PoolCollector(lambda: runtime.pool))
    registry.register(DatabaseCollector(lambda: runtime.pool))
    registry.register(JobWorkerCollector(lambda: runtime.jobs))
    from hub.backup.metrics import BackupCollector  # backups (issue 19)

    registry.register(BackupCollector(lambda: runtime.services.backups if runtime.services else None))
    from hub.notifications.metrics import MailCollector  # notification mail (hub.notifications)

    registry.register(MailCollector(lambda: runtime.pool))
    return registry


def install_metrics(app: FastAPI, runtime: HubRuntime) -> CollectorRegistry:
    """Count every HTTP request of `app` and serve `/metrics` ahead of every other route (the UI is mounted on `/`)."""
    registry = build_registry(runtime)
    app.add_middleware(HttpMetricsMiddleware, instruments=HttpInstruments(registry))
    app.router.routes.insert(0, metrics_route(registry, MetricsAccess.from_settings(runtime.settings)))
    return registry
