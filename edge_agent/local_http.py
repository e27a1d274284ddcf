"""A small HTTP server in a daemon thread for the pages a device serves to its own screen.

The door terminal's screen feed and the room display's page are both read by a browser on the same
device; neither needs more than the standard library's threading server, so both share this one
start/stop so that the shutdown order (stop serving, close the socket, join the thread) is written once.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger(__name__)


class LocalHttpServer:
    """Serves `handler` on (host, port) from a named daemon thread; raises OSError when the port is taken."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str, port: int, *, name: str, what: str) -> None:
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._name = name
        self._what = what
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name=self._name, daemon=True)
        self._thread.start()
        log.info("%s on %s", self._what, self.url)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
