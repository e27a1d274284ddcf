"""One office's gallery for one pack: members -> their crops' embeddings -> a versioned payload.

Embeddings are computed once per photo and recogniser (then kept sealed in
`biometric_embeddings`), with the same detect/align/embed path as the door, from the stored
crop. Rows are ordered by employee then photo, so the same content always gives the same bytes
and the same version: a rebuild that changed nothing publishes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import psycopg

from hub.biometrics import repository as bio_repo
from hub.biometrics.checks import embed_crop
from hub.biometrics.crypto import Sealer
from hub.biometrics.service import crop_context, embedding_context
from hub.galleries import repository as repo
from protocol import gallery as wire

if TYPE_CHECKING:  # the engine (insightface, onnxruntime) is handed in: importing it here would load it everywhere
    import numpy as np

    from models.engine import FaceEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuiltGallery:
    site: str
    pack_id: str
    payload: bytes
    header: wire.GalleryHeader
    sha256: str
    skipped_photos: int  # crops this pack found no face in (left out, logged)


def ensure_embeddings(conn: psycopg.Connection, sealer: Sealer, engine: FaceEngine, employee_ids: list[int]) -> int:
    """Embed the crops of these people not yet embedded by the engine's recogniser; returns how many failed."""
    manifest = engine.manifest
    recogniser = manifest.file("recogniser").sha256
    failed = 0
    for photo_id, sealed in bio_repo.photos_without_embedding(conn, employee_ids, manifest.pack_id, recogniser):
        crop = sealer.open(sealed, crop_context(photo_id))
        try:
            vector = embed_crop(engine, crop)
        except ValueError as exc:
            failed += 1
            log.warning("photo %s left out of %s galleries: %s", photo_id, manifest.pack_id, exc)
            continue
        blob = vector.astype("<f4").tobytes()
        context = embedding_context(photo_id, manifest.pack_id, recogniser)
        bio_repo.store_embedding(conn, photo_id, manifest.pack_id, recogniser, sealer.seal(blob, context))
    return failed


def build(conn: psycopg.Connection, sealer: Sealer, engine: FaceEngine, site: str, day: date) -> BuiltGallery:
    import numpy as np  # (with the first gallery, not with every hub process)

    manifest = engine.manifest
    recogniser = manifest.file("recogniser").sha256
    members = {m.employee_id: m for m in repo.members(conn, site, day)}
    failed = ensure_embeddings(conn, sealer, engine, list(members))
    person_ids: list[str] = []
    names: dict[str, str] = {}
    vectors: list[np.ndarray] = []
    for employee_id, photo_id, sealed in bio_repo.embeddings_of(conn, list(members), manifest.pack_id, recogniser):
        blob = sealer.open(sealed, embedding_context(photo_id, manifest.pack_id, recogniser))
        member = members[employee_id]
        person_ids.append(member.person_id)
        names[member.person_id] = member.full_name
        vectors.append(np.frombuffer(blob, dtype="<f4"))
    size = manifest.recogniser.embedding_size
    rows = (np.stack(vectors) if vectors else np.zeros((0, size), "<f4")).astype("<f4").tobytes()
    # the recogniser digest devices compare with: the one `load_gallery` checks (source weights)
    source_sha = manifest.file("recogniser").source_sha256
    header = wire.GalleryHeader(
        site=site,
        pack_id=manifest.pack_id,
        recogniser_sha256=source_sha,
        embedding_size=size,
        rows=len(person_ids),
        people=len(set(person_ids)),
        version=wire.content_version(manifest.pack_id, source_sha, person_ids, names, rows),
    )
    payload = wire.encode(wire.GalleryPayload(header, person_ids, names, rows))
    return BuiltGallery(site, manifest.pack_id, payload, header, wire.sha256_of(payload), failed)


def gallery_context(site: str, pack_id: str, version: str) -> str:
    return f"gallery:{site}:{pack_id}:{version}"
