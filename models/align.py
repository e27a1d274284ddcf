"""Alignment: 5 landmarks to the ArcFace 112x112 template by a similarity transform.

Uses insightface's `norm_crop` (the reference implementation of the template both SFace and
the ArcFace packs were trained with) rather than a private copy of the template.
"""

from __future__ import annotations

import warnings

import numpy as np
from insightface.utils.face_align import norm_crop

from models.faces import DetectedFace

ALIGNED_SIZE = 112


def align(image_bgr: np.ndarray, face: DetectedFace) -> np.ndarray:
    """A 112x112 BGR uint8 crop with the eyes, nose and mouth where the template puts them."""
    with warnings.catch_warnings():
        # insightface 2.x calls skimage's deprecated `SimilarityTransform.estimate`; the result is the same
        warnings.simplefilter("ignore", FutureWarning)
        return norm_crop(image_bgr, face.landmarks.astype(np.float32), image_size=ALIGNED_SIZE)
