"""Browser-facing protections of everything the hub serves (API, pages, NiceGUI's own routes).

One pure ASGI middleware, installed once on the app by `install_security`:

- **Cross-site requests.** A state-changing request (POST, PUT, PATCH, DELETE) and a WebSocket
  handshake are refused (403, Vietnamese and English) when the browser says they come from another
  site: an `Origin` that is not the hub's own address, else a `Referer` from elsewhere, else
  `Sec-Fetch-Site: cross-site`/`same-site`. `Origin: null` (sandboxed frames, opaque redirects) is
  foreign too. The hub's own address is the one the request was made to (its `Host` header), so
  the same rule holds behind a reverse proxy that keeps `Host`, on any port, without configuration.

  A request that carries none of the three headers is not from a page in a browser: every browser
  in support sends `Origin` on cross-origin POST/PUT/PATCH/DELETE (and `Sec-Fetch-Site` on every
  request), so such a request is an API client (bearer token, `curl`, a device enrolling) and
  passes — a cookie it may carry is its own. The session cookies are SameSite=Lax besides, so a
  cross-site POST does not carry them in the first place; this check is the second wall.
- **Headers on every answer**: `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'` (nothing of
  the hub is meant to be framed — the door and room screens are opened full screen, not in frames),
  `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (a kiosk link's key or a page
  address never leaves for another site), and a Content-Security-Policy NiceGUI works with: scripts
  and styles from the hub only, but inline and `eval` allowed (NiceGUI's page bootstraps inline and
  Vue compiles its components' templates in the browser), images also from `data:`/`blob:` (QR
  codes, camera snapshots), connections to the hub only (its WebSocket), no plugins, no `<base>`,
  forms posting to the hub only. The API docs (`/docs`) load Swagger UI from its CDN and get that
  CDN added.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DOCS_PATHS = ("/docs", "/redoc")
DOCS_CDN = "https://cdn.jsdelivr.net"

CROSS_SITE_REFUSED = "Yêu cầu đến từ một trang web khác, không được chấp nhận / A request from another site is refused"

PAGE_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DOCS_CSP = "; ".join(
    (
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
COMMON_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),
)


def _default_port(scheme: str) -> str:
    return "443" if scheme in ("https", "wss") else "80"


def _host_and_port(netloc: str, scheme: str) -> tuple[str, str]:
    """('hub.example', '443') from 'hub.example' under https; ports written or implied by the scheme."""
    parts = urlsplit(f"//{netloc}")
    try:
        port = parts.port
    except ValueError:  # not a number: never the hub's own
        return netloc.lower(), "?"
    return (parts.hostname or "").lower(), str(port) if port is not None else _default_port(scheme)


def _same_origin(origin: str, host: str, own_scheme: str) -> bool:
    """Is `origin` ("https://hub.example:8080") the address the request was made to (`host`)?

    The scheme is not compared: behind a TLS-terminating proxy the hub sees http while the browser
    says https; the host and port (explicit or the scheme's default) must be the same."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    theirs = _host_and_port(parts.netloc, parts.scheme)
    ours = _host_and_port(host, own_scheme)
    if theirs == ours:
        return True
    # a proxy that keeps Host but not the port ("hub.example" to a hub seen over http): compare the names
    # when our Host has no port written and the browser's port is its scheme's default
    return theirs[0] == ours[0] and ":" not in host.rsplit("]", 1)[-1] and theirs[1] == _default_port(parts.scheme)


def foreign_request(connection: HTTPConnection) -> str | None:
    """Why this request comes from another site according to the browser, or None when it does not
    (it came from the hub's own pages, or from no browser page at all: no Origin, Referer, Sec-Fetch-Site)."""
    headers = connection.headers
    host = headers.get("host", "")
    scheme = connection.url.scheme
    origin = headers.get("origin")
    if origin is not None:
        return None if _same_origin(origin, host, scheme) else f"Origin {origin[:200]!r}"
    referer = headers.get("referer")
    if referer:
        return None if _same_origin(referer, host, scheme) else f"Referer {referer[:200]!r}"
    site = headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site {site}"
    return None


class SecurityMiddleware:
    """Refuses cross-site state changes and WebSocket handshakes; adds the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            why = foreign_request(HTTPConnection(scope))
            if why is not None:
                log.warning("refused a cross-site WebSocket to %s (%s)", scope.get("path"), why)
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _response_headers(scope.get("path", ""))
        if scope.get("method") in UNSAFE_METHODS:
            why = foreign_request(HTTPConnection(scope))
            if why is not None:
                log.warning("refused a cross-site %s %s (%s)", scope["method"], scope.get("path"), why)
                await _send_refusal(send, headers)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in headers if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _response_headers(path: str) -> tuple[tuple[bytes, bytes], ...]:
    csp = DOCS_CSP if path in DOCS_PATHS or path.startswith("/docs/") else PAGE_CSP
    return (*COMMON_HEADERS, (b"content-security-policy", csp.encode()))


async def _send_refusal(send: Send, headers: Iterable[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"detail": CROSS_SITE_REFUSED, "reason": "cross_site"}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def install_security(app: FastAPI) -> None:
    """Wrap the whole app (API, the mounted NiceGUI pages and their WebSocket) in the middleware."""
    app.add_middleware(SecurityMiddleware)
