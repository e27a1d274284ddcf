"""Inventory records: a session, what it found per room, and the differences the officer resolves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub.assets.models import Asset

OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "moved": ("Đã cập nhật vị trí", "Location updated"),
    "missing": ("Ghi nhận thiếu", "Recorded missing"),
    "registered": ("Đã đăng ký tài sản", "Registered as an asset"),
}
STATE_LABELS: dict[str, tuple[str, str]] = {
    "found": ("Có mặt", "Found"),
    "missing": ("Không thấy", "Missing"),
    "moved": ("Sai vị trí", "Moved"),
    "unknown": ("Thẻ lạ", "Unknown tag"),
}


@dataclass(frozen=True, slots=True)
class Inventory:
    id: int
    title: str
    location_code: str | None  # None: the whole administration
    location_name: str | None
    unit_path: str | None  # the location's unit (None: administration)
    stocktake_year: int | None
    status: str
    started_by: str
    started_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    summary: dict | None


@dataclass(frozen=True, slots=True)
class Line:
    """One asset or tag of a session: its state in its room (found, missing, moved, unknown)."""

    state: str
    room_code: str | None  # where it was read (found, moved, unknown) or is registered (missing)
    tag: str | None
    asset_number: str | None
    asset_name: str | None
    registered_code: str | None  # the asset's registered location (moved: elsewhere)
    resolution: str | None


@dataclass
class RoomView:
    code: str | None
    name: str
    counts: dict[str, int] = field(
        default_factory=lambda: {"expected": 0, "found": 0, "missing": 0, "moved": 0, "unknown": 0}
    )
    lines: list[Line] = field(default_factory=list)


@dataclass
class Reconciliation:
    inventory: Inventory
    rooms: list[RoomView]
    totals: dict[str, int]
    unresolved: int
    reads: int


@dataclass(frozen=True, slots=True)
class OfficeProgress:
    office_code: str
    office_name: str
    assets: int
    found: int
    resolved: int  # missing or moved recorded
    sessions_open: int
    sessions_closed: int


@dataclass(frozen=True, slots=True)
class Scanned:
    """A code a handheld or a phone's camera read, and the asset it names (None: an unknown tag)."""

    code: str
    tag: str
    asset: Asset | None
    hidden: bool = False  # an asset of a unit the caller does not see: not shown
