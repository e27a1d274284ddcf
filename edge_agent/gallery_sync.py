"""Fetching this office's gallery from the hub and swapping it in.

The device asks the hub's device endpoint over HTTPS, proving who it is with its own
certificate (the one it enrolled with) and checking the hub's against the hub CA. What comes
back must hash to the SHA-256 named in the retained config (which arrived over the broker's
mutual-TLS connection from the hub) and carry the version and pack asked for; anything else is
refused and the gallery in use is kept.

The payload is then re-encrypted under the device's own gallery key and written with
`models.gallery_store.save_gallery`: temporary file, fsync, `os.replace`, so the faceid
capability's watcher sees either the old gallery or the new one. Only that one file exists:
no older version, no payload and no photo is kept on the device (stale temporary files of an
interrupted write are removed).

`fetch_gallery` is the reusable part: a model-pack update fetches the gallery of the new pack
with it before switching.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from edge_agent.settings import AgentSettings
from models.errors import ModelsError
from models.gallery import Gallery
from models.gallery_store import TMP_MARK, GalleryInfo, key_path_for, read_info, save_gallery
from protocol import gallery as wire

log = logging.getLogger(__name__)

MAX_GALLERY_BYTES = 256 * 1024 * 1024


class GallerySyncError(RuntimeError):
    """The gallery could not be fetched or did not verify; the one in use is kept."""


def tls_context(settings: AgentSettings) -> ssl.SSLContext:
    """Client TLS with the device's certificate, trusting only the hub CA (as for the broker)."""
    if settings.tls_cert_file is None or settings.tls_key_file is None or settings.tls_ca_file is None:
        raise GallerySyncError("gallery sync needs tls_ca_file, tls_cert_file and tls_key_file (cces agent enroll)")
    context = ssl.create_default_context(cafile=str(settings.tls_ca_file))
    context.load_cert_chain(str(settings.tls_cert_file), str(settings.tls_key_file))
    return context


def fetch_gallery(
    settings: AgentSettings,
    url: str,
    *,
    pack_id: str,
    expected_sha256: str | None,
    expected_version: str | None = None,
    timeout_s: float = 60.0,
) -> wire.GalleryPayload:
    """Download and verify one gallery; raises GallerySyncError (nothing written) otherwise.

    `expected_sha256` comes from the retained config; None (a pack switch asking for the
    current gallery of a pack its config does not name yet) trusts the mutually authenticated
    TLS connection and the payload's own content digest only.
    """
    if not url.startswith("https://"):
        raise GallerySyncError(f"gallery url must be https://, got {url!r}")
    request = urllib.request.Request(url, headers={"Accept": wire.GALLERY_MEDIA_TYPE})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s, context=tls_context(settings)) as response:  # noqa: S310
            data = response.read(MAX_GALLERY_BYTES + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace")
        raise GallerySyncError(f"the hub refused the gallery ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise GallerySyncError(f"cannot fetch the gallery from {url}: {getattr(exc, 'reason', exc)}") from exc
    if len(data) > MAX_GALLERY_BYTES:
        raise GallerySyncError(f"gallery larger than {MAX_GALLERY_BYTES} bytes refused")
    try:
        payload = wire.decode(data, expected_sha256)
    except wire.GalleryPayloadError as exc:
        raise GallerySyncError(f"gallery from {url} refused: {exc}") from exc
    if payload.header.pack_id != pack_id:
        raise GallerySyncError(f"gallery is for pack {payload.header.pack_id}, expected {pack_id}")
    if expected_version is not None and payload.header.version != expected_version:
        raise GallerySyncError(f"gallery version {payload.header.version}, expected {expected_version}")
    return payload


def install_gallery(payload: wire.GalleryPayload, path: Path, key_path: Path | None = None) -> GalleryInfo:
    """Encrypt under the device's key and replace the gallery file atomically (see module doc)."""
    h = payload.header
    rows = np.frombuffer(payload.rows, dtype="<f4").reshape(h.rows, h.embedding_size)
    gallery = Gallery(payload.person_ids, rows, payload.names)
    info = save_gallery(
        path, gallery, pack_id=h.pack_id, key_path=key_path, version=h.version, recogniser_sha256=h.recogniser_sha256
    )
    for stale in path.parent.glob(f"{path.name}{TMP_MARK}*"):  # an interrupted write of an older version
        with contextlib.suppress(OSError):
            stale.unlink()
    return info


def installed_version(path: Path) -> str | None:
    """The version of the gallery file on disk (its clear header), None when there is none."""
    if not path.exists():
        return None
    try:
        return read_info(path).version
    except ModelsError:
        return None


def gallery_files(settings: AgentSettings) -> tuple[Path, Path]:
    """(gallery file, key file) the device keeps: the faceid capability's, or one in the data dir."""
    path = settings.faceid.gallery_file or settings.data_dir / "gallery.cces"
    return path, settings.faceid.gallery_key_file or key_path_for(path)
