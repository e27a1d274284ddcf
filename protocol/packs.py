"""Model pack updates: the hub offers a pack, pinned by the SHA-256 of its archive.

The archive is a tar of the pack folder (`manifest.json` plus the ONNX files it lists), served on
the hub's device HTTPS endpoint at `{PACKS_PATH}/{pack_id}/{version}` to devices that present
their certificate. The offer reaches the device in an `update_pack` command; the device reports
what it did in the reply and the pack in use in its heartbeat (`pack.active`).
"""

from __future__ import annotations

from pydantic import Field

from protocol._base import WireModel

PACKS_PATH = "/v1/packs"
PACK_MEDIA_TYPE = "application/x-tar"
PACK_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{1,63}$"
PACK_VERSION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,31}$"
#: a pack archive larger than this is refused unread (the folded recogniser is ~37 MB)
MAX_PACK_BYTES = 512 * 1024 * 1024


class PackOffer(WireModel):
    pack_id: str = Field(pattern=PACK_ID_PATTERN, description="the pack's id, as in its manifest")
    version: str = Field(pattern=PACK_VERSION_PATTERN, description="the hub's version of this pack")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of the archive bytes")
    size: int = Field(gt=0, le=MAX_PACK_BYTES)

    @property
    def path(self) -> str:
        return f"{PACKS_PATH}/{self.pack_id}/{self.version}"

    @property
    def label(self) -> str:
        """`<pack_id>@<version>`: the name of its folder on the device and of the pack in use."""
        return f"{self.pack_id}@{self.version}"
