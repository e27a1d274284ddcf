"""The value types passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DetectedFace:
    """One detection in image coordinates.

    `landmarks` is 5x2 float32 in the ArcFace template order: the eye, mouth corner on the
    image's left first — (left eye, right eye, nose tip, left mouth corner, right mouth corner)
    as seen in the image. YuNet emits them in this order.
    """

    box: tuple[float, float, float, float]  # x1, y1, x2, y2
    landmarks: np.ndarray
    score: float

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    def rounded_box(self) -> list[int]:
        return [round(v) for v in self.box]
