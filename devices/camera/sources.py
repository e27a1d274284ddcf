"""Camera sources with a state for telemetry: a live camera that reconnects, a file that may loop.

A live camera (V4L2 index, RTSP/HTTP URL, GStreamer pipeline) must survive being unplugged.

`cv2.VideoCapture` reports a dropped camera only as failed reads; this wrapper turns that into
a state a heartbeat can report (`streaming`, `reconnecting`) and reopens the source with
exponential backoff, so a door terminal whose USB camera was reseated, or whose RTSP stream
restarted, carries on without a person restarting the agent.

Timestamps are seconds on the monotonic clock since this object was created, continuous across
reopenings, so a face tracker fed from it never sees time jump backwards. Each frame also
carries `captured_at`, the wall clock when `read` returned it (a file: playback start + its
position), which is the time events about that frame carry.

GStreamer pipelines (a Jetson's CSI camera) have their own source, `gstreamer.GStreamerCamera`:
the pip OpenCV has no GStreamer, so it can also run `gst-launch-1.0` and read raw frames.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from devices.camera.video_file import Frame, VideoFile

log = logging.getLogger(__name__)


@dataclass
class CameraStatus:
    """What a heartbeat says about a camera; updated by the reading thread, read by others."""

    state: str = "closed"  # closed | opening | streaming | reconnecting | ended | stopped
    opens: int = 0  # successful opens (1 + reconnects)
    drops: int = 0  # times the source stopped delivering frames
    last_error: str | None = None
    frames: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def set(self, state: str, error: str | None = None) -> None:
        with self.lock:
            self.state = state
            if error is not None:
                self.last_error = error


def parse_source(source: int | str) -> int | str:
    """A device index as int (`0`, `"0"`), anything else (URL, /dev path, pipeline) unchanged."""
    if isinstance(source, str) and source.strip().isdigit():
        return int(source.strip())
    return source


class LiveCamera:
    """Frames from `source` until `stop` is set; reopens with backoff when the source drops."""

    def __init__(
        self,
        source: int | str,
        *,
        backoff_min_s: float = 0.5,
        backoff_max_s: float = 30.0,
        read_failures_before_drop: int = 5,
        status: CameraStatus | None = None,
    ) -> None:
        self.source = parse_source(source)
        self.backoff_min_s = backoff_min_s
        self.backoff_max_s = backoff_max_s
        self.read_failures_before_drop = read_failures_before_drop
        self.status = status or CameraStatus()
        self._t0 = time.monotonic()

    def frames(self, stop: threading.Event) -> Iterator[Frame]:
        index = 0
        delay = self.backoff_min_s
        while not stop.is_set():
            self.status.set("opening" if self.status.opens == 0 else "reconnecting")
            capture = cv2.VideoCapture(self.source)
            if not capture.isOpened():
                capture.release()
                self.status.set(self.status.state, f"cannot open camera {self.source!r}")
                log.warning("camera %r cannot be opened; retrying in %.1f s", self.source, delay)
                stop.wait(delay)
                delay = min(delay * 2, self.backoff_max_s)
                continue
            self.status.opens += 1
            self.status.set("streaming")
            log.info("camera %r open", self.source)
            failures = 0
            try:
                while not stop.is_set():
                    ok, image = capture.read()
                    if not ok or image is None:
                        failures += 1
                        if failures >= self.read_failures_before_drop:
                            break
                        continue
                    failures, delay = 0, self.backoff_min_s
                    self.status.frames += 1
                    yield Frame(index, time.monotonic() - self._t0, image, time.time())
                    index += 1
            finally:
                capture.release()
            if not stop.is_set():
                self.status.drops += 1
                self.status.set("reconnecting", f"camera {self.source!r} stopped delivering frames")
                log.warning("camera %r dropped; reopening in %.1f s", self.source, delay)
                stop.wait(delay)
                delay = min(delay * 2, self.backoff_max_s)
        self.status.set("stopped")


class FileCamera:
    """A video file as a camera: played once (`loop=False`, then `ended`) or over and over.

    Looping keeps timestamps increasing (each pass starts where the last ended), so a tracker
    and its cooldown treat a looped clip like people coming back, not like time going back.
    """

    def __init__(
        self, path: Path, *, realtime: bool = False, loop: bool = False, status: CameraStatus | None = None
    ) -> None:
        self.video = VideoFile(path, realtime=realtime)  # raises VideoError when missing/undecodable
        self.loop = loop
        self.status = status or CameraStatus()

    def frames(self, stop: threading.Event) -> Iterator[Frame]:
        index, offset, start_wall = 0, 0.0, None
        while not stop.is_set():
            self.status.opens += 1
            self.status.set("streaming")
            last_ts = -1.0
            for frame in self.video.frames():
                if stop.is_set():
                    break
                last_ts = frame.ts
                self.status.frames += 1
                if start_wall is None:  # the first pass's start: later passes continue from it
                    start_wall = (frame.captured_at or time.time()) - frame.ts
                yield Frame(index, offset + frame.ts, frame.image, start_wall + offset + frame.ts)
                index += 1
            if stop.is_set() or not self.loop:
                break
            offset += last_ts + 1.0 / self.video.fps
        self.status.set("stopped" if stop.is_set() else "ended")
