"""Reading images from files, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from models.errors import ImageError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


def read_image(path: Path) -> np.ndarray:
    """BGR uint8 pixels of `path`; raises ImageError when it is missing or not a decodable image.

    Reads bytes then decodes (cv2.imread silently returns None, and fails on some non-ASCII paths).
    """
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise ImageError(f"cannot read image {path}: {exc.strerror or exc}") from exc
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise ImageError(f"cannot read image {path}: not a decodable image file")
    return image
