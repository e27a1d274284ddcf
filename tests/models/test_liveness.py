"""The pluggable liveness stage: the consistency default and the anti-spoofing ONNX hook.

No downloaded weights: the anti-spoofing model is a tiny ONNX graph built here with the `onnx`
helper API (global average pool -> linear -> two logits), whose "live" logit rises with the
mean of the first input channel. That is enough to check the hook honours the manifest: input
size, channel order, mean/std, logits vs probabilities, the live index and the digest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.errors import PackError
from models.liveness import (
    ConsistencyLiveness,
    LivenessStage,
    OnnxAntiSpoofLiveness,
    liveness_stage,
)
from models.tracking import Observation, Track

onnx = pytest.importorskip("onnx")


def _track(person: str | None, votes: list[tuple[str | None, float]], snapshot: np.ndarray | None = None) -> Track:
    track = Track(1, (0.0, 0.0, 10.0, 10.0), 0, 0.0, 0, 0.0, person_id=person, best_snapshot=snapshot)
    track.observations = [Observation(i, i / 30, who, 0.6, weight) for i, (who, weight) in enumerate(votes)]
    return track


def test_consistency_is_the_share_of_weighted_votes() -> None:
    stage = ConsistencyLiveness()
    assert isinstance(stage, LivenessStage) and isinstance(liveness_stage(None), ConsistencyLiveness)
    assert stage.score(_track("obama", [("obama", 1.0), ("obama", 0.5), ("biden", 0.5)])) == 0.75
    assert stage.score(_track(None, [(None, 1.0)])) is None, "an unknown face has no identity to be consistent"
    assert stage.score(_track("obama", [])) is None


def _write_model(folder: Path, *, size: int = 32, live_index: int = 1, output: str = "logits") -> Path:
    """Logits (spoof, live) = (0, 20 * (mean of channel 0 - 0.5)), channel 0 being R (RGB order)."""
    from onnx import TensorProto, helper, numpy_helper

    weights = np.zeros((3, 2), np.float32)
    bias = np.zeros(2, np.float32)
    weights[0, live_index], bias[live_index] = 20.0, -10.0
    graph = helper.make_graph(
        [
            helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
            helper.make_node("Flatten", ["pooled"], ["flat"]),
            helper.make_node("Gemm", ["flat", "W", "B"], ["logits"]),
        ]
        + ([helper.make_node("Softmax", ["logits"], ["out"], axis=1)] if output == "probabilities" else []),
        "tiny-antispoof",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("out" if output == "probabilities" else "logits", TensorProto.FLOAT, [1, 2])],
        initializer=[numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "B")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = folder / "tiny-antispoof.onnx"
    onnx.save(model, str(path))
    from models.digests import sha256_file

    manifest = {
        "input_size": [size, size],
        "preprocessing": {"channel_order": "RGB", "mean": [0, 0, 0], "std": [255, 255, 255]},
        "output": output,
        "live_index": live_index,
        "sha256": sha256_file(path),
        "licence": "test-only",
    }
    path.with_suffix(".json").write_text(json.dumps(manifest))
    return path


def _crop(b: int, g: int, r: int) -> np.ndarray:
    crop = np.empty((112, 112, 3), np.uint8)
    crop[...] = (b, g, r)  # BGR, as the pipeline's aligned crops are
    return crop


@pytest.mark.parametrize(("live_index", "output"), [(1, "logits"), (0, "probabilities")])
def test_onnx_antispoof_follows_its_manifest(tmp_path: Path, live_index: int, output: str) -> None:
    stage = liveness_stage(_write_model(tmp_path, live_index=live_index, output=output))
    assert isinstance(stage, OnnxAntiSpoofLiveness) and isinstance(stage, LivenessStage)
    assert stage.name == "antispoof-onnx:tiny-antispoof"
    red, blue = _crop(0, 0, 255), _crop(255, 0, 0)
    assert stage.score(_track("obama", [("obama", 1.0)], red)) == pytest.approx(1.0, abs=1e-3)
    assert stage.score(_track("obama", [("obama", 1.0)], blue)) == pytest.approx(0.0, abs=1e-3), "BGR -> RGB"
    assert stage.score(_track(None, [(None, 1.0)], _crop(0, 0, 128))) == pytest.approx(0.5, abs=0.05)
    assert stage.score(_track("obama", [("obama", 1.0)], None)) is None, "no crop, no score"


def test_onnx_antispoof_refuses_a_bad_model_or_manifest(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="not found"):
        OnnxAntiSpoofLiveness(tmp_path / "missing.onnx")
    model = _write_model(tmp_path)
    manifest = json.loads(model.with_suffix(".json").read_text())
    model.with_suffix(".json").write_text(json.dumps({**manifest, "sha256": "0" * 64}))
    with pytest.raises(PackError, match="does not match the digest"):
        OnnxAntiSpoofLiveness(model)
    model.with_suffix(".json").write_text(json.dumps({**manifest, "preprocessing": {"channel_order": "RGB"}}))
    with pytest.raises(PackError, match="invalid anti-spoofing manifest"):
        OnnxAntiSpoofLiveness(model)
    model.with_suffix(".json").unlink()
    with pytest.raises(PackError, match="has no manifest"):
        OnnxAntiSpoofLiveness(model)


class _Sink:
    device_id = "door-live-01"

    def __init__(self) -> None:
        self.events: list[Any] = []

    @property
    def last_seq(self) -> int:
        return len(self.events)

    def emit(self, build: Any) -> Any:
        event = build(len(self.events) + 1)
        self.events.append(event)
        return event


@pytest.mark.timeout(120)
def test_faceid_puts_the_models_score_into_its_events(models_dir: Path, faces_dir: Path, tmp_path: Path) -> None:
    from edge_agent.capabilities.faceid import FaceIdCapability
    from edge_agent.settings import FaceIdSettings

    capability = FaceIdCapability(
        FaceIdSettings(
            enabled=True,
            models_dir=models_dir,
            gallery_dir=faces_dir / "enroll",
            liveness_model=_write_model(tmp_path),
            camera={"file": faces_dir / "video" / "short_hamilton_clip.mp4", "realtime": False},
        )
    )
    sink = _Sink()
    capability.start(sink)
    assert capability.finished.wait(90)
    capability.stop()
    assert capability.state == "finished", capability.error
    assert capability.metrics()["liveness"] == "antispoof-onnx:tiny-antispoof"
    attendance = [e for e in sink.events if e.type == "attendance.face"]
    assert attendance and all(e.data.liveness is not None and 0 <= e.data.liveness <= 1 for e in attendance)
