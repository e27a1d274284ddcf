"""GStreamer camera source through the real gst-launch-1.0 (videotestsrc), as on a Jetson without OpenCV-GStreamer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from devices.camera.gstreamer import GStreamerCamera, GStreamerError, bgr_stride, find_gst_launch, opencv_has_gstreamer
from devices.camera.sources import CameraStatus

needs_gst = pytest.mark.skipif(
    find_gst_launch() is None,
    reason="gst-launch-1.0 is not installed (Debian packages gstreamer1.0-tools gstreamer1.0-plugins-base;"
    " scripts/test installs them)",
)


def _take(camera: GStreamerCamera, count: int, timeout_s: float = 20.0) -> list:
    stop = threading.Event()
    frames = []
    deadline = time.monotonic() + timeout_s
    for frame in camera.frames(stop):
        frames.append(frame)
        if len(frames) >= count or time.monotonic() > deadline:
            stop.set()
    return frames


def _watch(camera: GStreamerCamera, until, timeout_s: float = 15.0) -> threading.Event:
    """Run the camera on a thread until `until(status)` or the timeout; returns its stop event (set)."""
    stop = threading.Event()
    thread = threading.Thread(target=lambda: [None for _ in camera.frames(stop)], daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not until(camera.status):
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive(), "the camera did not stop when asked"
    return stop


def test_row_stride_is_padded_to_four_bytes() -> None:
    assert [bgr_stride(w) for w in (320, 321, 322, 323)] == [960, 964, 968, 972]


@needs_gst
def test_frames_have_the_caps_size_and_colour_and_restart_when_the_pipeline_ends() -> None:
    """An odd width (321: rows padded to 964 bytes) and a known colour; 4 buffers per run, so 10 frames need 3 runs."""
    status = CameraStatus()
    camera = GStreamerCamera(
        "videotestsrc num-buffers=4 pattern=red", width=321, height=241, backoff_min_s=0.05, status=status,
        backend="gst-launch",
    )  # fmt: skip
    before = time.time()
    frames = _take(camera, 10)
    after = time.time()
    assert len(frames) == 10
    for frame in frames:
        assert frame.image.shape == (241, 321, 3) and frame.image.dtype == np.uint8
        assert frame.image[120, 160].tolist() == [0, 0, 255]  # BGR red
        assert before <= frame.captured_at <= after
    assert [f.index for f in frames] == list(range(10))
    assert all(b.ts > a.ts for a, b in zip(frames, frames[1:], strict=False))  # continuous across restarts
    assert status.opens == 3 and status.drops == 2
    assert status.state == "stopped" and status.frames == 10


@needs_gst
def test_a_pipeline_that_cannot_start_is_reported_and_retried() -> None:
    """nvarguscamerasrc (the Jetson CSI source) does not exist here: GStreamer's own error is the status."""
    status = CameraStatus()
    camera = GStreamerCamera("nvarguscamerasrc sensor-id=0", width=640, height=480, backoff_min_s=0.05,
                             backoff_max_s=0.1, status=status, backend="gst-launch")  # fmt: skip
    _watch(camera, lambda s: s.last_error is not None and s.state == "reconnecting")
    assert status.opens == 0 and status.frames == 0
    assert "nvarguscamerasrc" in (status.last_error or "")
    assert status.state == "stopped"


@needs_gst
def test_a_stalled_pipeline_is_restarted() -> None:
    """A live source that delivers one frame every 10 s is a stall for a door camera (stall_s=0.5)."""
    status = CameraStatus()
    camera = GStreamerCamera("videotestsrc is-live=true ! video/x-raw,framerate=1/10", width=64, height=48,
                             backoff_min_s=0.05, stall_s=0.5, status=status, backend="gst-launch")  # fmt: skip
    _watch(camera, lambda s: s.opens >= 2)
    assert status.opens >= 2 and status.drops >= 1
    assert "no frame for" in (status.last_error or "")


def test_bad_pipelines_are_refused() -> None:
    with pytest.raises(GStreamerError, match="without a sink"):
        GStreamerCamera("videotestsrc ! autovideosink", width=64, height=48)
    with pytest.raises(GStreamerError, match="empty"):
        GStreamerCamera("  ", width=64, height=48)
    with pytest.raises(GStreamerError, match="positive"):
        GStreamerCamera("videotestsrc", width=0, height=48)


def test_the_backend_follows_what_opencv_was_built_with() -> None:
    camera = GStreamerCamera("videotestsrc", width=64, height=48)
    assert camera.backend == ("opencv" if opencv_has_gstreamer() else "gst-launch")
    args = camera.launch_args()
    assert args[1:4] == ["-q", "videotestsrc", "!"]
    assert args[-5:] == ["video/x-raw,format=BGR,width=64,height=48", "!", "fdsink", "fd=1", "sync=false"]


@needs_gst
def test_the_agent_reads_a_gstreamer_camera_from_its_settings(models_dir: Path, testdata_dir: Path) -> None:
    """`[faceid.camera] gstreamer = "..."` in the agent's settings runs this source; telemetry says it streams."""
    from edge_agent.capabilities.faceid import FaceIdCapability
    from edge_agent.settings import FaceIdSettings

    settings = FaceIdSettings.model_validate(
        {
            "enabled": True,
            "models_dir": str(models_dir),
            "gallery_dir": str(testdata_dir / "faces" / "enroll"),
            "camera": {"gstreamer": "videotestsrc is-live=true pattern=ball", "width": 320, "height": 240},
        }
    )
    capability = FaceIdCapability(settings)

    class _Sink:
        device_id, last_seq = "door-gst-01", 0

        def emit(self, build):  # no faces in a test pattern: nothing is emitted
            raise AssertionError("no event expected")

    capability.start(_Sink())
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and capability.frames < 10:
            time.sleep(0.1)
        metrics = capability.metrics()
    finally:
        capability.stop()
    assert capability.frames >= 10, metrics
    assert metrics["camera_state"] == "streaming" and metrics["model_commercial_use"] is True
    assert capability.metrics()["camera_state"] == "stopped"
