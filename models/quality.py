"""Quality gates: is this face good enough to decide anything from?

Open-set 1:N matching is only as good as its worst input: tiny, blurred or turned-away faces
produce embeddings that drift towards everyone and no one. Gates are cheap (landmarks and the
aligned crop are already there), return every failing reason, and a weight in (0, 1] that the
track vote uses so sharp frontal frames count more than marginal ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from models.faces import DetectedFace


@dataclass(frozen=True)
class QualityPolicy:
    """Limits that reject frames whose landmarks or pixels cannot be trusted.

    They are deliberately not tight: the open-set protection is the threshold plus multi-frame
    agreement; gates only keep garbage (smears, near-profiles, thumbnails) out of the vote.
    """

    min_face_px: float = 32.0  # shorter side of the box, in image pixels
    min_sharpness: float = 10.0  # variance of the Laplacian of the 112x112 aligned grey crop
    max_yaw: float = 0.6  # nose asymmetry between the eyes: 0 frontal, 1 full profile
    max_roll_deg: float = 35.0
    max_pitch: float = 0.8  # |log(eye-to-nose / nose-to-mouth)| vertical ratio (a crude cue: keep loose)


@dataclass(frozen=True)
class Quality:
    ok: bool
    weight: float
    reasons: tuple[str, ...] = field(default_factory=tuple)
    size_px: float = 0.0
    sharpness: float = 0.0
    yaw: float = 0.0
    roll_deg: float = 0.0
    pitch: float = 0.0


def pose(landmarks: np.ndarray) -> tuple[float, float, float]:
    """(yaw, roll in degrees, pitch) estimated from the 5 landmarks; 0 means frontal.

    Plain float arithmetic: on five points, numpy's per-call overhead was ~10x the arithmetic
    (this runs for every face that might be embedded, every frame).
    """
    (lex, ley), (rex, rey), (nx, ny), (lmx, lmy), (rmx, rmy) = landmarks.tolist()
    ex, ey = rex - lex, rey - ley
    iod = math.hypot(ex, ey) or 1e-6
    roll = math.degrees(math.atan2(ey, ex))
    # rotate into the eye-line frame so roll does not leak into yaw/pitch (only the y axis is needed)
    c, s = ex / iod, ey / iod
    mx, my = (lex + rex) / 2, (ley + rey) / 2
    nose_y = -s * (nx - mx) + c * (ny - my)
    mouth_y = -s * ((lmx + rmx) / 2 - mx) + c * ((lmy + rmy) / 2 - my)
    # yaw: how much closer the nose is to one eye than the other; bounded, so a near-profile
    # (where the eyes converge) does not blow up the way nose-offset / inter-ocular distance does
    to_left, to_right = math.hypot(nx - lex, ny - ley), math.hypot(nx - rex, ny - rey)
    yaw = (to_left - to_right) / max(to_left + to_right, 1e-6)
    upper, lower = max(nose_y, 1e-6), max(mouth_y - nose_y, 1e-6)
    pitch = math.log(upper / lower)
    return yaw, roll, pitch


def sharpness(aligned_bgr: np.ndarray) -> float:
    """Variance of the Laplacian of the grey crop (one OpenCV call for the statistics)."""
    grey = cv2.cvtColor(aligned_bgr, cv2.COLOR_BGR2GRAY)
    _, std = cv2.meanStdDev(cv2.Laplacian(grey, cv2.CV_64F))
    return float(std[0, 0]) ** 2


def geometry_ok(face: DetectedFace, policy: QualityPolicy) -> bool:
    """The gates that need only the box and landmarks (size, pose), checked before aligning.

    A face failing them fails `assess` too, so a video loop can skip its alignment (the costly
    part of assessing) without changing any decision.
    """
    yaw, roll, pitch = pose(face.landmarks)
    return (
        min(face.width, face.height) >= policy.min_face_px
        and abs(yaw) <= policy.max_yaw
        and abs(roll) <= policy.max_roll_deg
        and abs(pitch) <= policy.max_pitch
    )


def assess(face: DetectedFace, aligned_bgr: np.ndarray, policy: QualityPolicy) -> Quality:
    size = float(min(face.width, face.height))
    sharp = sharpness(aligned_bgr)
    yaw, roll, pitch = pose(face.landmarks)
    reasons = []
    if size < policy.min_face_px:
        reasons.append(f"face too small ({size:.0f} px < {policy.min_face_px:.0f})")
    if sharp < policy.min_sharpness:
        reasons.append(f"blurred (sharpness {sharp:.0f} < {policy.min_sharpness:.0f})")
    if abs(yaw) > policy.max_yaw:
        reasons.append(f"turned sideways (yaw {yaw:+.2f})")
    if abs(roll) > policy.max_roll_deg:
        reasons.append(f"head tilted ({roll:+.0f} deg)")
    if abs(pitch) > policy.max_pitch:
        reasons.append(f"looking up or down (pitch {pitch:+.2f})")
    weight = (
        min(1.0, size / (2 * policy.min_face_px))
        * min(1.0, sharp / (2 * policy.min_sharpness))
        * max(0.1, 1.0 - abs(yaw) / (2 * policy.max_yaw))
        * face.score
    )
    return Quality(not reasons, max(weight, 1e-3), tuple(reasons), size, sharp, yaw, roll, pitch)
