"""The gallery on the device: embeddings only, encrypted at rest, replaced atomically.

Why this shape:

- **Embeddings only.** A face embedding is biometric data, but a photo is more (it can be
  shown, re-enrolled with any model, used to spoof): the device never stores photos. The file
  holds person ids and unit-vector rows, nothing else.
- **For one pack.** An SFace embedding compared with an ArcFace one is noise that still yields
  a cosine score, so a gallery carries the pack id, the embedding size and (when known) the
  digest of the recogniser weights that made it, and `load_gallery` refuses a gallery made for
  another pack instead of quietly recognising nobody (or the wrong person).
- **AES-256-GCM.** Confidentiality plus integrity in one primitive: a flipped bit, a truncated
  file or an edited header fails the tag and `load_gallery` says so. The header (pack, size,
  version — nothing personal) is stored in clear so a device can tell which version it has
  without the key, but it is the GCM associated data, so it cannot be altered unnoticed.
- **The key in a separate file** (`<gallery>.key`, 32 random bytes as hex, mode 0600) next to
  the gallery, so the gallery can be copied, backed up or synced without the key, and the key
  can be rotated or, on a device with one, moved into a TPM / secure element later (only
  `read_key`/`create_key` would change: the file format does not depend on where the key lives).
  A key file readable by group or others is refused, as ssh does with private keys.
- **Atomic replacement.** A new version is written to a temporary file in the same folder,
  fsynced, then `os.replace`d over the old one and the folder fsynced. A power cut at any
  moment leaves either the old gallery or the new one, never a torn file; a stale temporary
  file is ignored by readers and removed by the next save.

File layout: ``MAGIC | u32 header length | header JSON | 12-byte nonce | ciphertext+tag``.
The plaintext is ``u32 ids length | ids JSON | float32 little-endian rows``; no pickle, so a
gallery file can never execute code when loaded. The ids JSON is a list of person ids, or —
only when the gallery carries display names — ``{"ids": [...], "names": {person_id: name}}``
(encrypted like the ids: a name is personal data). A gallery without names is written exactly as
before, so older readers still load it; this reader loads both forms.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from models.errors import GalleryIntegrityError, GalleryKeyError, GalleryPackError, GalleryStoreError
from models.gallery import Gallery

MAGIC = b"CCESGAL1"
FORMAT_VERSION = 1
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
KEY_SUFFIX = ".key"
TMP_MARK = ".tmp-"
_U32 = struct.Struct(">I")
_MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class GalleryInfo:
    """The clear-text header of a gallery file (authenticated, not secret)."""

    pack_id: str
    embedding_size: int
    version: str
    created_at: str
    rows: int
    recogniser_sha256: str | None = None
    format: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "pack_id": self.pack_id,
            "embedding_size": self.embedding_size,
            "version": self.version,
            "created_at": self.created_at,
            "rows": self.rows,
            "recogniser_sha256": self.recogniser_sha256,
        }


@dataclass(frozen=True)
class StoredGallery:
    info: GalleryInfo
    gallery: Gallery


def key_path_for(gallery_path: Path) -> Path:
    """Where a gallery's key lives by default: `<gallery file name>.key` in the same folder."""
    return gallery_path.with_name(gallery_path.name + KEY_SUFFIX)


# -- the key -----------------------------------------------------------------------------------


def read_key(path: Path) -> bytes:
    """The 256-bit key in `path`; GalleryKeyError when missing, malformed or readable by others."""
    try:
        st = path.stat()
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError as exc:
        raise GalleryKeyError(f"gallery key file not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise GalleryKeyError(f"cannot read gallery key file {path}: {exc}") from exc
    if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise GalleryKeyError(
            f"gallery key file {path} is accessible by group/others (mode {stat.S_IMODE(st.st_mode):o}); chmod 600 it"
        )
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise GalleryKeyError(f"gallery key file {path} is not a hex key") from exc
    if len(key) != KEY_BYTES:
        raise GalleryKeyError(f"gallery key file {path} holds {len(key)} bytes, expected {KEY_BYTES}")
    return key


def create_key(path: Path) -> bytes:
    """Make a new random key file (0600) at `path`, or return the existing one's key.

    Written to a temporary file, fsynced, then hard-linked into place: the link fails when a key
    already exists (two builders racing keep one key), and a power cut never leaves an empty
    key file that would lock the device out of its own gallery.
    """
    if path.exists():
        return read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_name(f"{path.name}{TMP_MARK}{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return read_key(path)
        _fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return key


def _key_id(key: bytes) -> str:
    """A short fingerprint of the key, so a wrong key is reported as such and not as tampering."""
    return hashlib.sha256(b"cces-gallery-key-id\0" + key).hexdigest()[:16]


# -- writing -----------------------------------------------------------------------------------


def default_version(gallery: Gallery) -> str:
    """`<UTC time>-<content digest>`: sortable, and different whenever the content differs."""
    listed: Any = [gallery.person_ids, gallery.names] if gallery.names else gallery.person_ids  # a renamed person
    digest = hashlib.sha256(json.dumps(listed).encode() + gallery.matrix.tobytes()).hexdigest()[:12]
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{digest}"


def save_gallery(
    path: Path,
    gallery: Gallery,
    *,
    pack_id: str,
    key_path: Path | None = None,
    version: str | None = None,
    recogniser_sha256: str | None = None,
) -> GalleryInfo:
    """Encrypt `gallery` to `path`, replacing any previous version atomically.

    The key is read from `key_path` (default `<path>.key`), created (0600) when there is none.
    Returns the header written, whose `version` readers use to notice a new gallery.
    """
    key = create_key(key_path or key_path_for(path))
    matrix = np.ascontiguousarray(gallery.matrix, dtype="<f4")
    info = GalleryInfo(
        pack_id=pack_id,
        embedding_size=gallery.dimension,
        version=version or default_version(gallery),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        rows=len(gallery),
        recogniser_sha256=recogniser_sha256,
    )
    header = json.dumps({**info.to_json(), "key_id": _key_id(key)}, sort_keys=True).encode()
    names = gallery.names
    listed: Any = {"ids": gallery.person_ids, "names": names} if names else gallery.person_ids
    ids = json.dumps(listed, ensure_ascii=False).encode()
    plaintext = _U32.pack(len(ids)) + ids + matrix.tobytes()
    nonce = secrets.token_bytes(NONCE_BYTES)  # random 96-bit nonce: safe for the few writes a key sees
    aad = MAGIC + _U32.pack(len(header)) + header
    blob = aad + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
    _write_atomically(path, blob)
    return info


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{path.name}{TMP_MARK}*"):  # left by a crash mid-write
        with contextlib.suppress(OSError):
            stale.unlink()
    tmp = path.with_name(f"{path.name}{TMP_MARK}{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: without this the new directory entry may be lost on power cut."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- reading -----------------------------------------------------------------------------------


def _split(path: Path, data: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, aad, nonce, ciphertext) of a gallery file's bytes."""
    if not data.startswith(MAGIC):
        raise GalleryStoreError(f"{path} is not a CCES gallery file")
    start = len(MAGIC) + _U32.size
    if len(data) < start:
        raise GalleryIntegrityError(f"gallery {path} is truncated")
    (length,) = _U32.unpack_from(data, len(MAGIC))
    if length > _MAX_HEADER or len(data) < start + length + NONCE_BYTES + 16:
        raise GalleryIntegrityError(f"gallery {path} is truncated or corrupted")
    try:
        header = json.loads(data[start : start + length])
        if not isinstance(header, dict):
            raise ValueError("header is not an object")
    except ValueError as exc:
        raise GalleryIntegrityError(f"gallery {path} has a corrupted header") from exc
    aad = data[: start + length]
    nonce = data[start + length : start + length + NONCE_BYTES]
    return header, aad, nonce, data[start + length + NONCE_BYTES :]


def _info(path: Path, header: dict[str, Any]) -> GalleryInfo:
    try:
        info = GalleryInfo(
            pack_id=str(header["pack_id"]),
            embedding_size=int(header["embedding_size"]),
            version=str(header["version"]),
            created_at=str(header["created_at"]),
            rows=int(header["rows"]),
            recogniser_sha256=header.get("recogniser_sha256"),
            format=int(header["format"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GalleryIntegrityError(f"gallery {path} has a corrupted header") from exc
    if info.format != FORMAT_VERSION:
        raise GalleryStoreError(f"gallery {path} has format {info.format}; this software reads {FORMAT_VERSION}")
    return info


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise GalleryStoreError(f"gallery file not found: {path}") from exc
    except OSError as exc:
        raise GalleryStoreError(f"cannot read gallery {path}: {exc.strerror or exc}") from exc


def read_info(path: Path) -> GalleryInfo:
    """The header of a gallery file, without the key. Not verified: use `load_gallery` to trust it."""
    header, *_ = _split(path, _read(path))
    return _info(path, header)


def load_gallery(
    path: Path,
    *,
    key_path: Path | None = None,
    pack_id: str | None = None,
    embedding_size: int | None = None,
    recogniser_sha256: str | None = None,
) -> StoredGallery:
    """Decrypt and check a gallery file; refuses one made for another pack.

    Raises GalleryKeyError (wrong or unusable key), GalleryIntegrityError (altered or torn
    file), GalleryPackError (made for another pack / embedding size / recogniser weights),
    GalleryStoreError (missing, not a gallery).
    """
    data = _read(path)
    header, aad, nonce, ciphertext = _split(path, data)
    key_file = key_path or key_path_for(path)
    key = read_key(key_file)
    if header.get("key_id") not in (None, _key_id(key)):
        raise GalleryKeyError(f"gallery {path} was encrypted under another key than {key_file}")
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag as exc:
        raise GalleryIntegrityError(
            f"gallery {path} failed its integrity check (altered or corrupted); rebuild or re-sync it"
        ) from exc
    info = _info(path, header)  # authenticated now: the header is the GCM associated data
    _check_pack(path, info, pack_id, embedding_size, recogniser_sha256)
    gallery = _decode(path, info, plaintext)
    return StoredGallery(info, gallery)


def _check_pack(
    path: Path, info: GalleryInfo, pack_id: str | None, embedding_size: int | None, recogniser_sha256: str | None
) -> None:
    if pack_id is not None and info.pack_id != pack_id:
        raise GalleryPackError(f"gallery {path} was made for pack {info.pack_id}, not {pack_id}; rebuild it")
    if embedding_size is not None and info.embedding_size != embedding_size:
        raise GalleryPackError(
            f"gallery {path} holds {info.embedding_size}-d embeddings; pack {pack_id or '?'} makes {embedding_size}-d"
        )
    if recogniser_sha256 and info.recogniser_sha256 and info.recogniser_sha256 != recogniser_sha256:
        raise GalleryPackError(f"gallery {path} was made with other recogniser weights of pack {info.pack_id}")


def _decode(path: Path, info: GalleryInfo, plaintext: bytes) -> Gallery:
    try:
        (length,) = _U32.unpack_from(plaintext, 0)
        ids = json.loads(plaintext[_U32.size : _U32.size + length].decode("utf-8"))
        rows = np.frombuffer(plaintext, dtype="<f4", offset=_U32.size + length)
        matrix = rows.reshape(info.rows, info.embedding_size)
    except (struct.error, ValueError) as exc:  # authentic but inconsistent: a writer bug, not an attack
        raise GalleryStoreError(f"gallery {path} is inconsistent with its header: {exc}") from exc
    names: Any = {}
    if isinstance(ids, dict):  # the form with display names
        ids, names = ids.get("ids"), ids.get("names") or {}
    if not isinstance(ids, list) or len(ids) != info.rows or not isinstance(names, dict):
        raise GalleryStoreError(f"gallery {path} is inconsistent with its header: its id list does not match")
    try:
        return Gallery([str(i) for i in ids], matrix.astype(np.float32), names)
    except ValueError as exc:
        raise GalleryStoreError(f"gallery {path} is inconsistent: {exc}") from exc
