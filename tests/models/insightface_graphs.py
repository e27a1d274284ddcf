"""Real ONNX graphs with the signatures of insightface's SCRFD (det_10g) and ArcFace (w600k) models.

No buffalo weights exist on a machine of this project (they are non-commercial and not on any
package registry), so the install / verify / load-through-model_zoo / licence paths are tested
on graphs built here, with the same inputs and outputs as the real files:

- detector: input `input.1` [1, 3, ?, ?]; 9 outputs — scores [N, 1], boxes [N, 4], 5 landmarks
  [N, 10] for strides 8/16/32, two anchors per cell, box and landmark offsets in stride units.
  It "detects" cells of the stride-32 grid whose pixels are bright: a white 32x32 square on a
  dark image, aligned with the grid, is one face, with a plausible frontal landmark layout.
- recogniser: input `input.1` [None, 3, 112, 112]; one output [None, 512]: a fixed random
  projection of the 8x8 average-pooled crop (deterministic; different pictures differ).

They exercise every line of the adapters for real (onnxruntime runs them through model_zoo),
but say nothing about recognition quality: that needs the real weights (CCES_BUFFALO_DIR).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

STRIDES = (8, 16, 32)
# SCRFD anchors sit on the cell's top-left corner; distances left/top/right/bottom in strides: a 64x64
# box centred on the 32x32 cell
BOX = (0.5, 0.5, 1.5, 1.5)
# left eye, right eye, nose, left mouth corner, right mouth corner (x, y), in strides from the anchor:
# a frontal layout centred on the cell
LANDMARKS = (0.15, 0.2, 0.85, 0.2, 0.5, 0.55, 0.22, 0.9, 0.78, 0.9)


def _const(name: str, value: np.ndarray) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(value), name))


def scrfd_like() -> onnx.ModelProto:
    nodes: list[onnx.NodeProto] = [
        _const("zero", np.zeros((1, 1), np.float32)),
        _const("box", np.asarray([BOX], np.float32)),
        _const("kps", np.asarray([LANDMARKS], np.float32)),
        _const("cols1", np.asarray([-1, 1], np.int64)),
    ]
    scores, boxes, kpss = [], [], []
    for s in STRIDES:
        # brightness of each cell in the normalised input (white ~ +1, black ~ -1), one value per cell
        nodes.append(helper.make_node("AveragePool", ["input.1"], [f"pool{s}"], kernel_shape=[s, s], strides=[s, s]))
        nodes.append(helper.make_node("ReduceMean", [f"pool{s}"], [f"bright{s}"], axes=[1], keepdims=1))
        gain, bias = (40.0, -4.0) if s == 32 else (0.0, -30.0)  # only stride 32 fires, on cells brighter than ~140
        nodes.append(_const(f"gain{s}", np.asarray(gain, np.float32)))
        nodes.append(_const(f"bias{s}", np.asarray(bias, np.float32)))
        nodes.append(helper.make_node("Mul", [f"bright{s}", f"gain{s}"], [f"scaled{s}"]))
        nodes.append(helper.make_node("Add", [f"scaled{s}", f"bias{s}"], [f"logit{s}"]))
        nodes.append(helper.make_node("Sigmoid", [f"logit{s}"], [f"sig{s}"]))
        nodes.append(helper.make_node("Transpose", [f"sig{s}"], [f"nhwc{s}"], perm=[0, 2, 3, 1]))
        nodes.append(helper.make_node("Reshape", [f"nhwc{s}", "cols1"], [f"cell{s}"]))  # (h*w, 1)
        nodes.append(helper.make_node("Concat", [f"cell{s}", f"cell{s}"], [f"two{s}"], axis=1))  # 2 anchors
        nodes.append(helper.make_node("Reshape", [f"two{s}", "cols1"], [f"score_{s}"]))  # (h*w*2, 1)
        nodes.append(helper.make_node("Mul", [f"score_{s}", "zero"], [f"nil{s}"]))
        nodes.append(helper.make_node("Add", [f"nil{s}", "box"], [f"bbox_{s}"]))
        nodes.append(helper.make_node("Add", [f"nil{s}", "kps"], [f"kps_{s}"]))
        scores.append(f"score_{s}")
        boxes.append(f"bbox_{s}")
        kpss.append(f"kps_{s}")
    outputs = [
        helper.make_tensor_value_info(name, TensorProto.FLOAT, [f"n{name}", width])
        for names, width in ((scores, 1), (boxes, 4), (kpss, 10))
        for name in names
    ]
    graph = helper.make_graph(
        nodes, "scrfd_like", [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, "?", "?"])], outputs
    )
    return _model(graph)


def arcface_like(seed: int = 0) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=(3 * 8 * 8, 512)).astype(np.float32)
    nodes = [
        _const("proj", weights),
        helper.make_node("AveragePool", ["input.1"], ["pooled"], kernel_shape=[14, 14], strides=[14, 14]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "proj"], ["683"]),
    ]
    graph = helper.make_graph(
        nodes,
        "arcface_like",
        [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, ["None", 3, 112, 112])],
        [helper.make_tensor_value_info("683", TensorProto.FLOAT, ["None", 512])],
    )
    return _model(graph)


def _model(graph: onnx.GraphProto) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_pack(folder: Path, detector: str = "det_10g.onnx", recogniser: str = "w600k_r50.onnx") -> Path:
    """A buffalo-style folder: the two graphs under their insightface names, plus an unused extra file."""
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(scrfd_like(), str(folder / detector))
    onnx.save(arcface_like(), str(folder / recogniser))
    onnx.save(arcface_like(seed=1), str(folder / "genderage.onnx"))  # distributed with buffalo_l, not used
    return folder


def write_zip(path: Path, folder: Path, *, prefix: str = "") -> Path:
    """The folder as a zip, files at the top (like buffalo_l.zip) or under `prefix/`."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, f"{prefix}{file.name}")
    return path


def face_image(cells: list[tuple[int, int]], *, size: tuple[int, int] = (640, 480), pattern: int = 0) -> np.ndarray:
    """A dark BGR image with a 32x32 "face" on each given stride-32 cell (col, row).

    The face is a 4x4 chequer of 8-pixel blocks, half white and half grey in an order chosen by
    `pattern` (a "person"): always bright enough on average to be detected, different per person.
    """
    width, height = size
    image = np.full((height, width, 3), 20, np.uint8)
    blocks = np.where(np.random.default_rng(pattern).permutation(16) < 8, 255, 60).astype(np.uint8).reshape(4, 4)
    patch = np.repeat(np.repeat(blocks, 8, axis=0), 8, axis=1)[:, :, None].repeat(3, axis=2)
    for col, row in cells:
        image[row * 32 : row * 32 + 32, col * 32 : col * 32 + 32] = patch
    return image
