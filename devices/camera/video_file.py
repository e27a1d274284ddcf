"""A video file as a camera: frames with their media timestamps.

Timestamps come from the frame index and the file's frame rate (not the wall clock), so a
clip processed faster or slower than real time gives the same per-person timings and the same
cooldown behaviour. `realtime=True` paces delivery at the file's own rate, like a live camera.

Each frame's `captured_at` (the time an event about it carries) is position-based too: the
wall clock when playback started plus the frame's position in the clip — what a camera
filming the scene from that moment would have stamped, however fast the clip is processed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np


class VideoError(Exception):
    """The file is missing or cannot be decoded; the message names it."""


@dataclass(frozen=True)
class Frame:
    index: int
    ts: float  # seconds since the first frame (media / monotonic time: what tracks and cooldowns use)
    image: np.ndarray  # BGR uint8
    captured_at: float | None = None  # wall clock (Unix seconds, UTC) when the frame was captured


class VideoFile:
    def __init__(self, path: Path, *, realtime: bool = False) -> None:
        if not path.is_file():
            raise VideoError(f"video file not found: {path}")
        self.path = path
        self.realtime = realtime
        capture = cv2.VideoCapture(str(path))
        try:
            if not capture.isOpened():
                raise VideoError(f"cannot open video {path}: not a decodable video file")
            fps = capture.get(cv2.CAP_PROP_FPS)
            self.fps = float(fps) if fps and fps > 0 else 30.0
            self.frame_count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        finally:
            capture.release()

    def frames(self) -> Iterator[Frame]:
        capture = cv2.VideoCapture(str(self.path))
        start, start_wall = time.monotonic(), time.time()
        index = 0
        try:
            while True:
                ok, image = capture.read()
                if not ok:
                    break
                ts = index / self.fps
                if self.realtime:
                    delay = start + ts - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                yield Frame(index, ts, image, start_wall + ts)
                index += 1
        finally:
            capture.release()
        if index == 0:
            raise VideoError(f"cannot decode any frame of {self.path}")
