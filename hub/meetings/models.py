"""Records and errors of paperless meetings (phòng họp không giấy): rooms, bookings, a room's schedule.

Every refusal says what is wrong in Vietnamese and English ("… / …"), and nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hub.domain import Conflict, Invalid, NotFound, bilingual


class MeetingError(Invalid):
    """Input the rules refuse (422)."""


class MeetingNotFound(NotFound):
    """No such room, booking or meeting (404)."""


class MeetingConflict(Conflict):
    """The change clashes with what is stored (409): the room is taken, the booking is not in that state."""


class BookingConflict(MeetingConflict):
    """The room is booked over (part of) the asked time; `taken` names the bookings in the way."""

    def __init__(self, room_name: str, taken: list[tuple[datetime, datetime]]) -> None:
        spans = ", ".join(f"{a:%H:%M %d/%m/%Y}–{b:%H:%M %d/%m/%Y}" for a, b in taken[:5]) or "?"
        super().__init__(
            bilingual(
                f"Phòng {room_name} đã có lịch đặt trùng thời gian ({spans}, giờ UTC)",
                f"Room {room_name} is already booked at that time ({spans}, UTC)",
            )
        )
        self.taken = taken


class BookingStatus(StrEnum):
    PENDING = "pending"  # waits for the room's approval
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    RELEASED = "released"  # nobody checked in within the room's minutes: the job gave the room back


BOOKING_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "pending": ("Chờ duyệt", "Awaiting approval"),
    "confirmed": ("Đã xác nhận", "Confirmed"),
    "rejected": ("Bị từ chối", "Rejected"),
    "cancelled": ("Đã hủy", "Cancelled"),
    "released": ("Tự động trả phòng (không điểm danh)", "Released (nobody checked in)"),
}
#: the statuses that hold the room (the exclusion constraint's WHERE)
LIVE_STATUSES = ("pending", "confirmed")


@dataclass(frozen=True, slots=True)
class Room:
    room_id: str  # also its display topic's id (protocol.topics.Topics.room_display)
    office: str  # the office (trụ sở): the devices' `site` label
    unit_code: str  # the managing unit
    unit_name: str
    unit_path: str
    name: str
    capacity: int
    equipment: tuple[str, ...]
    display_device_id: str | None
    door_device_id: str | None
    needs_approval: bool
    active: bool


@dataclass(frozen=True, slots=True)
class RoomInput:
    """A new room, or all fields of an update (PUT)."""

    office: str
    unit_code: str
    name: str
    capacity: int
    equipment: tuple[str, ...] = ()
    display_device_id: str | None = None
    door_device_id: str | None = None
    needs_approval: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class Booking:
    id: int
    room_id: str
    room_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    series_id: str | None
    booked_by: str
    checked_in_at: datetime | None
    decided_by: str | None = None
    decision_note: str | None = None
    meeting_id: int | None = None  # the meeting held in it (hub.meetings, item 2), if any


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Repeat a booking: every `interval_days` days (7: weekly), `count` occurrences in all (the first included)."""

    interval_days: int
    count: int


@dataclass(frozen=True, slots=True)
class BookingInput:
    room_id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    recurrence: Recurrence | None = None


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """One meeting on a room's screen: what the display shows of it."""

    booking_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    checked_in: bool
    meeting_id: int | None = None
    chair: str | None = None  # the chair's name (a meeting's, item 2)
    current_item: str | None = None  # the agenda item the chair has on (item 5)
    current_speaker: str | None = None
    speaker_since: datetime | None = None  # when the chair gave the floor
    speaker_until: datetime | None = None  # … and when its time runs out (None: no limit)


@dataclass(frozen=True, slots=True)
class RoomSchedule:
    """What a room's display shows at `at`: the meeting on now (None: free) and the next one today or later."""

    room: Room
    at: datetime
    current: ScheduleEntry | None
    next: ScheduleEntry | None
    later: tuple[ScheduleEntry, ...] = field(default_factory=tuple)  # the rest of the local day after `next`


# --- meetings (item 2) ----------------------------------------------------------------------------------------

MEETING_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "planned": ("Sắp họp", "Planned"),
    "in_progress": ("Đang họp", "In progress"),
    "closed": ("Đã kết thúc", "Closed"),
    "cancelled": ("Đã hủy", "Cancelled"),
}
PARTICIPANT_ROLE_LABELS: dict[str, tuple[str, str]] = {
    "chair": ("Chủ trì", "Chair"),
    "secretary": ("Thư ký", "Secretary"),
    "member": ("Thành phần dự họp", "Member"),
    "guest": ("Khách mời", "Guest"),
}
CHECKIN_METHOD_LABELS: dict[str, tuple[str, str]] = {
    "face": ("Nhận diện khuôn mặt tại cửa", "Face at the door"),
    "qr": ("Quét mã QR", "QR code"),
    "secretary": ("Thư ký điểm danh", "Marked by the secretary"),
    "device": ("Thiết bị phòng họp", "Room device"),
}


@dataclass(frozen=True, slots=True)
class GuestInput:
    name: str
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class MeetingInput:
    title: str
    unit_code: str  # the organising unit
    chair_code: str  # employee codes
    secretary_code: str
    member_codes: tuple[str, ...] = ()
    guests: tuple[GuestInput, ...] = ()
    booking_id: int | None = None  # held in this booked room (its times), or online only with the times below
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    video_url: str | None = None
    late_after_minutes: int = 5


@dataclass(frozen=True, slots=True)
class Participant:
    id: int
    meeting_id: int
    employee_id: int | None
    employee_code: str | None
    name: str  # the employee's full name or the guest's
    organisation: str | None  # the employee's unit or the guest's organisation
    role: str
    voting: bool
    present_at: datetime | None
    checkin_method: str | None
    late: bool
    user_id: int | None = None  # the employee's account, if any (notifications)


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    title: str
    unit_code: str
    unit_path: str
    booking_id: int | None
    room_id: str | None
    room_name: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    video_url: str | None
    late_after_minutes: int
    created_by: str
    current_item_id: int | None = None


@dataclass(frozen=True, slots=True)
class ItemInput:
    title: str
    presenter_code: str | None = None  # an employee among the participants
    duration_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class AgendaItem:
    id: int
    meeting_id: int
    position: int
    title: str
    presenter_id: int | None
    presenter_name: str | None
    duration_minutes: int | None
    minutes: str | None


@dataclass(frozen=True, slots=True)
class Paper:
    id: int
    meeting_id: int
    item_id: int | None
    title: str
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    restricted: bool
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class MeetingDetail:
    """A meeting as one viewer sees it: the papers they may read, and who they are in it."""

    meeting: Meeting
    participants: tuple[Participant, ...]
    items: tuple[AgendaItem, ...]
    papers: tuple[Paper, ...]
    me: Participant | None  # the viewer's own participation
    can_organise: bool


# --- votes (item 4) -------------------------------------------------------------------------------------------

CHOICE_LABELS: dict[str, tuple[str, str]] = {
    "for": ("Tán thành", "For"),
    "against": ("Không tán thành", "Against"),
    "abstain": ("Không biểu quyết", "Abstain"),
}


@dataclass(frozen=True, slots=True)
class Vote:
    id: int
    meeting_id: int
    item_id: int | None
    question: str
    secret: bool
    choices: tuple[str, ...]
    quorum_pct: int
    eligible: int
    status: str
    voted: int  # how many have voted (always known; the counts only once closed)
    counts: dict[str, int] | None  # choice → votes, once closed
    quorum_met: bool | None  # once closed: voters / eligible > quorum_pct %
    voters: tuple[tuple[str, str], ...] = ()  # an open vote, once closed: (name, choice)


# --- opinions on a draft (góp ý, item 3) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opinion:
    id: int
    meeting_id: int
    item_id: int
    participant_id: int
    author: str
    paper_id: int | None
    paper_title: str | None
    body: str
    created_at: datetime
    updated_at: datetime


# --- the tablet page (item 3) ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TabletView:
    """What a participant's tablet shows at one moment: the meeting as they see it, the speakers' queue, the votes,
    which of them they have voted in (never what, for a secret one), and their own private notes per item."""

    detail: MeetingDetail
    speakers: tuple[dict, ...]
    votes: tuple[Vote, ...]
    voted: frozenset[int]
    notes: dict[int, str]
    chairing: bool  # the viewer is the meeting's chair or secretary: the chair's controls

    @property
    def open_vote(self) -> Vote | None:
        return next((v for v in self.votes if v.status == "open"), None)

    def place_in_queue(self) -> int | None:
        """The viewer's place among those waiting for the floor (1: next), 0 while speaking, None: not asked."""
        me = self.detail.me
        if me is None:
            return None
        waiting = [s for s in self.speakers if s["speaking_at"] is None]
        for s in self.speakers:
            if s["participant_id"] == me.id:
                return 0 if s["speaking_at"] is not None else waiting.index(s) + 1
        return None


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
