"""Sealing biometric data at rest: AES-256-GCM under one hub key.

Why one key in the data dir (or from a setting) and not a key per row: the threat is a copied
database, dump or backup, which then holds only ciphertext; the key lives beside the CA's
passphrase in `secrets/` (0600), not in the database. Each sealed value binds its context (the
photo id, the pack) as associated data, so a ciphertext moved to another row — another person —
fails to open instead of quietly becoming that person's face.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_FILE = "biometrics-key"
NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed value did not open: wrong key, altered bytes, or moved to another row."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the biometrics key must be 32 bytes")
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(b"cces-biometrics-key-id\0" + key).hexdigest()[:16]
        self._name_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cces-biometrics", info=b"names").derive(key)

    def seal(self, plaintext: bytes, context: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def name(self, context: str) -> str:
        """A stable file name for `context` (HMAC-SHA256 under a key derived from this one, hex).

        Why keyed: a name made from public facts (an event id) or from the content (a SHA-256)
        would let whoever reads the directory link a file to an event or confirm a guessed image;
        without the key the name says nothing, yet the same context always gets the same name, so
        writing it again (a replayed event) lands on the same file.
        """
        return hmac.new(self._name_key, context.encode(), hashlib.sha256).hexdigest()

    def open(self, sealed: bytes, context: str) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError) as exc:
            raise SealError(f"sealed biometric data did not open ({context}): wrong key or altered") from exc


def key_from_secret(secret: str) -> bytes:
    """A configured secret (CCES_BIOMETRICS_SECRET) stretched to a 256-bit key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cces-biometrics", info=b"aes-256-gcm").derive(
        secret.encode()
    )


def load_or_create_key(secrets_dir: Path, configured: str | None = None) -> Sealer:
    """The hub's biometrics key: from the setting when given, else `secrets/biometrics-key` (made on first use).

    Losing this file makes every stored crop unreadable (re-enrollment needed), exactly like
    losing the CA passphrase; back it up with the CA, never with the database.
    """
    if configured:
        return Sealer(key_from_secret(configured))
    path = secrets_dir / KEY_FILE
    if not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{KEY_FILE}.tmp-{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(32).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # two hubs starting at once keep one key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return Sealer(bytes.fromhex(path.read_text(encoding="ascii").strip()))
