"""SQL of biometric enrollment: consents, sealed crops and embeddings, erasures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import psycopg

from hub.biometrics.models import Consent, PersonRef, PhotoRecord

_CONSENT = "id, employee_id, basis, reference, recorded_by, recorded_at, withdrawn_at, withdrawn_by"
_PHOTO = "id, employee_id, added_by, added_at, checked_with, face_px, sharpness, yaw, roll_deg, pitch, detector_score"


def person(conn: psycopg.Connection, employee_id: int) -> PersonRef | None:
    row = conn.execute(
        "SELECT e.id, e.employee_code, e.person_id, e.full_name, u.path FROM employees e"
        " JOIN org_units u ON u.id = e.unit_id WHERE e.id = %s",
        (employee_id,),
    ).fetchone()
    return PersonRef(*row) if row else None


def employee_id_by_code(conn: psycopg.Connection, employee_code: str) -> int | None:
    row = conn.execute("SELECT id FROM employees WHERE employee_code = %s", (employee_code,)).fetchone()
    return int(row[0]) if row else None


def add_consent(
    conn: psycopg.Connection, employee_id: int, basis: str, reference: str | None, recorded_by: str
) -> Consent:
    row = conn.execute(
        f"INSERT INTO biometric_consents (employee_id, basis, reference, recorded_by) VALUES (%s, %s, %s, %s)"
        f" RETURNING {_CONSENT}",
        (employee_id, basis, reference, recorded_by),
    ).fetchone()
    assert row is not None
    return Consent(*row)


def active_consent(conn: psycopg.Connection, employee_id: int) -> Consent | None:
    row = conn.execute(
        f"SELECT {_CONSENT} FROM biometric_consents WHERE employee_id = %s AND withdrawn_at IS NULL"
        " ORDER BY recorded_at DESC LIMIT 1",
        (employee_id,),
    ).fetchone()
    return Consent(*row) if row else None


def consents(conn: psycopg.Connection, employee_id: int) -> list[Consent]:
    rows = conn.execute(
        f"SELECT {_CONSENT} FROM biometric_consents WHERE employee_id = %s ORDER BY recorded_at", (employee_id,)
    ).fetchall()
    return [Consent(*r) for r in rows]


def withdraw_consents(conn: psycopg.Connection, employee_id: int, withdrawn_by: str) -> int:
    return conn.execute(
        "UPDATE biometric_consents SET withdrawn_at = clock_timestamp(), withdrawn_by = %s"
        " WHERE employee_id = %s AND withdrawn_at IS NULL",
        (withdrawn_by, employee_id),
    ).rowcount


def insert_photo(
    conn: psycopg.Connection,
    photo_id: UUID,
    employee_id: int,
    added_by: str,
    sealed: bytes,
    key_id: str,
    checked_with: str,
    measures: Sequence[float],
) -> PhotoRecord:
    row = conn.execute(
        "INSERT INTO biometric_photos (id, employee_id, added_by, crop_sealed, key_id, checked_with, face_px,"
        f" sharpness, yaw, roll_deg, pitch, detector_score) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        f" RETURNING {_PHOTO}",
        (photo_id, employee_id, added_by, sealed, key_id, checked_with, *measures),
    ).fetchone()
    assert row is not None
    return PhotoRecord(*row)


def photos_of(conn: psycopg.Connection, employee_id: int) -> list[PhotoRecord]:
    rows = conn.execute(
        f"SELECT {_PHOTO} FROM biometric_photos WHERE employee_id = %s ORDER BY added_at, id", (employee_id,)
    ).fetchall()
    return [PhotoRecord(*r) for r in rows]


def photo(conn: psycopg.Connection, photo_id: UUID) -> PhotoRecord | None:
    row = conn.execute(f"SELECT {_PHOTO} FROM biometric_photos WHERE id = %s", (photo_id,)).fetchone()
    return PhotoRecord(*row) if row else None


def sealed_crop(conn: psycopg.Connection, photo_id: UUID) -> bytes | None:
    row = conn.execute("SELECT crop_sealed FROM biometric_photos WHERE id = %s", (photo_id,)).fetchone()
    return bytes(row[0]) if row else None


def delete_photo(conn: psycopg.Connection, photo_id: UUID) -> int:
    """Removes the photo and (cascade) its embeddings; returns 1 or 0."""
    return conn.execute("DELETE FROM biometric_photos WHERE id = %s", (photo_id,)).rowcount


def erase_person(conn: psycopg.Connection, employee_id: int) -> tuple[int, int]:
    """Delete every crop and embedding of one person; (photos, embeddings) removed."""
    embeddings = conn.execute(
        "DELETE FROM biometric_embeddings WHERE photo_id IN (SELECT id FROM biometric_photos WHERE employee_id = %s)",
        (employee_id,),
    ).rowcount
    photos = conn.execute("DELETE FROM biometric_photos WHERE employee_id = %s", (employee_id,)).rowcount
    return photos, embeddings


def record_erasure(conn: psycopg.Connection, employee_id: int, erased_by: str, photos: int, embeddings: int) -> None:
    conn.execute(
        "INSERT INTO biometric_erasures (employee_id, erased_by, photos_removed, embeddings_removed)"
        " VALUES (%s, %s, %s, %s)",
        (employee_id, erased_by, photos, embeddings),
    )


def erasures(conn: psycopg.Connection, employee_id: int) -> list[tuple[str, datetime, int, int]]:
    return [
        (r[0], r[1], r[2], r[3])
        for r in conn.execute(
            "SELECT erased_by, erased_at, photos_removed, embeddings_removed FROM biometric_erasures"
            " WHERE employee_id = %s ORDER BY erased_at",
            (employee_id,),
        )
    ]


# --- embeddings (used by the gallery builder) ---------------------------------------------------


def photos_without_embedding(
    conn: psycopg.Connection, employee_ids: Sequence[int], pack_id: str, recogniser_sha256: str
) -> list[tuple[UUID, bytes]]:
    """(photo id, sealed crop) of these people's photos not yet embedded by this recogniser."""
    rows = conn.execute(
        "SELECT p.id, p.crop_sealed FROM biometric_photos p WHERE p.employee_id = ANY(%s) AND NOT EXISTS"
        " (SELECT 1 FROM biometric_embeddings b WHERE b.photo_id = p.id AND b.pack_id = %s"
        " AND b.recogniser_sha256 = %s) ORDER BY p.id",
        (list(employee_ids), pack_id, recogniser_sha256),
    ).fetchall()
    return [(r[0], bytes(r[1])) for r in rows]


def store_embedding(
    conn: psycopg.Connection, photo_id: UUID, pack_id: str, recogniser_sha256: str, sealed: bytes
) -> None:
    """Stored only while the photo still exists (deleted meanwhile: nothing is written)."""
    conn.execute(
        "INSERT INTO biometric_embeddings (photo_id, pack_id, recogniser_sha256, sealed)"
        " SELECT id, %s, %s, %s FROM biometric_photos WHERE id = %s ON CONFLICT DO NOTHING",
        (pack_id, recogniser_sha256, sealed, photo_id),
    )


def embeddings_of(
    conn: psycopg.Connection, employee_ids: Sequence[int], pack_id: str, recogniser_sha256: str
) -> list[tuple[int, UUID, bytes]]:
    """(employee id, photo id, sealed embedding) ordered by employee then photo: a stable row order."""
    rows = conn.execute(
        "SELECT p.employee_id, p.id, b.sealed FROM biometric_embeddings b JOIN biometric_photos p ON p.id = b.photo_id"
        " WHERE p.employee_id = ANY(%s) AND b.pack_id = %s AND b.recogniser_sha256 = %s"
        " ORDER BY p.employee_id, p.id",
        (list(employee_ids), pack_id, recogniser_sha256),
    ).fetchall()
    return [(r[0], r[1], bytes(r[2])) for r in rows]
