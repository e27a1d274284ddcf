"""Noticing a new gallery file while the door keeps running.

Provisioning (and `cces faces gallery-build`) replace the gallery file with `os.replace`, so a
reader sees either the old file or the new one. The watcher only `stat`s the file (cheap, every
few seconds) and decrypts it when its identity (inode, size, mtime) or its key file's changed
(so a gallery that failed under the old key is retried once the new key arrives); a changed file
with the same version string is not swapped. A new version that fails to load (wrong key,
tampered, another pack) is reported and the gallery in use is kept: a bad update must not turn
the door into one that recognises nobody.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from models.errors import ModelsError
from models.gallery_store import StoredGallery, key_path_for, load_gallery

log = logging.getLogger(__name__)


_Identity = tuple[int, int, int]


def _identity(path: Path) -> _Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class GalleryWatcher:
    """Loads a gallery file and hands back each new version; not thread-safe (one caller polls)."""

    def __init__(
        self,
        path: Path,
        *,
        key_path: Path | None = None,
        pack_id: str | None = None,
        embedding_size: int | None = None,
        recogniser_sha256: str | None = None,
    ) -> None:
        self.path = path
        self.key_path = key_path
        self.pack_id = pack_id
        self.embedding_size = embedding_size
        self.recogniser_sha256 = recogniser_sha256
        self._seen: tuple[_Identity | None, _Identity | None] | None = None
        self.current: StoredGallery | None = None
        self.error: str | None = None  # why the latest file on disk is not the one in use

    def load(self) -> StoredGallery:
        """The first load: errors propagate (a device with no usable gallery cannot start)."""
        self._seen = self._identities()
        self.current = self._load()
        self.error = None
        return self.current

    def poll(self) -> StoredGallery | None:
        """The new gallery when the file now holds another version, else None."""
        identity = self._identities()
        if identity[0] is None or identity == self._seen:
            return None
        self._seen = identity
        try:
            loaded = self._load()
        except ModelsError as exc:
            self.error = str(exc)
            log.error("new gallery file not used, keeping version %s: %s", self.version, exc)
            return None
        self.error = None
        if self.current is not None and loaded.info.version == self.current.info.version:
            return None
        log.info("gallery version %s -> %s (%d people)", self.version, loaded.info.version, len(loaded.gallery.people))
        self.current = loaded
        return loaded

    def _identities(self) -> tuple[_Identity | None, _Identity | None]:
        return _identity(self.path), _identity(self.key_path or key_path_for(self.path))

    def _load(self) -> StoredGallery:
        return load_gallery(
            self.path,
            key_path=self.key_path,
            pack_id=self.pack_id,
            embedding_size=self.embedding_size,
            recogniser_sha256=self.recogniser_sha256,
        )

    @property
    def version(self) -> str | None:
        return self.current.info.version if self.current is not None else None
