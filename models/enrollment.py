"""Building a gallery from a folder of photos: `<folder>/<person_id>/*.jpg|jpeg|png`.

Each photo contributes the embedding of its largest face (an enrollment photo shows one person;
bystanders in the background are smaller). A photo with no face is an error naming the file,
because silently enrolling nobody would make that person "unknown" at the door.

An optional `<folder>/names.json` (`{"person_id": "display name"}`) gives people the name the
door terminal greets them by; it goes into the gallery with the embeddings (see `Gallery.names`).
"""

from __future__ import annotations

import json
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
    names = _read_names(folder / NAMES_FILE)
    try:
        return Gallery(ids, np.stack(rows), names)
    except ValueError as exc:  # a name for someone with no photos, or an empty name
        raise ImageError(f"{folder / NAMES_FILE}: {exc}") from exc


NAMES_FILE = "names.json"


def _read_names(path: Path) -> dict[str, str]:
    """The optional display names file; a malformed one is an error, never ignored."""
    if not path.is_file():
        return {}
    try:
        names = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImageError(f"cannot read {path}: {exc}") from exc
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise ImageError(f"{path} must be a JSON object of person_id -> display name")
    return names


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
