"""YuNet face detection with onnxruntime, decoding the raw outputs ourselves.

Why not `cv2.FaceDetectorYN`: it runs the graph through OpenCV's DNN module, which would make
OpenCV's ONNX importer (its support of opset-21 blocked `DequantizeLinear` has changed between
releases) and its backends part of the contract, and it cannot use onnxruntime's CUDA/TensorRT
providers on a Jetson. Decoding is ~30 lines of numpy, identical to OpenCV's `face_detect.cpp`
for the 2023mar model; a test checks our boxes against `cv2.FaceDetectorYN`.

The prepared graph accepts any input that is a multiple of 32, so an image is scaled so that
its longest side is `max_side`, and padded on the right/bottom to the next multiple of 32 — a
640x360 camera frame runs as 640x384, not 640x640.

The input tensor is reused from frame to frame (per thread and per size, so one detector still
serves several threads: the hub shares an engine). Decoding handles the three strides as
one array, so a frame costs a fixed dozen numpy calls: right after inference every call runs on
cold caches (~4x its warm cost), so the number of calls is what counts here.
"""

from __future__ import annotations

import math
import threading
import time
from typing import TypeVar

import cv2
import numpy as np
import onnxruntime as ort

from models.faces import DetectedFace
from models.manifest import DetectorSpec

STRIDES = (8, 16, 32)
_V = TypeVar("_V")
_SIZES_KEPT = 8  # per thread: buffers for this many frame sizes (a camera has one; enrollment photos vary)


class YuNetDetector:
    def __init__(self, session: ort.InferenceSession, spec: DetectorSpec, *, max_side: int | None = None) -> None:
        self._session = session
        self._spec = spec
        self._input = session.get_inputs()[0].name
        self._outputs = [f"{kind}_{s}" for kind in ("cls", "obj", "bbox", "kps") for s in STRIDES]
        self.max_side = max_side or max(spec.input_size)
        self.score_threshold = spec.score_threshold
        self.inference_seconds = 0.0  # time inside session.run, for the benchmark's "outside inference" share
        self._anchors: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._local = threading.local()  # per thread: padded frame buffers, by size

    def detect(self, image_bgr: np.ndarray) -> list[DetectedFace]:
        tensor, scale = self._prepare(image_bgr)
        started = time.perf_counter()
        outputs = self._session.run(self._outputs, {self._input: tensor})
        self.inference_seconds += time.perf_counter() - started
        return self._decode(outputs, tensor.shape[2], tensor.shape[3], scale)

    def _prepare(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        """The NCHW float32 input for `image` (longest side to `max_side`, zero padding) and the scale.

        The tensor is this thread's buffer for the frame size, reused: its padding is written once
        (zeros) and each frame only fills the image area, one colour plane at a time (cv2.split gives
        contiguous planes; casting each into place is ~2.5x faster than transposing the HWC frame).
        Valid until the next call on this thread, which is all `detect` needs.
        """
        h, w = image.shape[:2]
        scale = self.max_side / max(h, w)
        sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
        buffers = getattr(self._local, "buffers", None)
        if buffers is None:
            buffers = self._local.buffers = {}
        entry = buffers.get((sw, sh))
        if entry is None:
            if self._spec.dynamic_input:
                mult = self._spec.stride_multiple
                pw, ph = math.ceil(sw / mult) * mult, math.ceil(sh / mult) * mult
            else:
                pw, ph = self._spec.input_size
            resized = None if (sw, sh) == (w, h) else np.empty((sh, sw, 3), np.uint8)
            entry = _put(buffers, (sw, sh), (np.zeros((1, 3, ph, pw), np.float32), resized))
        tensor, resized = entry
        if resized is not None:  # one resize, into this size's buffer
            image = cv2.resize(image, (sw, sh), dst=resized, interpolation=cv2.INTER_LINEAR)
        planes = cv2.split(image)  # B, G, R
        prep = self._spec.preprocessing
        if prep.channel_order == "RGB":
            planes = planes[::-1]
        for channel, plane in enumerate(planes):
            np.copyto(tensor[0, channel, :sh, :sw], plane)
        if prep.mean != (0.0, 0.0, 0.0) or prep.std != (1.0, 1.0, 1.0):  # not YuNet's: normalise a fresh copy
            mean, std = (np.asarray(v, np.float32).reshape(1, 3, 1, 1) for v in (prep.mean, prep.std))
            tensor = (tensor - mean) / std
        return tensor, scale

    def _anchor_grid(self, ph: int, pw: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Column, row and stride of every anchor, strides concatenated in output order (cached per size)."""
        grid = self._anchors.get((ph, pw))
        if grid is None:
            cols, rows, strides = [], [], []
            for stride in STRIDES:
                gh, gw = ph // stride, pw // stride
                r, c = np.divmod(np.arange(gh * gw), gw)
                cols.append(c)
                rows.append(r)
                strides.append(np.full(gh * gw, stride))
            grid = tuple(np.concatenate(a).astype(np.float32) for a in (cols, rows, strides))
            self._anchors[(ph, pw)] = grid  # type: ignore[assignment]
        return grid  # type: ignore[return-value]

    def _decode(self, outputs: list[np.ndarray], ph: int, pw: int, scale: float) -> list[DetectedFace]:
        """Boxes and landmarks of the anchors whose score passes, as OpenCV's face_detect.cpp decodes them.

        The three strides are handled as one array (anchor grids cached per input size), so a
        frame costs a fixed dozen numpy calls whatever the number of strides with faces.
        """
        n = len(STRIDES)
        # both sigmoid outputs, in [0, 1]: threshold their product against threshold² first,
        # so sqrt/clip and the box arithmetic run only for the few kept anchors
        product = np.concatenate([outputs[i][0, :, 0] * outputs[n + i][0, :, 0] for i in range(n)])
        keep = np.flatnonzero(product >= self.score_threshold**2)
        if keep.size == 0:
            return []
        cols, rows, strides = self._anchor_grid(ph, pw)
        bbox = np.concatenate([o[0] for o in outputs[2 * n : 3 * n]])[keep]
        kps = np.concatenate([o[0] for o in outputs[3 * n : 4 * n]])[keep]
        conf = np.sqrt(np.clip(product[keep], 0.0, 1.0))
        col, row, stride = cols[keep], rows[keep], strides[keep]
        cx, cy = (col + bbox[:, 0]) * stride, (row + bbox[:, 1]) * stride
        bw, bh = np.exp(bbox[:, 2]) * stride, np.exp(bbox[:, 3]) * stride
        xywh = np.stack([cx - bw / 2, cy - bh / 2, bw, bh], axis=1)
        lms = np.stack([(kps[:, 0::2] + col[:, None]), (kps[:, 1::2] + row[:, None])], axis=2) * stride[:, None, None]
        picked = cv2.dnn.NMSBoxes(xywh.tolist(), conf.tolist(), self.score_threshold, self._spec.nms_threshold)
        faces = []
        for j in np.asarray(picked).reshape(-1):
            x, y, bw_j, bh_j = (xywh[j] / scale).tolist()
            faces.append(DetectedFace((x, y, x + bw_j, y + bh_j), (lms[j] / scale).astype(np.float32), float(conf[j])))
        faces.sort(key=lambda f: -f.width * f.height)
        return faces


def _put(cache: dict, key: object, value: _V) -> _V:
    """Store in a small per-thread cache, dropping the oldest entry beyond `_SIZES_KEPT`."""
    if len(cache) >= _SIZES_KEPT:
        del cache[next(iter(cache))]
    cache[key] = value
    return value
