"""The passphrase of backups: scrypt stretches it to a key; AES-256-GCM seals the secrets; HMAC signs the manifest.

Everything comes from `cryptography` (scrypt, HKDF, AESGCM, HMAC); nothing here is invented but the
layout. One scrypt run per backup (its salt and cost are in the manifest and in the secrets file's
header, so a secrets file kept apart opens on its own); three keys are derived from it with HKDF:
- `check`: a short value in the manifest that tells a wrong passphrase from an altered manifest;
- `manifest`: the HMAC-SHA256 over the manifest, so its digests cannot be changed to match altered pieces;
- `secrets`: AES-256-GCM over the secrets archive, bound (as associated data) to the header and the
  backup's id, so the secrets of another backup are refused rather than restored by mistake.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from hub.backup.models import BackupError

MAGIC = b"CCESSEC1"
#: scrypt cost: 2**16 × 8 × 128 B = 64 MiB and about a fifth of a second here, per backup (not per file)
SCRYPT_LOG2_N = 16
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE = 12
MAX_SECRETS_BYTES = 64 * 1024 * 1024
_HEADER = struct.Struct(">8sBBB16s12s")


@dataclass(frozen=True)
class Kdf:
    salt: bytes
    log2_n: int = SCRYPT_LOG2_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def new(cls) -> Kdf:
        return cls(secrets.token_bytes(SALT_BYTES))

    def describe(self) -> dict[str, Any]:
        return {"name": "scrypt", "log2_n": self.log2_n, "r": self.r, "p": self.p, "salt": self.salt.hex()}

    @classmethod
    def from_manifest(cls, value: Any) -> Kdf:
        try:
            if value["name"] != "scrypt":
                raise ValueError(value["name"])
            kdf = cls(bytes.fromhex(value["salt"]), int(value["log2_n"]), int(value["r"]), int(value["p"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise BackupError("Bản kê khai hỏng (khóa).", "The manifest is damaged (its key description).") from exc
        if not (14 <= kdf.log2_n <= 22 and 1 <= kdf.r <= 32 and 1 <= kdf.p <= 16 and len(kdf.salt) == SALT_BYTES):
            raise BackupError("Bản kê khai hỏng (khóa).", "The manifest is damaged (its key description).")
        return kdf


class Keys:
    """The keys of one backup, from its passphrase."""

    def __init__(self, passphrase: str, kdf: Kdf) -> None:
        self.kdf = kdf
        master = Scrypt(salt=kdf.salt, length=32, n=2**kdf.log2_n, r=kdf.r, p=kdf.p).derive(passphrase.encode())
        self._check, self._manifest, self._secrets = (
            HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cces-backup", info=info).derive(master)
            for info in (b"check", b"manifest", b"secrets")
        )

    @property
    def check(self) -> str:
        return hashlib.sha256(self._check).hexdigest()[:16]

    def sign(self, manifest: dict[str, Any]) -> str:
        body = {k: v for k, v in manifest.items() if k != "mac"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        return hmac.new(self._manifest, canonical, hashlib.sha256).hexdigest()

    def verify(self, manifest: dict[str, Any]) -> None:
        if not hmac.compare_digest(str(manifest.get("key_check", "")), self.check):
            raise BackupError(
                "Sai cụm mật khẩu của bản sao lưu (hoặc bản kê khai đã bị sửa). Không có gì bị thay đổi.",
                "Wrong passphrase for this backup (or its manifest was altered). Nothing was changed.",
            )
        if not hmac.compare_digest(str(manifest.get("mac", "")), self.sign(manifest)):
            raise BackupError(
                "Bản kê khai của bản sao lưu đã bị sửa (chữ ký không khớp). Không có gì bị thay đổi.",
                "The backup's manifest was altered (its signature does not match). Nothing was changed.",
            )

    def seal_secrets(self, plaintext: bytes, backup_id: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        header = _HEADER.pack(MAGIC, self.kdf.log2_n, self.kdf.r, self.kdf.p, self.kdf.salt, nonce)
        return header + AESGCM(self._secrets).encrypt(nonce, plaintext, header + backup_id.encode())

    def open_secrets(self, sealed: bytes, backup_id: str) -> bytes:
        header, body = sealed[: _HEADER.size], sealed[_HEADER.size :]
        try:
            magic, log2_n, r, p, salt, nonce = _HEADER.unpack(header)
        except struct.error:
            magic = b""
        if magic != MAGIC:
            raise BackupError("Tệp bí mật không phải của CCES.", "The secrets file is not a CCES secrets file.")
        if Kdf(salt, log2_n, r, p) != self.kdf:
            raise BackupError(
                "Tệp bí mật thuộc một bản sao lưu khác. Không có gì bị thay đổi.",
                "The secrets file belongs to another backup. Nothing was changed.",
            )
        try:
            return AESGCM(self._secrets).decrypt(nonce, body, header + backup_id.encode())
        except InvalidTag as exc:
            raise BackupError(
                "Tệp bí mật không giải mã được: đã bị sửa hoặc thuộc bản sao lưu khác. Không có gì bị thay đổi.",
                "The secrets file does not decrypt: altered, or of another backup. Nothing was changed.",
            ) from exc


def check_new_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"Cụm mật khẩu sao lưu phải dài ít nhất {MIN_PASSPHRASE} ký tự.",
            f"The backup passphrase must be at least {MIN_PASSPHRASE} characters long.",
        )
    return passphrase
