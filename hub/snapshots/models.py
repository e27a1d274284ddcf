"""Records of face snapshots, as the service and the pages see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from hub.snapshots.store import SnapshotEvent, SnapshotKind

RemovedBy = Literal["retention", "erasure"]


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One event and its snapshot: a sealed file, an earlier version's clear-text file, or the trace of one
    removed; with whose it is (the employee for attendance, the door's office for both)."""

    kind: SnapshotKind
    event_id: UUID
    ts: datetime
    device_id: str
    person_id: str | None  # the FaceID id the event carries (attendance only)
    file: str | None  # sealed file name (hub.snapshots.store)
    clear_sha256: str | None  # clear-text file of an earlier version, not yet sealed
    removed: RemovedBy | None
    removed_at: datetime | None
    employee_id: int | None
    employee_code: str | None
    unit_path: str | None  # the employee's unit (attendance); a unit the office serves (unknown face)
    site: str | None  # the door's office

    @property
    def event(self) -> SnapshotEvent:
        return SnapshotEvent(self.kind, self.event_id, self.ts)


@dataclass(frozen=True, slots=True)
class OpenedSnapshot:
    """A snapshot opened for one viewer (the opening is in the audit log)."""

    kind: SnapshotKind
    event_id: UUID
    ts: datetime
    device_id: str
    person_id: str | None
    employee_code: str | None
    jpeg: bytes


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """What one run of the retention job removed."""

    rows: int  # events whose snapshot was marked removed by retention
    files: int  # files deleted for them
    orphans: int  # files no row pointed at any more (a batch never stored, a row dropped), deleted by age


@dataclass(frozen=True, slots=True)
class SealReport:
    """What one run of sealing an earlier version's clear-text snapshots did."""

    files: int  # clear-text files sealed (and deleted)
    rows: int  # events now pointing at a sealed file
    unreferenced: int  # clear-text snapshots no event pointed at, deleted
