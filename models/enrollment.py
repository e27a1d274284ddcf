"""Building a gallery from a folder of photos: `<folder>/<person_id>/*.jpg|jpeg|png`.

Each photo contributes the embedding of its largest face (an enrollment photo shows one person;
bystanders in the background are smaller). A photo with no face is an error naming the file,
because silently enrolling nobody would make that person "unknown" at the door.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from models.engine import FaceEngine
from models.errors import ImageError
from models.gallery import Gallery
from models.gallery_store import GalleryInfo, save_gallery
from models.images import IMAGE_SUFFIXES, read_image

log = logging.getLogger(__name__)


def gallery_from_folder(engine: FaceEngine, folder: Path) -> Gallery:
    if not folder.is_dir():
        raise ImageError(f"gallery folder not found: {folder}")
    ids: list[str] = []
    rows: list[np.ndarray] = []
    for person_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        photos = sorted(p for p in person_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for photo in photos:
            faces = engine.analyse(read_image(photo))
            if not faces:
                raise ImageError(f"no face found in enrollment photo {photo}")
            if len(faces) > 1:
                log.info("%s: %d faces, enrolling the largest", photo, len(faces))
            rows.append(engine.embed(faces[:1])[0])
            ids.append(person_dir.name)
    if not rows:
        raise ImageError(f"no enrollment photos under {folder} (expected <person_id>/*.jpg)")
    return Gallery(ids, np.stack(rows))


def build_gallery_file(
    engine: FaceEngine,
    photos: Path,
    out: Path,
    *,
    key_path: Path | None = None,
    version: str | None = None,
) -> GalleryInfo:
    """Photo folder -> encrypted gallery file for the engine's pack (the photos are not copied).

    The same pipeline as the door (detect, align, embed) so the stored embeddings are exactly
    what the device would have computed itself; the pack id, embedding size and recogniser
    digest go into the file so another pack refuses it.
    """
    gallery = gallery_from_folder(engine, photos)
    manifest = engine.manifest
    return save_gallery(
        out,
        gallery,
        pack_id=manifest.pack_id,
        key_path=key_path,
        version=version,
        recogniser_sha256=manifest.file("recogniser").source_sha256,
    )
