"""Every camera source stamps each frame with its capture time, and events carry that time, not the decision's."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devices.camera.sources import FileCamera, LiveCamera
from devices.camera.video_file import VideoFile

CLIP = Path("faces") / "video" / "short_hamilton_clip.mp4"


@pytest.fixture(scope="module")
def clip(testdata_dir: Path) -> Path:
    path = testdata_dir / CLIP
    if not path.exists():
        pytest.skip(f"test clip not found at {path}")
    return path


def test_a_file_is_stamped_by_position_from_the_start_of_playback(clip: Path) -> None:
    video = VideoFile(clip)
    before = time.time()
    frames = list(video.frames())  # as fast as possible: ~9 s of video in well under that
    after = time.time()
    start = frames[0].captured_at - frames[0].ts
    assert before <= start <= before + 1.0
    for frame in frames:
        assert frame.ts == pytest.approx(frame.index / video.fps)
        assert frame.captured_at == pytest.approx(start + frame.index / video.fps, abs=1e-6)
    assert frames[-1].captured_at > after  # position, not the wall clock of decoding


def test_a_looping_file_keeps_counting_from_its_first_start(clip: Path) -> None:
    camera = FileCamera(clip, loop=True)
    stop = threading.Event()
    frames = []
    for frame in camera.frames(stop):
        frames.append(frame)
        if len(frames) == 300:  # 25 frames into the second pass
            stop.set()
    offsets = [f.captured_at - f.ts for f in frames]
    assert max(offsets) - min(offsets) < 1e-5  # one start for both passes
    assert frames[275].ts > frames[274].ts and frames[275].captured_at > frames[274].captured_at


def test_a_live_source_is_stamped_with_the_wall_clock_when_read(clip: Path) -> None:
    """cv2.VideoCapture on a path is read like a stream: capture time is when each frame arrived."""
    camera = LiveCamera(str(clip))
    stop = threading.Event()
    seen = []
    for frame in camera.frames(stop):
        seen.append((time.time(), frame))
        time.sleep(0.005)  # stamps follow the reads (here faster than the clip's 33 ms a frame), not positions
        if len(seen) == 20:
            stop.set()
    for received, frame in seen:
        assert received - 0.5 <= frame.captured_at <= received  # stamped at the read, before the consumer got it
    first, last = seen[0][1], seen[-1][1]
    assert last.captured_at - first.captured_at == pytest.approx(last.ts - first.ts, abs=0.05)
    assert 19 * 0.005 < last.captured_at - first.captured_at < 19 / 29.97  # read times: shorter than the clip's span


def test_events_carry_the_capture_time_of_their_frame(models_dir: Path, testdata_dir: Path, clip: Path) -> None:
    """The clip as fast as possible: each event's ts is playback start + its decision frame's position in the
    clip (obama, decided ~7.4 s into the clip, is stamped ~7.3 s after lin_manuel_miranda), not when decided."""
    from edge_agent.capabilities.faceid import FaceIdCapability
    from edge_agent.settings import FaceIdSettings

    settings = FaceIdSettings(
        enabled=True,
        models_dir=models_dir,
        gallery_dir=testdata_dir / "faces" / "enroll",
        camera={"file": clip, "realtime": False},
        snapshot=False,
    )
    capability = FaceIdCapability(settings)
    events, emitted, decided = [], {}, {}

    def observe(frame, result, gallery) -> None:
        for d in result.decisions:
            decided[d.person_id] = (d.frame, frame.captured_at - frame.ts + d.ts)

    class _Sink:
        device_id, last_seq = "door-ts-01", 0

        def emit(self, build):
            event = build(len(events) + 1)
            events.append(event)
            emitted[getattr(event.data, "person_id", None)] = time.time()
            return event

    capability.frame_observer = observe
    capability.start(_Sink())
    assert capability.finished.wait(120), capability.metrics()
    capability.stop()
    people = {e.data.person_id: e.ts for e in events if e.type == "attendance.face"}
    assert set(people) == {"lin_manuel_miranda", "alex_lacamoire", "obama"}
    fps = VideoFile(clip).fps
    for person, ts in people.items():
        frame, expected = decided[person]
        assert ts == datetime.fromtimestamp(expected, UTC)  # the decision frame's capture time, to the microsecond
    (lin_frame, _), (obama_frame, _) = decided["lin_manuel_miranda"], decided["obama"]
    gap = (people["obama"] - people["lin_manuel_miranda"]).total_seconds()
    assert obama_frame - lin_frame > 150 and gap == pytest.approx((obama_frame - lin_frame) / fps, abs=1e-5)


def test_read_ahead_gives_the_same_frames_and_stops_when_closed_early(clip: Path) -> None:
    inline = [f.image for f in VideoFile(clip, prefetch=0).frames()]
    ahead = list(VideoFile(clip, prefetch=2).frames())
    assert len(ahead) == len(inline) == 275
    assert all((a.image == b).all() for a, b in zip(ahead, inline, strict=True))
    frames = VideoFile(clip).frames()
    next(frames)
    frames.close()  # the consumer stops after one frame: the reader thread must end too
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(t.name.startswith("decode-") for t in threading.enumerate()):
        time.sleep(0.05)
    assert not [t.name for t in threading.enumerate() if t.name.startswith("decode-")]
