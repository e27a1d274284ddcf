"""Alignment: 5 landmarks to the ArcFace 112x112 template by a similarity transform.

The template is insightface's `arcface_dst` (the one SFace and the ArcFace packs were trained
with) and the result is what insightface's `norm_crop` gives (a test compares them). The
transform is the least-squares similarity in closed form (2-D Umeyama: the best rotation,
scale and translation taking the landmarks to the template) instead of `norm_crop`'s call
through scikit-image, whose generic N-D estimator (SVD, deprecation shims) cost ~0.3 ms a
face, several times the warp itself.
"""

from __future__ import annotations

import cv2
import numpy as np
from insightface.utils.face_align import arcface_dst

from models.faces import DetectedFace

ALIGNED_SIZE = 112
_TEMPLATE = np.asarray(arcface_dst, np.float64)  # for 112x112 (ratio 1, no x offset)


def similarity_matrix(src: np.ndarray, dst: np.ndarray = _TEMPLATE) -> np.ndarray:
    """2x3 matrix of the least-squares similarity taking `src` points onto `dst` (both n x 2)."""
    src = np.asarray(src, np.float64)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    s, d = src - src_mean, dst - dst_mean
    var = float((s * s).sum())
    if var <= 0.0:
        raise ValueError("landmarks are all at one point")
    # as complex numbers, z_dst ~ (a + ib) z_src: a, b minimise the squared error
    a = float((s[:, 0] * d[:, 0] + s[:, 1] * d[:, 1]).sum()) / var
    b = float((s[:, 0] * d[:, 1] - s[:, 1] * d[:, 0]).sum()) / var
    rotation = np.array([[a, -b], [b, a]])
    translation = dst_mean - rotation @ src_mean
    return np.hstack([rotation, translation[:, None]])


def align(image_bgr: np.ndarray, face: DetectedFace) -> np.ndarray:
    """A 112x112 BGR uint8 crop with the eyes, nose and mouth where the template puts them."""
    matrix = similarity_matrix(face.landmarks)
    return cv2.warpAffine(image_bgr, matrix, (ALIGNED_SIZE, ALIGNED_SIZE), borderValue=0.0)
