"""Meeting rooms and their bookings (issue 17 item 1): the rules, each change in one transaction with its audit row.

Who may (hub.meetings.access declares it; checked here for the API, the UI and the CLI alike): anyone signed in
sees the rooms and books one (a room that needs approval: the booking waits, holding the slot); an office admin
over a room's unit adds and changes it; an office admin or a manager over it decides pending bookings (never
their own) and cancels anyone's; the booker cancels their own.

Two live bookings (pending or confirmed) of a room never overlap: migration 0800's exclusion constraint refuses
the second even when two requests race (409 `BookingConflict`, naming the bookings in the way); the service
also checks first, to name them without relying on the error.

What the displays (issue 17 item 5: the hub's publisher, GET /api/v1/rooms/{room_id}/display, the room kiosk
page) call — internal methods, no principal, they answer for the hub itself:

- `room_schedule(room_id, around) -> RoomSchedule`: the room, the meeting on at `around` (None: free), the next
  confirmed one (within 14 days) and the rest of that local day; `ScheduleEntry` carries the booking, its meeting
  (id, chair, current agenda item and speaker once meetings fill them in). Raises `MeetingNotFound`.
- `display_room_ids() -> list[str]`: the active rooms (to publish each once at start and on the clock).
- `room_for_device(device_id) -> Room | None`: the room whose display (or door) device this is.
- `next_changes(after, until) -> list[tuple[datetime, str]]`: (instant, room id) of every start and end of a live
  booking in (after, until], for re-publishing when the clock passes one.
- `on_room_change(callback)`: `callback(room_id)` after each commit that changes what a room shows, in this
  process; other processes LISTEN on `hub.meetings.repository.ROOM_CHANNEL` (pg_notify, payload the room id).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import psycopg
from itsdangerous import URLSafeTimedSerializer
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ
from hub.meetings import access, repository
from hub.meetings.agenda import MeetingAgenda
from hub.meetings.bookings import MeetingBookings
from hub.meetings.chairing import MeetingChairing
from hub.meetings.checkin_link import MeetingCheckinLink
from hub.meetings.conclusion import MeetingConclusion
from hub.meetings.conduct import QR_SALT, MeetingConduct
from hub.meetings.leads import MeetingLeads
from hub.meetings.minutes import MeetingMinutes
from hub.meetings.models import (
    Booking,
    MeetingConflict,
    MeetingError,
    MeetingNotFound,
    Room,
    RoomInput,
    RoomSchedule,
    ScheduleEntry,
    bilingual,
)
from hub.meetings.opinions import MeetingOpinions
from hub.meetings.papers_notice import MeetingPapersNotice
from hub.meetings.participants import MeetingParticipants
from hub.meetings.reminders import MeetingReminders
from hub.meetings.speaker_timer import MeetingSpeakerTimer
from hub.meetings.tablet import MeetingTablet
from hub.meetings.viewer import MeetingPaperViewer, StampedCopies
from hub.meetings.voting import MeetingVoting
from hub.notifications.models import DEFAULT_NOTIFY, NotifyConfig
from protocol.topics import check_room_id

log = logging.getLogger(__name__)

MAX_TITLE = 300
LOOK_AHEAD = timedelta(days=14)
DEVICE_PATTERN = "^[a-z0-9-]{3,64}$"


def _text(value: str, limit: int, vi: str, en: str) -> str:
    text = " ".join((value or "").split())
    if not text or len(text) > limit:
        raise MeetingError(bilingual(f"{vi}: 1–{limit} ký tự", f"{en}: 1–{limit} characters"))
    return text


def _device(value: str | None, vi: str, en: str) -> str | None:
    if value is None or value == "":
        return None
    if not re.match(DEVICE_PATTERN, value):
        raise MeetingError(bilingual(f"mã {vi} không hợp lệ", f"the {en} id is not valid"))
    return value


class MeetingsService(
    MeetingBookings,
    MeetingConduct,
    MeetingAgenda,
    MeetingVoting,
    MeetingChairing,
    MeetingTablet,
    MeetingReminders,
    MeetingParticipants,
    MeetingOpinions,
    MeetingSpeakerTimer,
    MeetingMinutes,
    MeetingConclusion,
    MeetingCheckinLink,
    MeetingPapersNotice,
    MeetingPaperViewer,
    MeetingLeads,
):
    def __init__(
        self,
        pool: ConnectionPool,
        now: Callable[[], datetime],
        notify_config: NotifyConfig = DEFAULT_NOTIFY,
        *,
        store: ContentStore | None = None,
        checkin_minutes: int = 15,
        qr_secret: str | None = None,
        speaker_minutes: int = 3,
    ) -> None:
        """`store`: where papers go (the domain's jobs attach the hub's content store); `checkin_minutes`: a
        booking nobody checked in to this long after its start is released ([meetings] checkin_minutes);
        `qr_secret`: signs the check-in QR tokens (the hub's shared secret; else one for this process);
        `speaker_minutes`: the floor's time limit unless the chair gives another ([meetings] speaker_minutes)."""
        self.pool = pool
        self.now = now
        self.notify_config = notify_config
        self.store = store
        self.checkin_minutes = checkin_minutes
        self.speaker_minutes = speaker_minutes  # the floor's limit unless the chair gives another
        self._listeners: list[Callable[[str], None]] = []
        self._links = {}  # a meeting's check-in QR link, kept a while (hub.meetings.checkin_link)
        self._stamped = StampedCopies()  # restricted papers' stamped copies the viewer turns through (.viewer)
        self.use_secret(qr_secret or secrets.token_urlsafe(32))

    def use_secret(self, secret: str) -> None:
        """Sign check-in QR tokens with this secret (every hub process of one installation uses the same)."""
        self._qr = URLSafeTimedSerializer(secret, salt=QR_SALT)

    # --- change listeners (the displays' publisher) ---------------------------------------------------------

    def on_room_change(self, callback: Callable[[str], None]) -> None:
        """Internal: `callback(room_id)` after each commit that changes what a room shows (this process)."""
        self._listeners.append(callback)

    def _changed(self, *room_ids: str) -> None:
        for room_id in dict.fromkeys(room_ids):
            for callback in list(self._listeners):
                try:
                    callback(room_id)
                except Exception:  # a listener never fails the change that is already committed
                    log.exception("meetings: a room-change listener failed for %s", room_id)

    # --- rooms ----------------------------------------------------------------------------------------------

    def save_room(self, principal: Principal, actor: Actor, room_id: str, inp: RoomInput) -> Room:
        """Add or change a room (PUT): office admin over its unit (and over the unit it had, on a change)."""
        try:
            room_id = check_room_id(room_id)
        except ValueError as exc:
            raise MeetingError(
                bilingual("mã phòng: 1–64 ký tự a-z, 0-9, '-'", "room id: 1-64 characters a-z, 0-9, '-'")
            ) from exc
        equipment = tuple(dict.fromkeys(_text(e, 100, "thiết bị", "equipment") for e in inp.equipment))
        if len(equipment) > 50:
            raise MeetingError(bilingual("tối đa 50 thiết bị", "at most 50 pieces of equipment"))
        if not 1 <= inp.capacity <= 10_000:
            raise MeetingError(bilingual("sức chứa từ 1 đến 10.000 người", "capacity is 1 to 10,000 people"))
        values = {
            "office": _text(inp.office, 128, "trụ sở", "office"),
            "name": _text(inp.name, 200, "tên phòng", "room name"),
            "capacity": inp.capacity,
            "equipment": list(equipment),
            "display_device_id": _device(inp.display_device_id, "màn hình", "display device"),
            "door_device_id": _device(inp.door_device_id, "thiết bị cửa", "door device"),
            "needs_approval": inp.needs_approval,
            "active": inp.active,
        }
        with self.pool.connection() as conn, conn.transaction():
            unit = repository.unit_row(conn, inp.unit_code)
            if unit is None:
                raise MeetingError(bilingual(f"không có đơn vị mã {inp.unit_code!r}", f"no unit {inp.unit_code!r}"))
            gate.check(principal, access.ROOMS_MANAGE, Target.unit(unit[1]))
            before = repository.room_key(conn, room_id, lock=True)
            if before is not None:
                gate.check(principal, access.ROOMS_MANAGE, Target.unit(before[1].unit_path))
            elif not unit[2]:
                raise MeetingError(bilingual(f"đơn vị {inp.unit_code} đã giải thể", f"unit {inp.unit_code} is closed"))
            try:
                with conn.transaction():
                    repository.save_room(conn, room_id, {**values, "unit_id": unit[0]})
            except psycopg.errors.UniqueViolation as exc:
                raise MeetingConflict(
                    bilingual("màn hình này đã gắn với phòng khác", "that display serves another room")
                ) from exc
            found = repository.room_key(conn, room_id)
            assert found is not None
            audit.record(conn, actor, "meeting_room.save", "meeting_room", room_id,
                         before=before[1] if before else None, after=found[1], unit_path=unit[1])  # fmt: skip
            repository.announce(conn, room_id)
        self._changed(room_id)
        return found[1]

    def rooms(self, principal: Principal, office: str | None = None, active_only: bool = True) -> list[Room]:
        """Every room (anyone signed in sees them all: booking is open to all), by office and name."""
        gate.check(principal, access.ROOMS_VIEW)
        with self.pool.connection() as conn:
            return repository.rooms(conn, office, None, active_only)

    def room(self, principal: Principal, room_id: str) -> Room:
        gate.check(principal, access.ROOMS_VIEW)
        with self.pool.connection() as conn:
            return self._room(conn, room_id)[1]

    def _room(self, conn: psycopg.Connection, room_id: str, lock: bool = False) -> tuple[int, Room]:
        found = repository.room_key(conn, room_id, lock=lock)
        if found is None:
            raise MeetingNotFound(bilingual(f"không có phòng họp {room_id!r}", f"no meeting room {room_id!r}"))
        return found

    # --- what the displays read (internal) ------------------------------------------------------------------

    def room_schedule(self, room_id: str, around: datetime) -> RoomSchedule:
        """Internal (the displays): the meeting on at `around` and the next confirmed one; see the module doc."""
        with self.pool.connection() as conn:
            _, room = self._room(conn, room_id)
            found = [
                b for b in repository.live_bookings_between(conn, room_id, around, around + LOOK_AHEAD)
                if b.status == "confirmed"
            ]  # fmt: skip
            current = next((b for b in found if b.starts_at <= around < b.ends_at), None)
            upcoming = [b for b in found if b.starts_at > around]
            day_end = datetime.combine(around.astimezone(LOCAL_TZ).date() + timedelta(days=1), datetime.min.time(),
                                       LOCAL_TZ)  # fmt: skip
            shown = [b for b in (current, upcoming[0] if upcoming else None) if b is not None]
            shown += [b for b in upcoming[1:] if b.starts_at < day_end]
            live = repository.display_facts(conn, [b.meeting_id for b in shown if b.meeting_id])
        entries = {b.id: _entry(b, live.get(b.meeting_id or 0, {})) for b in shown}
        return RoomSchedule(
            room=room,
            at=around,
            current=entries[current.id] if current else None,
            next=entries[upcoming[0].id] if upcoming else None,
            later=tuple(entries[b.id] for b in upcoming[1:] if b.starts_at < day_end),
        )

    def room_schedule_for(self, principal: Principal, room_id: str, around: datetime | None = None) -> RoomSchedule:
        """`room_schedule` for someone signed in (meetings.rooms_view)."""
        gate.check(principal, access.ROOMS_VIEW)
        return self.room_schedule(room_id, around or self.now())

    def display_room_ids(self) -> list[str]:
        """Internal (the displays): the active rooms' ids."""
        with self.pool.connection() as conn:
            return repository.all_room_ids(conn)

    def room_for_device(self, device_id: str) -> Room | None:
        """Internal (the displays, check-in at the door): the room whose display or door device this is."""
        with self.pool.connection() as conn:
            return repository.room_by_device(conn, device_id)

    def next_changes(self, after: datetime, until: datetime) -> list[tuple[datetime, str]]:
        """Internal (the displays): (instant, room id) of each start and end of a live booking in (after, until]."""
        with self.pool.connection() as conn:
            return repository.boundaries(conn, after, until)


def _entry(b: Booking, facts: dict[str, Any]) -> ScheduleEntry:
    return ScheduleEntry(
        booking_id=b.id, title=facts.get("title") or b.title, starts_at=b.starts_at, ends_at=b.ends_at,
        status=b.status, checked_in=b.checked_in_at is not None, meeting_id=b.meeting_id, chair=facts.get("chair"),
        current_item=facts.get("current_item"), current_speaker=facts.get("current_speaker"),
        speaker_since=facts.get("speaker_since"), speaker_until=facts.get("speaker_until"),
    )  # fmt: skip
