"""Content-addressed file store in the data dir, named by SHA-256.

Earlier versions kept the door events' face snapshots here in clear (`<data dir>/files`); they
are now sealed into `hub.snapshots.store`, and `hub.snapshots.jobs.seal_clear_snapshots` moves
what an earlier version left here (then deletes it). Files are named by their SHA-256, so writing
the same bytes twice stores them once, and a file never changes after it is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class ContentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, digest: str) -> Path:
        if not _DIGEST.match(digest):  # digests come from rows: never let one leave the directory
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path_of(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        # one name per writer: two threads storing the same bytes at once must not share one half-written file
        tmp = target.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return digest

    def get(self, digest: str) -> bytes:
        return self.path_of(digest).read_bytes()

    def remove(self, digest: str) -> bool:
        """Delete one file; False when it was already gone."""
        try:
            self.path_of(digest).unlink()
        except FileNotFoundError:
            return False
        return True

    def files(self) -> Iterator[Path]:
        """Every file in the store, also leftovers of an interrupted write (`<digest>.tmp<pid>-<thread>`)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir():
                for entry in os.scandir(folder):
                    if entry.is_file(follow_symlinks=False):
                        yield Path(entry.path)
