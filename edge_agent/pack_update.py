"""Model pack updates on the device: download, verify, re-embed, self-check, switch — or roll back.

The hub offers a pack pinned by the SHA-256 of its archive (`protocol.packs`). The door keeps
recognising with the pack in use while the new one is prepared, and switches only when the new
one has proved itself:

1. **download** the archive over HTTPS with the device certificate; refuse it unless its size
   and SHA-256 are the offered ones;
2. **unpack** it into a staging folder next to the installed packs (regular files only, no
   paths), and **verify** it: the manifest's own file digests, and that it is the pack offered;
3. **re-embed**: fetch this office's gallery *for the new pack* from the hub (the hub computes the
   embeddings from the enrollment photos; the device has no photos) and check it against the new
   pack's recogniser;
4. **self-check**: load both ONNX sessions and run them on a fixed synthetic input (a 640x480
   frame for the detector, a 112x112 crop for the recogniser): the detector must run and the
   embedding must be finite, non-zero and of the manifest's size;
5. **switch**: move the staging folder into place (`<data_dir>/packs/<version>/<pack_id>`), put
   the new gallery in the gallery file, restart the faceid capability on the new pack and wait
   until it runs; then write the pointer file (`packs/current.json`, atomically) that makes the
   next start use it too.

A failure before step 5 deletes the staging folder and changes nothing: the capability was never
touched. A failure in step 5 (the capability does not come up) restores the previous gallery file
and restarts the capability on the previous pack. The reply says which stage failed and why.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import ssl
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from edge_agent.settings import AgentSettings, FaceIdSettings
from protocol.gallery import GalleryPayload
from protocol.packs import MAX_PACK_BYTES, PACK_MEDIA_TYPE, PackOffer

log = logging.getLogger(__name__)

POINTER = "current.json"
_RUN_STATES = ("running", "finished")


class PackUpdateError(RuntimeError):
    """The update did not happen (or was rolled back); `stage` says where it failed."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage


@dataclass(frozen=True)
class ActivePack:
    pack_id: str
    version: str
    models_dir: Path  # the folder holding `<pack_id>/`

    @property
    def label(self) -> str:
        return f"{self.pack_id}@{self.version}"


def packs_root(settings: AgentSettings) -> Path:
    return settings.data_dir / "packs"


def read_pointer(settings: AgentSettings) -> ActivePack | None:
    """The pack an update switched to (None: the one the settings name)."""
    path = packs_root(settings) / POINTER
    try:
        data = json.loads(path.read_text())
        active = ActivePack(data["pack_id"], data["version"], Path(data["models_dir"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return active if (active.models_dir / active.pack_id).is_dir() else None


def write_pointer(settings: AgentSettings, active: ActivePack) -> None:
    root = packs_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{POINTER}.tmp"
    data = {"pack_id": active.pack_id, "version": active.version, "models_dir": str(active.models_dir)}
    tmp.write_text(json.dumps(data))
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, root / POINTER)


def with_active_pack(settings: AgentSettings) -> AgentSettings:
    """The settings with faceid pointed at the pack an earlier update switched to, if any."""
    active = read_pointer(settings)
    if active is None or not settings.faceid.enabled or active.pack_id != settings.faceid.pack:
        return settings
    faceid = settings.faceid.model_copy(update={"models_dir": active.models_dir})
    return settings.model_copy(update={"faceid": faceid})


# -- the stages --------------------------------------------------------------------------------


def download(settings: AgentSettings, offer: PackOffer, timeout_s: float = 300.0) -> bytes:
    """The archive, from the hub's device endpoint with this device's certificate; checked against the offer."""
    from edge_agent.gallery_sync import tls_context

    if not settings.hub_device_url:
        raise PackUpdateError("download", "no hub_device_url configured")
    url = settings.hub_device_url.rstrip("/") + offer.path
    request = urllib.request.Request(url, headers={"Accept": PACK_MEDIA_TYPE})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s, context=tls_context(settings)) as response:  # noqa: S310
            data = response.read(min(offer.size, MAX_PACK_BYTES) + 1)
    except urllib.error.HTTPError as exc:
        raise PackUpdateError("download", f"the hub refused the pack ({exc.code}): {exc.read(300)!r}") from exc
    except (urllib.error.URLError, OSError, ssl.SSLError) as exc:
        raise PackUpdateError("download", f"cannot fetch {url}: {getattr(exc, 'reason', exc)}") from exc
    return check_archive(data, offer)


def check_archive(data: bytes, offer: PackOffer) -> bytes:
    if len(data) != offer.size:
        raise PackUpdateError("verify", f"the archive has {len(data)} bytes, the offer says {offer.size}")
    digest = hashlib.sha256(data).hexdigest()
    if digest != offer.sha256:
        raise PackUpdateError("verify", f"the archive's SHA-256 is {digest[:12]}…, the offer pins {offer.sha256[:12]}…")
    return data


def unpack(data: bytes, folder: Path) -> None:
    """Regular files with plain names only: an archive cannot write outside `folder`."""
    folder.mkdir(parents=True)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("./")
                if not member.isfile() or not name or "/" in name or name.startswith("."):
                    raise PackUpdateError("verify", f"unexpected entry {member.name!r} in the pack archive")
                source = archive.extractfile(member)
                assert source is not None
                with open(folder / name, "wb") as target:
                    shutil.copyfileobj(source, target)
    except tarfile.TarError as exc:
        raise PackUpdateError("verify", f"not a pack archive: {exc}") from exc


def self_check(pack_dir: Path) -> dict[str, Any]:
    """Load the pack and run it on a fixed input; raises PackUpdateError('self_check') otherwise."""
    from models.engine import FaceEngine  # imported here: an RFID-only device has no onnxruntime

    started = time.monotonic()
    try:
        engine = FaceEngine(pack_dir)
        rng = np.random.default_rng(20261123)
        frame = rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)
        engine.detect(frame)  # must run; a noise frame has no face to find
        crop = rng.integers(0, 256, (112, 112, 3), dtype=np.uint8)
        vectors = np.asarray(engine.embedder.embed([crop]))
    except PackUpdateError:
        raise
    except Exception as exc:  # onnxruntime's own errors, a manifest that does not fit the graph…
        raise PackUpdateError("self_check", " ".join(str(exc).split())[:300]) from exc
    size = engine.manifest.recogniser.embedding_size
    if vectors.shape != (1, size) or not np.all(np.isfinite(vectors)) or float(np.linalg.norm(vectors)) == 0.0:
        raise PackUpdateError(
            "self_check", f"the recogniser gave {vectors.shape} (finite: {np.isfinite(vectors).all()})"
        )
    return {"embedding_size": size, "provider": engine.providers[0], "seconds": round(time.monotonic() - started, 2)}


# -- the update --------------------------------------------------------------------------------

GalleryFetch = Callable[[str], GalleryPayload]
Restart = Callable[[FaceIdSettings], str]  # start faceid with these settings; returns its state once settled


class PackUpdater:
    """Carries out `update_pack` offers, one at a time."""

    def __init__(
        self,
        settings: AgentSettings,
        restart: Restart,
        fetch_gallery: GalleryFetch | None,
        fetch_archive: Callable[[PackOffer], bytes] | None = None,
    ) -> None:
        self._settings = settings
        self._restart = restart
        self._fetch_gallery = fetch_gallery
        self._fetch_archive = fetch_archive or (lambda offer: download(settings, offer))
        self._lock = threading.Lock()
        self.faceid = settings.faceid  # the faceid settings in use (models_dir changes with each switch)
        active = read_pointer(settings)
        self.active = active.label if active else f"{settings.faceid.pack}@installed"
        self.last_error: str | None = None

    def metrics(self) -> dict[str, Any]:
        return {"active": self.active, "error": self.last_error}

    def apply(self, offer: PackOffer) -> dict[str, Any]:
        with self._lock:
            try:
                result = self._apply(offer)
            except PackUpdateError as exc:
                self.last_error = str(exc)
                log.error("pack update to %s failed, %s kept: %s", offer.label, self.active, exc)
                raise
            self.last_error = None
            return result

    def _apply(self, offer: PackOffer) -> dict[str, Any]:
        s = self._settings
        if offer.pack_id != self.faceid.pack:
            raise PackUpdateError("verify", f"this device runs pack {self.faceid.pack}, not {offer.pack_id}")
        if offer.label == self.active:
            return {"active": self.active, "changed": False}
        root = packs_root(s)
        root.mkdir(parents=True, exist_ok=True)
        target = root / offer.version / offer.pack_id
        if target.exists():
            raise PackUpdateError("unpack", f"{target} exists already (the same version offered twice?)")
        staging = Path(tempfile.mkdtemp(prefix=f".{offer.version}.", dir=root))
        gallery_file = s.faceid.gallery_file
        backup = None
        try:
            data = self._fetch_archive(offer)
            check_archive(data, offer)
            unpack(data, staging / offer.pack_id)
            manifest = self._verify(staging / offer.pack_id, offer)
            payload = self._new_gallery(manifest)
            checked = self_check(staging / offer.pack_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / offer.pack_id, target)
            # switch: new gallery (the old one kept until the new pack runs), then the capability
            if payload is not None and gallery_file is not None:
                backup = self._swap_gallery(payload, gallery_file)
            previous = self.faceid
            fresh = previous.model_copy(update={"models_dir": target.parent})
            state = self._restart(fresh)
            if state not in _RUN_STATES:
                self._roll_back(previous, gallery_file, backup)
                shutil.rmtree(target.parent, ignore_errors=True)
                raise PackUpdateError("switch", f"faceid did not start on the new pack ({state}); rolled back")
            self.faceid = fresh
            old_label, self.active = self.active, offer.label
            write_pointer(s, ActivePack(offer.pack_id, offer.version, target.parent))
            log.info("model pack %s -> %s (%s)", old_label, offer.label, checked)
            return {"active": self.active, "previous": old_label, "changed": True, "self_check": checked}
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if backup is not None:
                backup.unlink(missing_ok=True)

    def _verify(self, folder: Path, offer: PackOffer) -> Any:
        from models.errors import PackError
        from models.install import verify_pack

        try:
            manifest = verify_pack(folder)
        except PackError as exc:
            raise PackUpdateError("verify", str(exc)) from exc
        if manifest.pack_id != offer.pack_id:
            raise PackUpdateError("verify", f"the archive holds pack {manifest.pack_id}, not {offer.pack_id}")
        return manifest

    def _new_gallery(self, manifest: Any) -> GalleryPayload | None:
        """This office's gallery for the new pack, from the hub, checked against the new recogniser."""
        if self._settings.faceid.gallery_file is None:
            return None  # a photo-folder gallery is embedded again when the capability starts
        if self._fetch_gallery is None:
            raise PackUpdateError("gallery", "no way to fetch the gallery for the new pack (hub_device_url?)")
        try:
            payload = self._fetch_gallery(manifest.pack_id)
        except Exception as exc:
            raise PackUpdateError("gallery", f"cannot fetch the gallery for {manifest.pack_id}: {exc}") from exc
        header = payload.header
        recogniser = manifest.file("recogniser").source_sha256
        if header.embedding_size != manifest.recogniser.embedding_size or (
            header.recogniser_sha256 is not None and header.recogniser_sha256 != recogniser
        ):
            raise PackUpdateError("gallery", "the hub's gallery was made with another recogniser than the new pack's")
        return payload

    def _swap_gallery(self, payload: GalleryPayload, gallery_file: Path) -> Path | None:
        from edge_agent.gallery_sync import gallery_files, install_gallery

        path, key = gallery_files(self._settings)
        backup = None
        if path.exists():
            backup = path.with_name(f".{path.name}.before-pack-switch")
            shutil.copy2(path, backup)
        install_gallery(payload, path, key)
        return backup

    def _roll_back(self, previous: FaceIdSettings, gallery_file: Path | None, backup: Path | None) -> None:
        if backup is not None and gallery_file is not None:
            with contextlib.suppress(OSError):
                os.replace(backup, gallery_file)
        state = self._restart(previous)
        log.warning("rolled back to %s (faceid %s)", self.active, state)
