"""The YuNet detector's reused frame buffers: same results whatever the order, the sizes or the threads."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2

from models.detector import YuNetDetector
from models.images import read_image


def _boxes(faces) -> list:
    return [tuple(round(v, 3) for v in f.box) for f in faces]


def test_results_do_not_depend_on_buffers_reused_across_sizes_and_threads(engine, faces_dir: Path) -> None:
    """Padded frame buffers are per thread and per size: nothing leaks between calls."""
    images = [read_image(p) for p in sorted((faces_dir / "probe").glob("*.jpg"))][:6]
    images += [cv2.resize(images[0], (333, 517)), images[0][:, ::-1].copy()]  # odd size, mirrored: new results
    fresh = YuNetDetector(engine.detector._session, engine.manifest.detector)  # nothing cached yet
    expected = [_boxes(fresh.detect(image)) for image in images]
    assert all(expected) and len(set(map(tuple, expected))) == len(images)
    assert [_boxes(fresh.detect(image)) for image in reversed(images)] == expected[::-1]  # warm buffers

    results: dict[int, list] = {}

    def work(k: int) -> None:
        order = images if k % 2 == 0 else images[::-1]
        last = [_boxes(engine.detector.detect(image)) for _ in range(3) for image in order][-len(images) :]
        results[k] = last if k % 2 == 0 else last[::-1]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == expected for r in results.values())
