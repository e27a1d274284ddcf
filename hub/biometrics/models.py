"""Records of biometric enrollment (sinh trắc học): who consented, which photos were taken; no SQL, no pixels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class PersonRef:
    employee_id: int
    employee_code: str
    person_id: str
    full_name: str
    unit_path: str


@dataclass(frozen=True, slots=True)
class Consent:
    id: int
    employee_id: int
    basis: str
    reference: str | None
    recorded_by: str
    recorded_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None


@dataclass(frozen=True, slots=True)
class PhotoRecord:
    """A stored photo's metadata (never its pixels)."""

    id: UUID
    employee_id: int
    added_by: str
    added_at: datetime
    checked_with: str
    face_px: float
    sharpness: float
    yaw: float
    roll_deg: float
    pitch: float
    detector_score: float
