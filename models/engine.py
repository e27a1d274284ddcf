"""A loaded model pack: detect, align, assess and embed faces in an image.

One object per process; it owns the two onnxruntime sessions. It does no matching and no
deciding (see `gallery` and `tracking`), so the same engine serves the CLI, the agent and the
gallery builder.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.align import align
from models.detector import YuNetDetector
from models.embedder import Embedder
from models.faces import DetectedFace
from models.install import verify_pack
from models.manifest import PackManifest
from models.quality import Quality, QualityPolicy, assess
from models.runtime import open_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysedFace:
    face: DetectedFace
    aligned: np.ndarray  # 112x112 BGR uint8
    quality: Quality


class FaceEngine:
    def __init__(
        self,
        pack_dir: Path,
        *,
        providers: Sequence[str] | None = None,
        quality: QualityPolicy | None = None,
        max_side: int | None = None,
    ) -> None:
        self.manifest: PackManifest = verify_pack(pack_dir)
        self.pack_dir = pack_dir
        detector_file = pack_dir / self.manifest.file("detector").name
        recogniser_file = pack_dir / self.manifest.file("recogniser").name
        self._detector_session = open_session(detector_file, providers=providers)
        self._recogniser_session = open_session(recogniser_file, providers=providers)
        self.detector = YuNetDetector(self._detector_session, self.manifest.detector, max_side=max_side)
        self.embedder = Embedder(self._recogniser_session, self.manifest.recogniser)
        self.quality_policy = quality or QualityPolicy()

    @property
    def threshold(self) -> float:
        return self.manifest.recogniser.threshold

    @property
    def providers(self) -> list[str]:
        return list(self._recogniser_session.get_providers())

    def analyse(self, image_bgr: np.ndarray) -> list[AnalysedFace]:
        """Every face found, largest first, aligned and assessed (not embedded)."""
        out = []
        for face in self.detector.detect(image_bgr):
            crop = align(image_bgr, face)
            out.append(AnalysedFace(face, crop, assess(face, crop, self.quality_policy)))
        return out

    def embed(self, faces: Sequence[AnalysedFace]) -> np.ndarray:
        return self.embedder.embed([f.aligned for f in faces])
