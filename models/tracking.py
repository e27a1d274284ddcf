"""Per-track decisions: who walked past, decided from several frames, never from one.

Open-set 1:N at a door is dangerous frame by frame: a stranger matches someone with
probability ~ N x FMR on every frame. So detections are linked into tracks (box overlap between
consecutive frames), quality-gated frames of a track are matched, and a person is recorded only
when at least `min_agreeing_frames` of them name the same person above the threshold and that
person holds `agree_share` of the track's matched (quality-weighted) votes. A per-person
cooldown stops one person producing a record per track (people look away and back). A track
whose good frames do not match anyone yields an `unknown` decision (a `face.unknown` event for
review), never an attendance record.

Box overlap alone cannot tell two people apart when one replaces the other in the same place
(people crossing at a door; a cut in a video). So a decided track is re-embedded every
`reverify_s`; when that names someone else (or, `split_after` times running, no one), the
track is ended and the face starts a new track that must earn its own decision.

Time is the media timestamp of the frame (seconds), so behaviour does not depend on how fast
frames are processed. Nothing here knows about models or cameras: it is fed boxes, quality
weights and match results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

import numpy as np


@dataclass(frozen=True)
class TrackPolicy:
    threshold: float
    min_agreeing_frames: int = 3
    agree_share: float = 0.6
    unknown_min_frames: int = 5  # gated frames matching no one before a live track is declared unknown
    cooldown_s: float = 60.0
    track_timeout_s: float = 0.7
    min_iou: float = 0.3
    reverify_s: float = 0.5  # how often a decided track is embedded again to catch identity switches
    split_after: int = 2  # consecutive disagreeing re-verifications that end a track (1 if another person matched)


@dataclass(frozen=True)
class Observation:
    frame: int
    ts: float
    person_id: str | None
    score: float
    weight: float


@dataclass(frozen=True)
class Decision:
    kind: Literal["attendance", "unknown"]
    person_id: str | None
    score: float  # attendance: quality-weighted mean cosine of the agreeing frames; unknown: best score seen
    track_id: int
    frame: int
    ts: float
    agreeing_frames: int
    box: tuple[float, float, float, float]
    snapshot: np.ndarray | None = field(default=None, repr=False)  # aligned crop of the best frame


@dataclass
class Track:
    track_id: int
    box: tuple[float, float, float, float]
    first_frame: int
    first_ts: float
    last_frame: int
    last_ts: float
    observations: list[Observation] = field(default_factory=list)
    person_id: str | None = None  # set once decided (attendance, or suppressed by cooldown)
    unknown_reported: bool = False
    disagreements: int = 0
    last_embedded_ts: float = float("-inf")
    best_weight: float = 0.0
    best_snapshot: np.ndarray | None = None

    @property
    def decided(self) -> bool:
        return self.person_id is not None

    @property
    def settled(self) -> bool:
        """Decided, or already reported as unknown: only re-verified from now on."""
        return self.decided or self.unknown_reported


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


class Tracker:
    def __init__(self, policy: TrackPolicy) -> None:
        self.policy = policy
        self.active: list[Track] = []
        self.closed: list[Track] = []
        self._next_id = 1
        self._last_recorded: dict[str, float] = {}

    def assign(self, frame: int, ts: float, boxes: list[tuple[float, float, float, float]]) -> list[Track]:
        """The track of each box (greedy by overlap, new tracks for the rest); ends stale tracks first."""
        pairs = sorted(
            ((iou(t.box, b), ti, bi) for ti, t in enumerate(self.active) for bi, b in enumerate(boxes)),
            reverse=True,
        )
        result: list[Track | None] = [None] * len(boxes)
        used: set[int] = set()
        for overlap, ti, bi in pairs:
            if overlap < self.policy.min_iou:
                break
            if ti in used or result[bi] is not None:
                continue
            used.add(ti)
            result[bi] = self.active[ti]
        for bi, box in enumerate(boxes):
            track = result[bi]
            if track is None:
                track = Track(self._next_id, box, frame, ts, frame, ts)
                self._next_id += 1
                self.active.append(track)
                result[bi] = track
            track.box, track.last_frame, track.last_ts = box, frame, ts
        return [t for t in result if t is not None]

    def needs_embedding(self, track: Track, ts: float) -> bool:
        """Undecided tracks: every frame; decided or reported-unknown ones: every `reverify_s`."""
        return not track.settled or ts - track.last_embedded_ts >= self.policy.reverify_s

    def observe(
        self, track: Track, observation: Observation, snapshot: np.ndarray | None = None
    ) -> tuple[Track, Decision | None]:
        """Add a gated, matched frame; returns the track it now belongs to and a decision if one is complete."""
        if track.decided and observation.person_id != track.person_id:
            track.disagreements += 1 if observation.person_id is None else self.policy.split_after
            if track.disagreements >= self.policy.split_after:
                track = self._split(track, observation)
            else:
                track.last_embedded_ts = observation.ts
                return track, None
        elif track.decided:
            track.disagreements = 0
        return track, self._add(track, observation, snapshot)

    def _split(self, track: Track, observation: Observation) -> Track:
        self.active.remove(track)
        self.closed.append(track)
        fresh = Track(self._next_id, track.box, observation.frame, observation.ts, observation.frame, observation.ts)
        self._next_id += 1
        self.active.append(fresh)
        return fresh

    def _add(self, track: Track, observation: Observation, snapshot: np.ndarray | None) -> Decision | None:
        track.observations.append(observation)
        track.last_embedded_ts = observation.ts
        if snapshot is not None and observation.weight > track.best_weight:
            track.best_weight, track.best_snapshot = observation.weight, snapshot
        if track.decided:
            return None
        winner = self._consensus(track)
        if winner is not None:
            return self._record(track, winner, observation)
        unmatched = [o for o in track.observations if o.person_id is None]
        total = sum(o.weight for o in track.observations)
        if (
            not track.unknown_reported
            and len(unmatched) >= self.policy.unknown_min_frames
            and sum(o.weight for o in unmatched) >= self.policy.agree_share * total
        ):
            return self._unknown(track, observation.frame, observation.ts)
        return None

    def expire(self, ts: float) -> list[Decision]:
        """End tracks not seen for `track_timeout_s`; an undecided one with enough good frames is unknown."""
        ended = [t for t in self.active if ts - t.last_ts > self.policy.track_timeout_s]
        return self._close(ended)

    def close_all(self) -> list[Decision]:
        return self._close(list(self.active))

    def _close(self, tracks: list[Track]) -> list[Decision]:
        decisions = []
        for track in tracks:
            self.active.remove(track)
            self.closed.append(track)
            enough = len(track.observations) >= self.policy.min_agreeing_frames
            if not track.decided and not track.unknown_reported and enough:
                decisions.append(self._unknown(track, track.last_frame, track.last_ts))
        return decisions

    def _consensus(self, track: Track) -> str | None:
        counts: dict[str, int] = defaultdict(int)
        weights: dict[str, float] = defaultdict(float)
        for o in track.observations:
            if o.person_id is not None:
                counts[o.person_id] += 1
                weights[o.person_id] += o.weight
        if not weights:
            return None
        best = max(weights, key=weights.__getitem__)
        agreed = counts[best] >= self.policy.min_agreeing_frames
        return best if agreed and weights[best] >= self.policy.agree_share * sum(weights.values()) else None

    def _record(self, track: Track, person_id: str, last: Observation) -> Decision | None:
        track.person_id = person_id
        previous = self._last_recorded.get(person_id)
        if previous is not None and last.ts - previous < self.policy.cooldown_s:
            return None  # seen again within the cooldown: the track is identified, nothing is recorded
        self._last_recorded[person_id] = last.ts
        agreeing = [o for o in track.observations if o.person_id == person_id]
        weight = sum(o.weight for o in agreeing)
        score = sum(o.score * o.weight for o in agreeing) / weight
        return Decision(
            kind="attendance",
            person_id=person_id,
            score=score,
            track_id=track.track_id,
            frame=last.frame,
            ts=last.ts,
            agreeing_frames=len(agreeing),
            box=track.box,
            snapshot=track.best_snapshot,
        )

    def _unknown(self, track: Track, frame: int, ts: float) -> Decision:
        track.unknown_reported = True
        best = max((o.score for o in track.observations), default=-1.0)
        return Decision("unknown", None, best, track.track_id, frame, ts, 0, track.box, track.best_snapshot)
