"""Our closed-form alignment gives insightface's `norm_crop` (the reference), only faster."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from insightface.utils.face_align import estimate_norm, norm_crop

from models.align import align, similarity_matrix
from models.images import read_image


def test_alignment_matches_insightface_norm_crop(engine, faces_dir: Path) -> None:
    photos = sorted((faces_dir / "probe").glob("*.jpg")) + sorted((faces_dir / "enroll").rglob("*.jpg"))
    compared = 0
    for photo in photos:
        image = read_image(photo)
        for face in engine.detect(image):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # skimage deprecation inside insightface
                reference_matrix = estimate_norm(face.landmarks.astype(np.float32))
                reference = norm_crop(image, face.landmarks.astype(np.float32))
            assert np.abs(similarity_matrix(face.landmarks) - reference_matrix).max() < 1e-3
            ours = align(image, face)
            assert ours.shape == (112, 112, 3) and ours.dtype == np.uint8
            assert np.abs(ours.astype(int) - reference.astype(int)).max() <= 2  # rounding at the warp only
            compared += 1
    assert compared >= 20
