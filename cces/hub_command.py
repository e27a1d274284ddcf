"""`cces hub`: API + UI + ingest in one process, on one port."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType

import uvicorn

from hub.api.app import create_app
from hub.runtime import HubRuntime
from hub.settings import HubSettings

log = logging.getLogger(__name__)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def serve(settings: HubSettings, on_ready: Callable[[HubRuntime], None] | None = None) -> int:
    """Run until SIGINT/SIGTERM; everything started (database, broker, agents) is stopped."""
    # until uvicorn installs its own handlers, a signal must still unwind through `finally`
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    runtime = HubRuntime(settings)
    try:
        runtime.start()
        assert runtime.services is not None
        app = create_app(runtime.services)
        if settings.role in ("all", "api"):
            from ui.app import mount_ui

            mount_ui(app, runtime.services, runtime.storage_secret())
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=settings.http_host,
                port=settings.http_port,
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=5,
            )
        )
        if on_ready is not None:
            on_ready(runtime)
        print(f"CCES hub: http://{settings.http_host}:{settings.http_port}/  (API docs: /docs)", flush=True)
        server.run()
    except KeyboardInterrupt:
        log.info("interrupted")
    finally:
        runtime.stop()
        log.info("hub stopped")
    return 0
