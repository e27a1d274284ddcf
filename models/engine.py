"""A loaded model pack: detect, align, assess and embed faces in an image.

One object per process; it owns the two onnxruntime sessions. It does no matching and no
deciding (see `gallery` and `tracking`), so the same engine serves the CLI, the agent and the
gallery builder.

The manifest says how the pack loads: the default pack through our own onnxruntime sessions
(YuNet + SFace), insightface packs through `insightface.model_zoo` (SCRFD + ArcFace). Both give
a detector and an embedder with the same interface, and the engine's threshold and embedding
size come from the manifest, so galleries and tracks follow the pack in use. Loading a pack
whose weights are not for commercial use logs its licence notice as a warning, every time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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


class Detector(Protocol):
    inference_seconds: float  # time inside the model's run, for the benchmark's "outside inference" share

    def detect(self, image_bgr: np.ndarray) -> list[DetectedFace]: ...


class FaceEmbedder(Protocol):
    size: int
    inference_seconds: float

    def embed(self, crops_bgr: Sequence[np.ndarray]) -> np.ndarray: ...


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
        allow_fallback: bool = False,
    ) -> None:
        self.manifest: PackManifest = verify_pack(pack_dir)
        self.pack_dir = pack_dir
        if self.manifest.licence_notice is not None:
            log.warning("%s", self.manifest.licence_notice)
        detector_file = pack_dir / self.manifest.file("detector").name
        recogniser_file = pack_dir / self.manifest.file("recogniser").name
        self.detector: Detector
        self.embedder: FaceEmbedder
        if self.manifest.loader == "insightface.model_zoo":
            from models.insightface_loader import load_models

            self.detector, self.embedder = load_models(
                detector_file,
                recogniser_file,
                self.manifest.detector,
                self.manifest.recogniser,
                providers=providers,
                allow_fallback=allow_fallback,
                max_side=max_side,
            )
            self._recogniser_session = self.embedder.session  # type: ignore[attr-defined]
        else:
            detector_session = open_session(detector_file, providers=providers, allow_fallback=allow_fallback)
            self._recogniser_session = open_session(recogniser_file, providers=providers, allow_fallback=allow_fallback)
            self.detector = YuNetDetector(detector_session, self.manifest.detector, max_side=max_side)
            self.embedder = Embedder(self._recogniser_session, self.manifest.recogniser)
        self.quality_policy = quality or QualityPolicy()

    @property
    def threshold(self) -> float:
        return self.manifest.recogniser.threshold

    @property
    def embedding_size(self) -> int:
        return self.manifest.recogniser.embedding_size

    @property
    def providers(self) -> list[str]:
        return list(self._recogniser_session.get_providers())

    def detect(self, image_bgr: np.ndarray) -> list[DetectedFace]:
        """Every face found, largest first; boxes and landmarks only (no pixels copied)."""
        return self.detector.detect(image_bgr)

    def prepare(self, image_bgr: np.ndarray, face: DetectedFace) -> AnalysedFace:
        """One detected face aligned and assessed (not embedded).

        Separate from `detect` so a video loop aligns only the faces it is about to embed:
        alignment plus the sharpness gate cost ~0.5 ms a face, which over every face of every
        frame was a tenth of the time of a 30 fps stream.
        """
        crop = align(image_bgr, face)
        return AnalysedFace(face, crop, assess(face, crop, self.quality_policy))

    def analyse(self, image_bgr: np.ndarray) -> list[AnalysedFace]:
        """Every face found, largest first, aligned and assessed (not embedded): for still images."""
        return [self.prepare(image_bgr, face) for face in self.detect(image_bgr)]

    def embed(self, faces: Sequence[AnalysedFace]) -> np.ndarray:
        return self.embedder.embed([f.aligned for f in faces])
