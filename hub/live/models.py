"""What the live feed (bảng tin trực tiếp) hands to subscribers: check-ins, device status changes, gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

#: PostgreSQL channels: ingest notifies the first in the transaction that stores attendance events,
#: a trigger on `devices` the second (migration 0030). NOTIFY is delivered after COMMIT only.
ATTENDANCE_CHANNEL = "cces_attendance"
DEVICE_STATUS_CHANNEL = "cces_device_status"
#: notifications (hub.notifications) sends this in the transaction that stores inbox rows or marks them read
INBOX_CHANNEL = "cces_notifications"


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A stored FaceID attendance event (chấm công), with who it is when the person is an employee."""

    event_id: UUID
    ts: datetime  # when it happened (device clock, UTC)
    received_at: datetime  # when the hub stored it
    device_id: str
    person_id: str
    direction: str | None  # "in" / "out" / None
    score: float
    employee_code: str | None  # None: the FaceID id belongs to no employee
    full_name: str | None
    unit_code: str | None
    unit_name: str | None
    unit_path: str | None  # for scoping to a subtree ("/1/7/")
    site: str | None  # the door's site and room, from the device registry
    room: str | None


@dataclass(frozen=True, slots=True)
class DeviceStatusChange:
    """A device went online or offline (the dashboard's device tiles)."""

    device_id: str
    online: bool
    at: datetime
    kind: str | None
    site: str | None
    room: str | None


@dataclass(frozen=True, slots=True)
class FeedGap:
    """The listener lost the database between `since` and `until`: items of that time may be missing.

    Those it could find again were delivered just before this; a page should reload its figures.
    """

    since: datetime
    until: datetime
    recovered: int  # items found again and delivered after the reconnect


@dataclass(frozen=True, slots=True)
class InboxChanged:
    """Notifications of these accounts were stored or read (the bell's unread count); `everyone`: too many
    to name, every open bell looks again."""

    user_ids: frozenset[int]
    everyone: bool = False

    def concerns(self, user_id: int) -> bool:
        return self.everyone or user_id in self.user_ids


LiveItem = CheckIn | DeviceStatusChange | FeedGap | InboxChanged
