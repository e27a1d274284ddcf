"""SCRFD + ArcFace graphs loaded through `insightface.model_zoo`, behind the pipeline's interfaces.

model_zoo builds the onnxruntime sessions (with our providers and session options) and the
SCRFD decoding (anchors, distance-to-box, landmarks, NMS) that the buffalo packs were released
with; the preprocessing is passed explicitly from the manifest, so nothing is guessed from node
names. The adapters give the pipeline the same `detect` / `embed` / `inference_seconds` as the
default pack's YuNet/SFace classes, so tracking, gallery and agent do not know which pack runs.

Inference time is measured around the session's `run` by a thin proxy, so the benchmark's
"outside inference" share means the same thing for both kinds of pack.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.embedder import l2_normalise
from models.errors import PackError
from models.faces import DetectedFace
from models.manifest import DetectorSpec, Preprocessing, RecogniserSpec
from models.runtime import check_active, choose_providers, session_options

log = logging.getLogger(__name__)


class _TimedSession:
    """Delegates to an onnxruntime session, adding the seconds spent in `run` to its owner."""

    def __init__(self, session: Any, owner: Any) -> None:
        self._session = session
        self._owner = owner

    def run(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self._session.run(*args, **kwargs)
        finally:
            self._owner.inference_seconds += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def _scalar(prep: Preprocessing, what: str) -> dict[str, float]:
    """model_zoo takes one mean and one std for all channels, always RGB: refuse anything else."""
    if prep.channel_order != "RGB" or len(set(prep.mean)) != 1 or len(set(prep.std)) != 1:
        raise PackError(f"{what}: insightface.model_zoo needs RGB input with one mean/std for all channels ({prep})")
    return {"mean": prep.mean[0], "std": prep.std[0]}


class ScrfdDetector:
    """insightface's SCRFD with the YuNet adapter's sizing: longest side to `max_side`, padded to 32."""

    def __init__(self, model: Any, spec: DetectorSpec, *, max_side: int | None = None) -> None:
        self._model = model
        self._spec = spec
        self.max_side = max_side or max(spec.input_size)
        self.score_threshold = spec.score_threshold
        self.inference_seconds = 0.0
        model.prepare(0, nms_thresh=spec.nms_threshold, det_thresh=spec.score_threshold)
        model.session = _TimedSession(model.session, self)

    @property
    def session(self) -> Any:
        return self._model.session._session

    def input_size(self, width: int, height: int) -> tuple[int, int]:
        scale = self.max_side / max(width, height)
        mult = self._spec.stride_multiple
        return (math.ceil(round(width * scale) / mult) * mult, math.ceil(round(height * scale) / mult) * mult)

    def detect(self, image_bgr: np.ndarray) -> list[DetectedFace]:
        h, w = image_bgr.shape[:2]
        size = self.input_size(w, h) if self._spec.dynamic_input else self._spec.input_size
        boxes, landmarks = self._model.detect(image_bgr, input_size=size, det_thresh=self.score_threshold)
        if landmarks is None:
            raise PackError("the SCRFD detector gives no landmarks; a pack needs the 5-landmark variant")
        faces = [
            DetectedFace(tuple(float(v) for v in box[:4]), np.asarray(marks, np.float32), float(box[4]))  # type: ignore[arg-type]
            for box, marks in zip(boxes, landmarks, strict=True)
        ]
        faces.sort(key=lambda f: -f.width * f.height)
        return faces


class ArcfaceEmbedder:
    """insightface's ArcFaceONNX.get_feat on aligned 112x112 crops, L2-normalised."""

    def __init__(self, model: Any, spec: RecogniserSpec) -> None:
        self._model = model
        self.size = spec.embedding_size
        self.inference_seconds = 0.0
        model.session = _TimedSession(model.session, self)

    @property
    def session(self) -> Any:
        return self._model.session._session

    def embed(self, crops_bgr: Sequence[np.ndarray]) -> np.ndarray:
        if not crops_bgr:
            return np.zeros((0, self.size), np.float32)
        raw = self._model.get_feat(list(crops_bgr))  # blobFromImages: BGR->RGB, (x - mean) / std, as stated
        return l2_normalise(np.asarray(raw).reshape(len(crops_bgr), -1))


def load_models(
    detector_file: Path,
    recogniser_file: Path,
    detector: DetectorSpec,
    recogniser: RecogniserSpec,
    *,
    providers: Sequence[str] | None = None,
    allow_fallback: bool = False,
    max_side: int | None = None,
) -> tuple[ScrfdDetector, ArcfaceEmbedder]:
    """Both graphs through model_zoo, on the chosen providers (checked like our own sessions)."""
    from insightface.model_zoo import get_model  # insightface is a dependency of the faceid extra

    requested = choose_providers(wanted=providers)
    common = {"providers": requested, "sess_options": session_options()}
    try:
        det = get_model(
            str(detector_file),
            model_task="detection",
            model_metadata={"preprocessing": _scalar(detector.preprocessing, detector_file.name)},
            static_shape_sessions=False,  # one session whose providers we checked, not one per input size
            **common,
        )
        rec = get_model(
            str(recogniser_file),
            model_task="recognition",
            model_metadata={"preprocessing": _scalar(recogniser.preprocessing, recogniser_file.name)},
            **common,
        )
    except PackError:
        raise
    except Exception as exc:  # insightface/onnxruntime raise assorted types; the file is what the person must fix
        detail = " ".join(str(exc).split())[:300]
        raise PackError(f"insightface.model_zoo cannot load {detector_file.parent}: {detail}") from exc
    if type(det).__name__ != "SCRFD" or type(rec).__name__ != "ArcFaceONNX":
        kinds = f"{type(det).__name__}/{type(rec).__name__}"
        raise PackError(f"insightface.model_zoo loaded {kinds}, not SCRFD/ArcFaceONNX")
    if not getattr(det, "use_kps", False):
        raise PackError(f"{detector_file.name}: this SCRFD variant has no landmarks; CCES aligns faces with them")
    if tuple(rec.input_size) != recogniser.input_size:
        raise PackError(f"{recogniser_file.name}: input {rec.input_size}, manifest says {recogniser.input_size}")
    for path, model in ((detector_file, det), (recogniser_file, rec)):
        active = model.session.get_providers()
        log.info("insightface.model_zoo %s: providers %s (requested %s)", path.name, active, requested)
        check_active(path.name, requested, active, allow_fallback=allow_fallback)
    return ScrfdDetector(det, detector, max_side=max_side), ArcfaceEmbedder(rec, recogniser)
