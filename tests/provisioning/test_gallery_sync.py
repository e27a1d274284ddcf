"""Gallery sync end to end: enrollment at the hub → office gallery → retained config → device.

Real parts only: Mosquitto with TLS and client certificates (the configuration we ship), the
hub CA, PostgreSQL, the `yunet-sface` pack, real photos. The device is enrolled with a one-time
token over the hub's HTTP API (`cces agent enroll`'s code), runs the real `Agent` (MQTT link,
config sync, heartbeat) and fetches its gallery from the device HTTPS endpoint with its own
certificate. Recognition on the device side is the faceid capability's path: the gallery file
loaded by `GalleryWatcher` (decrypted with the device's key, checked against the pack), faces
analysed and embedded by `FaceEngine`, matched by `Gallery.match` at the pack's threshold.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import uvicorn
from fastapi import FastAPI
from psycopg_pool import ConnectionPool

from edge_agent.agent import Agent
from edge_agent.enrollment import Ticket, enroll
from edge_agent.settings import AgentSettings
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.biometrics.crypto import Sealer, load_or_create_key
from hub.biometrics.engines import EngineCache
from hub.biometrics.service import BiometricsService
from hub.db import open_pool
from hub.devices.config import DesiredConfigChanges, DeviceConfigService
from hub.devices.config_publisher import MqttConfigPublisher
from hub.devices.enrollment import create_token
from hub.devices.enrollment_api import Enrollment, enrollment_router
from hub.files import ContentStore
from hub.galleries.server import DeviceHttpsServer, server_context
from hub.galleries.service import GalleryService
from hub.ingest.consumer import IngestService
from hub.ingest.records import IngestConfig
from models.engine import FaceEngine
from models.gallery_store import load_gallery
from models.gallery_watch import GalleryWatcher
from models.images import read_image
from protocol.broker_url import BrokerAddress
from tests.hub.orgdata import seed_org
from tests.provisioning.tlskit import TlsBroker
from tests.services import free_port

pytestmark = pytest.mark.timeout(300)

ADMIN = Actor("admin")
SITE = "nb"  # Chi cục Nội Bài: its doors know CCHQNB and its Đội


def wait_for(what: str, condition: Callable[[], object], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


class HttpServer:
    """The hub's enrollment API on a real uvicorn (as `cces hub` serves it)."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> HttpServer:
        self.thread.start()
        wait_for("uvicorn", lambda: self.server.started, 20)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@dataclass
class Hub:
    pool: ConnectionPool
    sealer: Sealer
    biometrics: BiometricsService
    galleries: GalleryService
    device_config: DeviceConfigService
    https: DeviceHttpsServer
    api_url: str

    def employee_id(self, code: str) -> int:
        with self.pool.connection() as conn:
            return int(conn.execute("SELECT id FROM employees WHERE employee_code = %s", (code,)).fetchone()[0])


@pytest.fixture
def hub(tls_broker: TlsBroker, database_url: str, models_dir: Path, tmp_path: Path) -> Iterator[Hub]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
    pool = open_pool(database_url, 6)
    files = tls_broker.files
    broker = BrokerAddress("127.0.0.1", tls_broker.broker.port, tls=True)
    tls = {"ca_file": str(files.ca), "cert_file": str(files.hub_cert), "key_file": str(files.hub_key)}
    publisher = MqttConfigPublisher(broker, "cces-hub-config", **tls)
    assert publisher.start(15)
    ingest = IngestService(
        IngestConfig(
            broker=broker,
            username="cces-hub",
            password=None,
            client_id="cces-hub-ingest",
            worker="test",
            tls_ca_file=tls["ca_file"],
            tls_cert_file=tls["cert_file"],
            tls_key_file=tls["key_file"],
        ),
        pool,
        ContentStore(tmp_path / "files"),
    )
    ingest.start()
    assert ingest.wait_connected(15)

    sealer = load_or_create_key(tmp_path / "hub-secrets")
    engines = EngineCache(models_dir)
    server_cert = tls_broker.ca.issue_server(["127.0.0.1", "localhost"])
    (tmp_path / "https.pem").write_bytes(server_cert.cert_pem)
    (tmp_path / "https.key").write_bytes(server_cert.key_pem or b"")
    context = server_context(tmp_path / "https.pem", tmp_path / "https.key", files.ca)
    galleries = GalleryService(pool, sealer, engines, default_pack="yunet-sface", audit=audit.record)
    https = DeviceHttpsServer(
        "127.0.0.1", 0, context, galleries.gallery_for_device, lambda serial: serial in tls_broker.ca.revoked()
    )
    https.start()
    device_config = DeviceConfigService(
        pool, publisher, gallery_base_url=f"https://127.0.0.1:{https.port}", default_pack="yunet-sface"
    )
    galleries.on_rebuilt = lambda _report: device_config.sync()
    biometrics = BiometricsService(pool, sealer, engines, check_pack="yunet-sface", audit=audit.record)

    app = FastAPI()
    app.state.enrollment = Enrollment(pool, tls_broker.ca, f"mqtts://127.0.0.1:{tls_broker.broker.port}")
    app.include_router(enrollment_router())
    with HttpServer(app) as api:
        yield Hub(pool, sealer, biometrics, galleries, device_config, https, api.url)
    https.stop()
    ingest.stop()
    publisher.stop()
    pool.close()


def enroll_person(hub: Hub, code: str, photos: list[Path]) -> int:
    employee = hub.employee_id(code)
    hub.biometrics.record_consent(employee, "written_consent", ADMIN)
    for photo in photos:
        outcome = hub.biometrics.add_photo(employee, photo.read_bytes(), ADMIN)
        assert outcome.accepted, (photo, outcome.reason, outcome.detail)
    return employee


class Door:
    """What the faceid capability does with a gallery file: watch it, and identify faces against it."""

    def __init__(self, settings: AgentSettings, engine: FaceEngine) -> None:
        manifest = engine.manifest
        self.path = settings.data_dir / "gallery.cces"
        self.engine = engine
        self.watcher = GalleryWatcher(
            self.path,
            pack_id=manifest.pack_id,
            embedding_size=manifest.recogniser.embedding_size,
            recogniser_sha256=manifest.file("recogniser").source_sha256,
        )

    def identify(self, photo: Path) -> list[str | None]:
        self.watcher.poll()
        assert self.watcher.current is not None
        faces = self.engine.analyse(read_image(photo))
        matches = self.watcher.current.gallery.match(self.engine.embed(faces), self.engine.threshold)
        return [m.person_id for m in matches]


def test_a_person_added_at_the_hub_is_recognised_by_the_device_and_gone_after_erasure(
    hub: Hub, tls_broker: TlsBroker, models_dir: Path, testdata_dir: Path, tmp_path: Path
) -> None:
    faces = testdata_dir / "faces"
    hub.galleries.set_site_units(SITE, ["CCHQNB"], ADMIN)
    enroll_person(hub, "NV001", [faces / "enroll/obama/obama.jpg", faces / "enroll/obama/obama2.jpg"])
    enroll_person(hub, "NV003", [faces / "enroll/kit_harington/john1.jpeg"])  # another office: never on this door

    # an installer enrolls the door with a one-time token for office "nb"
    with hub.pool.connection() as conn:
        token = create_token(conn, "door-nb-01", "faceid", SITE, None, "admin").qr_text
    device_dir = tmp_path / "device"
    config_file = enroll(hub.api_url, Ticket.parse(token), device_dir)
    config_file.write_text(config_file.read_text() + "telemetry_interval_s = 0.5\n")
    settings = AgentSettings.load(config_file)
    first = hub.galleries.rebuild()
    assert [(site, pack) for site, pack, _ in first.built] == [(SITE, "yunet-sface")]

    agent = Agent(settings, capabilities=[])
    stop = threading.Event()
    runner = threading.Thread(target=agent.run, args=(stop,), daemon=True)
    runner.start()
    try:
        door = Door(settings, FaceEngine(models_dir / "yunet-sface"))
        wait_for("the first gallery on the device", lambda: door.path.exists())
        assert door.identify(faces / "probe/obama1.jpg") == ["nv-0001"]
        assert door.identify(faces / "enroll/biden/biden2.jpg") == [None]  # not enrolled yet
        assert door.identify(faces / "probe/johnsnow_test1.jpg") == [None]  # enrolled, but at another office
        first_version = door.watcher.version

        # a person is added at the hub: recognised by the device once the next version arrives
        biden = enroll_person(hub, "NV002", [faces / "enroll/biden/biden.jpg"])
        added = hub.galleries.rebuild()
        assert [s for s, _, _ in added.built] == [SITE] and added.built[0][2] != first_version
        wait_for("the new gallery version", lambda: door.identify(faces / "enroll/biden/biden2.jpg") == ["nv-0002"])
        assert door.identify(faces / "probe/obama1.jpg") == ["nv-0001"]

        # the hub sees the device run the config it wants (heartbeat → telemetry → applied version)
        state = hub.device_config.state("door-nb-01")
        wait_for("applied = desired", lambda: hub.device_config.state("door-nb-01").in_sync)
        state = hub.device_config.state("door-nb-01")
        assert state.applied_gallery_version == state.desired_gallery_version == door.watcher.version

        # erased on request: not recognised any more, and nothing of them left on the device
        hub.biometrics.erase_biometrics(biden, ADMIN)
        hub.galleries.rebuild()
        wait_for("the gallery without them", lambda: door.identify(faces / "enroll/biden/biden2.jpg") == [None])
        assert door.identify(faces / "probe/obama1.jpg") == ["nv-0001"]
        stored = load_gallery(door.path)
        assert "nv-0002" not in stored.gallery.person_ids and "nv-0002" not in stored.gallery.names
        assert set(stored.gallery.person_ids) == {"nv-0001"}
        assert sorted(p.name for p in door.path.parent.iterdir() if p.name.startswith("gallery")) == [
            "gallery.cces",
            "gallery.cces.key",
        ]
        assert not list(device_dir.rglob("*.jpg")) and not list(device_dir.rglob("*.png"))

        # a desired-config change (threshold) reaches the device with a higher version
        before = agent.config_sync.applied_version if agent.config_sync else None
        hub.device_config.update("door-nb-01", DesiredConfigChanges(threshold=0.5), ADMIN)
        wait_for(
            "the new config", lambda: agent.config_sync is not None and agent.config_sync.applied_version != before
        )
        assert agent.config_sync is not None and agent.config_sync.applied is not None
        assert agent.config_sync.applied.faceid is not None and agent.config_sync.applied.faceid.threshold == 0.5
    finally:
        stop.set()
        runner.join(20)
