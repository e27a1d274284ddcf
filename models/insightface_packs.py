"""insightface packs (buffalo_l / buffalo_s / buffalo_sc): SCRFD detector + ArcFace recogniser, 512-d.

Their weights are **for non-commercial research only** (insightface's model licence; the
library's code is MIT). CCES never downloads them: a person who has the right to use them gives
the folder or the `.zip` as insightface distributes it (`cces models install buffalo_l --from
PATH`). Files expected in each pack (at the top of the zip/folder, or in one sub-folder such as
`buffalo_l/`):

| pack       | detector (SCRFD, 5 landmarks) | recogniser (ArcFace, 112x112 -> 512) | also distributed, not used |
|------------|-------------------------------|--------------------------------------|----------------------------|
| buffalo_l  | det_10g.onnx                  | w600k_r50.onnx                       | 1k3d68, 2d106det, genderage |
| buffalo_s  | det_500m.onnx                 | w600k_mbf.onnx                       | 1k3d68, 2d106det, genderage |
| buffalo_sc | det_500m.onnx                 | w600k_mbf.onnx                       | —                          |

insightface publishes no digests for these files, so none can be pinned: installing checks that
each graph has the signature its role needs (SCRFD: one NCHW 3-channel input and 9 outputs —
score, box, 5 landmarks for strides 8/16/32; ArcFace: 3x112x112 in, one 512-d embedding out),
loads both through `insightface.model_zoo`, and records the SHA-256 of what was installed in
the manifest, so any later change of a file is detected (`verify_pack`).

Preprocessing is stated, not guessed: SCRFD takes RGB (x - 127.5) / 128, ArcFace (w600k) RGB
(x - 127.5) / 127.5 — both passed explicitly to model_zoo (it would otherwise guess the ArcFace
normalisation from node names). The threshold 0.4 is insightface's own default for comparing
buffalo embeddings, not tuned on CCES data.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import onnx

from models.errors import PackError
from models.manifest import MANIFEST_NAME, DetectorSpec, Licence, PackFile, PackManifest, Preprocessing, RecogniserSpec

log = logging.getLogger(__name__)

NON_COMMERCIAL = "weights for non-commercial research only"
LICENCE_TEXT = (
    "InsightFace pre-trained models (buffalo_l, buffalo_s, buffalo_sc: SCRFD detectors, ArcFace recognisers"
    " trained on WebFace600K): the training data and the models trained with it are available for"
    " non-commercial research purposes only. The insightface code is MIT-licensed; the weights are not."
    " Commercial use needs a licence from InsightFace (insightface.ai). CCES installs them only from files"
    " the operator provides."
)
SCRFD_OUTPUTS = 9  # strides 8, 16, 32 x (score, box, 5 landmarks); the 6-output variant has no landmarks
MAX_FILE_BYTES = 1 << 30  # a zip member claiming more than 1 GiB is not a face model (zip bomb guard)

SCRFD_PREPROCESSING = Preprocessing(
    channel_order="RGB", mean=(127.5, 127.5, 127.5), std=(128.0, 128.0, 128.0), note="insightface SCRFD"
)
ARCFACE_PREPROCESSING = Preprocessing(
    channel_order="RGB", mean=(127.5, 127.5, 127.5), std=(127.5, 127.5, 127.5), note="(x - 127.5) / 127.5"
)


@dataclass(frozen=True)
class InsightfacePack:
    pack_id: str
    description: str
    detector_file: str
    recogniser_file: str
    unused_files: tuple[str, ...]

    @property
    def expected_files(self) -> tuple[str, str]:
        return (self.detector_file, self.recogniser_file)

    def detector_spec(self) -> DetectorSpec:
        return DetectorSpec(
            kind="scrfd",
            file=self.detector_file,
            input_size=(640, 640),
            dynamic_input=True,
            preprocessing=SCRFD_PREPROCESSING,
            score_threshold=0.5,  # insightface's default det_thresh
            nms_threshold=0.4,  # insightface SCRFD's nms_thresh
        )

    def recogniser_spec(self) -> RecogniserSpec:
        return RecogniserSpec(
            kind="arcface",
            file=self.recogniser_file,
            preprocessing=ARCFACE_PREPROCESSING,
            embedding_size=512,
            threshold=0.4,
            threshold_source="insightface's default cosine threshold for buffalo embeddings (0.4);"
            " not tuned on CCES data",
        )

    def licences(self) -> tuple[Licence, ...]:
        spdx = "LicenseRef-insightface-non-commercial"
        return tuple(
            Licence(component=component, spdx=spdx, text=LICENCE_TEXT, commercial_use=False)
            for component in (f"SCRFD detector {self.detector_file}", f"ArcFace recogniser {self.recogniser_file}")
        )


_EXTRAS = ("1k3d68.onnx", "2d106det.onnx", "genderage.onnx")
INSIGHTFACE_PACKS: dict[str, InsightfacePack] = {
    p.pack_id: p
    for p in (
        InsightfacePack(
            "buffalo_l",
            f"insightface buffalo_l: SCRFD-10GF + ArcFace ResNet-50 (WebFace600K), 512-d; {NON_COMMERCIAL}",
            "det_10g.onnx",
            "w600k_r50.onnx",
            _EXTRAS,
        ),
        InsightfacePack(
            "buffalo_s",
            f"insightface buffalo_s: SCRFD-500MF + ArcFace MobileFaceNet (WebFace600K), 512-d; {NON_COMMERCIAL}",
            "det_500m.onnx",
            "w600k_mbf.onnx",
            _EXTRAS,
        ),
        InsightfacePack(
            "buffalo_sc",
            f"insightface buffalo_sc: SCRFD-500MF + ArcFace MobileFaceNet (WebFace600K), 512-d; {NON_COMMERCIAL}",
            "det_500m.onnx",
            "w600k_mbf.onnx",
            (),
        ),
    )
}


@dataclass(frozen=True)
class InsightfaceInstall:
    path: Path
    manifest: PackManifest
    changed: bool
    seconds: float


def install_insightface_pack(pack: InsightfacePack, models_dir: Path, source: Path) -> InsightfaceInstall:
    """Install `pack` from a folder or .zip into `models_dir/<pack_id>`; nothing changes on any error.

    Idempotent: an intact installed pack whose files have the same digests as the source's is
    left as it is.
    """
    started = time.perf_counter()
    target = models_dir / pack.pack_id
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{pack.pack_id}.", dir=models_dir))
    try:
        digests = _copy_expected(pack, source, staging)
        for name in pack.expected_files:
            log.info("%s: %s SHA-256 %s", pack.pack_id, name, digests[name])
        _check_signatures(pack, staging)
        _load_check(pack, staging)
        manifest = PackManifest(
            pack_id=pack.pack_id,
            description=pack.description,
            source=f"insightface {pack.pack_id} from {source.resolve()}",
            loader="insightface.model_zoo",
            int8_folded=False,
            files=tuple(
                PackFile(role=role, name=name, sha256=digests[name], source_name=name, source_sha256=digests[name])
                for role, name in (("detector", pack.detector_file), ("recogniser", pack.recogniser_file))
            ),
            detector=pack.detector_spec(),
            recogniser=pack.recogniser_spec(),
            licences=pack.licences(),
        )
        if _same_as_installed(target, manifest):
            log.info("model pack %s already installed at %s with the same files", pack.pack_id, target)
            return InsightfaceInstall(target, PackManifest.read(target), False, time.perf_counter() - started)
        manifest.write(staging)
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.warning("model pack %s installed at %s: %s", pack.pack_id, target, NON_COMMERCIAL)
    return InsightfaceInstall(target, manifest, True, time.perf_counter() - started)


def _copy_expected(pack: InsightfacePack, source: Path, staging: Path) -> dict[str, str]:
    """Copy the pack's two graphs from the folder or zip into `staging`; their SHA-256 by name."""
    if source.is_dir():
        found = _find_in_folder(source, pack)
        return {name: _copy_stream(path.open("rb"), staging / name) for name, path in found.items()}
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            members = _find_in_zip(archive, source, pack)
            digests = {}
            for name, info in members.items():
                if info.file_size > MAX_FILE_BYTES:
                    raise PackError(f"{source}: {info.filename} claims {info.file_size} bytes; not a face model")
                digests[name] = _copy_stream(archive.open(info), staging / name)
            return digests
    if source.exists():
        raise PackError(f"{source} is neither a folder nor a .zip file; give the {pack.pack_id} folder or zip")
    raise PackError(f"{source} not found; give the {pack.pack_id} folder or zip as insightface distributes it")


def _candidates(names: list[PurePosixPath], pack: InsightfacePack) -> dict[str, PurePosixPath]:
    """Expected files at the top or in one sub-folder (buffalo_l.zip has them at the top, others in a folder)."""
    found: dict[str, list[PurePosixPath]] = {}
    for rel in names:
        if rel.name in pack.expected_files and len(rel.parts) <= 2 and ".." not in rel.parts:
            found.setdefault(rel.name, []).append(rel)
    chosen = {}
    for name, paths in found.items():
        if len(paths) > 1:
            raise PackError(f"{name} appears {len(paths)} times ({', '.join(map(str, paths))}); give one pack")
        chosen[name] = paths[0]
    missing = [n for n in pack.expected_files if n not in chosen]
    if missing:
        onnx_found = sorted(str(p) for p in names if p.suffix == ".onnx")
        raise PackError(
            f"not a complete {pack.pack_id} pack: missing {', '.join(missing)} (expected"
            f" {' and '.join(pack.expected_files)}; found {', '.join(onnx_found) or 'no .onnx file'})"
        )
    return chosen


def _find_in_folder(folder: Path, pack: InsightfacePack) -> dict[str, Path]:
    paths = [*folder.glob("*.onnx"), *folder.glob("*/*.onnx")]
    names = [PurePosixPath(p.relative_to(folder).as_posix()) for p in paths if p.is_file()]
    return {name: folder / rel for name, rel in _candidates(names, pack).items()}


def _find_in_zip(archive: zipfile.ZipFile, source: Path, pack: InsightfacePack) -> dict[str, zipfile.ZipInfo]:
    infos = {PurePosixPath(i.filename): i for i in archive.infolist() if not i.is_dir()}
    try:
        chosen = _candidates(list(infos), pack)
    except PackError as exc:
        raise PackError(f"{source}: {exc}") from None
    return {name: infos[rel] for name, rel in chosen.items()}


def _copy_stream(stream: BinaryIO, out: Path) -> str:
    digest, size = hashlib.sha256(), 0
    with stream, out.open("wb") as handle:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise PackError(f"{out.name} is larger than {MAX_FILE_BYTES} bytes; not a face model")
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


def _dims(value: onnx.ValueInfoProto) -> list[int | str]:
    return [d.dim_value if d.dim_value > 0 else (d.dim_param or "?") for d in value.type.tensor_type.shape.dim]


def _check_signatures(pack: InsightfacePack, folder: Path) -> None:
    """Each file has the inputs/outputs of its role (catches swapped or foreign files before loading)."""
    det, rec = (_graph(folder / name) for name in pack.expected_files)
    det_in = [_dims(i) for i in det.input]
    if len(det.input) != 1 or len(det_in[0]) != 4 or det_in[0][1] != 3 or len(det.output) != SCRFD_OUTPUTS:
        raise PackError(
            f"{pack.detector_file} is not an SCRFD detector with landmarks: inputs {det_in},"
            f" {len(det.output)} outputs (expected one N x 3 x H x W input and {SCRFD_OUTPUTS} outputs)"
        )
    rec_in = [_dims(i) for i in rec.input]
    rec_out = [_dims(o) for o in rec.output]
    if len(rec_in) != 1 or rec_in[0][1:] != [3, 112, 112] or len(rec_out) != 1 or rec_out[0][-1] != 512:
        raise PackError(
            f"{pack.recogniser_file} is not an ArcFace recogniser: inputs {rec_in}, outputs {rec_out}"
            " (expected N x 3 x 112 x 112 in, N x 512 out)"
        )


def _graph(path: Path) -> onnx.GraphProto:
    try:
        return onnx.load(str(path), load_external_data=False).graph
    except Exception as exc:  # protobuf raises DecodeError and friends
        raise PackError(f"{path.name} is not a readable ONNX model: {' '.join(str(exc).split())[:200]}") from exc


def _load_check(pack: InsightfacePack, folder: Path) -> None:
    """Load both graphs through insightface.model_zoo on the CPU, exactly as the engine will."""
    from models.insightface_loader import load_models

    det, rec = folder / pack.detector_file, folder / pack.recogniser_file
    load_models(det, rec, pack.detector_spec(), pack.recogniser_spec(), providers=["CPUExecutionProvider"])


def _same_as_installed(target: Path, manifest: PackManifest) -> bool:
    if not (target / MANIFEST_NAME).exists():
        return False
    from models.install import verify_pack

    try:
        installed = verify_pack(target)
    except PackError as exc:
        log.warning("reinstalling: %s", exc)
        return False
    return {f.name: f.sha256 for f in installed.files} == {f.name: f.sha256 for f in manifest.files}


def _swap_in(staging: Path, target: Path) -> None:
    from models.install import _swap_in as swap

    swap(staging, target)
