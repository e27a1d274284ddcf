"""A GStreamer pipeline as a camera (a Jetson's CSI camera: `nvarguscamerasrc ! nvvidconv`).

Two ways to run it, chosen by what this machine has:

- OpenCV built with GStreamer (`cv2.CAP_GSTREAMER`; JetPack's OpenCV is): the pipeline ends in
  an `appsink` and frames come through `cv2.VideoCapture`.
- otherwise (the pip OpenCV wheels have no GStreamer): `gst-launch-1.0 -q <pipeline> !
  videoconvert ! videoscale ! video/x-raw,format=BGR,width=W,height=H ! fdsink fd=1` runs as a
  child process and raw frames are read from its stdout. The caps we append fix the frame size,
  so each frame is exactly `stride x H` bytes (GStreamer pads each BGR row to 4 bytes).

Either way it behaves like the other live sources: a pipeline that fails to start, stops, or
stalls for `stall_s` is a drop; it is restarted with exponential backoff, and `CameraStatus`
says so for telemetry (with the last lines GStreamer printed on stderr as the error). Each
frame's `ts` is monotonic seconds since the camera object was made (continuous across
restarts) and `captured_at` the wall clock when its bytes arrived.
"""

from __future__ import annotations

import logging
import os
import select
import shlex
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from functools import cache

import cv2
import numpy as np

from devices.camera.sources import CameraStatus
from devices.camera.video_file import Frame

log = logging.getLogger(__name__)

GST_LAUNCH = "gst-launch-1.0"


class GStreamerError(ValueError):
    """The pipeline description cannot be used (empty, or it already ends in a sink)."""


@cache
def opencv_has_gstreamer() -> bool:
    for line in cv2.getBuildInformation().splitlines():
        if line.strip().startswith("GStreamer:"):
            return "YES" in line.split(":", 1)[1]
    return False


def find_gst_launch() -> str | None:
    return shutil.which(GST_LAUNCH)


def bgr_stride(width: int) -> int:
    """Bytes per row of a GStreamer BGR frame: 3 bytes a pixel, rounded up to a multiple of 4."""
    return (width * 3 + 3) // 4 * 4


def _check_pipeline(pipeline: str) -> str:
    text = " ".join(pipeline.split())
    if not text:
        raise GStreamerError("empty GStreamer pipeline")
    last = text.rsplit("!", 1)[-1].strip().split(" ", 1)[0]
    if last.endswith("sink"):
        raise GStreamerError(f"give the pipeline without a sink (it ends in {last}); CCES adds the conversion and sink")
    return text


class GStreamerCamera:
    """Frames of `pipeline` (a source part, without sink) at `width` x `height` BGR, until `stop` is set."""

    def __init__(
        self,
        pipeline: str,
        *,
        width: int,
        height: int,
        backoff_min_s: float = 0.5,
        backoff_max_s: float = 30.0,
        stall_s: float = 5.0,
        status: CameraStatus | None = None,
        backend: str | None = None,
    ) -> None:
        if width <= 0 or height <= 0:
            raise GStreamerError(f"frame size must be positive (got {width}x{height})")
        self.pipeline = _check_pipeline(pipeline)
        self.width, self.height = width, height
        self.backoff_min_s, self.backoff_max_s, self.stall_s = backoff_min_s, backoff_max_s, stall_s
        self.status = status or CameraStatus()
        self.backend = backend or ("opencv" if opencv_has_gstreamer() else "gst-launch")
        if self.backend not in ("opencv", "gst-launch"):
            raise GStreamerError(f"unknown GStreamer backend {self.backend!r}")
        self._t0 = time.monotonic()
        self._index = 0

    @property
    def caps(self) -> str:
        return f"video/x-raw,format=BGR,width={self.width},height={self.height}"

    def launch_args(self) -> list[str]:
        """argv of the child process (gst-launch backend)."""
        launcher = find_gst_launch() or GST_LAUNCH
        tail = ["!", "videoconvert", "!", "videoscale", "!", self.caps, "!", "fdsink", "fd=1", "sync=false"]
        return [launcher, "-q", *shlex.split(self.pipeline), *tail]

    def frames(self, stop: threading.Event) -> Iterator[Frame]:
        delay = self.backoff_min_s
        while not stop.is_set():
            self.status.set("opening" if self.status.opens == 0 else "reconnecting")
            produced = 0
            for frame in self._run_once(stop):
                if produced == 0:
                    self.status.opens += 1
                    self.status.set("streaming")
                    log.info("gstreamer camera streaming (%s backend): %s", self.backend, self.pipeline)
                produced += 1
                delay = self.backoff_min_s
                self.status.frames += 1
                yield frame
            if stop.is_set():
                break
            if produced:
                self.status.drops += 1
            self.status.set("reconnecting")
            log.warning("gstreamer camera stopped (%s); restarting in %.1f s", self.status.last_error, delay)
            stop.wait(delay)
            delay = min(delay * 2, self.backoff_max_s)
        self.status.set("stopped")

    def _frame(self, image: np.ndarray) -> Frame:
        frame = Frame(self._index, time.monotonic() - self._t0, image, time.time())
        self._index += 1
        return frame

    def _run_once(self, stop: threading.Event) -> Iterator[Frame]:
        if self.backend == "opencv":
            yield from self._run_opencv(stop)
        else:
            yield from self._run_gst_launch(stop)

    def _run_opencv(self, stop: threading.Event) -> Iterator[Frame]:
        description = f"{self.pipeline} ! videoconvert ! videoscale ! {self.caps} ! appsink drop=true max-buffers=2"
        capture = cv2.VideoCapture(description, cv2.CAP_GSTREAMER)
        try:
            if not capture.isOpened():
                self.status.set(self.status.state, f"OpenCV cannot start the pipeline {self.pipeline!r}")
                return
            while not stop.is_set():
                ok, image = capture.read()
                if not ok or image is None:
                    self.status.set(self.status.state, "the pipeline stopped delivering frames")
                    return
                yield self._frame(image)
        finally:
            capture.release()

    def _run_gst_launch(self, stop: threading.Event) -> Iterator[Frame]:
        if find_gst_launch() is None:
            self.status.set(self.status.state, f"{GST_LAUNCH} not found (Debian package gstreamer1.0-tools)")
            return
        stride, size = bgr_stride(self.width), bgr_stride(self.width) * self.height
        process = subprocess.Popen(
            self.launch_args(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        errors: deque[str] = deque(maxlen=5)
        drain = threading.Thread(target=_drain, args=(process.stderr, errors), name="gst-stderr", daemon=True)
        drain.start()
        assert process.stdout is not None
        fd = process.stdout.fileno()
        try:
            while not stop.is_set():
                buffer = bytearray(size)
                problem = self._read_exact(fd, memoryview(buffer), stop)
                if problem is not None:
                    if not stop.is_set():
                        if problem == "the pipeline ended":  # its stderr may still be on the way: read it all
                            _settle(process, drain)
                        detail = "; ".join(errors) if errors else f"exit code {process.poll()}"
                        self.status.set(self.status.state, f"{problem} ({detail})"[:300])
                    return
                rows = np.frombuffer(buffer, np.uint8).reshape(self.height, stride)
                image = rows[:, : self.width * 3].reshape(self.height, self.width, 3)
                yield self._frame(image if stride == self.width * 3 else np.ascontiguousarray(image))
        finally:
            _stop_process(process)
            drain.join(timeout=1)

    def _read_exact(self, fd: int, view: memoryview, stop: threading.Event) -> str | None:
        """Fill `view` from `fd`; None when done, else why not (end of stream, stall, stop)."""
        got, deadline = 0, time.monotonic() + self.stall_s
        while got < len(view):
            if stop.is_set():
                return "stopped"
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready:
                if time.monotonic() > deadline:
                    return f"no frame for {self.stall_s:.0f} s"
                continue
            n = os.readv(fd, [view[got:]])
            if n == 0:
                return "the pipeline ended"
            got += n
            deadline = time.monotonic() + self.stall_s
        return None


def _settle(process: subprocess.Popen[bytes], drain: threading.Thread, timeout_s: float = 2.0) -> None:
    """Wait (briefly) for an ended pipeline to exit and its stderr reader to finish, so GStreamer's own
    error is the status rather than whatever the reader had got to when stdout closed."""
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return
    drain.join(timeout=timeout_s)


def _drain(stream, lines: deque[str]) -> None:  # type: ignore[no-untyped-def]
    """Keep GStreamer's stderr flowing (a full pipe would block it) and its last lines for the status."""
    for raw in iter(stream.readline, b""):
        text = raw.decode("utf-8", "replace").strip()
        if text:
            lines.append(text)
    stream.close()


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=2)
    if process.stdout is not None:
        process.stdout.close()
