"""The liveness stage: how sure the device is that a recognised face was a live person.

Pluggable because what is honest differs per device. The default, `ConsistencyLiveness`, is
the share of a track's quality-weighted votes that named the recorded person: it says the
identity was stable over several frames and nothing more — a photo held up to the camera is
perfectly consistent. A device with an anti-spoofing model installed uses
`OnnxAntiSpoofLiveness` instead, scoring the track's best aligned crop. Either way the score
(0-1, or None when there is nothing to score) goes into the event; attendance stays
low-assurance and every record keeps its snapshot for audit.

An anti-spoofing model is given as an ONNX file plus a manifest next to it (`<model>.json`)
stating its input size, its preprocessing (channel order, mean, std — never guessed), how its
output reads (`logits` or `probabilities`) and which output index means "live". The model sees
the 112x112 ArcFace-aligned crop resized to its input size; models trained on wider, unaligned
crops (MiniFASNet uses the face box scaled 2.7x) must be re-validated on that input first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.digests import sha256_file
from models.embedder import to_tensor
from models.errors import PackError
from models.manifest import Preprocessing
from models.runtime import open_session
from models.tracking import Track


@runtime_checkable
class LivenessStage(Protocol):
    """Scores a decided (or ended) track; None when it cannot say anything about it."""

    name: str

    def score(self, track: Track) -> float | None: ...


class ConsistencyLiveness:
    """The honest default: multi-frame identity consistency, NOT anti-spoofing (see module doc)."""

    name = "consistency"

    def score(self, track: Track) -> float | None:
        if track.person_id is None:
            return None  # an unknown face: no identity whose consistency could be measured
        total = sum(o.weight for o in track.observations)
        if total <= 0:
            return None
        agreeing = sum(o.weight for o in track.observations if o.person_id == track.person_id)
        return round(min(1.0, max(0.0, agreeing / total)), 4)


class LivenessManifest(BaseModel):
    """`<model>.json`: everything needed to run an anti-spoofing model without guessing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["antispoof-onnx"] = "antispoof-onnx"
    input_size: tuple[int, int] = Field(description="(width, height) of the model input")
    preprocessing: Preprocessing
    output: Literal["logits", "probabilities"] = Field(description="what the first output holds, per class")
    live_index: int = Field(ge=0, description="index of the 'live' class in the output")
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="digest of the model file")
    licence: str = Field(default="", description="SPDX id or text: check before deploying")

    @classmethod
    def read(cls, model_file: Path) -> LivenessManifest:
        path = model_file.with_suffix(".json")
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise PackError(f"anti-spoofing model {model_file} has no manifest {path.name}") from exc
        except (OSError, ValueError, ValidationError) as exc:
            raise PackError(f"invalid anti-spoofing manifest {path}: {' '.join(str(exc).split())[:200]}") from exc


class OnnxAntiSpoofLiveness:
    """An anti-spoofing classifier run on the track's best aligned crop; score = P(live)."""

    name = "antispoof-onnx"

    def __init__(self, model_file: Path, *, providers: list[str] | None = None) -> None:
        if not model_file.is_file():
            raise PackError(f"anti-spoofing model not found: {model_file}")
        self.manifest = LivenessManifest.read(model_file)
        if self.manifest.sha256 is not None and sha256_file(model_file) != self.manifest.sha256:
            raise PackError(f"anti-spoofing model {model_file} does not match the digest in its manifest")
        self.name = f"antispoof-onnx:{model_file.stem}"
        self._session = open_session(model_file, providers=providers)
        self._input = self._session.get_inputs()[0].name

    def score_crop(self, crop_bgr: np.ndarray) -> float:
        width, height = self.manifest.input_size
        resized = cv2.resize(crop_bgr, (width, height), interpolation=cv2.INTER_LINEAR)
        raw = np.asarray(self._session.run(None, {self._input: to_tensor([resized], self.manifest.preprocessing)})[0])
        values = raw.reshape(-1).astype(np.float64)
        if self.manifest.live_index >= values.size:
            raise PackError(f"anti-spoofing model outputs {values.size} classes; live_index is out of range")
        if self.manifest.output == "logits":
            values = np.exp(values - values.max())
            values /= values.sum()
        return round(float(min(1.0, max(0.0, values[self.manifest.live_index]))), 4)

    def score(self, track: Track) -> float | None:
        if track.best_snapshot is None:
            return None
        return self.score_crop(track.best_snapshot)


def liveness_stage(model_file: Path | None) -> LivenessStage:
    """The stage a device runs: the anti-spoofing model when one is configured, else the default."""
    return ConsistencyLiveness() if model_file is None else OnnxAntiSpoofLiveness(model_file)
