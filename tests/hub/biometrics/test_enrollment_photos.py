"""Enrollment photos at the hub: consent first, the pack's detector and gates decide, crops sealed.

Real photos from the shared test data, the real `yunet-sface` pack, a real database. Each
refusal is made from a real photo (blurred, shrunk, rotated, two people side by side) or a
frame with no face at all, and must store nothing.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.biometrics.crypto import SealError
from hub.biometrics.service import BiometricsService, InvalidConsent, UnknownEmployee, crop_context
from tests.hub.biometrics.conftest import OFFICER, employee_id, png

pytestmark = pytest.mark.timeout(180)


def stored_rows(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM biometric_photos").fetchone()
    assert row is not None
    return int(row[0])


def test_a_photo_needs_a_recorded_consent(org: psycopg.Connection, biometrics: BiometricsService, faces: Path) -> None:
    nv1 = employee_id(org, "NV001")
    outcome = biometrics.add_photo(nv1, (faces / "enroll/obama/obama.jpg").read_bytes(), OFFICER)
    assert not outcome.accepted and outcome.reason == "no_consent"
    assert "đồng ý" in outcome.message_vi and "consent" in outcome.message_en
    assert stored_rows(org) == 0

    with pytest.raises(InvalidConsent):
        biometrics.record_consent(nv1, "because", OFFICER)
    consent = biometrics.record_consent(nv1, "written_consent", OFFICER, reference="QĐ 12/2026")
    assert consent.recorded_by == "hr-officer" and consent.withdrawn_at is None
    outcome = biometrics.add_photo(nv1, (faces / "enroll/obama/obama.jpg").read_bytes(), OFFICER)
    assert outcome.accepted and outcome.photo is not None and outcome.photo.checked_with == "yunet-sface"
    with pytest.raises(UnknownEmployee):
        biometrics.add_photo(999_999, b"x", OFFICER)


def test_an_accepted_photo_is_kept_only_as_a_sealed_face_crop(
    org: psycopg.Connection, biometrics: BiometricsService, faces: Path
) -> None:
    nv1 = employee_id(org, "NV001")
    biometrics.record_consent(nv1, "electronic_consent", OFFICER)
    photo = faces / "enroll/obama/obama.jpg"
    outcome = biometrics.add_photo(nv1, photo.read_bytes(), OFFICER)
    assert outcome.accepted and outcome.photo is not None

    sealed = org.execute("SELECT crop_sealed FROM biometric_photos").fetchone()[0]
    assert b"\xff\xd8\xff" not in bytes(sealed)[:64] and b"JFIF" not in bytes(sealed)  # no JPEG in clear
    crop = biometrics.photo_crop(outcome.photo.id)
    image = cv2.imdecode(np.frombuffer(crop, np.uint8), cv2.IMREAD_COLOR)
    original = cv2.imread(str(photo))
    assert image is not None and image.size < original.size / 2  # the face with a margin, not the photo
    # a sealed crop opens only as its own row: copied to another photo id it is refused
    other = outcome.photo.id.int ^ 1
    with pytest.raises(SealError):
        biometrics.sealer.open(bytes(sealed), crop_context(type(outcome.photo.id)(int=other)))

    assert [p.id for p in biometrics.list_photos(nv1)] == [outcome.photo.id]
    audited = org.execute("SELECT actor, action, entity_id FROM audit_log ORDER BY id").fetchall()
    assert ("hr-officer", "biometrics.photo_add", "NV001") in audited


def _rotated(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape[:2]
    return cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0), (w, h))


def _side_by_side(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    b = cv2.resize(b, (round(b.shape[1] * a.shape[0] / b.shape[0]), a.shape[0]))
    return np.hstack([a, b])


def test_refused_photos_say_why_in_both_languages_and_store_nothing(
    org: psycopg.Connection, biometrics: BiometricsService, faces: Path
) -> None:
    nv1 = employee_id(org, "NV001")
    biometrics.record_consent(nv1, "written_consent", OFFICER)
    obama = cv2.imread(str(faces / "enroll/obama/obama.jpg"))
    biden = cv2.imread(str(faces / "enroll/biden/biden2.jpg"))
    background = obama[: obama.shape[0] // 5, : obama.shape[1] // 4]  # a corner of the photo, no face in it
    cases = {
        "no_face": png(np.full((480, 640, 3), 127, np.uint8)),
        "several_faces": png(_side_by_side(obama, biden)),
        "too_small": png(cv2.resize(obama, None, fx=0.2, fy=0.2, interpolation=cv2.INTER_AREA)),
        "blurry": png(cv2.GaussianBlur(obama, (0, 0), 6)),
        "pose": png(_rotated(obama, 35)),
        "unreadable": b"this is not an image",
    }
    for expected, data in cases.items():
        outcome = biometrics.add_photo(nv1, data, OFFICER)
        assert (outcome.accepted, outcome.reason) == (False, expected), (expected, outcome.detail)
        assert outcome.message_vi and outcome.message_en and outcome.message_vi != outcome.message_en
    background_outcome = biometrics.add_photo(nv1, png(background), OFFICER)
    assert background_outcome.reason == "no_face"
    two_real = biometrics.add_photo(nv1, (faces / "probe/obama_and_biden.jpg").read_bytes(), OFFICER)
    assert two_real.reason == "several_faces"
    assert stored_rows(org) == 0 and biometrics.list_photos(nv1) == []


def test_every_enrollment_photo_of_the_test_data_is_accepted(
    org: psycopg.Connection, biometrics: BiometricsService, faces: Path
) -> None:
    nv1 = employee_id(org, "NV001")
    biometrics.record_consent(nv1, "written_consent", OFFICER)
    for photo in sorted((faces / "enroll").glob("*/*")):
        outcome = biometrics.add_photo(nv1, photo.read_bytes(), OFFICER)
        assert outcome.accepted, (photo.name, outcome.reason, outcome.detail)


def test_erasure_removes_crops_and_embeddings_withdraws_consent_and_is_audited(
    org: psycopg.Connection, biometrics: BiometricsService, faces: Path
) -> None:
    nv1, nv2 = employee_id(org, "NV001"), employee_id(org, "NV002")
    for who in (nv1, nv2):
        biometrics.record_consent(who, "written_consent", OFFICER)
    for photo in sorted((faces / "enroll/obama").iterdir()):
        assert biometrics.add_photo(nv1, photo.read_bytes(), OFFICER).accepted
    kept = biometrics.add_photo(nv2, (faces / "enroll/biden/biden.jpg").read_bytes(), OFFICER)
    assert kept.accepted and kept.photo is not None
    # an embedding, as the gallery builder stores it
    from hub.galleries.builder import ensure_embeddings

    with org.transaction():
        assert ensure_embeddings(org, biometrics.sealer, biometrics.engines.get("yunet-sface"), [nv1, nv2]) == 0
    assert org.execute("SELECT count(*) FROM biometric_embeddings").fetchone()[0] == 3

    report = biometrics.erase_biometrics(nv1, Actor("dpo"))
    assert (report.photos_removed, report.embeddings_removed, report.consents_withdrawn) == (2, 2, 1)
    assert biometrics.list_photos(nv1) == []
    assert (
        org.execute(
            "SELECT count(*) FROM biometric_photos p JOIN employees e ON e.id = p.employee_id WHERE e.id = %s", (nv1,)
        ).fetchone()[0]
        == 0
    )
    assert org.execute("SELECT count(*) FROM biometric_embeddings").fetchone()[0] == 1  # NV002's stays
    assert biometrics.add_photo(nv1, (faces / "enroll/obama/obama.jpg").read_bytes(), OFFICER).reason == "no_consent"
    assert org.execute("SELECT erased_by, photos_removed FROM biometric_erasures").fetchall() == [("dpo", 2)]
    assert org.execute("SELECT actor FROM audit_log WHERE action = 'biometrics.erase'").fetchall() == [("dpo",)]

    biometrics.delete_photo(kept.photo.id, OFFICER)
    assert biometrics.list_photos(nv2) == []
    assert org.execute("SELECT count(*) FROM biometric_embeddings").fetchone()[0] == 0
