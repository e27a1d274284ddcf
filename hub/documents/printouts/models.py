"""The registers as books (Decree 30 Appendix IV; columns from ../shared/DOMAIN.md §1.1, marked [S] there:
a transcription to check against the official PDF) and the handling state of a unit's incoming documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hub.documents.handling.models import STATUS_LABELS, Status

#: Sổ đăng ký văn bản đến (10 columns), relative widths
INCOMING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Ngày đến", 1.6), ("Số đến", 1.1), ("Tác giả", 3.0), ("Số, ký hiệu", 2.2), ("Ngày tháng", 1.6),
    ("Tên loại và trích yếu nội dung", 6.0), ("Đơn vị hoặc người nhận", 3.0), ("Ngày chuyển", 1.6),
    ("Ký nhận", 1.6), ("Ghi chú", 2.0),
)  # fmt: skip
#: Sổ đăng ký văn bản đi (10 columns)
OUTGOING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Số, ký hiệu văn bản", 2.4), ("Ngày tháng văn bản", 1.6), ("Tên loại và trích yếu nội dung", 6.0),
    ("Người ký", 2.2), ("Nơi nhận văn bản", 3.0), ("Đơn vị, người nhận bản lưu", 2.0), ("Số lượng bản", 1.2),
    ("Ngày chuyển", 1.6), ("Ký nhận", 1.6), ("Ghi chú", 2.0),
)  # fmt: skip

HIDDEN = "(Văn bản mật — nội dung không hiển thị với người in sổ)"


@dataclass(frozen=True, slots=True)
class Book:
    """A register as printed and bound: its cover and its rows, one per number."""

    title: str  # SỔ ĐĂNG KÝ VĂN BẢN ĐẾN
    agency: str  # the unit keeping it
    governing: str | None  # the unit above it (cơ quan chủ quản)
    unit_code: str
    year: int
    series_code: str
    series_name: str
    columns: tuple[tuple[str, float], ...]
    rows: list[tuple[str, ...]]
    first_number: int | None
    last_number: int | None
    first_day: date | None
    last_day: date | None

    @property
    def filename_stem(self) -> str:
        return f"so-{self.series_code}-{self.unit_code.lower()}-{self.year}"


class Bucket:
    """Where an open document's deadline lies (the leadership screen's groups)."""

    OVERDUE = "overdue"  # quá hạn
    TODAY = "today"  # đến hạn hôm nay
    SOON = "soon"  # trong 3 ngày tới
    LATER = "later"  # còn hạn
    NONE = "unassigned"  # chưa giao xử lý


BUCKET_LABELS = {
    Bucket.OVERDUE: ("Quá hạn", "Past the deadline"),
    Bucket.TODAY: ("Đến hạn hôm nay", "Due today"),
    Bucket.SOON: ("Đến hạn trong 3 ngày", "Due within 3 days"),
    Bucket.LATER: ("Còn hạn", "Due later"),
    Bucket.NONE: ("Chưa giao xử lý", "Not assigned"),
}
UNASSIGNED_LABEL = BUCKET_LABELS[Bucket.NONE]
__all__ = ["STATUS_LABELS", "Status"]


@dataclass(frozen=True, slots=True)
class StatusItem:
    document_id: int
    number: int
    code: str  # 15/BTC-TCHQ (hidden for a secret one the caller may not see)
    organ_name: str
    subject: str
    secrecy: int
    lead: str | None
    deadline: date | None
    status: Status | None  # None: not assigned
    bucket: str | None  # open ones only


@dataclass(frozen=True, slots=True)
class UnitStatus:
    """A unit's incoming documents of a year by derived status and by deadline (counts and the list)."""

    unit_code: str
    unit_name: str
    year: int
    today: date
    by_status: dict[str, int]  # Status value or "unassigned" → count
    by_deadline: dict[str, int]  # Bucket → count (open ones)
    items: list[StatusItem] = field(default_factory=list)


# --- outgoing documents by state and deadline (Báo cáo tình hình giải quyết văn bản đi) ---------------------

#: where an outgoing document is: a draft's state in the chain (hub.documents.outgoing), or released
OUTGOING_STATE_LABELS: dict[str, tuple[str, str]] = {
    "drafting": ("Đang soạn thảo", "Drafting"),
    "reviewing": ("Chờ lãnh đạo đơn vị duyệt", "Waiting for the head of unit"),
    "signing": ("Chờ lãnh đạo ký duyệt", "Waiting for the signing leader"),
    "approved": ("Chờ văn thư phát hành", "Waiting for release"),
    "returned": ("Trả lại để sửa", "Returned for changes"),
    "released": ("Đã phát hành", "Released"),
}
#: a released document's hạn trả lời (DueDate, Appendix VI Part II), where it lies from today
REPLY_BUCKET_LABELS = {
    Bucket.OVERDUE: ("Đã quá hạn trả lời", "Past the reply date"),
    Bucket.TODAY: ("Hạn trả lời hôm nay", "Reply due today"),
    Bucket.SOON: ("Hạn trả lời trong 3 ngày", "Reply due within 3 days"),
    Bucket.LATER: ("Còn hạn trả lời", "Reply due later"),
}


@dataclass(frozen=True, slots=True)
class OutgoingItem:
    """A draft still in the chain (`draft_id`, no number yet) or a released outgoing document (`document_id`)."""

    draft_id: int | None
    document_id: int | None
    code: str  # 05/HQKV2-VP once released ("" before, and for a secret one the caller may not see)
    subject: str
    secrecy: int
    drafting_unit: str  # the drafting unit's name (or the drafter's notation of a document registered directly)
    state: str  # an OUTGOING_STATE_LABELS key
    started: date  # the draft's creation day, or the registration day of a document without a draft
    released: date | None
    days: int  # from started to its release, or to today while in the chain
    due_date: date | None  # hạn trả lời
    bucket: str | None  # released ones with a hạn trả lời
    copies: int  # its copies in CCES units' incoming registers
    copies_done: int  # … whose lead handler has finished


@dataclass(frozen=True, slots=True)
class OutgoingStatus:
    """A unit's outgoing documents: the drafts in the chain by state, those released in the year, by reply date."""

    unit_code: str
    unit_name: str
    year: int
    today: date
    by_state: dict[str, int]
    by_deadline: dict[str, int]  # Bucket → count (released ones with a hạn trả lời)
    items: list[OutgoingItem] = field(default_factory=list)
