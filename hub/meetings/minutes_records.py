"""Records of what comes after a meeting (issue 17 item 6): its minutes, their versions, the conclusion notice and
the conclusion's tasks' statuses. Re-exported by hub.meetings.models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.meetings.models import Meeting

# --- the minutes (item 6) -------------------------------------------------------------------------------------

#: the minutes' sections: (key, Vietnamese title, English title), in the order they are printed
MINUTES_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("opening", "Thời gian, địa điểm, thành phần", "Time, place and attendance"),
    ("content", "Nội dung cuộc họp", "Proceedings"),
    ("conclusion", "Kết luận", "Conclusion"),
)
MINUTES_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "draft": ("Chưa lưu (bản nháp tự động)", "Not saved yet (automatic draft)"),
    "editing": ("Đang soạn", "Being written"),
    "submitted": ("Chờ chủ trì ký duyệt", "Awaiting the chair's sign-off"),
    "signed": ("Đã ký duyệt", "Signed off"),
}


@dataclass(frozen=True, slots=True)
class MinutesVersion:
    version: int
    saved_by: str
    saved_at: datetime
    length: int  # characters of all its sections


@dataclass(frozen=True, slots=True)
class Minutes:
    """A meeting's minutes as one viewer sees them: the current text per section (the automatic draft while none is
    saved), their state, the versions kept, and what the viewer may do."""

    meeting: Meeting
    status: str  # draft (nothing saved) | editing | submitted | signed
    version: int
    sections: dict[str, str]
    versions: tuple[MinutesVersion, ...]
    chair_name: str
    secretary_name: str
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    signed_by: str | None = None
    signed_at: datetime | None = None
    returned_by: str | None = None
    returned_at: datetime | None = None
    return_comment: str | None = None
    can_write: bool = False  # the viewer may edit and submit them (an organiser, while not submitted or signed)
    can_sign: bool = False  # the viewer is the chair and they wait for the sign-off
    notice: ConclusionNotice | None = None  # the conclusion notice drafted from them (item 6, second part)
    can_notice: bool = False  # the viewer may draft the conclusion notice now (signed off, none drafted yet)

    @property
    def frozen(self) -> bool:
        return self.status == "signed"


@dataclass(frozen=True, slots=True)
class ConclusionNotice:
    """The conclusion notice (thông báo kết luận) of a meeting: an outgoing draft in hub.documents."""

    draft_id: int
    state: str  # the draft's state (hub.documents.outgoing.models.DraftState value)
    state_label: str  # in Vietnamese
    subject: str
    created_by: str
    created_at: datetime
    document_id: int | None  # once released


#: the conclusion notice's draft states as the documents module has them (hub.documents.outgoing.models.DraftState)
NOTICE_STATE_LABELS: dict[str, tuple[str, str]] = {
    "drafting": ("Đang soạn thảo", "Being drafted"),
    "reviewing": ("Chờ lãnh đạo đơn vị duyệt", "Awaiting the unit head's review"),
    "signing": ("Chờ lãnh đạo ký", "Awaiting signature"),
    "approved": ("Đã duyệt, chờ phát hành", "Approved, awaiting release"),
    "returned": ("Trả lại để sửa", "Returned for changes"),
    "released": ("Đã phát hành", "Released"),
    "unknown": ("Bạn không xem được trạng thái văn bản", "You may not see the document's state"),
}
TASK_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "open": ("Đang thực hiện", "Open"),
    "overdue": ("Quá hạn", "Overdue"),
    "done": ("Đã hoàn thành", "Done"),
}
