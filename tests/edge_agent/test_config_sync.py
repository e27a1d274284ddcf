"""The agent's side of config sync: verify before swapping, keep what runs on any doubt.

A real HTTPS endpoint (the hub's device server, mutual TLS with certificates of a real CA)
serves a real gallery payload (embeddings of a real photo); the agent's `ConfigSync` applies
configs naming it, and must refuse a payload whose digest or version differs from the config,
a stale config version, and an invalid config message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from edge_agent.config_sync import ConfigSync
from edge_agent.gallery_sync import GallerySyncError, installed_version
from edge_agent.settings import AgentSettings
from hub.galleries.server import DeviceHttpsServer, server_context
from hub.galleries.service import GalleryRefused, ServedGallery
from models.engine import FaceEngine
from models.gallery_store import load_gallery
from models.images import read_image
from protocol import gallery as wire
from protocol.config import DeviceConfig
from provisioning.ca import CertificateAuthority, key_to_pem, make_csr, new_private_key

pytestmark = pytest.mark.timeout(120)


def payload_of(engine: FaceEngine, photo: Path, person_id: str) -> bytes:
    faces = engine.analyse(read_image(photo))
    rows = engine.embed(faces[:1]).astype("<f4").tobytes()
    manifest = engine.manifest
    sha = manifest.file("recogniser").source_sha256
    ids, names = [person_id], {person_id: "Nguyễn Văn Đức"}
    header = wire.GalleryHeader(
        site="nb",
        pack_id=manifest.pack_id,
        recogniser_sha256=sha,
        embedding_size=manifest.recogniser.embedding_size,
        rows=1,
        people=1,
        version=wire.content_version(manifest.pack_id, sha, ids, names, rows),
    )
    return wire.encode(wire.GalleryPayload(header, ids, names, rows))


class Served:
    """What the endpoint hands out (the test changes it between steps), and how often it was asked."""

    def __init__(self) -> None:
        self.body = b""
        self.requests = 0

    def lookup(self, device_id: str, serial: int | None, pack_id: str, version: str | None) -> ServedGallery:
        self.requests += 1
        if device_id != "door-cs-01":
            raise GalleryRefused(403, "not this device")
        return ServedGallery(self.body, version or "", wire.sha256_of(self.body))


@pytest.fixture
def device(tmp_path: Path) -> Iterator[tuple[AgentSettings, Served, int]]:
    ca = CertificateAuthority.create(tmp_path / "ca", b"pass")
    server = ca.issue_server(["127.0.0.1"])
    for name, data in {"server.pem": server.cert_pem, "server.key": server.key_pem, "ca.pem": ca.cert_pem}.items():
        (tmp_path / name).write_bytes(data or b"")
    key = new_private_key()
    (tmp_path / "device.key").write_bytes(key_to_pem(key))
    (tmp_path / "device.pem").write_bytes(ca.sign_device_csr(make_csr("door-cs-01", key), "door-cs-01").cert_pem)
    served = Served()
    context = server_context(tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "ca.pem")
    https = DeviceHttpsServer("127.0.0.1", 0, context, served.lookup)
    https.start()
    settings = AgentSettings(
        device_id="door-cs-01",
        mqtt_url="mqtts://127.0.0.1:8883",
        data_dir=tmp_path / "agent",
        tls_ca_file=tmp_path / "ca.pem",
        tls_cert_file=tmp_path / "device.pem",
        tls_key_file=tmp_path / "device.key",
    )
    yield settings, served, https.port
    https.stop()


def config(version: int, port: int, body: bytes, digest: str | None = None) -> DeviceConfig:
    header = wire.decode(body).header
    return DeviceConfig(
        version=version,
        issued_at=datetime.now(UTC),
        model_pack=header.pack_id,
        gallery_version=header.version,
        gallery_sha256=digest or wire.sha256_of(body),
        gallery_url=f"https://127.0.0.1:{port}{wire.GALLERY_PATH}/{header.pack_id}/{header.version}",
    )


def test_a_verified_gallery_is_swapped_in_and_a_doubtful_one_refused(
    device: tuple[AgentSettings, Served, int], models_dir: Path, testdata_dir: Path
) -> None:
    settings, served, port = device
    engine = FaceEngine(models_dir / "yunet-sface")
    obama = payload_of(engine, testdata_dir / "faces/enroll/obama/obama.jpg", "nv-0001")
    biden = payload_of(engine, testdata_dir / "faces/enroll/biden/biden.jpg", "nv-0002")
    sync = ConfigSync(settings)
    path = settings.data_dir / "gallery.cces"

    served.body = obama
    sync.apply(config(3, port, obama))
    stored = load_gallery(path)
    assert stored.gallery.person_ids == ["nv-0001"] and stored.gallery.names == {"nv-0001": "Nguyễn Văn Đức"}
    assert sync.applied_version == 3 and installed_version(path) == wire.decode(obama).header.version
    sync.apply(config(4, port, obama))  # same gallery: not fetched again
    assert served.requests == 1

    # a payload that does not hash to the config's digest is refused; the gallery in use stays
    tampered = bytearray(biden)
    tampered[-1] ^= 0x01
    served.body = bytes(tampered)
    with pytest.raises(GallerySyncError, match="SHA-256"):
        sync.apply(config(5, port, biden))
    # right digest in the config, but the bytes' own content does not match their version
    with pytest.raises(GallerySyncError, match="version"):
        sync.apply(config(5, port, biden, digest=wire.sha256_of(bytes(tampered))))
    assert load_gallery(path).gallery.person_ids == ["nv-0001"] and sync.applied_version == 4
    assert np.allclose(load_gallery(path).gallery.matrix, stored.gallery.matrix)

    served.body = biden
    sync.apply(config(5, port, biden))
    assert load_gallery(path).gallery.person_ids == ["nv-0002"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["gallery.cces", "gallery.cces.key"]


def test_a_simulated_door_that_recognises_nobody_applies_its_config_without_a_gallery(
    device: tuple[AgentSettings, Served, int],
) -> None:
    """`cces demo`'s door: a FaceID door to the hub (so it gets a gallery in its config), simulated on the device
    (made-up events, no recognition) and without certificates — its config applies, no gallery is fetched."""
    settings, served, port = device
    simulated = settings.model_copy(
        update={"simulated": settings.simulated.model_copy(update={"enabled": True}), "tls_cert_file": None}
    )
    version = wire.content_version("yunet-sface", "0" * 64, [], {}, b"")
    header = wire.GalleryHeader(site="nb", pack_id="yunet-sface", recogniser_sha256="0" * 64, embedding_size=4, rows=0,
                                people=0, version=version)  # fmt: skip
    body = wire.encode(wire.GalleryPayload(header, [], {}, b""))
    sync = ConfigSync(simulated)
    sync.apply(config(2, port, body))
    assert sync.applied_version == 2 and sync.error is None
    assert served.requests == 0 and not (settings.data_dir / "gallery.cces").exists()
    with pytest.raises(GallerySyncError, match="tls_ca_file"):  # the same config on a device that does recognise
        ConfigSync(simulated.model_copy(update={"simulated": settings.simulated})).apply(config(2, port, body))


def test_stale_and_invalid_config_messages_are_not_applied(device: tuple[AgentSettings, Served, int]) -> None:
    settings, _served, _port = device
    sync = ConfigSync(settings)
    sync.start()
    try:
        sync.on_message(DeviceConfig(version=7, issued_at=datetime.now(UTC)).model_dump_json().encode())
        assert sync.applied_event.wait(10) and sync.applied_version == 7
        sync.applied_event.clear()
        sync.on_message(DeviceConfig(version=6, issued_at=datetime.now(UTC)).model_dump_json().encode())
        sync.on_message(b'{"v": 1, "version": 8}')  # no issued_at: invalid
        sync.on_message(b"not json")
        assert not sync.applied_event.wait(1.0)
        assert sync.applied_version == 7 and sync.rejected == 2 and sync.error is not None
        assert sync.metrics()["version"] == 7
    finally:
        sync.stop()
