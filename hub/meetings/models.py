"""Records and errors of paperless meetings (phòng họp không giấy): rooms, bookings, a room's schedule, meetings.
The records of what happens during a meeting (votes, opinions, the tablet's view: hub.meetings.conduct_records) and
after it (the minutes, the conclusion notice: hub.meetings.minutes_records) are re-exported here.

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


# re-exported: the records of the meeting's conduct and of its minutes live in modules of their own
from hub.meetings.conduct_records import CHOICE_LABELS as CHOICE_LABELS  # noqa: E402
from hub.meetings.conduct_records import Opinion as Opinion  # noqa: E402
from hub.meetings.conduct_records import TabletView as TabletView  # noqa: E402
from hub.meetings.conduct_records import Vote as Vote  # noqa: E402
from hub.meetings.minutes_records import MINUTES_SECTIONS as MINUTES_SECTIONS  # noqa: E402
from hub.meetings.minutes_records import MINUTES_STATUS_LABELS as MINUTES_STATUS_LABELS  # noqa: E402
from hub.meetings.minutes_records import NOTICE_STATE_LABELS as NOTICE_STATE_LABELS  # noqa: E402
from hub.meetings.minutes_records import TASK_STATUS_LABELS as TASK_STATUS_LABELS  # noqa: E402
from hub.meetings.minutes_records import ConclusionNotice as ConclusionNotice  # noqa: E402
from hub.meetings.minutes_records import Minutes as Minutes  # noqa: E402
from hub.meetings.minutes_records import MinutesVersion as MinutesVersion  # noqa: E402
