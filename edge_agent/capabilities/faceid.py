"""The faceid capability: a door camera turned into `attendance.face` / `face.unknown` events.

It runs `models.stream.FaceStream` — the same detect/gate/track/decide loop as
`cces faces scan-video` — on its own thread, so what the CLI reports for a clip is what this
device records. Decisions go to the outbox through the `EventSink` and never wait for the
network. An unknown track yields `face.unknown` (with a snapshot for review), never attendance.

Privacy: the gallery is either an encrypted gallery file (`gallery_file`, embeddings only, see
`models.gallery_store`) — the device's normal case — or a photo folder (`gallery_dir`,
`<person_id>/*.jpg`) read once at start, keeping only the embeddings, in memory; photos are not
copied anywhere. A gallery file is watched (a `stat` every `gallery_check_s`) and a new version
replaces the in-memory gallery between two frames, so an update needs no restart; a new file
that does not load (wrong key, tampered, another pack) is reported and the old gallery kept. The event snapshot is the
112x112 aligned crop of the track's best frame, as a small JPEG (well under the 256 KB limit).

`liveness` comes from the pluggable stage in `models.liveness`: by default the track's
multi-frame consistency (the share of its quality-weighted votes that named the recorded
person), which says the identity was stable over several frames and is NOT an anti-spoofing
check (a held-up photo is perfectly consistent) — hence the wire field is documented as low
assurance. With `liveness_model` set, an anti-spoofing ONNX model scores the track instead.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import Protocol

import cv2
import numpy as np

from devices.camera.gstreamer import GStreamerCamera
from devices.camera.sources import CameraStatus, FileCamera, LiveCamera
from devices.camera.video_file import Frame
from edge_agent.capabilities.base import EventSink
from edge_agent.ids import uuid7
from edge_agent.settings import FaceIdSettings
from models.engine import FaceEngine
from models.enrollment import gallery_from_folder
from models.gallery import Gallery
from models.gallery_watch import GalleryWatcher
from models.liveness import ConsistencyLiveness, LivenessStage, liveness_stage
from models.settings import ModelsSettings
from models.stream import FaceStream, FrameResult
from models.tracking import Decision, Track, TrackPolicy
from protocol.envelope import (
    MAX_SNAPSHOT_BYTES,
    AttendanceFaceData,
    AttendanceFaceEvent,
    FaceUnknownData,
    FaceUnknownEvent,
)
from protocol.telemetry import MetricValue

log = logging.getLogger(__name__)

_FPS_WINDOW_S = 5.0
_KEEP_CLOSED_TRACKS = 64  # the tracker keeps ended tracks for reports; a device running for months must not


class _Camera(Protocol):
    status: CameraStatus

    def frames(self, stop: threading.Event) -> Iterator[Frame]: ...


def encode_snapshot(crop_bgr: np.ndarray | None) -> str | None:
    """Base64 JPEG of a face crop, lowering the quality until it fits `MAX_SNAPSHOT_BYTES`."""
    if crop_bgr is None:
        return None
    for quality in (90, 75, 60, 40):
        ok, data = cv2.imencode(".jpg", crop_bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok and len(data) <= MAX_SNAPSHOT_BYTES:
            return base64.b64encode(data.tobytes()).decode("ascii")
    return None


def consistency(track: Track | None, person_id: str) -> float | None:
    """Share of the track's quality-weighted votes naming `person_id` (0-1), None without votes.

    Kept for callers of the earlier API; the capability uses `models.liveness` stages.
    """
    if track is None:
        return None
    total = sum(o.weight for o in track.observations)
    if total <= 0:
        return None
    agreeing = sum(o.weight for o in track.observations if o.person_id == person_id)
    return round(min(1.0, max(0.0, agreeing / total)), 4)


class FaceIdCapability:
    """Camera -> FaceStream -> events; `metrics()` feeds the agent's heartbeat."""

    name = "faceid"

    def __init__(self, settings: FaceIdSettings) -> None:
        if settings.camera is None or (settings.gallery_dir is None) == (settings.gallery_file is None):
            raise ValueError("faceid needs [faceid.camera] and one of gallery_dir or gallery_file")
        self._settings = settings
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._camera_status = CameraStatus()
        self._frame_times: deque[float] = deque(maxlen=600)
        self.state = "idle"  # idle | loading | running | finished | failed | stopped
        self.error: str | None = None
        self.model: str | None = None
        self.provider: str | None = None
        self.faces_seen = 0
        self.frames = 0
        self.attendance_emitted = 0
        self.unknown_emitted = 0
        self.finished = threading.Event()
        self.gallery_version: str | None = None  # None: built from photos at start
        self.gallery_people = 0
        self._watcher: GalleryWatcher | None = None
        self._liveness: LivenessStage = ConsistencyLiveness()
        self.model_commercial_use: bool | None = None
        self._clock: tuple[float, float | None] | None = None  # (ts, captured_at) of the latest frame
        # optional: told of every frame and its result (the door screen, `edge_agent.screen`); set before start
        self.frame_observer: Callable[[Frame, FrameResult, Gallery], None] | None = None
        self._tuning: tuple[float | None, float | None] = (None, None)  # the hub's threshold, cooldown
        self._stream: FaceStream | None = None

    @property
    def settings(self) -> FaceIdSettings:
        return self._settings

    def tune(self, threshold: float | None, cooldown_s: float | None) -> None:
        """The hub's desired threshold and cooldown, applied between two frames (None: the local setting)."""
        self._tuning = (threshold, cooldown_s)
        stream = self._stream
        if stream is not None:
            policy = self._policy(stream.engine)
            stream.policy = stream.tracker.policy = policy  # one reference each: a frame sees old or new

    # -- Capability -------------------------------------------------------------------------

    def start(self, sink: EventSink) -> None:
        if self._thread is not None:
            raise RuntimeError("faceid capability already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(sink,), name="cap-faceid", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                log.warning("faceid thread did not stop within 10 s")
            self._thread = None

    def metrics(self) -> dict[str, MetricValue]:
        """fps over the last few seconds, faces seen, model, provider, camera state."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._frame_times if now - t <= _FPS_WINDOW_S]
        fps = (len(recent) - 1) / (recent[-1] - recent[0]) if len(recent) > 1 and recent[-1] > recent[0] else 0.0
        camera = self._camera_status
        return {
            "state": self.state,
            "fps": round(fps, 2),
            "frames": self.frames,
            "faces_seen": self.faces_seen,
            "attendance": self.attendance_emitted,
            "unknown": self.unknown_emitted,
            "model": self.model,
            "model_commercial_use": self.model_commercial_use,
            "provider": self.provider,
            "camera_state": camera.state,
            "camera_drops": camera.drops,
            "camera_error": camera.last_error,
            "error": self.error,
            "gallery_version": self.gallery_version,
            "gallery_people": self.gallery_people,
            "gallery_error": self._watcher.error if self._watcher is not None else None,
            "liveness": self._liveness.name,
        }

    # -- the thread -------------------------------------------------------------------------

    def _run(self, sink: EventSink) -> None:
        try:
            self.state = "loading"
            stream = self._load()
            camera = self._open_camera()
            self.state = "running"
            if self._watcher is not None:
                threading.Thread(
                    target=self._watch, args=(self._watcher, stream), name="cap-faceid-gallery", daemon=True
                ).start()
            self._loop(stream, camera, sink)
            for decision in stream.finish():
                self._emit(sink, stream, decision)
            self.state = "stopped" if self._stop.is_set() else "finished"
            log.info(
                "faceid %s: %d frames, %d faces, %d attendance, %d unknown",
                self.state,
                self.frames,
                self.faces_seen,
                self.attendance_emitted,
                self.unknown_emitted,
            )
        except Exception as exc:  # a capability thread must not die silently: log it and report it
            self.state, self.error = "failed", " ".join(str(exc).split())[:200]
            log.exception("faceid capability failed")
        finally:
            self.finished.set()  # also ends the gallery watcher

    def _watch(self, watcher: GalleryWatcher, stream: FaceStream) -> None:
        """Swap in each new gallery version: one reference assignment, so a frame matches
        against either the old matrix or the new one, never a mix."""
        interval = self._settings.gallery_check_s
        while not self._stop.wait(interval) and not self.finished.is_set():
            try:
                loaded = watcher.poll()
            except Exception:  # the watcher must not die silently and leave an old gallery forever
                log.exception("faceid: gallery check failed")
                continue
            if loaded is not None:
                stream.gallery = loaded.gallery
                self.gallery_version, self.gallery_people = loaded.info.version, len(loaded.gallery.people)

    def _load(self) -> FaceStream:
        s = self._settings
        models_dir = s.models_dir or ModelsSettings().models_dir
        engine = FaceEngine(models_dir / s.pack, providers=s.providers, allow_fallback=s.provider_fallback)
        self.model, self.provider = engine.manifest.pack_id, engine.providers[0]
        self.model_commercial_use = engine.manifest.commercial_use  # False: the licence notice was logged
        self._liveness = liveness_stage(s.liveness_model)
        started = time.monotonic()
        gallery = self._load_gallery(engine)
        self.gallery_people = len(gallery.people)
        threshold = self._policy(engine).threshold
        log.info(
            "faceid: pack %s on %s, %d people (%d embeddings) enrolled in %.1f s, threshold %.3f",
            self.model,
            self.provider,
            len(gallery.people),
            len(gallery),
            time.monotonic() - started,
            threshold,
        )
        self._stream = FaceStream(engine, gallery, self._policy(engine))
        return self._stream

    def _policy(self, engine: FaceEngine) -> TrackPolicy:
        s = self._settings
        threshold, cooldown_s = self._tuning
        if threshold is None:
            threshold = engine.threshold if s.threshold is None else s.threshold
        return TrackPolicy(threshold=threshold, cooldown_s=s.cooldown_s if cooldown_s is None else cooldown_s)

    def _load_gallery(self, engine: FaceEngine) -> Gallery:
        s = self._settings
        if s.gallery_file is None:
            assert s.gallery_dir is not None
            return gallery_from_folder(engine, s.gallery_dir)  # embeddings only; the photos stay where they are
        manifest = engine.manifest
        self._watcher = GalleryWatcher(
            s.gallery_file,
            key_path=s.gallery_key_file,
            pack_id=manifest.pack_id,
            embedding_size=manifest.recogniser.embedding_size,
            recogniser_sha256=manifest.file("recogniser").source_sha256,
        )
        if not s.gallery_file.exists():  # a new device before its first gallery sync: nobody known yet
            log.warning("faceid: no gallery at %s yet; recognising nobody until one arrives", s.gallery_file)
            return Gallery([], np.zeros((0, manifest.recogniser.embedding_size), np.float32))
        stored = self._watcher.load()  # refuses a gallery of another pack, a wrong key, a tampered file
        self.gallery_version = stored.info.version
        return stored.gallery

    def _open_camera(self) -> _Camera:
        camera = self._settings.camera
        assert camera is not None
        if camera.file is not None:
            return FileCamera(camera.file, realtime=camera.realtime, loop=camera.loop, status=self._camera_status)
        if camera.gstreamer is not None:
            return GStreamerCamera(
                camera.gstreamer,
                width=camera.width,
                height=camera.height,
                backoff_min_s=camera.reconnect_min_s,
                backoff_max_s=camera.reconnect_max_s,
                status=self._camera_status,
            )
        assert camera.device is not None
        return LiveCamera(
            camera.device,
            backoff_min_s=camera.reconnect_min_s,
            backoff_max_s=camera.reconnect_max_s,
            status=self._camera_status,
        )

    def _loop(self, stream: FaceStream, camera: _Camera, sink: EventSink) -> None:
        for frame in camera.frames(self._stop):
            result = stream.process(frame.image, frame.index, frame.ts)
            self._clock = (frame.ts, frame.captured_at)  # media time -> capture wall clock, for event ts
            self.frames += 1
            self.faces_seen += len(result.faces)
            with self._lock:
                self._frame_times.append(time.monotonic())
            for decision in result.decisions:
                self._emit(sink, stream, decision)
            if self.frame_observer is not None:
                try:
                    self.frame_observer(frame, result, stream.gallery)
                except Exception:  # a screen problem must never stop attendance
                    log.exception("faceid: frame observer failed")
            closed = stream.tracker.closed
            if len(closed) > _KEEP_CLOSED_TRACKS:
                del closed[: len(closed) - _KEEP_CLOSED_TRACKS]

    def _emit(self, sink: EventSink, stream: FaceStream, decision: Decision) -> None:
        s = self._settings
        snapshot = encode_snapshot(decision.snapshot) if s.snapshot else None
        score = max(-1.0, min(1.0, decision.score))
        model = self.model or s.pack
        if decision.kind == "attendance" and decision.person_id is not None:
            liveness = self._score_liveness(stream, decision)
            data = AttendanceFaceData(
                person_id=decision.person_id,
                score=score,
                liveness=liveness,
                model=model,
                snapshot=snapshot,
                direction=s.direction,
            )
            sink.emit(partial(_attendance_event, sink.device_id, data, self._captured_at(decision)))
            self.attendance_emitted += 1
            log.info(
                "faceid: %s recognised (score %.3f, %d frames)", decision.person_id, score, decision.agreeing_frames
            )
        else:
            liveness = self._score_liveness(stream, decision)
            unknown = FaceUnknownData(
                score=score, liveness=liveness, model=model, snapshot=snapshot, direction=s.direction
            )
            sink.emit(partial(_unknown_event, sink.device_id, unknown, self._captured_at(decision)))
            self.unknown_emitted += 1

    def _captured_at(self, decision: Decision) -> datetime:
        """When the decision's frame was captured (not when it was decided): the event's ts.

        The latest frame's capture wall clock minus the media time between it and the decision's
        frame — exact for a file (position-based) and for a live camera (both clocks advance together).
        """
        if self._clock is None or self._clock[1] is None:
            return datetime.now(UTC)
        ts, captured_at = self._clock
        return datetime.fromtimestamp(captured_at - (ts - decision.ts), UTC)

    def _score_liveness(self, stream: FaceStream, decision: Decision) -> float | None:
        track = _find_track(stream, decision.track_id)
        if track is None:
            return None
        try:
            return self._liveness.score(track)
        except Exception:  # a failing liveness model must not lose the record: it is sent without a score
            log.exception("faceid: liveness stage %s failed", self._liveness.name)
            return None


def _find_track(stream: FaceStream, track_id: int) -> Track | None:
    for track in (*stream.tracker.active, *reversed(stream.tracker.closed)):
        if track.track_id == track_id:
            return track
    return None


def _attendance_event(device_id: str, data: AttendanceFaceData, at: datetime, seq: int) -> AttendanceFaceEvent:
    return AttendanceFaceEvent(id=uuid7(), device_id=device_id, ts=at, seq=seq, data=data)


def _unknown_event(device_id: str, data: FaceUnknownData, at: datetime, seq: int) -> FaceUnknownEvent:
    return FaceUnknownEvent(id=uuid7(), device_id=device_id, ts=at, seq=seq, data=data)
