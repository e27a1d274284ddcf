"""Model pack updates on a running door device, with real models, real photos and the hub's real
device HTTPS endpoint (client certificates) serving the pack archives and the office gallery.

The door starts on `yunet-sface` as shipped (int8 weights, version "1"). A broken pack — a
truncated recogniser whose manifest and archive digests were made to match, so that download and
verification pass and only loading fails — is refused at the self-check and changes nothing: the
same capability keeps running and recognising. The int8-folded variant offered as version "2"
is verified, re-embedded (the gallery for it is fetched from the hub first), self-checked and
switched to; the next start keeps it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from edge_agent.agent import Agent
from edge_agent.gallery_sync import install_gallery
from edge_agent.pack_update import read_pointer, with_active_pack
from edge_agent.settings import AgentSettings
from hub.galleries.server import DeviceHttpsServer, server_context
from hub.galleries.service import GalleryRefused, ServedGallery
from hub.packs.store import PackStore, archive_pack
from models.engine import FaceEngine
from models.enrollment import gallery_from_folder
from models.gallery_store import load_gallery
from models.images import read_image
from models.install import install_pack
from protocol import gallery as wire
from protocol.commands import Command
from protocol.packs import PACKS_PATH, PackOffer
from provisioning.ca import CertificateAuthority
from tests.edge_agent.helpers import agent_settings, running_agent, wait_until
from tests.provisioning.tlskit import enroll
from tests.services import MosquittoBroker, new_workdir

pytestmark = pytest.mark.timeout(300)

CLIP = "short_hamilton_clip.mp4"


def gallery_payload(pack_dir: Path, photos: Path) -> bytes:
    """What the hub serves for an office: embeddings made with the pack from the enrollment photos."""
    engine = FaceEngine(pack_dir)
    gallery = gallery_from_folder(engine, photos)
    rows = gallery.matrix.astype("<f4").tobytes()
    recogniser = engine.manifest.file("recogniser").source_sha256
    ids = gallery.person_ids
    version = wire.content_version(engine.manifest.pack_id, recogniser, ids, {}, rows)
    header = wire.GalleryHeader(
        site="hq",
        pack_id=engine.manifest.pack_id,
        recogniser_sha256=recogniser,
        embedding_size=engine.manifest.recogniser.embedding_size,
        rows=len(ids),
        people=len(set(ids)),
        version=version,
    )
    return wire.encode(wire.GalleryPayload(header, ids, {}, rows))


@dataclass
class World:
    ca: CertificateAuthority
    endpoint: DeviceHttpsServer
    store: PackStore
    gallery_requests: list[str]
    shipped: Path  # the models folder holding yunet-sface as shipped (version "1")


@pytest.fixture
def world(tmp_path: Path, models_dir: Path, testdata_dir: Path) -> Iterator[World]:
    ca = CertificateAuthority.create(tmp_path / "ca", b"test")
    folder = new_workdir("cces-device-https-")
    issued = ca.issue_server(["127.0.0.1", "localhost"])
    (folder / "server.key").write_bytes(issued.key_pem or b"")
    (folder / "server.pem").write_bytes(issued.cert_pem)
    (folder / "ca.pem").write_bytes(ca.cert_pem)
    payload = gallery_payload(models_dir / "yunet-sface", testdata_dir / "faces" / "enroll")
    requests: list[str] = []

    def lookup(device_id: str, _serial: int | None, pack_id: str, _version: str | None) -> ServedGallery:
        requests.append(f"{device_id}:{pack_id}")
        if pack_id != "yunet-sface":
            raise GalleryRefused(404, f"no {pack_id} gallery")
        return ServedGallery(payload, wire.decode(payload).header.version, hashlib.sha256(payload).hexdigest())

    store = PackStore(tmp_path / "hub-packs")
    endpoint = DeviceHttpsServer(
        "127.0.0.1",
        0,
        server_context(folder / "server.pem", folder / "server.key", folder / "ca.pem"),
        lookup,
        routes={("GET", PACKS_PATH): store.route},
    )
    endpoint.start()
    shipped = tmp_path / "shipped-models"
    install_pack("yunet-sface", shipped, fold_int8=False)
    yield World(ca, endpoint, store, requests, shipped)
    endpoint.stop()


def door_settings(world: World, mosquitto: MosquittoBroker, where: Path, faces: Path) -> AgentSettings:
    where.mkdir(parents=True)
    identity = enroll(world.ca, "door-pack-01", where)
    (where / "ca.pem").write_bytes(world.ca.cert_pem)
    gallery = where / "gallery.cces"
    install_gallery(wire.decode(gallery_payload(world.shipped / "yunet-sface", faces / "enroll")), gallery)
    return agent_settings(
        mosquitto,
        where / "data",
        device_id="door-pack-01",
        tls_ca_file=where / "ca.pem",
        tls_cert_file=identity.cert,
        tls_key_file=identity.key,
        hub_device_url=f"https://127.0.0.1:{world.endpoint.port}",
        renewal={"enabled": False},
        faceid={
            "enabled": True,
            "models_dir": world.shipped,
            "gallery_file": gallery,
            "cooldown_s": 0,
            "snapshot": False,
            "camera": {"file": faces / "video" / CLIP, "realtime": False, "loop": True},
        },
    )


def broken_variant(good: Path, where: Path) -> Path:
    """The folded pack with its recogniser truncated, and the manifest digest made to match it."""
    broken = where / "yunet-sface"
    shutil.copytree(good, broken)
    recogniser = broken / "recogniser.onnx"
    recogniser.write_bytes(recogniser.read_bytes()[:200_000])
    manifest = json.loads((broken / "manifest.json").read_text())
    for item in manifest["files"]:
        if item["name"] == "recogniser.onnx":
            item["sha256"] = hashlib.sha256(recogniser.read_bytes()).hexdigest()
    (broken / "manifest.json").write_text(json.dumps(manifest))
    return broken


def command(offer: PackOffer) -> bytes:
    now = datetime.now(UTC)
    return (
        Command(
            id=uuid.uuid4(),
            name="update_pack",
            args=offer.model_dump(),
            issued_at=now,
            expires_at=now + timedelta(minutes=5),
        )
        .model_dump_json()
        .encode()
    )


def recognises(settings: AgentSettings, probe: Path) -> str | None:
    """Who the device's pack in use and gallery file say is on the photo."""
    active = with_active_pack(settings).faceid
    assert active.models_dir is not None and active.gallery_file is not None
    engine = FaceEngine(active.models_dir / active.pack)
    gallery = load_gallery(active.gallery_file, pack_id="yunet-sface").gallery
    faces = engine.analyse(read_image(probe))
    return gallery.match(engine.embed(faces[:1]), engine.threshold)[0].person_id


def test_a_broken_pack_is_rolled_back_and_a_good_one_switched_to(
    world: World, mosquitto: MosquittoBroker, models_dir: Path, testdata_dir: Path, tmp_path: Path
) -> None:
    faces = testdata_dir / "faces"
    settings = door_settings(world, mosquitto, tmp_path / "door", faces)
    broken_dir = broken_variant(models_dir / "yunet-sface", tmp_path / "b")
    broken = world.store.add("yunet-sface", "1-broken", archive_pack(broken_dir))
    good = world.store.add("yunet-sface", "2", archive_pack(models_dir / "yunet-sface"))
    tampered = PackOffer(**{**good.model_dump(), "sha256": "0" * 64})  # the good archive, another pin

    agent = Agent(settings)
    with running_agent(agent, timeout=30):
        assert agent.commands is not None and agent.pack_updater is not None
        faceid = agent.capabilities[0]
        attendance = lambda: faceid.metrics()["attendance"]  # type: ignore[attr-defined]  # noqa: E731
        assert wait_until(lambda: attendance() >= 3, 90), faceid.metrics()  # type: ignore[attr-defined]

        # a broken pack: downloaded and verified, fails to load at the self-check; nothing changes
        reply = agent.commands.handle(command(broken))
        assert reply is not None and not reply.ok and reply.code == "failed", reply
        assert "self_check" in (reply.error or "") and "yunet-sface@installed" in (reply.error or "")
        assert agent.capabilities[0] is faceid and faceid.state == "running"  # type: ignore[attr-defined]
        assert not (settings.data_dir / "packs" / "1-broken").exists() and read_pointer(settings) is None
        before = attendance()
        assert wait_until(lambda: attendance() > before, 60), "the door stopped recognising"
        assert recognises(settings, faces / "probe" / "obama1.jpg") == "obama"

        # an archive that does not match the offered digest is refused before anything is unpacked
        reply = agent.commands.handle(command(tampered))
        assert reply is not None and not reply.ok and "verify" in (reply.error or "")

        # the good pack: re-embedded with the hub's gallery first, checked, switched
        requests_before = len(world.gallery_requests)
        reply = agent.commands.handle(command(good))
        assert reply is not None and reply.ok, reply
        assert reply.result["active"] == "yunet-sface@2" and reply.result["previous"] == "yunet-sface@installed"
        assert world.gallery_requests[requests_before:] == ["door-pack-01:yunet-sface"]
        switched = agent.capabilities[0]
        assert switched is not faceid and switched.state == "running"  # type: ignore[attr-defined]
        assert agent.pack_updater.metrics()["active"] == "yunet-sface@2"
        count = lambda: switched.metrics()["attendance"]  # type: ignore[attr-defined]  # noqa: E731
        assert wait_until(lambda: count() >= 3, 90), "no recognitions on the new pack"
        new_pack = switched.settings.models_dir / "yunet-sface"  # type: ignore[attr-defined,operator]
        assert json.loads((new_pack / "manifest.json").read_text())["int8_folded"] is True
        agent._heartbeat(agent.outbox, agent.link)  # type: ignore[arg-type]  # the pack in use is reported
        assert agent.outbox is not None
        beats = [json.loads(i.payload) for i in agent.outbox.pending(1000) if i.kind == "telemetry"]
        assert beats and beats[-1]["metrics"]["pack.active"] == "yunet-sface@2"

    # the next start runs the new pack, and it still recognises the photo
    pointer = read_pointer(settings)
    assert pointer is not None and pointer.label == "yunet-sface@2"
    assert with_active_pack(settings).faceid.models_dir == settings.data_dir / "packs" / "2"
    assert recognises(settings, faces / "probe" / "obama1.jpg") == "obama"


def test_the_self_check_refuses_a_pack_that_loads_but_answers_nonsense(models_dir: Path, tmp_path: Path) -> None:
    from edge_agent.pack_update import PackUpdateError, self_check

    assert self_check(models_dir / "yunet-sface")["embedding_size"] == 128
    broken = broken_variant(models_dir / "yunet-sface", tmp_path)
    with pytest.raises(PackUpdateError, match="self_check"):
        self_check(broken)
