"""The video loop aligns only faces it may embed; skipping the others must not change any decision."""

from __future__ import annotations

from pathlib import Path

from models.images import read_image
from models.quality import assess, geometry_ok


def test_a_face_failing_the_geometry_precheck_fails_the_full_gates(engine, faces_dir: Path) -> None:
    from devices.camera.video_file import VideoFile

    images = [read_image(p) for p in sorted(faces_dir.rglob("*.jpg"))]
    images += [f.image for f in VideoFile(faces_dir / "video" / "short_hamilton_clip.mp4").frames()][::9]
    prechecked = failed = 0
    for image in images:
        for face in engine.detect(image):
            full = engine.prepare(image, face).quality
            if not geometry_ok(face, engine.quality_policy):
                failed += 1
                assert not full.ok, "the precheck may only skip faces the gates would reject"
            elif not any(r.startswith("blurred") for r in full.reasons):
                assert full.ok, full.reasons  # passing geometry, only sharpness can still fail
            assert full == assess(face, engine.prepare(image, face).aligned, engine.quality_policy)
            prechecked += 1
    assert prechecked > 50 and failed > 0


def test_the_clip_aligns_far_fewer_faces_than_it_detects(engine, gallery, faces_dir: Path) -> None:
    from devices.camera.video_file import VideoFile
    from models.stream import FaceStream

    stream = FaceStream(engine, gallery)
    for frame in VideoFile(faces_dir / "video" / "short_hamilton_clip.mp4").frames():
        result = stream.process(frame.image, frame.index, frame.ts)
        assert all(seen.analysed is None or seen.analysed.quality.ok for seen in result.faces)
    stats = stream.stats
    assert stats.embeddings <= stats.assessed < stats.faces / 2
