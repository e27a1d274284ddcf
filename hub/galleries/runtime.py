"""The running parts of enrollment, galleries and device config, built from HubSettings.

One object so the hub runtime adds three lines, not thirty: the biometrics key, the model
packs, the enrollment service, the gallery service and its job (hub.galleries.jobs), the
device-config service and its MQTT publisher, wired so that a change flows on by itself — a photo
added or erased asks for a gallery rebuild (a job of the queue); a rebuilt gallery publishes a new
config to the devices of that office; every scheduled rebuild also re-publishes every device's
config (a broker that lost its retained messages gets them back). The HTTPS endpoint that serves
the galleries needs the CA's certificates, so the `cces hub` command starts it (`hub.galleries.server`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

import logging
from collections.abc import Callable
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from hub.accounts.audit import AuditSink
from hub.biometrics.crypto import load_or_create_key
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.devices.config import DeviceConfigService
from hub.devices.config_publisher import MqttConfigPublisher
from hub.galleries.jobs import gallery_jobs, rebuild_requester
from hub.galleries.service import GalleryService, RebuildReport
from hub.jobs.models import JobSpec
from hub.settings import HubSettings
from hub.snapshots.service import SnapshotService
from models.settings import default_models_dir
from protocol.broker_url import BrokerAddress

log = logging.getLogger(__name__)


@dataclass
class BiometricsRuntime:
    biometrics: BiometricsService
    galleries: GalleryService
    device_config: DeviceConfigService
    publisher: MqttConfigPublisher | None
    interval_s: float

    @classmethod
    def create(
        cls,
        settings: HubSettings,
        pool: ConnectionPool,
        broker: BrokerAddress | None,
        password: str | None,
        audit: AuditSink | None = None,
        snapshots: SnapshotService | None = None,
        defer: Callable[[str], object] | None = None,
    ) -> BiometricsRuntime:
        """`defer(job name)` queues a job (the hub's JobQueue.defer): how a change asks for a rebuild."""
        s = settings
        secret = s.biometrics.secret.get_secret_value() if s.biometrics.secret else None
        sealer = load_or_create_key(s.secrets_dir, secret)
        engines = EngineCache(s.biometrics.models_dir or default_models_dir())  # no second settings object
        publisher = None
        if broker is not None:
            publisher = MqttConfigPublisher(
                broker,
                f"{s.mqtt.client_id}-config-{s.worker_name}"[:64],
                username=s.mqtt.username,
                password=password,
                ca_file=str(s.mqtt.ca_file) if s.mqtt.ca_file else None,
                cert_file=str(s.mqtt.cert_file) if s.mqtt.cert_file else None,
                key_file=str(s.mqtt.key_file) if s.mqtt.key_file else None,
            )
        device_config = DeviceConfigService(
            pool,
            publisher,
            gallery_base_url=s.device_https_base_url,
            default_pack=s.biometrics.default_model_pack,
            audit=audit,
        )

        def rebuilt(report: RebuildReport) -> None:
            device_config.sync(republish=report.scheduled)

        pack = s.biometrics.default_model_pack
        galleries = GalleryService(pool, sealer, engines, default_pack=pack, on_rebuilt=rebuilt,
                                   audit=audit, requester=rebuild_requester(defer) if defer else None)  # fmt: skip
        biometrics = BiometricsService(
            pool,
            sealer,
            engines,
            check_pack=s.biometrics.default_model_pack,
            on_change=galleries.request_rebuild,
            audit=audit,
            snapshots=snapshots,  # erased with the person
        )
        return cls(biometrics, galleries, device_config, publisher, s.biometrics.gallery_rebuild_interval_s)

    def jobs(self) -> list[JobSpec]:
        """The gallery rebuild, for the hub's job queue."""
        return gallery_jobs(self.galleries, self.interval_s)

    def start(self) -> None:
        if self.publisher is not None and not self.publisher.start(wait_s=10):
            log.warning("device config publisher not yet connected to %s; retrying", self.publisher.broker.url)

    def stop(self) -> None:
        if self.publisher is not None:
            self.publisher.stop()


def domain_jobs(runtime: HubRuntime) -> list[JobSpec]:
    """The biometrics domain's jobs (hub.domains): gallery rebuilds, where this process runs biometrics."""
    return runtime.biometrics.jobs() if runtime.biometrics is not None else []
