"""YuNet face detection with onnxruntime, decoding the raw outputs ourselves.

Why not `cv2.FaceDetectorYN`: it runs the graph through OpenCV's DNN module, which would make
OpenCV's ONNX importer (its support of opset-21 blocked `DequantizeLinear` has changed between
releases) and its backends part of the contract, and it cannot use onnxruntime's CUDA/TensorRT
providers on a Jetson. Decoding is ~30 lines of numpy, identical to OpenCV's `face_detect.cpp`
for the 2023mar model; a test checks our boxes against `cv2.FaceDetectorYN`.

The prepared graph accepts any input that is a multiple of 32, so an image is scaled so that
its longest side is `max_side`, and padded on the right/bottom to the next multiple of 32 — a
640x360 camera frame runs as 640x384, not 640x640.
"""

from __future__ import annotations

import math
import time

import cv2
import numpy as np
import onnxruntime as ort

from models.faces import DetectedFace
from models.manifest import DetectorSpec

STRIDES = (8, 16, 32)


class YuNetDetector:
    def __init__(self, session: ort.InferenceSession, spec: DetectorSpec, *, max_side: int | None = None) -> None:
        self._session = session
        self._spec = spec
        self._input = session.get_inputs()[0].name
        self._outputs = [f"{kind}_{s}" for kind in ("cls", "obj", "bbox", "kps") for s in STRIDES]
        self.max_side = max_side or max(spec.input_size)
        self.score_threshold = spec.score_threshold
        self.inference_seconds = 0.0  # time inside session.run, for the benchmark's "outside inference" share

    def detect(self, image_bgr: np.ndarray) -> list[DetectedFace]:
        tensor, scale = self._prepare(image_bgr)
        started = time.perf_counter()
        outputs = self._session.run(self._outputs, {self._input: tensor})
        self.inference_seconds += time.perf_counter() - started
        return self._decode(outputs, tensor.shape[2], tensor.shape[3], scale)

    def _prepare(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        h, w = image.shape[:2]
        scale = self.max_side / max(h, w)
        sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
        if self._spec.dynamic_input:
            mult = self._spec.stride_multiple
            pw, ph = math.ceil(sw / mult) * mult, math.ceil(sh / mult) * mult
        else:
            pw, ph = self._spec.input_size
        resized = image if (sw, sh) == (w, h) else cv2.resize(image, (sw, sh), interpolation=cv2.INTER_LINEAR)
        canvas = np.zeros((ph, pw, 3), dtype=np.uint8)  # pad in uint8: a float canvas costs ~3 ms a frame
        canvas[:sh, :sw] = resized
        prep = self._spec.preprocessing
        if prep.channel_order == "RGB":
            canvas = canvas[:, :, ::-1]
        tensor = canvas.transpose(2, 0, 1)[None].astype(np.float32)  # one pass: layout and type
        if prep.mean != (0.0, 0.0, 0.0) or prep.std != (1.0, 1.0, 1.0):
            tensor -= np.asarray(prep.mean, np.float32).reshape(1, 3, 1, 1)
            tensor /= np.asarray(prep.std, np.float32).reshape(1, 3, 1, 1)
        return tensor, scale

    def _decode(self, outputs: list[np.ndarray], ph: int, pw: int, scale: float) -> list[DetectedFace]:
        boxes, scores, marks = [], [], []
        for i, stride in enumerate(STRIDES):
            product = outputs[i][0, :, 0] * outputs[3 + i][0, :, 0]  # both sigmoid outputs, in [0, 1]
            # threshold the product against threshold² first: sqrt/clip only for the few kept anchors
            keep = np.nonzero(product >= self.score_threshold**2)[0]
            if keep.size == 0:
                continue
            score = np.sqrt(np.clip(product[keep], 0.0, 1.0))
            cols = pw // stride
            col, row = (keep % cols).astype(np.float32), (keep // cols).astype(np.float32)
            bbox, kps = outputs[6 + i][0, keep], outputs[9 + i][0, keep]
            cx, cy = (col + bbox[:, 0]) * stride, (row + bbox[:, 1]) * stride
            bw, bh = np.exp(bbox[:, 2]) * stride, np.exp(bbox[:, 3]) * stride
            boxes.append(np.stack([cx - bw / 2, cy - bh / 2, bw, bh], axis=1))
            lx = (kps[:, 0::2] + col[:, None]) * stride
            ly = (kps[:, 1::2] + row[:, None]) * stride
            marks.append(np.stack([lx, ly], axis=2))
            scores.append(score)
        if not boxes:
            return []
        xywh, conf, lms = np.concatenate(boxes), np.concatenate(scores), np.concatenate(marks)
        picked = cv2.dnn.NMSBoxes(xywh.tolist(), conf.tolist(), self.score_threshold, self._spec.nms_threshold)
        faces = []
        for j in np.asarray(picked).reshape(-1):
            x, y, bw, bh = (xywh[j] / scale).tolist()
            faces.append(DetectedFace((x, y, x + bw, y + bh), (lms[j] / scale).astype(np.float32), float(conf[j])))
        faces.sort(key=lambda f: -f.width * f.height)
        return faces
