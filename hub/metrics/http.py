"""HTTP metrics: every request counted by method, route template and status, and timed.

A pure ASGI middleware (no BaseHTTPMiddleware: streaming answers and the pages' WebSocket pass
untouched). It labels a request by the *template* of the route that answered it
(`/api/v1/devices/{device_id}`), read from the ASGI scope after the app has routed it, never by the
path that was sent: a label per device id, per employee code or per random URL a scanner tries would
grow without bound. So:

- a FastAPI route gives its template (include prefixes applied); a plain Starlette route (`/docs`,
  `/metrics`, the favicon) is found by its endpoint; a mount without a route of its own (static files)
  is its prefix followed by `/{path}`;
- the routes NiceGUI makes per page visit under a concrete path (an upload's
  `/_nicegui/client/<client>/upload/<element>`, a served file's `/_nicegui/auto/static/<token>/<name>`)
  are folded into one label per kind;
- a request no route matched is `unmatched`, a method outside the standard ones `other`;
- and as a last wall, past MAX_ROUTE_LABELS distinct routes any new one is counted as `other`.

WebSocket connections and lifespan events are not counted.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: the label of a request no route matched (404s of random paths share it)
UNMATCHED = "unmatched"
#: a method outside METHODS, or a route past MAX_ROUTE_LABELS
OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_ROUTE_LABELS = 500
#: request time buckets (seconds): pages and API answers are meant to take well under a second
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
#: NiceGUI routes registered under concrete paths (per client, per file): one label per kind
_NICEGUI_DYNAMIC = (
    (re.compile(r"^/_nicegui/client/[^/]+/upload/[^/]+$"), "/_nicegui/client/{client_id}/upload/{element_id}"),
    (re.compile(r"^/_nicegui/client/.*$"), "/_nicegui/client/{client_id}/{path}"),
    (re.compile(r"^/_nicegui/auto/([a-z_]+)/.*$"), r"/_nicegui/auto/\1/{token}/{name}"),
)


class HttpInstruments:
    """The request counter and latency histogram of one app's registry, and the route labels seen so far."""

    def __init__(self, registry: CollectorRegistry, max_routes: int = MAX_ROUTE_LABELS) -> None:
        self.requests = Counter(
            "cces_http_requests",
            "HTTP requests answered, by method, route template and status code",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "cces_http_request_duration_seconds",
            "time from a request's arrival to the end of its answer, by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._max_routes = max_routes
        self._routes: set[str] = set()
        self._lock = threading.Lock()

    def bounded(self, route: str) -> str:
        """`route`, or OTHER once MAX_ROUTE_LABELS distinct routes have been counted (logged once)."""
        with self._lock:
            if route in self._routes:
                return route
            if len(self._routes) < self._max_routes:
                self._routes.add(route)
                return route
            if OTHER not in self._routes:
                self._routes.add(OTHER)
                log.warning("more than %d HTTP routes seen: further ones are counted as %r", self._max_routes, OTHER)
        return OTHER

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        method, route = method_label(method), self.bounded(route)
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)


def _plain_route(endpoint: object, apps: Iterable[object]) -> str | None:
    """The template of the Starlette route (not a FastAPI one) whose endpoint answered, among `apps`' routes."""
    for app in apps:
        for route in getattr(getattr(app, "router", None), "routes", ()):
            if isinstance(route, Route) and route.endpoint is endpoint:
                return route.path
    return None


def route_label(scope: Scope, root_path: str, outer_app: object) -> str:
    """The template of the route that answered, or UNMATCHED (see the module's docstring).

    `root_path` and `outer_app` are the scope's as the request arrived: what routing added to the root
    path is the prefix of the mount the route sits in; the routes of the outer app and of the innermost
    one (NiceGUI's, mounted on `/`) are where a plain route's endpoint is looked for."""
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    template = getattr(context, "path", None)  # FastAPI's included routers: the full template
    prefix = str(scope.get("root_path") or "")[len(root_path) :]
    if not template:
        template = getattr(scope.get("route"), "path", None)
        if template:
            template = f"{prefix}{template}"
    if not template and (endpoint := scope.get("endpoint")) is not None:
        inner = scope.get("app")
        template = _plain_route(endpoint, (outer_app,) if inner is outer_app else (outer_app, inner))
        if template:
            template = f"{prefix}{template}"
        elif prefix:  # a mount answered by itself (static files, the WebSocket's long polling)
            template = f"{prefix}/{{path}}"
    if not template:
        return UNMATCHED
    for pattern, label in _NICEGUI_DYNAMIC:
        if pattern.match(template):
            return pattern.sub(label, template)
    return str(template)


def method_label(method: str) -> str:
    return method if method in METHODS else OTHER


class HttpMetricsMiddleware:
    """Counts and times every HTTP request of the app it wraps (see the module's docstring)."""

    def __init__(self, app: ASGIApp, instruments: HttpInstruments) -> None:
        self.app = app
        self.instruments = instruments

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        root_path, outer_app = str(scope.get("root_path") or ""), scope.get("app")
        status: dict[str, Any] = {"code": 500}  # an exception before any answer is a 500 to the client

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = route_label(scope, root_path, outer_app)
            self.instruments.record(str(scope.get("method", "")), route, status["code"], time.perf_counter() - started)
