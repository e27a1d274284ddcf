"""The gallery on the device: encrypted, pack-bound, replaced atomically, reloaded while running.

Real embeddings from the real `yunet-sface` pack and the test photos (the session `gallery`),
real AES-GCM; a crash mid-write is simulated by leaving a temporary file or failing the rename.
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.errors import GalleryIntegrityError, GalleryKeyError, GalleryPackError, GalleryStoreError
from models.gallery import Gallery
from models.gallery_store import (
    TMP_MARK,
    create_key,
    key_path_for,
    load_gallery,
    read_info,
    save_gallery,
)
from models.gallery_watch import GalleryWatcher

CLIP = "short_hamilton_clip.mp4"


def _without(gallery: Gallery, person: str) -> Gallery:
    keep = [i for i, who in enumerate(gallery.person_ids) if who != person]
    return Gallery([gallery.person_ids[i] for i in keep], gallery.matrix[keep])


def _pack_args(engine: Any) -> dict[str, Any]:
    manifest = engine.manifest
    return {
        "pack_id": manifest.pack_id,
        "embedding_size": manifest.recogniser.embedding_size,
        "recogniser_sha256": manifest.file("recogniser").source_sha256,
    }


def _save(path: Path, gallery: Gallery, engine: Any, version: str) -> None:
    args = _pack_args(engine)
    save_gallery(path, gallery, pack_id=args["pack_id"], version=version, recogniser_sha256=args["recogniser_sha256"])


def test_round_trip_keeps_every_row_and_encrypts_at_rest(gallery: Gallery, engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "gallery.bin"
    _save(path, gallery, engine, "v1")
    key = key_path_for(path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    assert b"obama" not in data and b"lin_manuel" not in data, "person ids are not stored in clear"
    assert gallery.matrix.tobytes()[:64] not in data, "embeddings are not stored in clear"

    stored = load_gallery(path, **_pack_args(engine))
    assert stored.info.version == "v1" and stored.info.pack_id == "yunet-sface"
    assert stored.info.embedding_size == gallery.dimension == 128 and stored.info.rows == len(gallery)
    assert stored.gallery.person_ids == gallery.person_ids
    np.testing.assert_allclose(stored.gallery.matrix, gallery.matrix, atol=1e-6)  # re-normalised: 1 ulp
    assert read_info(path) == stored.info, "the clear header tells the version without the key"


def test_stored_gallery_identifies_like_the_photos(gallery: Gallery, engine: Any, faces_dir: Path, tmp_path) -> None:
    from models.enrollment import build_gallery_file
    from models.images import read_image

    path = tmp_path / "door" / "gallery.bin"
    info = build_gallery_file(engine, faces_dir / "enroll", path)
    assert info.rows == len(gallery) and info.version
    stored = load_gallery(path, **_pack_args(engine)).gallery
    probe = engine.embed(engine.analyse(read_image(faces_dir / "probe" / "obama1.jpg"))[:1])
    [match] = stored.match(probe, engine.threshold)
    assert match.person_id == "obama"
    assert match.score == pytest.approx(gallery.match(probe, engine.threshold)[0].score, abs=1e-5)


def test_tampering_is_detected(gallery: Gallery, engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "gallery.bin"
    _save(path, gallery, engine, "v1")
    original = path.read_bytes()

    flipped = bytearray(original)
    flipped[-100] ^= 0x01  # one bit of one embedding
    path.write_bytes(bytes(flipped))
    with pytest.raises(GalleryIntegrityError, match="integrity check"):
        load_gallery(path)

    path.write_bytes(original.replace(b'"version": "v1"', b'"version": "v9"'))  # the clear header
    with pytest.raises(GalleryIntegrityError, match="integrity check"):
        load_gallery(path)

    path.write_bytes(original[: len(original) // 2])  # a torn file
    with pytest.raises(GalleryIntegrityError):
        load_gallery(path)

    path.write_bytes(b"not a gallery at all")
    with pytest.raises(GalleryStoreError, match="not a CCES gallery"):
        load_gallery(path)


def test_wrong_or_unsafe_key_is_refused(gallery: Gallery, engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "gallery.bin"
    _save(path, gallery, engine, "v1")
    other = tmp_path / "other.key"
    create_key(other)
    with pytest.raises(GalleryKeyError, match="another key"):
        load_gallery(path, key_path=other)
    with pytest.raises(GalleryKeyError, match="not found"):
        load_gallery(path, key_path=tmp_path / "missing.key")
    key = key_path_for(path)
    key.chmod(0o644)
    with pytest.raises(GalleryKeyError, match="chmod 600"):
        load_gallery(path)


def test_a_gallery_of_another_pack_is_refused(gallery: Gallery, engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "gallery.bin"
    _save(path, gallery, engine, "v1")
    with pytest.raises(GalleryPackError, match="made for pack yunet-sface, not buffalo_l"):
        load_gallery(path, pack_id="buffalo_l", embedding_size=512)
    with pytest.raises(GalleryPackError, match="128-d"):
        load_gallery(path, pack_id="yunet-sface", embedding_size=512)
    with pytest.raises(GalleryPackError, match="other recogniser weights"):
        load_gallery(path, recogniser_sha256="0" * 64)


def test_a_crash_mid_write_leaves_the_old_gallery(
    gallery: Gallery, engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gallery.bin"
    _save(path, gallery, engine, "v1")
    # a power cut while v2 was being written: a torn temporary file next to the gallery
    _save(tmp_path / "scratch.bin", _without(gallery, "obama"), engine, "v2")
    key_path_for(tmp_path / "scratch.bin").unlink()
    torn = path.with_name(path.name + TMP_MARK + "dead")
    torn.write_bytes((tmp_path / "scratch.bin").read_bytes()[:300])
    assert load_gallery(path).info.version == "v1"

    # a crash after the data was written but before the rename
    import models.gallery_store as store

    def cut(*_args: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(store.os, "replace", cut)
    with pytest.raises(OSError, match="power cut"):
        _save(path, _without(gallery, "obama"), engine, "v2")
    monkeypatch.undo()
    stored = load_gallery(path)
    assert stored.info.version == "v1" and "obama" in stored.gallery.people

    _save(path, _without(gallery, "obama"), engine, "v2")  # the next save completes and cleans up
    assert load_gallery(path).info.version == "v2"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("gallery")) == [
        "gallery.bin",
        "gallery.bin.key",
    ]


def test_watcher_swaps_only_to_a_new_good_version(gallery: Gallery, engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "gallery.bin"
    _save(path, gallery, engine, "v1")
    watcher = GalleryWatcher(path, **_pack_args(engine))
    assert watcher.load().info.version == "v1"
    assert watcher.poll() is None, "nothing changed"

    _save(path, gallery, engine, "v1")  # rewritten, same version: no swap
    assert watcher.poll() is None and watcher.version == "v1"

    data = bytearray((tmp_path / "gallery.bin").read_bytes())
    _save(path, _without(gallery, "obama"), engine, "v2")
    new = watcher.poll()
    assert new is not None and new.info.version == "v2" and "obama" not in new.gallery.people

    data[-50] ^= 0xFF
    tmp = tmp_path / "tampered.bin"
    tmp.write_bytes(bytes(data))
    os.replace(tmp, path)
    assert watcher.poll() is None, "a tampered update is not used"
    assert watcher.version == "v2" and watcher.error is not None and "integrity" in watcher.error

    # key rotation: the new gallery arrives before its key; it is used once the key follows
    staged = tmp_path / "staged"
    _save(staged / "gallery.bin", gallery, engine, "v3")
    os.replace(staged / "gallery.bin", path)
    assert watcher.poll() is None and "another key" in (watcher.error or "")
    os.replace(staged / "gallery.bin.key", key_path_for(path))
    rotated = watcher.poll()
    assert rotated is not None and rotated.info.version == "v3" and watcher.error is None


def test_faceid_settings_take_exactly_one_gallery(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from edge_agent.settings import FaceIdSettings

    camera = {"device": 0}
    with pytest.raises(ValidationError, match="only one of faceid.gallery_dir"):
        FaceIdSettings(enabled=True, camera=camera, gallery_dir=tmp_path, gallery_file=tmp_path / "g.bin")
    with pytest.raises(ValidationError, match="gallery_dir \\(or gallery_file\\) is not set"):
        FaceIdSettings(enabled=True, camera=camera)
    settings = FaceIdSettings(enabled=True, camera=camera, gallery_file=tmp_path / "g.bin")
    assert settings.gallery_dir is None and settings.gallery_check_s == 5.0


class _FrameSink:
    """An EventSink that notes the capability's frame count at each event."""

    def __init__(self) -> None:
        self.capability: Any = None
        self.events: list[tuple[int, Any]] = []
        self._lock = threading.Lock()

    @property
    def device_id(self) -> str:
        return "door-gallery-01"

    @property
    def last_seq(self) -> int:
        return len(self.events)

    def emit(self, build: Any) -> Any:
        with self._lock:
            event = build(len(self.events) + 1)
            self.events.append((self.capability.frames, event))
        return event

    def people(self, after_frame: int = -1, before_frame: int | None = None) -> set[str]:
        with self._lock:
            return {
                e.data.person_id
                for frame, e in self.events
                if e.type == "attendance.face"
                and frame > after_frame
                and (before_frame is None or frame <= before_frame)
            }


def _wait(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.timeout(180)
def test_faceid_switches_to_a_new_gallery_while_running(
    gallery: Gallery, engine: Any, models_dir: Path, faces_dir: Path, tmp_path: Path
) -> None:
    """The clip (lin_manuel_miranda, alex_lacamoire, obama) loops as the camera. With v1 (no obama)
    obama is never recorded; after v2 (obama added, alex_lacamoire removed) replaces the file,
    obama is recorded and, once the tracks from before the swap are over, alex_lacamoire is not."""
    from edge_agent.capabilities.faceid import FaceIdCapability
    from edge_agent.settings import FaceIdSettings

    path = tmp_path / "gallery.bin"
    _save(path, _without(gallery, "obama"), engine, "v1")
    settings = FaceIdSettings(
        enabled=True,
        models_dir=models_dir,
        gallery_file=path,
        gallery_check_s=0.1,
        cooldown_s=0,
        camera={"file": faces_dir / "video" / CLIP, "realtime": False, "loop": True},
    )
    capability = FaceIdCapability(settings)
    sink = _FrameSink()
    sink.capability = capability
    clip_frames = 275
    capability.start(sink)
    try:
        assert _wait(lambda: capability.frames >= clip_frames + 10, 60), capability.metrics()
        before = sink.people()
        assert {"lin_manuel_miranda", "alex_lacamoire"} <= before and "obama" not in before
        assert capability.metrics()["gallery_version"] == "v1"

        _save(path, _without(gallery, "alex_lacamoire"), engine, "v2")
        assert _wait(lambda: capability.metrics()["gallery_version"] == "v2", 10), capability.metrics()
        swapped_at = capability.frames
        assert capability.metrics()["gallery_people"] == len(gallery.people) - 1
        settled = swapped_at + clip_frames  # by then every track that began before the swap has ended
        assert _wait(lambda: capability.frames >= settled + clip_frames, 90), capability.metrics()
    finally:
        capability.stop()
    assert capability.state == "stopped", capability.error
    assert "obama" not in sink.people(before_frame=swapped_at - 1), "v1 never knew obama"
    assert "obama" in sink.people(after_frame=swapped_at), "a person added is recognised"
    after = sink.people(after_frame=settled)
    assert "alex_lacamoire" not in after and {"lin_manuel_miranda", "obama"} <= after, "a person removed is not"


def test_faceid_refuses_a_gallery_of_another_pack(
    gallery: Gallery, models_dir: Path, faces_dir: Path, tmp_path
) -> None:
    from edge_agent.capabilities.faceid import FaceIdCapability
    from edge_agent.settings import FaceIdSettings

    path = tmp_path / "gallery.bin"
    save_gallery(path, gallery, pack_id="buffalo_l", version="v1")
    capability = FaceIdCapability(
        FaceIdSettings(
            enabled=True,
            models_dir=models_dir,
            gallery_file=path,
            camera={"file": faces_dir / "video" / CLIP, "realtime": False},
        )
    )
    capability.start(_FrameSink())
    assert capability.finished.wait(30)
    capability.stop()
    assert capability.state == "failed" and "made for pack buffalo_l, not yunet-sface" in (capability.error or "")


def test_cli_gallery_build(
    models_dir: Path, faces_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from cces.cli import main

    monkeypatch.setenv("CCES_MODELS_DIR", str(models_dir))
    out = tmp_path / "device" / "gallery.bin"
    code = main(["faces", "gallery-build", "--photos", str(faces_dir / "enroll"), "--out", str(out), "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pack_id"] == "yunet-sface" and result["embedding_size"] == 128 and result["key"] == f"{out}.key"
    assert set(load_gallery(out).gallery.people) == {p.name for p in (faces_dir / "enroll").iterdir() if p.is_dir()}

    code = main(["faces", "gallery-build", "--photos", str(tmp_path / "nope"), "--out", str(out)])
    assert code == 2 and "gallery folder not found" in capsys.readouterr().err
    code = main(["faces", "gallery-build", "--photos", str(faces_dir / "enroll"), "--out", str(out), "--pack", "x1"])
    assert code == 2 and "not installed" in capsys.readouterr().err
