"""`cces hub`: API + UI + ingest in one process, on one port."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType

import uvicorn
from fastapi import FastAPI

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
        _mount_enrollment(app, settings, runtime)
        if settings.role in ("all", "api"):
            from ui.app import mount_ui

            mount_ui(app, runtime.services, runtime.storage_secret(), settings.data_dir / "ui-storage")
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


def _mount_enrollment(app: FastAPI, settings: HubSettings, runtime: HubRuntime) -> None:
    """Device enrollment needs the CA (provisioning's, which hub may not import): wired here."""
    from cces.identity import certificate_authority
    from hub.api.enrollment import Enrollment, enrollment_router
    from hub.runtime import device_broker_url

    app.state.enrollment = Enrollment(runtime.pool, certificate_authority(settings), device_broker_url(settings))
    app.include_router(enrollment_router())
