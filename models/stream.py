"""The recognition loop over a stream of frames: detect -> gate -> align -> embed -> match -> track.

The agent's `faceid` capability and `cces faces scan-video` both run this class, so what the
CLI reports for a clip is what a door device would record.

Embedding is the expensive step (~20 ms per face on 2 ARM/x86 cores versus ~5 ms to detect a
frame), so each frame embeds at most `max_embeddings_per_frame` faces: those of undecided
tracks that passed the quality gates, the longest-waiting first. Decided tracks are only
followed by box overlap. This keeps the frame rate steady when a crowd walks in: decisions come
a few frames later instead of frames being dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from models.engine import AnalysedFace, FaceEngine
from models.gallery import Gallery
from models.tracking import Decision, Observation, Track, Tracker, TrackPolicy


@dataclass(frozen=True)
class SeenFace:
    track_id: int
    analysed: AnalysedFace
    person_id: str | None  # the track's decided person, if any


@dataclass(frozen=True)
class FrameResult:
    faces: list[SeenFace]
    decisions: list[Decision]


@dataclass
class StreamStats:
    frames: int = 0
    faces: int = 0
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
        analysed = self._timed_analyse(image_bgr)
        tracks = self.tracker.assign(frame, ts, [a.face.box for a in analysed])
        chosen = self._choose_for_embedding(analysed, tracks, ts)
        if chosen:
            before = self.engine.embedder.inference_seconds
            embeddings = self.engine.embed([analysed[i] for i in chosen])
            self.stats.embed_inference_s += self.engine.embedder.inference_seconds - before
            matches = self.gallery.match(embeddings, self.policy.threshold)
            for i, match in zip(chosen, matches, strict=True):
                quality = analysed[i].quality
                obs = Observation(frame, ts, match.person_id, match.score, quality.weight)
                tracks[i], decision = self.tracker.observe(tracks[i], obs, analysed[i].aligned)
                if decision is not None:
                    decisions.append(decision)
        self.stats.frames += 1
        self.stats.faces += len(analysed)
        self.stats.embeddings += len(chosen)
        self.stats.seconds += time.perf_counter() - started
        seen = [SeenFace(t.track_id, a, t.person_id) for a, t in zip(analysed, tracks, strict=True)]
        return FrameResult(seen, decisions)

    def finish(self) -> list[Decision]:
        """End every open track (end of a clip, or the agent stopping)."""
        return self.tracker.close_all()

    def _timed_analyse(self, image_bgr: np.ndarray) -> list[AnalysedFace]:
        detector = self.engine.detector
        before = detector.inference_seconds
        analysed = self.engine.analyse(image_bgr)
        self.stats.detect_inference_s += detector.inference_seconds - before
        return analysed

    def _choose_for_embedding(self, analysed: list[AnalysedFace], tracks: list[Track], ts: float) -> list[int]:
        """Faces to embed this frame: undecided tracks first, then due re-verifications; longest-waiting first."""
        candidates = [
            i
            for i, (a, t) in enumerate(zip(analysed, tracks, strict=True))
            if a.quality.ok and self.tracker.needs_embedding(t, ts)
        ]
        candidates.sort(key=lambda i: (tracks[i].settled, tracks[i].last_embedded_ts))
        return sorted(candidates[: self.max_embeddings_per_frame])
