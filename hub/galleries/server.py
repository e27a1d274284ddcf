"""The device HTTPS endpoint: galleries for devices that prove who they are with their certificate.

A small threaded HTTPS server inside the hub process, separate from the admin API: it requires
a client certificate signed by the hub CA (the TLS handshake refuses anything else — no
certificate, another CA), then refuses a revoked one (`is_revoked`, the CA's revocation list,
plus the registry's) and answers only for the device named by the certificate's CN. The
request says which pack and version it wants, never which office: that comes from the registry.

Why not a second uvicorn: uvicorn does not hand the peer certificate to the application, and
this endpoint serves a handful of small downloads per gallery change; the standard library's
server with one thread per request is enough and has no moving parts to configure.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from hub.galleries.service import GalleryRefused, ServedGallery
from protocol.gallery import GALLERY_MEDIA_TYPE, GALLERY_PATH
from protocol.topics import is_device_id

log = logging.getLogger(__name__)

_ROUTE = re.compile(rf"^{GALLERY_PATH}/([a-z0-9][a-z0-9_.-]{{1,63}})(?:/([0-9a-f]{{16,64}}))?$")
HANDSHAKE_TIMEOUT_S = 10.0

GalleryLookup = Callable[[str, int | None, str, str | None], ServedGallery]


@dataclass(frozen=True)
class DeviceRequest:
    """A request on another route of this endpoint (renewal, model packs), after the same identity checks."""

    device_id: str  # the client certificate's CN
    serial: int | None
    peer_der: bytes  # the client certificate, as verified by the handshake
    method: str
    path: str
    body: bytes


#: (status, content type, body) for one request; registered per (method, path prefix)
DeviceRoute = Callable[[DeviceRequest], tuple[int, str, bytes]]
MAX_BODY_BYTES = 64 * 1024


def server_context(cert_file: Path, key_file: Path, ca_file: Path) -> ssl.SSLContext:
    """TLS 1.2+, our server certificate, and client certificates required and checked against the hub CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert_file), str(key_file))
    context.load_verify_locations(cafile=str(ca_file))
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    lookup: GalleryLookup
    is_revoked: Callable[[int], bool]
    context: ssl.SSLContext
    routes: Mapping[tuple[str, str], DeviceRoute]

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        # the handshake runs on the request's own thread (setup), not on the accepting one
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("device https: connection from %s ended with an error", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.request.settimeout(HANDSHAKE_TIMEOUT_S)
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError) as exc:
            log.info("device https: refused a TLS client from %s: %s", self.client_address[0], exc)
            raise
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("device https %s: " + format, self.client_address[0], *args)

    def _identify(self) -> tuple[str, int | None] | None:
        """The device the verified client certificate names, and its serial; None (answered 403)
        when it names no device or is revoked."""
        peer = self.request.getpeercert()
        device_id = _common_name(peer)
        serial = int(peer["serialNumber"], 16) if peer and "serialNumber" in peer else None
        if device_id is None or not is_device_id(device_id):
            self._refuse(403, "the client certificate names no device")
            return None
        if serial is not None and self.server.is_revoked(serial):
            log.warning("device https: revoked certificate of %s (serial %x) refused", device_id, serial)
            self._refuse(403, "this certificate is revoked")
            return None
        return device_id, serial

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        identity = self._identify()
        if identity is None:
            return
        device_id, serial = identity
        if self._other_route("GET", device_id, serial):
            return
        match = _ROUTE.match(self.path.split("?", 1)[0])
        if match is None:
            self._refuse(404, "no such resource")
            return
        try:
            served = self.server.lookup(device_id, serial, match.group(1), match.group(2))
        except GalleryRefused as refused:
            self._refuse(refused.status, refused.reason)
            return
        except Exception:
            log.exception("device https: gallery lookup for %s failed", device_id)
            self._refuse(500, "the hub could not read the gallery")
            return
        self.send_response(200)
        self.send_header("Content-Type", GALLERY_MEDIA_TYPE)
        self.send_header("Content-Length", str(len(served.payload)))
        self.send_header("X-Gallery-Version", served.version)
        self.send_header("X-Gallery-Sha256", served.sha256)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(served.payload)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """Only the registered routes take POST (renewal); identity checked as for GET."""
        identity = self._identify()
        if identity is not None and not self._other_route("POST", *identity):
            self._refuse(404, "no such resource")

    def _other_route(self, method: str, device_id: str, serial: int | None) -> bool:
        """Answer from a registered route (prefix match); False when none matches the path."""
        path = self.path.split("?", 1)[0]
        routes = self.server.routes.items()
        route = next((r for (m, prefix), r in routes if m == method and path.startswith(prefix)), None)
        if route is None:
            return False
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:  # read(-1) would read until the client stops sending
            self._refuse(400, "bad Content-Length")
            return True
        if length > MAX_BODY_BYTES:
            self._refuse(413, "request body too large")
            return True
        body = self.rfile.read(length) if length else b""
        try:
            status, content_type, answer = route(
                DeviceRequest(device_id, serial, self.request.getpeercert(binary_form=True), method, path, body)
            )
        except Exception:
            log.exception("device https: %s %s for %s failed", method, path, device_id)
            self._refuse(500, "the hub could not answer this request")
            return True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(answer)
        return True

    def _refuse(self, status: int, reason: str) -> None:
        body = json.dumps({"reason": reason}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _common_name(peer: dict[str, Any] | None) -> str | None:
    for rdn in (peer or {}).get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None


class DeviceHttpsServer:
    """Runs the endpoint on its own thread; `port` is the bound one (0 asks the OS for a free port)."""

    def __init__(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext,
        lookup: GalleryLookup,
        is_revoked: Callable[[int], bool] = lambda _serial: False,
        routes: Mapping[tuple[str, str], DeviceRoute] | None = None,
    ) -> None:
        self._server = _Server((host, port), _Handler, bind_and_activate=True)
        self._server.context = context
        self._server.lookup = lookup
        self._server.is_revoked = is_revoked
        self._server.routes = dict(routes or {})  # (method, path prefix) -> route: renewal, model packs
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="device-https", daemon=True)
        self._thread.start()
        log.info("device HTTPS endpoint on port %d (client certificates required)", self.port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
