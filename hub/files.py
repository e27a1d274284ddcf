"""Content-addressed file store (snapshots, attachments) in the data dir.

Files are named by their SHA-256, so writing the same snapshot twice (a replayed event)
stores it once, and a file never changes after it is written.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class ContentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_of(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return digest

    def get(self, digest: str) -> bytes:
        return self.path_of(digest).read_bytes()
