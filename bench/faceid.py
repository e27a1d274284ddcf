"""FaceID figures on this machine: prepare time, detection, embedding, 10,000-person match, clip fps.

    python -m bench.faceid            # test data from $CCES_TESTDATA (default ../shared/testdata)

Prints one line per figure, for both preparations of the default pack (int8 weights as
shipped, and folded to fp32). Goals (issue 3, 2 cores): clip >= 30 fps end to end, 10,000-person
match <= 2 ms, <= 15% of the time outside model inference.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from devices.camera.video_file import VideoFile
from models.engine import FaceEngine
from models.enrollment import gallery_from_folder
from models.gallery import Gallery
from models.install import install_pack
from models.stream import FaceStream

REPO = Path(__file__).resolve().parent.parent


def _median_ms(fn, repeat: int) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def bench_variant(faces: Path, models_dir: Path, fold: bool) -> None:
    label = "folded fp32" if fold else "int8 as shipped"
    result = install_pack("yunet-sface", models_dir / ("folded" if fold else "int8"), fold_int8=fold)
    print(f"[{label}] prepare (copy, verify, prepare, manifest): {result.seconds * 1000:.0f} ms")
    engine = FaceEngine(result.path)
    frames = [f.image for f in VideoFile(faces / "video" / "short_hamilton_clip.mp4").frames()]
    sample = frames[::5]
    det = statistics.median(_median_ms(lambda f=f: engine.detector.detect(f), 1) for f in sample)
    print(f"[{label}] detection (640x360 frame -> 640x384 input): {det:.1f} ms/frame")
    crops = [a.aligned for f in sample for a in engine.analyse(f)][:40]
    one = statistics.median(_median_ms(lambda c=c: engine.embedder.embed([c]), 1) for c in crops)
    four = _median_ms(lambda: engine.embedder.embed(crops[:4]), 10) / 4
    print(f"[{label}] embedding: {one:.1f} ms/face alone, {four:.1f} ms/face in a batch of 4")
    gallery = gallery_from_folder(engine, faces / "enroll")
    stream = FaceStream(engine, gallery)
    started = time.perf_counter()
    for frame in VideoFile(faces / "video" / "short_hamilton_clip.mp4").frames():  # decoding included
        stream.process(frame.image, frame.index, frame.ts)
    stream.finish()
    wall = time.perf_counter() - started
    stats = stream.stats
    inference = stats.detect_inference_s + stats.embed_inference_s
    print(
        f"[{label}] clip end to end: {stats.frames / wall:.1f} fps ({stats.frames} frames, {stats.faces} faces,"
        f" {stats.assessed} aligned, {stats.embeddings} embeddings);"
        f" outside model inference: {100 * (1 - inference / wall):.1f}% of the time"
        f" ({100 * (1 - stats.inference_share):.1f}% excluding video decoding)"
    )


def bench_match() -> None:
    rng = np.random.default_rng(0)
    gallery = Gallery([f"p{i:05d}" for i in range(10_000)], rng.normal(size=(10_000, 128)).astype(np.float32))
    probe = rng.normal(size=(1, 128)).astype(np.float32)
    probe /= np.linalg.norm(probe)
    probes = np.repeat(probe, 4, axis=0)
    print(f"match against 10,000 people x 128-d: {_median_ms(lambda: gallery.match(probe, 0.363), 200):.3f} ms"
          f" for 1 face, {_median_ms(lambda: gallery.match(probes, 0.363), 200):.3f} ms for 4 faces")  # fmt: skip


def main() -> None:
    testdata = Path(os.environ.get("CCES_TESTDATA", REPO.parent / "shared" / "testdata"))
    faces = testdata / "faces"
    if not faces.exists():
        raise SystemExit(f"test data not found at {faces} (set CCES_TESTDATA)")
    print(f"cpu cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="cces-bench-") as tmp:
        for fold in (False, True):
            bench_variant(faces, Path(tmp), fold)
    bench_match()


if __name__ == "__main__":
    main()
