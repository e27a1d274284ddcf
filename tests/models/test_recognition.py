"""The pipeline on the real test photos and clip (`$CCES_TESTDATA/faces`), threshold from the pack."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from models.align import align
from models.images import read_image
from models.tracking import iou


def _identify(engine, gallery, path: Path) -> list:
    faces = engine.analyse(read_image(path))
    return gallery.match(engine.embed(faces), engine.threshold) if faces else []


def test_gallery_is_built_from_every_enrollment_folder(gallery, faces_dir: Path) -> None:
    people = sorted(p.name for p in (faces_dir / "enroll").iterdir() if p.is_dir())
    assert gallery.people == people
    assert gallery.dimension == 128


def test_every_probe_identifies_its_expected_people(engine, gallery, faces_dir: Path, truth: dict) -> None:
    wrong = {}
    for name, expected in truth["probe"].items():
        found = [m.person_id for m in _identify(engine, gallery, faces_dir / "probe" / name)]
        named = {p for p in found if p is not None}
        if named != set(expected) or any(found.count(p) > 1 for p in named):
            wrong[name] = found
    assert wrong == {}


def test_every_face_of_strangers_is_unknown(engine, gallery, faces_dir: Path, truth: dict) -> None:
    faces = 0
    for name in truth["unknown"]:
        matches = _identify(engine, gallery, faces_dir / "unknown" / name)
        assert matches, f"no face detected in {name}"
        faces += len(matches)
        assert [m.person_id for m in matches] == [None] * len(matches), name
    assert faces >= len(truth["unknown"])


def test_detection_agrees_with_opencv_facedetectoryn(engine, models_dir: Path, faces_dir: Path) -> None:
    """Our own YuNet decoding finds the same faces as OpenCV's implementation of the same model."""
    image = read_image(faces_dir / "probe" / "two_people.jpg")
    ours = sorted(f.box for f in engine.detector.detect(image))
    detector = cv2.FaceDetectorYN.create(str(models_dir / "yunet-sface" / "detector.onnx"), "", (640, 640), 0.8)
    detector.setInputSize((image.shape[1], image.shape[0]))  # OpenCV runs at full size, we at 640 max
    _, found = detector.detect(image)
    assert found is not None and len(found) == len(ours) == 2
    theirs = sorted((x, y, x + w, y + h) for x, y, w, h in found[:, :4].tolist())
    for a, b in zip(ours, theirs, strict=True):
        assert iou(a, b) > 0.8, (a, b)


def test_embedding_preprocessing_matches_opencv_facerecognizersf(engine, models_dir: Path, faces_dir: Path) -> None:
    """The manifest's 'RGB, 0-255, no mean/std' gives the embedding cv::FaceRecognizerSF computes."""
    image = read_image(faces_dir / "enroll" / "obama" / "obama.jpg")
    face = engine.detector.detect(image)[0]
    crop = align(image, face)
    ours = engine.embedder.embed([crop])[0]
    recognizer = cv2.FaceRecognizerSF.create(str(models_dir / "yunet-sface" / "recogniser.onnx"), "")
    theirs = recognizer.feature(crop).reshape(-1)
    theirs /= np.linalg.norm(theirs)
    assert float(ours @ theirs) > 0.999
    swapped = engine.embedder.embed([crop[:, :, ::-1].copy()])[0]  # BGR fed as if RGB: measurably different
    assert float(ours @ swapped) < 0.99


@pytest.fixture(scope="session")
def clip_scan(engine, gallery, faces_dir: Path):
    from devices.camera.video_file import VideoFile
    from models.stream import FaceStream

    stream = FaceStream(engine, gallery)
    decisions = []
    for frame in VideoFile(faces_dir / "video" / "short_hamilton_clip.mp4").frames():
        decisions.extend(stream.process(frame.image, frame.index, frame.ts).decisions)
    decisions.extend(stream.finish())
    return stream, decisions


def test_clip_records_exactly_the_people_present(clip_scan, truth: dict) -> None:
    stream, decisions = clip_scan
    expected = truth["video"]["short_hamilton_clip.mp4"]
    recorded = [d.person_id for d in decisions if d.kind == "attendance"]
    assert sorted(recorded) == sorted(expected["present"])  # each once (cooldown), nobody else
    assert not set(recorded) & set(expected["absent"])
    assert stream.stats.frames == 275
    for d in decisions:
        if d.kind == "attendance":
            assert d.agreeing_frames >= 3 and d.score >= stream.policy.threshold
        else:
            assert d.person_id is None
