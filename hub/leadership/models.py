"""The leadership screen's records: the figures of a unit's subtree split by its sub-units, and the records behind
a tile. Statuses (in time, overdue, late) are derived from deadlines and today (DOMAIN.md §4), never stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from hub.domain import Invalid, NotFound


class Tile(StrEnum):
    DOCUMENTS = "documents"  # văn bản được giao xử lý: in progress, overdue
    MEETINGS = "meetings"  # cuộc họp hôm nay
    PRESENCE = "presence"  # có mặt, nghỉ hôm nay
    ASSETS = "assets"  # cảnh báo tài sản
    REPORTS = "reports"  # báo cáo phải gửi, quá hạn
    TASKS = "tasks"  # nhiệm vụ được giao từ kết luận cuộc họp


TILE_LABELS: dict[Tile, tuple[str, str]] = {
    Tile.DOCUMENTS: ("Văn bản giao xử lý", "Documents assigned"),
    Tile.MEETINGS: ("Cuộc họp hôm nay", "Meetings today"),
    Tile.PRESENCE: ("Có mặt, nghỉ hôm nay", "Present and away today"),
    Tile.ASSETS: ("Cảnh báo tài sản", "Asset alerts"),
    Tile.REPORTS: ("Báo cáo phải gửi", "Reports to submit"),
    Tile.TASKS: ("Nhiệm vụ từ kết luận cuộc họp", "Tasks from meeting conclusions"),
}

#: each figure: its tile and its label; the order is the screen's
FIGURES: dict[str, tuple[Tile, str, str]] = {
    "docs_open": (Tile.DOCUMENTS, "Đang xử lý", "In progress"),
    "docs_overdue": (Tile.DOCUMENTS, "Đang xử lý quá hạn", "Past the deadline"),
    "meetings_today": (Tile.MEETINGS, "Cuộc họp", "Meetings"),
    "staff": (Tile.PRESENCE, "Tổng số cán bộ", "Staff"),
    "present": (Tile.PRESENCE, "Có mặt (đã chấm công)", "Present (seen at a door)"),
    "away": (Tile.PRESENCE, "Nghỉ phép, công tác", "On leave or a trip"),
    "asset_portal": (Tile.ASSETS, "Mang ra không phép", "Left without approval"),
    "asset_waiting": (Tile.ASSETS, "Chờ duyệt điều chuyển", "Movements waiting"),
    "asset_not_returned": (Tile.ASSETS, "Quá hạn trả", "Not returned in time"),
    "reports_open": (Tile.REPORTS, "Chưa gửi", "Not submitted"),
    "reports_late": (Tile.REPORTS, "Quá hạn", "Late"),
    "tasks_open": (Tile.TASKS, "Đang thực hiện", "Open"),
    "tasks_overdue": (Tile.TASKS, "Quá hạn", "Overdue"),
}
#: the figures that are bad news when above zero (the screen colours them)
WARNINGS = frozenset({"docs_overdue", "asset_portal", "asset_not_returned", "reports_late", "tasks_overdue"})


def both(vi: str, en: str) -> str:
    return f"{vi} / {en}"


class UnknownLeadershipUnit(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(both(f"không có đơn vị «{code}»", f"no unit has the code {code!r}"))


class UnknownTile(Invalid):
    def __init__(self, name: str) -> None:
        names = ", ".join(t.value for t in Tile)
        super().__init__(both(f"không có mục «{name}» (chọn: {names})", f"no tile {name!r} (one of: {names})"))


@dataclass(frozen=True, slots=True)
class UnitRef:
    code: str
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the overview: a sub-unit over its subtree, or (direct) the focused unit's own staff and records."""

    unit: UnitRef
    direct: bool  # the focused unit itself, without its sub-units
    figures: dict[str, int]


@dataclass(frozen=True, slots=True)
class Overview:
    focus: UnitRef | None  # None: several subtrees side by side (the roots of the caller's scope)
    parent: UnitRef | None  # the unit above the focus, when the caller reaches it (drilling back up)
    day: date
    as_of: datetime
    rows: tuple[Row, ...]
    totals: dict[str, int]


@dataclass(frozen=True, slots=True)
class Item:
    """A record behind a figure: what it is, whose, when, its derived status and where it is kept (a page)."""

    tile: Tile
    figure: str  # the figure it counts in (FIGURES' key)
    title: str
    unit_code: str
    unit_name: str
    when: date | datetime | None
    status_vi: str
    status_en: str
    link: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Records:
    unit: UnitRef
    tile: Tile
    day: date
    items: tuple[Item, ...]
    truncated: bool  # more than the limit: the list shows the first ones
