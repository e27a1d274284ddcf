"""insightface packs (buffalo_l / _s / _sc): install from a folder or zip, verify, load through model_zoo.

The graphs are real ONNX models built in `insightface_graphs` with the signatures of SCRFD
det_10g and ArcFace w600k (no buffalo weights exist here; see that module). Recognition quality
with the real weights is tested only when CCES_BUFFALO_DIR points at a real pack.
"""

from __future__ import annotations

import logging
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import onnx
import pytest

from models.digests import sha256_file
from models.embedder import l2_normalise, to_tensor
from models.engine import FaceEngine
from models.errors import PackError
from models.gallery import Gallery
from models.install import install_pack, list_packs, verify_pack
from models.stream import FaceStream
from tests.models.insightface_graphs import arcface_like, face_image, scrfd_like, write_pack, write_zip

pytest.importorskip("insightface")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("buffalo_l-src"))


@pytest.fixture(scope="module")
def buffalo(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    """models folder with buffalo_l installed from the folder."""
    folder = tmp_path_factory.mktemp("buffalo-models")
    install_pack("buffalo_l", folder, source_dir=source)
    return folder


@pytest.fixture(scope="module")
def engine(buffalo: Path) -> FaceEngine:
    return FaceEngine(buffalo / "buffalo_l")


def test_manifest_states_files_digests_preprocessing_size_threshold_and_licence(buffalo: Path, source: Path) -> None:
    manifest = verify_pack(buffalo / "buffalo_l")
    assert manifest.loader == "insightface.model_zoo"
    pack = buffalo / "buffalo_l"
    expected = [("detector", "det_10g.onnx"), ("recogniser", "w600k_r50.onnx")]
    assert [(f.role, f.name) for f in manifest.files] == expected
    for f in manifest.files:
        assert f.sha256 == f.source_sha256 == sha256_file(source / f.name) == sha256_file(pack / f.name)
    assert sorted(p.name for p in pack.iterdir()) == ["det_10g.onnx", "manifest.json", "w600k_r50.onnx"]  # no extras
    det, rec = manifest.detector.preprocessing, manifest.recogniser.preprocessing
    assert (det.channel_order, det.mean, det.std) == ("RGB", (127.5,) * 3, (128.0,) * 3)
    assert (rec.channel_order, rec.mean, rec.std) == ("RGB", (127.5,) * 3, (127.5,) * 3)
    assert manifest.recogniser.embedding_size == 512 and manifest.recogniser.threshold == 0.4
    assert not manifest.commercial_use
    assert all(not lic.commercial_use and "non-commercial research" in lic.text for lic in manifest.licences)
    assert "weights for non-commercial research only" in (manifest.licence_notice or "")


@pytest.mark.parametrize(
    ("pack_id", "detector", "recogniser", "prefix"),
    [
        ("buffalo_l", "det_10g.onnx", "w600k_r50.onnx", ""),  # buffalo_l.zip: files at the top
        ("buffalo_s", "det_500m.onnx", "w600k_mbf.onnx", "buffalo_s/"),
        ("buffalo_sc", "det_500m.onnx", "w600k_mbf.onnx", "buffalo_sc/"),
    ],
)
def test_each_pack_installs_from_its_zip(
    tmp_path: Path, pack_id: str, detector: str, recogniser: str, prefix: str
) -> None:
    src = write_pack(tmp_path / "src", detector, recogniser)
    archive = write_zip(tmp_path / f"{pack_id}.zip", src, prefix=prefix)
    result = install_pack(pack_id, tmp_path / "models", source_dir=archive)
    assert result.changed
    assert [f.name for f in result.manifest.files] == [detector, recogniser]
    assert result.manifest.source.endswith(str(archive.resolve()))
    again = install_pack(pack_id, tmp_path / "models", source_dir=archive)
    assert not again.changed  # same files: nothing rewritten


def test_a_changed_file_is_detected_and_a_reinstall_repairs_it(tmp_path: Path, source: Path) -> None:
    install_pack("buffalo_l", tmp_path, source_dir=source)
    with (tmp_path / "buffalo_l" / "w600k_r50.onnx").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(PackError, match="w600k_r50.onnx is corrupted"):
        verify_pack(tmp_path / "buffalo_l")
    assert [s.ok for s in list_packs(tmp_path)] == [False]
    assert install_pack("buffalo_l", tmp_path, source_dir=source).changed
    verify_pack(tmp_path / "buffalo_l")


def test_bad_sources_are_refused_and_change_nothing(tmp_path: Path, source: Path) -> None:
    models = tmp_path / "models"
    before = install_pack("buffalo_l", models, source_dir=source).manifest
    with pytest.raises(PackError, match="not distributed with CCES.*non-commercial.*--from PATH"):
        install_pack("buffalo_l", models)
    with pytest.raises(PackError, match="not a complete buffalo_s pack: missing det_500m.onnx, w600k_mbf.onnx"):
        install_pack("buffalo_s", models, source_dir=source)
    incomplete = tmp_path / "incomplete"
    incomplete.mkdir()
    shutil.copy(source / "det_10g.onnx", incomplete)
    with pytest.raises(PackError, match="missing w600k_r50.onnx"):
        install_pack("buffalo_l", models, source_dir=write_zip(tmp_path / "incomplete.zip", incomplete))
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    onnx.save(arcface_like(), str(swapped / "det_10g.onnx"))
    onnx.save(scrfd_like(), str(swapped / "w600k_r50.onnx"))
    with pytest.raises(PackError, match="det_10g.onnx is not an SCRFD detector"):
        install_pack("buffalo_l", models, source_dir=swapped)
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "det_10g.onnx").write_bytes(b"not onnx")
    shutil.copy(source / "w600k_r50.onnx", garbage)
    with pytest.raises(PackError, match="det_10g.onnx is not a readable ONNX model"):
        install_pack("buffalo_l", models, source_dir=garbage)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(PackError, match="neither a folder nor a .zip"):
        install_pack("buffalo_l", models, source_dir=tmp_path / "notes.txt")
    with pytest.raises(PackError, match="not found"):
        install_pack("buffalo_l", models, source_dir=tmp_path / "nowhere.zip")
    with pytest.raises(PackError, match="--fold-int8 applies to yunet-sface only"):
        install_pack("buffalo_l", models, source_dir=source, fold_int8=True)
    assert verify_pack(models / "buffalo_l") == before  # the installed pack is untouched
    assert [p.name for p in models.iterdir()] == ["buffalo_l"]  # no staging folder left behind


def test_a_zip_with_two_packs_inside_is_ambiguous(tmp_path: Path, source: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for prefix in ("a/", "b/"):
            for name in ("det_10g.onnx", "w600k_r50.onnx"):
                zf.write(source / name, prefix + name)
    with pytest.raises(PackError, match="det_10g.onnx appears 2 times"):
        install_pack("buffalo_l", tmp_path / "models", source_dir=archive)


def test_loading_goes_through_model_zoo_and_logs_the_licence(buffalo: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        engine = FaceEngine(buffalo / "buffalo_l")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("buffalo_l: weights for non-commercial research only" in m for m in warnings)
    assert any("insightface.model_zoo det_10g.onnx: providers" in r.getMessage() for r in caplog.records)
    assert type(engine.detector._model).__name__ == "SCRFD"  # type: ignore[attr-defined]
    assert type(engine.embedder._model).__name__ == "ArcFaceONNX"  # type: ignore[attr-defined]
    assert engine.embedding_size == 512 and engine.threshold == 0.4
    assert engine.providers[0] in ("TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider")


def test_faces_are_found_where_they_are_with_their_landmarks(engine: FaceEngine) -> None:
    image = face_image([(4, 3), (12, 8)])
    before = engine.detector.inference_seconds
    faces = engine.detect(image)
    assert engine.detector.inference_seconds > before  # model time is measured for the benchmark
    # SCRFD anchors sit on the cell's top-left corner; the graph puts a 64x64 box centred on the cell
    assert sorted(f.box for f in faces) == [(112.0, 80.0, 176.0, 144.0), (368.0, 240.0, 432.0, 304.0)]
    left = min(faces, key=lambda f: f.box[0])
    assert left.landmarks.shape == (5, 2)
    np.testing.assert_allclose(left.landmarks[0], (4 * 32 + 0.15 * 32, 3 * 32 + 0.2 * 32), atol=1e-3)
    scaled = engine.detect(np.repeat(np.repeat(image, 2, axis=0), 2, axis=1))  # 1280x960 runs at 640 max
    assert sorted(f.box for f in scaled) == [tuple(2 * v for v in f.box) for f in sorted(faces, key=lambda f: f.box)]


def test_embeddings_follow_the_manifest_preprocessing(engine: FaceEngine) -> None:
    """model_zoo's ArcFace runs exactly what the manifest states: RGB, (x - 127.5) / 127.5."""
    faces = engine.analyse(face_image([(5, 5)], pattern=3))
    assert [f.quality.ok for f in faces] == [True]
    ours = engine.embed(faces)
    assert ours.shape == (1, 512)
    session = engine.embedder.session  # type: ignore[attr-defined]
    tensor = to_tensor([faces[0].aligned], engine.manifest.recogniser.preprocessing)
    stated = l2_normalise(session.run(None, {session.get_inputs()[0].name: tensor})[0])
    assert float(ours[0] @ stated[0]) > 0.99999


def test_the_pipeline_runs_on_the_pack_with_its_size_and_threshold(engine: FaceEngine) -> None:
    people = {f"person_{p}": engine.embed(engine.analyse(face_image([(6, 6)], pattern=p)))[0] for p in range(4)}
    gallery = Gallery(list(people), np.stack(list(people.values())))
    assert gallery.dimension == 512
    for p in range(4):  # a different position in the frame, the same "person"
        probe = engine.embed(engine.analyse(face_image([(10, 4)], pattern=p)))
        [match] = gallery.match(probe, engine.threshold)
        assert match.person_id == f"person_{p}" and match.score > 0.999
    stream = FaceStream(engine, gallery)
    assert stream.policy.threshold == 0.4
    decisions = []
    for i in range(6):
        decisions += stream.process(face_image([(8, 5)], pattern=2), i, i / 30).decisions
    decisions += stream.finish()
    assert [(d.kind, d.person_id) for d in decisions] == [("attendance", "person_2")]


@pytest.mark.skipif(
    not os.environ.get("CCES_BUFFALO_DIR"),
    reason="recognition quality needs the real buffalo weights (non-commercial, not on this machine):"
    " set CCES_BUFFALO_DIR to a buffalo_l folder or zip (CCES_BUFFALO_PACK for buffalo_s/_sc)",
)
def test_real_buffalo_weights_identify_the_test_photos(tmp_path: Path, faces_dir: Path, truth: dict) -> None:
    from models.enrollment import gallery_from_folder
    from models.images import read_image

    pack_id = os.environ.get("CCES_BUFFALO_PACK", "buffalo_l")
    install_pack(pack_id, tmp_path, source_dir=Path(os.environ["CCES_BUFFALO_DIR"]))
    engine = FaceEngine(tmp_path / pack_id)
    gallery = gallery_from_folder(engine, faces_dir / "enroll")
    for name, expected in truth["probe"].items():
        faces = engine.analyse(read_image(faces_dir / "probe" / name))
        found = {m.person_id for m in gallery.match(engine.embed(faces), engine.threshold)} - {None}
        assert found == set(expected), name
    for name in truth["unknown"]:
        faces = engine.analyse(read_image(faces_dir / "unknown" / name))
        assert faces and all(m.person_id is None for m in gallery.match(engine.embed(faces), engine.threshold)), name
