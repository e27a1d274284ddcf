"""The gallery payload a device downloads from the hub (HTTPS, client certificate).

One office's enrolled people for one model pack: person ids, optional display names (the door
greets people by name without asking the hub) and float32 embedding rows. The device checks
the payload's SHA-256 against `DeviceConfig.gallery_sha256` — which it received over the
broker's mutual-TLS connection from the hub — and the header against what it asked for, then
re-encrypts it under its own key (`models.gallery_store`); the payload itself is never kept.

Layout (no pickle, nothing executable): ``MAGIC | u32 header length | header JSON |
u32 ids length | ids JSON | float32 little-endian rows``. The ids JSON is
``{"ids": [...], "names": {person_id: name}}``. Numbers are big-endian u32 lengths; this module
stays free of numpy so the contract has no dependency beyond pydantic.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass

from pydantic import Field, ValidationError

from protocol._base import WireModel

MAGIC = b"CCESGLP1"
GALLERY_MEDIA_TYPE = "application/vnd.cces.gallery"
#: where a device fetches its office's gallery: `{base}/v1/gallery/{pack_id}/{version}`
GALLERY_PATH = "/v1/gallery"
_U32 = struct.Struct(">I")
_MAX_HEADER = 64 * 1024
_FLOAT_BYTES = 4


class GalleryPayloadError(ValueError):
    """The bytes are not a well-formed gallery payload (truncated, inconsistent, wrong digest)."""


class GalleryHeader(WireModel):
    format: int = Field(default=1, ge=1, le=1)
    site: str = Field(min_length=1, max_length=128, description="the office this gallery is for")
    pack_id: str = Field(min_length=1, max_length=64)
    recogniser_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    embedding_size: int = Field(gt=0, le=4096)
    rows: int = Field(ge=0)
    people: int = Field(ge=0)
    version: str = Field(pattern=r"^[0-9a-f]{16,64}$", description="digest of the content (ids, names, rows)")


@dataclass(frozen=True)
class GalleryPayload:
    header: GalleryHeader
    person_ids: list[str]  # one per row, in row order
    names: dict[str, str]  # person_id -> display name, for those that have one
    rows: bytes  # rows * embedding_size float32, little-endian


def content_version(
    pack_id: str, recogniser_sha256: str | None, person_ids: list[str], names: dict[str, str], rows: bytes
) -> str:
    """The version of a gallery: a digest of everything a device would use from it.

    The same people, names and embeddings give the same version (a rebuild that changed nothing
    publishes nothing new); any change — one photo, one name, one person — gives a new one.
    """
    digest = hashlib.sha256()
    listed = {"pack": pack_id, "recogniser": recogniser_sha256, "ids": person_ids, "names": names}
    digest.update(json.dumps(listed, sort_keys=True, ensure_ascii=False).encode())
    digest.update(rows)
    return digest.hexdigest()[:32]


def encode(payload: GalleryPayload) -> bytes:
    h = payload.header
    if len(payload.person_ids) != h.rows or len(payload.rows) != h.rows * h.embedding_size * _FLOAT_BYTES:
        raise GalleryPayloadError("gallery rows, ids and header disagree")
    header = h.model_dump_json().encode()
    ids = json.dumps({"ids": payload.person_ids, "names": payload.names}, ensure_ascii=False).encode()
    return MAGIC + _U32.pack(len(header)) + header + _U32.pack(len(ids)) + ids + payload.rows


def decode(data: bytes, expected_sha256: str | None = None) -> GalleryPayload:
    """Parse (and, given `expected_sha256`, first verify) a payload; GalleryPayloadError otherwise."""
    if expected_sha256 is not None and hashlib.sha256(data).hexdigest() != expected_sha256:
        raise GalleryPayloadError("the gallery's SHA-256 differs from the one in the device config")
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _U32.size:
        raise GalleryPayloadError("not a CCES gallery payload")
    offset = len(MAGIC)
    (length,) = _U32.unpack_from(data, offset)
    offset += _U32.size
    if length > _MAX_HEADER or len(data) < offset + length + _U32.size:
        raise GalleryPayloadError("gallery payload truncated (header)")
    try:
        header = GalleryHeader.model_validate_json(data[offset : offset + length])
    except ValidationError as exc:
        raise GalleryPayloadError(f"gallery payload header invalid: {exc.errors()[0]['msg']}") from exc
    offset += length
    (length,) = _U32.unpack_from(data, offset)
    offset += _U32.size
    try:
        listed = json.loads(data[offset : offset + length].decode("utf-8"))
        ids, names = listed["ids"], listed["names"]
    except (ValueError, KeyError, TypeError) as exc:
        raise GalleryPayloadError("gallery payload id list unreadable") from exc
    offset += length
    rows = data[offset:]
    if (
        not isinstance(ids, list)
        or not isinstance(names, dict)
        or len(ids) != header.rows
        or len(rows) != header.rows * header.embedding_size * _FLOAT_BYTES
    ):
        raise GalleryPayloadError("gallery payload inconsistent with its header (ids or rows)")
    person_ids = [str(i) for i in ids]
    names = {str(k): str(v) for k, v in names.items()}
    if content_version(header.pack_id, header.recogniser_sha256, person_ids, names, rows) != header.version:
        raise GalleryPayloadError("gallery payload content does not match its version")
    return GalleryPayload(header, person_ids, names, rows)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
