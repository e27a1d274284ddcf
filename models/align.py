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
    """2x3 matrix of the least-squares similarity taking `src` points onto `dst` (both n x 2).

    Plain float arithmetic over the points: with five of them numpy's per-call overhead was most
    of the cost (this runs for every face aligned in a video loop).
    """
    sp, dp = np.asarray(src, np.float64).tolist(), np.asarray(dst, np.float64).tolist()
    n = len(sp)
    sx, sy = sum(p[0] for p in sp) / n, sum(p[1] for p in sp) / n
    dx, dy = sum(p[0] for p in dp) / n, sum(p[1] for p in dp) / n
    var = a = b = 0.0
    for (px, py), (qx, qy) in zip(sp, dp, strict=True):
        px, py, qx, qy = px - sx, py - sy, qx - dx, qy - dy
        var += px * px + py * py
        # as complex numbers, z_dst ~ (a + ib) z_src: a, b minimise the squared error
        a += px * qx + py * qy
        b += px * qy - py * qx
    if var <= 0.0:
        raise ValueError("landmarks are all at one point")
    a, b = a / var, b / var
    return np.array([[a, -b, dx - (a * sx - b * sy)], [b, a, dy - (b * sx + a * sy)]])


def align(image_bgr: np.ndarray, face: DetectedFace) -> np.ndarray:
    """A 112x112 BGR uint8 crop with the eyes, nose and mouth where the template puts them."""
    matrix = similarity_matrix(face.landmarks)
    return cv2.warpAffine(image_bgr, matrix, (ALIGNED_SIZE, ALIGNED_SIZE), borderValue=0.0)
