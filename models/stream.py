"""The recognition loop over a stream of frames: detect -> gate -> align -> embed -> match -> track.

The agent's `faceid` capability and `cces faces scan-video` both run this class, so what the
CLI reports for a clip is what a door device would record.

Embedding is the expensive step (~20 ms per face on 2 ARM/x86 cores versus ~5 ms to detect a
frame), so each frame embeds at most `max_embeddings_per_frame` faces: those of undecided
tracks that passed the quality gates, the longest-waiting first. Decided tracks are only
followed by box overlap. This keeps the frame rate steady when a crowd walks in: decisions come
a few frames later instead of frames being dropped.

Alignment and the quality gates run only for faces that are candidates for embedding (their
track is undecided or due for re-verification), in priority order until enough have passed:
the selection is the same as gating every face first, without paying ~0.5 ms for each face
that was only going to be followed by its box.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from models.engine import AnalysedFace, FaceEngine
from models.faces import DetectedFace
from models.gallery import Gallery
from models.quality import geometry_ok
from models.tracking import Decision, Observation, Track, Tracker, TrackPolicy


@dataclass(frozen=True)
class SeenFace:
    track_id: int
    face: DetectedFace
    person_id: str | None  # the track's decided person, if any
    analysed: AnalysedFace | None = None  # aligned and gated this frame (only candidates for embedding are)


@dataclass(frozen=True)
class FrameResult:
    faces: list[SeenFace]
    decisions: list[Decision]


@dataclass
class StreamStats:
    frames: int = 0
    faces: int = 0
    assessed: int = 0  # faces aligned and quality-gated (a subset of `faces`)
    embeddings: int = 0
    seconds: float = 0.0
    detect_inference_s: float = 0.0
    embed_inference_s: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    @property
    def inference_share(self) -> float:
        return (self.detect_inference_s + self.embed_inference_s) / self.seconds if self.seconds > 0 else 0.0


class FaceStream:
    def __init__(
        self,
        engine: FaceEngine,
        gallery: Gallery,
        policy: TrackPolicy | None = None,
        *,
        max_embeddings_per_frame: int = 2,
    ) -> None:
        self.engine = engine
        self.gallery = gallery
        self.policy = policy or TrackPolicy(threshold=engine.threshold)
        self.tracker = Tracker(self.policy)
        self.max_embeddings_per_frame = max_embeddings_per_frame
        self.stats = StreamStats()

    def process(self, image_bgr: np.ndarray, frame: int, ts: float) -> FrameResult:
        started = time.perf_counter()
        decisions = self.tracker.expire(ts)
        faces = self._timed_detect(image_bgr)
        tracks = self.tracker.assign(frame, ts, [f.box for f in faces])
        chosen = self._choose_for_embedding(image_bgr, faces, tracks, ts)
        if chosen:
            before = self.engine.embedder.inference_seconds
            embeddings = self.engine.embed(list(chosen.values()))
            self.stats.embed_inference_s += self.engine.embedder.inference_seconds - before
            matches = self.gallery.match(embeddings, self.policy.threshold)
            for (i, analysed), match in zip(chosen.items(), matches, strict=True):
                obs = Observation(frame, ts, match.person_id, match.score, analysed.quality.weight)
                tracks[i], decision = self.tracker.observe(tracks[i], obs, analysed.aligned)
                if decision is not None:
                    decisions.append(decision)
        self.stats.frames += 1
        self.stats.faces += len(faces)
        self.stats.embeddings += len(chosen)
        self.stats.seconds += time.perf_counter() - started
        seen = [
            SeenFace(t.track_id, f, t.person_id, chosen.get(i))
            for i, (f, t) in enumerate(zip(faces, tracks, strict=True))
        ]
        return FrameResult(seen, decisions)

    def finish(self) -> list[Decision]:
        """End every open track (end of a clip, or the agent stopping)."""
        return self.tracker.close_all()

    def _timed_detect(self, image_bgr: np.ndarray) -> list[DetectedFace]:
        detector = self.engine.detector
        before = detector.inference_seconds
        faces = self.engine.detect(image_bgr)
        self.stats.detect_inference_s += detector.inference_seconds - before
        return faces

    def _choose_for_embedding(
        self, image_bgr: np.ndarray, faces: list[DetectedFace], tracks: list[Track], ts: float
    ) -> dict[int, AnalysedFace]:
        """Faces to embed this frame (by index, in frame order), aligned and gated.

        Candidates are faces whose track needs an embedding: undecided tracks first, then due
        re-verifications, longest-waiting first. They are aligned and gated in that order until
        `max_embeddings_per_frame` pass, so faces that fail the gates give their slot to the next.
        """
        candidates = [i for i, t in enumerate(tracks) if self.tracker.needs_embedding(t, ts)]
        candidates.sort(key=lambda i: (tracks[i].settled, tracks[i].last_embedded_ts))
        chosen: dict[int, AnalysedFace] = {}
        for i in candidates:
            if len(chosen) >= self.max_embeddings_per_frame:
                break
            if not geometry_ok(faces[i], self.engine.quality_policy):
                continue  # would fail the gates anyway; aligning it would be wasted
            analysed = self.engine.prepare(image_bgr, faces[i])
            self.stats.assessed += 1
            if analysed.quality.ok:
                chosen[i] = analysed
        return dict(sorted(chosen.items()))
