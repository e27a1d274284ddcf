"""Quality gates and gallery matching on constructed inputs."""

from __future__ import annotations

import time

import numpy as np

from models.faces import DetectedFace
from models.gallery import Gallery
from models.quality import QualityPolicy, assess, pose

FRONTAL = np.array([[38.3, 51.7], [73.5, 51.5], [56.0, 71.7], [41.5, 92.4], [70.7, 92.2]], np.float32)


def _face(scale: float = 1.0, landmarks: np.ndarray = FRONTAL) -> DetectedFace:
    return DetectedFace((0.0, 0.0, 112.0 * scale, 112.0 * scale), landmarks * scale, 0.9)


def test_frontal_sharp_face_passes() -> None:
    rng = np.random.default_rng(0)
    crop = rng.integers(0, 255, (112, 112, 3), dtype=np.uint8)
    quality = assess(_face(), crop, QualityPolicy())
    assert quality.ok and quality.reasons == () and 0 < quality.weight <= 1
    yaw, roll, _ = pose(FRONTAL)
    assert abs(yaw) < 0.05 and abs(roll) < 2


def test_small_blurred_turned_faces_fail_with_reasons() -> None:
    flat = np.full((112, 112, 3), 128, np.uint8)
    turned = FRONTAL.copy()
    turned[2] = (38.0, 58.0)  # nose just under the left eye: a near-profile
    quality = assess(_face(0.2, turned), flat, QualityPolicy())
    assert not quality.ok
    text = " ".join(quality.reasons)
    assert "too small" in text and "blurred" in text and "sideways" in text


def test_gallery_matches_best_row_and_applies_the_threshold() -> None:
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(4, 128)).astype(np.float32)
    gallery = Gallery(["a", "a", "b", "c"], rows)
    probe = rows[[1, 2]] + rng.normal(scale=0.05, size=(2, 128)).astype(np.float32)
    probe /= np.linalg.norm(probe, axis=1, keepdims=True)
    stranger = rng.normal(size=(1, 128)).astype(np.float32)
    stranger /= np.linalg.norm(stranger)
    matches = gallery.match(np.vstack([probe, stranger]), threshold=0.363)
    assert [m.person_id for m in matches] == ["a", "b", None]
    assert matches[2].best_person_id is not None and matches[2].score < 0.363


def test_ten_thousand_people_match_in_one_matrix_product() -> None:
    rng = np.random.default_rng(2)
    rows = rng.normal(size=(10_000, 128)).astype(np.float32)
    gallery = Gallery([f"p{i}" for i in range(10_000)], rows)
    probe = rows[1234:1235] / np.linalg.norm(rows[1234])
    started = time.perf_counter()
    [match] = gallery.match(probe, 0.363)
    assert match.person_id == "p1234"
    assert time.perf_counter() - started < 1.0  # behaviour, not a benchmark: bench/faceid.py times it
