"""The pack archives the hub offers, and the device-endpoint route that serves them.

An archive is a tar of an installed pack folder (`manifest.json` and the files it lists), kept
as `<folder>/<pack_id>/<version>.tar` with its SHA-256 next to it. The offer a device gets
(`protocol.packs.PackOffer`) pins that digest, so a device can verify what it downloaded
whoever served it. Serving is only for devices with a certificate (the device HTTPS endpoint).
"""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
from pathlib import Path

from hub.galleries.server import DeviceRequest
from models.install import verify_pack
from protocol.packs import PACK_MEDIA_TYPE, PACKS_PATH, PackOffer

_ROUTE = re.compile(rf"^{PACKS_PATH}/([a-z0-9][a-z0-9_.-]{{1,63}})/([A-Za-z0-9][A-Za-z0-9_.+-]{{0,31}})$")


def archive_pack(folder: Path) -> bytes:
    """A tar of the pack in `folder` (verified first), with plain names and fixed metadata."""
    manifest = verify_pack(folder)
    names = ["manifest.json", *(f.name for f in manifest.files)]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in names:
            data = (folder / name).read_bytes()
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class PackStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, pack_id: str, version: str, archive: bytes) -> PackOffer:
        """Keep an archive under (pack_id, version) and return the offer that pins it."""
        offer = PackOffer(
            pack_id=pack_id, version=version, sha256=hashlib.sha256(archive).hexdigest(), size=len(archive)
        )
        path = self.folder / pack_id / f"{version}.tar"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(archive)
        tmp.replace(path)
        return offer

    def route(self, request: DeviceRequest) -> tuple[int, str, bytes]:
        """`GET /v1/packs/{pack_id}/{version}` on the device endpoint (hub.galleries.server.DeviceRoute)."""
        match = _ROUTE.match(request.path)
        if match is None:
            return 404, "application/json", b'{"reason": "no such pack"}'
        path = self.folder / match.group(1) / f"{match.group(2)}.tar"
        if not path.is_file():
            return 404, "application/json", b'{"reason": "no such pack version"}'
        return 200, PACK_MEDIA_TYPE, path.read_bytes()
