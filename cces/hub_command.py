"""`cces hub`: API + UI + ingest in one process, on one port."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI

from hub.api.app import create_app
from hub.api.limits import BodyLimits
from hub.galleries.server import DeviceHttpsServer
from hub.metrics.endpoint import install_metrics
from hub.runtime import HubRuntime
from hub.settings import ConfigError, HubSettings

if TYPE_CHECKING:
    from provisioning.ca import CertificateAuthority

log = logging.getLogger(__name__)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def serve(settings: HubSettings, on_ready: Callable[[HubRuntime], None] | None = None) -> int:
    """Run until SIGINT/SIGTERM; everything started (database, broker, agents) is stopped."""
    # until uvicorn installs its own handlers, a signal must still unwind through `finally`
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    runtime = HubRuntime(settings)
    device_https: DeviceHttpsServer | None = None
    try:
        runtime.start()
        device_https = _start_device_https(settings, runtime)
        assert runtime.services is not None
        limits = BodyLimits.from_settings(settings.http)
        app = create_app(runtime.services, limits)
        _mount_enrollment(app, settings, runtime)
        install_metrics(app, runtime)  # /metrics and HTTP request metrics (hub.metrics)
        if settings.role in ("all", "api"):
            from ui.app import mount_ui

            mount_ui(app, runtime.services, runtime.storage_secret(), settings.data_dir / "ui-storage", limits.upload)
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=settings.http.host,
                port=settings.http.port,
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=5,
                # X-Forwarded-For/-Proto only from CCES_TRUSTED_PROXIES (uvicorn's default trusts loopback)
                proxy_headers=bool(settings.http.trusted_proxies),
                forwarded_allow_ips=settings.http.trusted_proxies or [],
            )
        )
        if on_ready is not None:
            on_ready(runtime)
        print(f"CCES hub: http://{settings.http.host}:{settings.http.port}/  (API docs: /docs)", flush=True)
        server.run()
    except KeyboardInterrupt:
        log.info("interrupted")
    finally:
        if device_https is not None:
            device_https.stop()
        runtime.stop()
        log.info("hub stopped")
    return 0


def _mount_enrollment(app: FastAPI, settings: HubSettings, runtime: HubRuntime) -> None:
    """Device enrollment needs the CA (provisioning's, which hub may not import): wired here."""
    from cces.identity import DeviceCertificateSigner, certificate_authority
    from hub.devices.enrollment_api import Enrollment, enrollment_router
    from hub.runtime import device_broker_url

    signer = DeviceCertificateSigner(certificate_authority(settings), settings.devices.cert_days)
    app.state.enrollment = Enrollment(runtime.pool, signer, device_broker_url(settings))
    app.include_router(enrollment_router())


def _start_device_https(settings: HubSettings, runtime: HubRuntime) -> DeviceHttpsServer | None:
    """The devices' gallery endpoint: a server certificate from the hub CA, client certificates
    checked against it and against its revocation list (provisioning's CA, wired here)."""
    if not settings.devices.https_port or runtime.biometrics is None or settings.role not in ("all", "api"):
        return None
    from urllib.parse import urlsplit

    from cces.identity import certificate_authority
    from hub.galleries.server import server_context

    ca = certificate_authority(settings)
    folder = settings.data_dir / "device-https"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    base = settings.device_https_base_url or ""
    hostnames = list(dict.fromkeys([urlsplit(base).hostname or settings.http.host, "localhost", "127.0.0.1"]))
    issued = ca.issue_server(hostnames)
    (folder / "server.key").touch(mode=0o600)
    (folder / "server.key").write_bytes(issued.key_pem or b"")
    (folder / "server.pem").write_bytes(issued.cert_pem)
    (folder / "ca.pem").write_bytes(ca.cert_pem)
    context = server_context(folder / "server.pem", folder / "server.key", folder / "ca.pem")
    host = settings.devices.https_host or settings.http.host
    try:
        server = DeviceHttpsServer(
            host,
            settings.devices.https_port,
            context,
            runtime.biometrics.galleries.gallery_for_device,
            is_revoked=lambda serial: serial in ca.revoked(),
            routes=_device_routes(settings, runtime, ca),
        )
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{settings.devices.https_port} for devices ({exc.strerror or exc}) —"
            " set CCES_DEVICE_HTTPS_PORT to a free port (0 turns the device endpoint off)"
        ) from exc
    server.start()
    print(f"CCES device endpoint: {base}/v1/gallery/… (device certificates only)", flush=True)
    return server


def _device_routes(settings: HubSettings, runtime: HubRuntime, ca: CertificateAuthority) -> dict[tuple[str, str], Any]:
    """Certificate renewal (hub.devices.renewal, signing with the CA) and model pack archives (hub.packs)
    on the device endpoint."""
    from cces.identity import DeviceCertificateSigner
    from hub.devices.renewal import renewal_route
    from protocol.renewal import RENEW_PATH

    assert runtime.pool is not None
    days = settings.devices.cert_days
    signer = DeviceCertificateSigner(ca, days)
    from hub.packs.store import PackStore
    from protocol.packs import PACKS_PATH

    renew = renewal_route(runtime.pool, signer, days, lambda serial: serial in ca.revoked())
    return {("POST", RENEW_PATH): renew, ("GET", PACKS_PATH): PackStore(settings.data_dir / "packs").route}
