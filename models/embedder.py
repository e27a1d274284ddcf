"""Face embeddings from aligned crops, L2-normalised, preprocessing taken from the manifest."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import onnxruntime as ort

from models.manifest import Preprocessing, RecogniserSpec


def to_tensor(crops_bgr: Sequence[np.ndarray], prep: Preprocessing) -> np.ndarray:
    """NCHW float32 from BGR uint8 crops, exactly as the manifest states (no library guessing)."""
    batch = np.stack(crops_bgr)
    if prep.channel_order == "RGB":
        batch = batch[..., ::-1]
    tensor = batch.transpose(0, 3, 1, 2).astype(np.float32, order="C")  # one pass: layout, channel order, type
    if prep.mean != (0.0, 0.0, 0.0) or prep.std != (1.0, 1.0, 1.0):  # SFace normalises inside its graph
        tensor -= np.asarray(prep.mean, np.float32).reshape(1, 3, 1, 1)
        tensor /= np.asarray(prep.std, np.float32).reshape(1, 3, 1, 1)
    return tensor


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class Embedder:
    def __init__(self, session: ort.InferenceSession, spec: RecogniserSpec) -> None:
        self._session = session
        self._spec = spec
        self._input = session.get_inputs()[0].name
        self.size = spec.embedding_size
        self.inference_seconds = 0.0  # time inside session.run, for the benchmark's "outside inference" share

    def embed(self, crops_bgr: Sequence[np.ndarray]) -> np.ndarray:
        """(n, embedding_size) unit vectors, one per 112x112 aligned crop; one run for the batch."""
        if not crops_bgr:
            return np.zeros((0, self.size), np.float32)
        tensor = to_tensor(crops_bgr, self._spec.preprocessing)
        started = time.perf_counter()
        raw = self._session.run(None, {self._input: tensor})[0]
        self.inference_seconds += time.perf_counter() - started
        return l2_normalise(raw.reshape(len(crops_bgr), -1))
