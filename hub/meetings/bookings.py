"""Bookings of meeting rooms (issue 17 item 1): booked once or recurring (all occurrences or none), confirmed or
pending when the room needs approval, cancelled by the booker (or a decider, anyone's), decided by an office admin or
a manager over the room's unit (never their own). Two live bookings of a room never overlap (409 BookingConflict,
migration 0800's exclusion constraint backs the check).

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool and clock).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.localtime import LOCAL_TZ
from hub.meetings import access, repository
from hub.meetings.models import (
    Booking,
    BookingConflict,
    BookingInput,
    MeetingConflict,
    MeetingError,
    MeetingNotFound,
    Room,
    bilingual,
)

MAX_TITLE = 300
MAX_BOOKING = timedelta(hours=24)
MAX_OCCURRENCES = 60


def _text(value: str, limit: int, vi: str, en: str) -> str:
    text = " ".join((value or "").split())
    if not text or len(text) > limit:
        raise MeetingError(bilingual(f"{vi}: 1–{limit} ký tự", f"{en}: 1–{limit} characters"))
    return text


def _aware(value: datetime, vi: str, en: str) -> datetime:
    if value.tzinfo is None:
        raise MeetingError(bilingual(f"{vi} cần có múi giờ", f"{en} needs a time zone"))
    return value


class MeetingBookings:
    pool: ConnectionPool
    now: Callable[[], datetime]
    _changed: Callable[..., None]
    _room: Callable[..., tuple[int, Room]]

    # --- bookings -------------------------------------------------------------------------------------------

    def book(self, principal: Principal, actor: Actor, inp: BookingInput) -> list[Booking]:
        """Book a room once, or every `recurrence.interval_days` for `recurrence.count` occurrences (all or none):
        confirmed, or pending when the room needs approval and the booker may not decide its bookings.
        BookingConflict (409) when any occurrence overlaps a live booking; nothing is written then."""
        gate.check(principal, access.BOOK)
        title = _text(inp.title, MAX_TITLE, "tiêu đề", "title")
        start = _aware(inp.starts_at, "giờ bắt đầu", "the start")
        end = _aware(inp.ends_at, "giờ kết thúc", "the end")
        if end <= start:
            raise MeetingError(bilingual("giờ kết thúc phải sau giờ bắt đầu", "the end must be after the start"))
        if end - start > MAX_BOOKING:
            raise MeetingError(bilingual("một lần đặt tối đa 24 giờ", "one booking lasts at most 24 hours"))
        if end <= self.now():
            raise MeetingError(bilingual("không đặt phòng cho thời gian đã qua", "cannot book a time that has passed"))
        spans = [(start, end)]
        series_id = None
        if inp.recurrence is not None:
            every, count = inp.recurrence.interval_days, inp.recurrence.count
            if not 1 <= every <= 31 or not 1 <= count <= MAX_OCCURRENCES:
                raise MeetingError(
                    bilingual(
                        f"lặp lại mỗi 1–31 ngày, tối đa {MAX_OCCURRENCES} lần",
                        f"repeat every 1-31 days, at most {MAX_OCCURRENCES} times",
                    )
                )
            spans = [_shift(start, end, every * i) for i in range(count)]
            series_id = str(uuid.uuid4()) if count > 1 else None
        with self.pool.connection() as conn, conn.transaction():
            key, room = self._room(conn, inp.room_id)
            if not room.active:
                raise MeetingConflict(bilingual(f"phòng {room.name} đang ngừng sử dụng", f"room {room.name} is closed"))
            status = "confirmed"
            if room.needs_approval and not gate.allows_on(
                principal, access.APPROVE_BOOKING, Target.unit(room.unit_path)
            ):
                status = "pending"
            taken = repository.overlapping(conn, key, spans)
            if taken:
                raise BookingConflict(room.name, taken)
            ids: list[int] = []
            try:
                with conn.transaction():
                    for a, z in spans:
                        ids.append(
                            repository.insert_booking(
                                conn,
                                key,
                                title,
                                a,
                                z,
                                status,
                                series_id,
                                principal.username,
                                principal.user_id if principal.user_id > 0 else None,
                            )  # fmt: skip
                        )
            except psycopg.errors.ExclusionViolation as exc:  # a booking that raced ours committed first
                raise BookingConflict(room.name, repository.overlapping(conn, key, spans)) from exc
            made = [repository.booking(conn, i) for i in ids]
            audit.record(conn, actor, "meeting_booking.create", "meeting_booking", ids[0],
                         after={"room_id": room.room_id, "title": title, "status": status, "series_id": series_id,
                                "occurrences": [[a, z] for a, z in spans]},
                         unit_path=room.unit_path)  # fmt: skip
            repository.announce(conn, room.room_id)
        self._changed(room.room_id)
        return [b for b in made if b is not None]

    def bookings(self, principal: Principal, room_id: str, start: datetime, end: datetime) -> list[Booking]:
        """The room's bookings (every status) that overlap [start, end), by start."""
        gate.check(principal, access.ROOMS_VIEW)
        if end <= start or end - start > timedelta(days=93):
            raise MeetingError(bilingual("khoảng thời gian 1 phút – 93 ngày", "a span of 1 minute to 93 days"))
        with self.pool.connection() as conn:
            self._room(conn, room_id)
            return repository.bookings(conn, room_id, start, end)

    def booking(self, principal: Principal, booking_id: int) -> Booking:
        gate.check(principal, access.ROOMS_VIEW)
        with self.pool.connection() as conn:
            return self._booking(conn, booking_id)

    def _booking(self, conn: psycopg.Connection, booking_id: int, lock: bool = False) -> Booking:
        found = repository.booking(conn, booking_id, lock=lock)
        if found is None:
            raise MeetingNotFound(bilingual(f"không có lịch đặt phòng số {booking_id}", f"no booking {booking_id}"))
        return found

    def cancel(self, principal: Principal, actor: Actor, booking_id: int, whole_series: bool = False) -> list[int]:
        """Cancel a live booking (and, with `whole_series`, its series' later live occurrences): the booker, or a
        decider over the room's unit. The ids cancelled; MeetingConflict when it is no longer live."""
        gate.check(principal, access.BOOK)
        with self.pool.connection() as conn, conn.transaction():
            found = self._booking(conn, booking_id, lock=True)
            _, room = self._room(conn, found.room_id)
            if repository.booking_owner(conn, booking_id) != principal.user_id or principal.user_id <= 0:
                gate.check(principal, access.APPROVE_BOOKING, Target.unit(room.unit_path))
            if found.status not in ("pending", "confirmed"):
                raise MeetingConflict(
                    bilingual("lịch đặt phòng này không còn hiệu lực", "this booking is no longer live")
                )
            ids = [booking_id]
            if whole_series and found.series_id:
                later = repository.live_bookings_between(conn, room.room_id, found.starts_at, found.starts_at
                                                         + timedelta(days=31 * MAX_OCCURRENCES))  # fmt: skip
                ids += [b.id for b in later if b.series_id == found.series_id and b.id != booking_id]
            for i in ids:
                repository.set_status(conn, i, "cancelled", decided_by=principal.username, decided_at=self.now())
            audit.record(conn, actor, "meeting_booking.cancel", "meeting_booking", booking_id,
                         before={"status": found.status}, after={"status": "cancelled", "ids": ids},
                         unit_path=room.unit_path)  # fmt: skip
            repository.announce(conn, room.room_id)
        self._changed(room.room_id)
        return ids

    def decide(self, principal: Principal, actor: Actor, booking_id: int, approve: bool, note: str | None) -> Booking:
        """Approve or reject a pending booking of a room that needs approval (never one's own)."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._booking(conn, booking_id, lock=True)
            _, room = self._room(conn, found.room_id)
            gate.check(principal, access.APPROVE_BOOKING, Target.unit(room.unit_path))
            if principal.user_id > 0 and repository.booking_owner(conn, booking_id) == principal.user_id:
                raise AccessDenied(
                    bilingual("không thể tự duyệt lịch đặt phòng của mình", "you cannot decide your own booking")
                )
            if found.status != "pending":
                raise MeetingConflict(
                    bilingual("lịch đặt phòng không chờ duyệt", "the booking is not awaiting approval")
                )
            note = " ".join((note or "").split())[:2000] or None
            status = "confirmed" if approve else "rejected"
            repository.set_status(conn, booking_id, status, decided_by=principal.username, decided_at=self.now(),
                                  note=note)  # fmt: skip
            audit.record(conn, actor, "meeting_booking.approve" if approve else "meeting_booking.reject",
                         "meeting_booking", booking_id, before={"status": "pending"},
                         after={"status": status, "note": note}, unit_path=room.unit_path)  # fmt: skip
            repository.announce(conn, room.room_id)
            after = self._booking(conn, booking_id)
        self._changed(room.room_id)
        return after


def _shift(start: datetime, end: datetime, days: int) -> tuple[datetime, datetime]:
    """The same local wall-clock times `days` later (a local day is not always 24 h elsewhere; here it is)."""
    a = (start.astimezone(LOCAL_TZ) + timedelta(days=days)).astimezone(start.tzinfo)
    return a, a + (end - start)
