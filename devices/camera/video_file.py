"""A video file as a camera: frames with their media timestamps.

Timestamps come from the frame index and the file's frame rate (not the wall clock), so a
clip processed faster or slower than real time gives the same per-person timings and the same
cooldown behaviour. `realtime=True` paces delivery at the file's own rate, like a live camera.

Each frame's `captured_at` (the time an event about it carries) is position-based too: the
wall clock when playback started plus the frame's position in the clip — what a camera
filming the scene from that moment would have stamped, however fast the clip is processed.

Decoding runs on a reader thread a few frames ahead of the consumer (`prefetch`), the way a
camera delivers frames while the previous one is analysed: decoding then overlaps model
inference instead of adding to it. FFmpeg's own decoding threads are turned off in that case
(`decode_threads=1`): the reader thread is the parallelism, and two more FFmpeg threads would
only compete with onnxruntime's for the same cores.
"""

from __future__ import annotations

import queue
import threading
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
    def __init__(self, path: Path, *, realtime: bool = False, prefetch: int = 2) -> None:
        if not path.is_file():
            raise VideoError(f"video file not found: {path}")
        if prefetch < 0:
            raise ValueError("prefetch must be >= 0 frames")
        self.path = path
        self.realtime = realtime
        self.prefetch = prefetch
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
        images = self._decoded() if self.prefetch == 0 else self._read_ahead()
        start, start_wall = time.monotonic(), time.time()
        index = 0
        try:
            for image in images:
                ts = index / self.fps
                if self.realtime:
                    delay = start + ts - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                yield Frame(index, ts, image, start_wall + ts)
                index += 1
        finally:
            images.close()
        if index == 0:
            raise VideoError(f"cannot decode any frame of {self.path}")

    def _decoded(self, threads: int = 0) -> Iterator[np.ndarray]:
        params = [cv2.CAP_PROP_N_THREADS, threads] if threads else []
        capture = cv2.VideoCapture(str(self.path), cv2.CAP_ANY, params)
        try:
            while True:
                ok, image = capture.read()
                if not ok:
                    return
                yield image
        finally:
            capture.release()

    def _read_ahead(self) -> Iterator[np.ndarray]:
        """Decoded frames from a reader thread, at most `prefetch` ahead; stops it when closed early."""
        ready: queue.Queue[np.ndarray | None] = queue.Queue(self.prefetch)
        stop = threading.Event()

        def read() -> None:
            decoded = self._decoded(threads=1)
            try:
                for image in decoded:
                    while not stop.is_set():
                        try:
                            ready.put(image, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
            finally:
                decoded.close()
                while not stop.is_set():  # the end marker, unless the consumer has gone
                    try:
                        ready.put(None, timeout=0.1)
                        break
                    except queue.Full:
                        continue

        reader = threading.Thread(target=read, name=f"decode-{self.path.name}", daemon=True)
        reader.start()
        try:
            while (image := ready.get()) is not None:
                yield image
        finally:
            stop.set()
            reader.join(timeout=5)
