"""Meetings (issue 17 items 2-3): calling one, its participants, check-in, the release job (the agenda and the papers:
hub.meetings.agenda).

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool and clock). Who may:

- call a meeting (meetings.create): a manager, office admin or clerk over its organising unit; in a booked room
  (its times; their own booking, or one they may decide) or online only (times and a video link given);
- prepare it (meetings.organise: participants, agenda, papers, attendance by hand): its chair, its secretary,
  whoever called it, or a manager, office admin or clerk over its unit;
- take part (meetings.attend: see it and its papers, check in by QR): its participants and those organisers. A
  restricted paper is read only by the participants listed for it, the chair and the secretary; anyone else gets
  403 and never its title's file.

Check-in: at the room's door the door agent's `attendance.face` marks a participant present (migration 0801's
trigger, in ingest's own transaction) while a meeting runs there; the room display's QR carries a signed token of
the meeting (`checkin_token`), which a signed-in participant sends (`check_in_qr`): a second use changes nothing;
the secretary marks anyone (`mark_attendance`). Arriving more than the meeting's `late_after_minutes` after its
start is marked late. A confirmed booking nobody checked in to within `checkin_minutes` of its start is released
by the job (`release_unattended`), and its booker is notified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import psycopg
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.files import ContentStore
from hub.meetings import access, repository
from hub.meetings.agenda import _may_read
from hub.meetings.models import (
    Meeting,
    MeetingConflict,
    MeetingDetail,
    MeetingError,
    MeetingInput,
    MeetingNotFound,
    Participant,
    bilingual,
)
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

MAX_PARTICIPANTS = 500
QR_SALT = "cces-meeting-checkin"


def _text(value: str | None, limit: int, vi: str, en: str) -> str:
    text = " ".join((value or "").split())
    if not text or len(text) > limit:
        raise MeetingError(bilingual(f"{vi}: 1–{limit} ký tự", f"{en}: 1–{limit} characters"))
    return text


class MeetingConduct:
    """Meetings, participants, agenda, papers and check-in (mixed into MeetingsService)."""

    pool: ConnectionPool
    now: Callable[[], datetime]
    store: ContentStore | None
    checkin_minutes: int
    notify_config: NotifyConfig
    _qr: URLSafeTimedSerializer
    _changed: Callable[..., None]

    # --- calling a meeting --------------------------------------------------------------------------------------

    def create_meeting(self, principal: Principal, actor: Actor, inp: MeetingInput) -> Meeting:
        title = _text(inp.title, 300, "tên cuộc họp", "meeting title")
        if inp.video_url is not None and not re.match(r"^https://\S{3,490}$", inp.video_url):
            raise MeetingError(bilingual("đường dẫn họp trực tuyến phải bắt đầu bằng https://",
                                         "the video link must start with https://"))  # fmt: skip
        if not 0 <= inp.late_after_minutes <= 240:
            raise MeetingError(bilingual("số phút tính đến muộn: 0–240", "minutes before late: 0-240"))
        codes = [inp.chair_code, inp.secretary_code, *inp.member_codes]
        if len(codes) + len(inp.guests) > MAX_PARTICIPANTS:
            raise MeetingError(bilingual(f"tối đa {MAX_PARTICIPANTS} người dự", f"at most {MAX_PARTICIPANTS} people"))
        if inp.chair_code == inp.secretary_code:
            raise MeetingError(bilingual("chủ trì và thư ký phải là hai người", "the chair and secretary must differ"))
        with self.pool.connection() as conn, conn.transaction():
            unit = repository.unit_row(conn, inp.unit_code)
            if unit is None:
                raise MeetingError(bilingual(f"không có đơn vị mã {inp.unit_code!r}", f"no unit {inp.unit_code!r}"))
            gate.check(principal, access.CREATE, Target.unit(unit[1]))
            if inp.booking_id is not None:
                booking = repository.booking(conn, inp.booking_id, lock=True)
                owner = repository.booking_room(conn, inp.booking_id)
                if booking is None or owner is None:
                    raise MeetingNotFound(bilingual(f"không có lịch đặt phòng số {inp.booking_id}",
                                                    f"no booking {inp.booking_id}"))  # fmt: skip
                if owner[0] != principal.user_id or principal.user_id <= 0:
                    gate.check(principal, access.APPROVE_BOOKING, Target.unit(owner[1]))
                if booking.status not in ("pending", "confirmed"):
                    raise MeetingConflict(bilingual("lịch đặt phòng không còn hiệu lực", "the booking is not live"))
                if booking.meeting_id is not None:
                    raise MeetingConflict(bilingual("phòng đã đặt cho cuộc họp khác", "the booking has a meeting"))
                starts, ends = booking.starts_at, booking.ends_at
            else:
                if inp.starts_at is None or inp.ends_at is None or inp.starts_at.tzinfo is None:
                    raise MeetingError(
                        bilingual(
                            "cuộc họp không đặt phòng cần giờ bắt đầu, kết thúc (có múi giờ)",
                            "a meeting without a room needs its start and end (with a zone)",
                        )
                    )
                starts, ends = inp.starts_at, inp.ends_at
                if ends <= starts or ends - starts > timedelta(hours=24):
                    raise MeetingError(bilingual("giờ kết thúc sau giờ bắt đầu, tối đa 24 giờ",
                                                 "the end comes after the start, within 24 hours"))  # fmt: skip
            found = repository.employee_ids(conn, codes)
            missing = [c for c in codes if c not in found]
            if missing:
                raise MeetingError(bilingual(f"không có cán bộ mã {', '.join(missing[:10])}",
                                             f"no employee {', '.join(missing[:10])}"))  # fmt: skip
            meeting_id = repository.insert_meeting(conn, {
                "booking_id": inp.booking_id, "unit_id": unit[0], "title": title, "starts_at": starts,
                "ends_at": ends, "video_url": inp.video_url, "late_after_minutes": inp.late_after_minutes,
                "created_by": principal.username,
                "created_by_user": principal.user_id if principal.user_id > 0 else None,
            })  # fmt: skip
            repository.insert_participant(conn, meeting_id, "chair", found[inp.chair_code])
            repository.insert_participant(conn, meeting_id, "secretary", found[inp.secretary_code])
            for code in inp.member_codes:
                repository.insert_participant(conn, meeting_id, "member", found[code])
            for guest in inp.guests:
                name = _text(guest.name, 200, "tên khách mời", "guest name")
                org = " ".join((guest.organisation or "").split())[:200] or None
                repository.insert_participant(conn, meeting_id, "guest", guest_name=name, guest_org=org, voting=False)
            made = repository.meeting(conn, meeting_id)
            assert made is not None
            invited = [p.user_id for p in repository.participants(conn, meeting_id) if p.user_id]
            if invited:
                when = starts.strftime("%H:%M %d/%m/%Y")
                where = made.room_name or "trực tuyến / online"
                notify(conn, invited, "meetings.invitation", Message.text(
                    f"Mời họp: {title}", f"Meeting invitation: {title}",
                    f"{when} (UTC) — {where}", f"{when} (UTC) — {where}",
                ), f"/meetings/tablet?id={meeting_id}", config=self.notify_config)  # fmt: skip
            audit.record(conn, actor, "meeting.create", "meeting", meeting_id,
                         after={"title": title, "booking_id": inp.booking_id, "chair": inp.chair_code,
                                "secretary": inp.secretary_code, "members": list(inp.member_codes),
                                "guests": [g.name for g in inp.guests]}, unit_path=unit[1])  # fmt: skip
            if made.room_id:
                repository.announce(conn, made.room_id)
        if made.room_id:
            self._changed(made.room_id)
        return made

    # --- reading ------------------------------------------------------------------------------------------------

    def _meeting(self, conn: psycopg.Connection, meeting_id: int, lock: bool = False) -> Meeting:
        found = repository.meeting(conn, meeting_id, lock=lock)
        if found is None:
            raise MeetingNotFound(bilingual(f"không có cuộc họp số {meeting_id}", f"no meeting {meeting_id}"))
        return found

    def _me(self, principal: Principal, people: Sequence[Participant]) -> Participant | None:
        if principal.employee_id is None:
            return None
        return next((p for p in people if p.employee_id == principal.employee_id), None)

    def _organiser(self, principal: Principal, meeting: Meeting, me: Participant | None) -> bool:
        if me is not None and me.role in ("chair", "secretary"):
            return True
        if meeting.created_by == principal.username:
            return True
        return gate.allows_on(principal, access.CREATE, Target.unit(meeting.unit_path))

    def _require_organiser(self, conn: psycopg.Connection, principal: Principal, meeting: Meeting) -> list[Participant]:
        gate.check(principal, access.ORGANISE)
        people = repository.participants(conn, meeting.id)
        if not self._organiser(principal, meeting, self._me(principal, people)):
            raise AccessDenied(bilingual("chỉ chủ trì, thư ký hoặc người tổ chức cuộc họp",
                                         "only the meeting's chair, secretary or organisers"))  # fmt: skip
        return people

    def _require_attendee(self, conn: psycopg.Connection, principal: Principal, meeting: Meeting):  # noqa: ANN202
        gate.check(principal, access.ATTEND)
        people = repository.participants(conn, meeting.id)
        me = self._me(principal, people)
        organiser = self._organiser(principal, meeting, me)
        if me is None and not organiser:
            raise AccessDenied(bilingual("bạn không có trong thành phần cuộc họp này",
                                         "you are not a participant of this meeting"))  # fmt: skip
        return people, me, organiser

    def meeting_for_organiser(self, principal: Principal, meeting_id: int) -> Meeting:
        """The meeting, for its chair, secretary or organisers (AccessDenied for anyone else)."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            self._require_organiser(conn, principal, meeting)
            return meeting

    def meeting(self, principal: Principal, meeting_id: int) -> MeetingDetail:
        """The meeting as the viewer sees it: participants, agenda, the papers they may read."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            people, me, organiser = self._require_attendee(conn, principal, meeting)
            papers = [p for p, readers in repository.papers(conn, meeting_id)
                      if _may_read(p, readers, me, principal)]  # fmt: skip
            return MeetingDetail(meeting, tuple(people), tuple(repository.items(conn, meeting_id)), tuple(papers),
                                 me, organiser)  # fmt: skip

    def my_meetings(self, principal: Principal, start: datetime, end: datetime) -> list[Meeting]:
        """Meetings in [start, end) the caller takes part in, called, or organises over their units."""
        gate.check(principal, access.ATTEND)
        if end <= start or end - start > timedelta(days=93):
            raise MeetingError(bilingual("khoảng thời gian 1 phút – 93 ngày", "a span of 1 minute to 93 days"))
        scope = gate.reach(principal, access.CREATE)
        with self.pool.connection() as conn:
            return repository.meetings_of(conn, principal.employee_id, principal.username, scope, start, end)

    # --- check-in -----------------------------------------------------------------------------------------------

    def checkin_token(self, meeting_id: int) -> str:
        """Internal (the room display's QR, the meeting page): a signed token naming the meeting."""
        return str(self._qr.dumps({"m": meeting_id}))

    def check_in_qr(self, principal: Principal, actor: Actor, token: str) -> Participant:
        """The signed-in participant checks in with the room's QR token; using it again changes nothing."""
        gate.check(principal, access.ATTEND)
        try:
            if len(token) > 300:
                raise BadSignature("too long")
            meeting_id = int(self._qr.loads(token, max_age=2 * 86400)["m"])
        except SignatureExpired as exc:
            raise MeetingError(bilingual("mã QR đã hết hạn", "the QR code has expired")) from exc
        except (BadSignature, KeyError, TypeError, ValueError) as exc:
            raise MeetingError(bilingual("mã QR không hợp lệ", "the QR code is not valid")) from exc
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            me = self._me(principal, repository.participants(conn, meeting_id))
            if me is None:
                raise AccessDenied(bilingual("bạn không có trong thành phần cuộc họp này",
                                             "you are not a participant of this meeting"))  # fmt: skip
            return self._present(conn, actor, meeting, me, "qr")

    def mark_attendance(
        self, principal: Principal, actor: Actor, meeting_id: int, participant_id: int, present: bool = True
    ) -> Participant:
        """The secretary (or another organiser) marks a participant present, or takes a mark back."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            people = self._require_organiser(conn, principal, meeting)
            target = next((p for p in people if p.id == participant_id), None)
            if target is None:
                raise MeetingNotFound(bilingual(f"không có người dự số {participant_id}",
                                                f"no participant {participant_id}"))  # fmt: skip
            if present:
                return self._present(conn, actor, meeting, target, "secretary")
            if repository.mark_absent(conn, participant_id):
                audit.record(conn, actor, "meeting.attendance_undo", "meeting", meeting_id,
                             after={"participant_id": participant_id}, unit_path=meeting.unit_path)  # fmt: skip
            after = repository.participant(conn, participant_id)
            assert after is not None
            return after

    def _present(self, conn: psycopg.Connection, actor: Actor, meeting: Meeting, who: Participant, method: str):  # noqa: ANN202
        now = self.now()
        if meeting.status in ("closed", "cancelled") or now >= meeting.ends_at:
            raise MeetingConflict(bilingual("cuộc họp đã kết thúc", "the meeting is over"))
        if now < meeting.starts_at - timedelta(minutes=30):
            raise MeetingConflict(bilingual("chưa đến giờ điểm danh (30 phút trước giờ họp)",
                                            "check-in opens 30 minutes before the start"))  # fmt: skip
        late = now > meeting.starts_at + timedelta(minutes=meeting.late_after_minutes)
        if repository.mark_present(conn, who.id, now, method, actor.username, late):
            if meeting.booking_id is not None:
                repository.check_in_booking(conn, meeting.booking_id, now, actor.username)
            audit.record(conn, actor, "meeting.checkin", "meeting", meeting.id,
                         after={"participant_id": who.id, "method": method, "late": late},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
        after = repository.participant(conn, who.id)
        assert after is not None
        return after

    def attendance(self, principal: Principal, meeting_id: int) -> list[Participant]:
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            people, _, _ = self._require_attendee(conn, principal, meeting)
            return people

    # --- the release job ----------------------------------------------------------------------------------------

    def release_unattended(self) -> int:
        """Internal (the job): release confirmed bookings nobody checked in to within `checkin_minutes` of their
        start, and tell each booker; the number released."""
        now = self.now()
        rooms: list[str] = []
        with self.pool.connection() as conn, conn.transaction():
            due = repository.unattended_bookings(conn, now - timedelta(minutes=self.checkin_minutes),
                                                 now - timedelta(days=1))  # fmt: skip
            for b in due:
                repository.set_status(conn, b["id"], "released", released_at=now)
                audit.record(conn, audit.SYSTEM_ACTOR, "meeting_booking.release", "meeting_booking", b["id"],
                             before={"status": "confirmed"}, after={"status": "released"},
                             unit_path=b["unit_path"])  # fmt: skip
                if b["booked_by_user"]:
                    when = b["starts_at"].strftime("%H:%M %d/%m/%Y")
                    notify(conn, [b["booked_by_user"]], "meetings.booking_released", Message.text(
                        f"Phòng {b['room_name']} đã được trả: không ai điểm danh",
                        f"Room {b['room_name']} was released: nobody checked in",
                        f"{b['title']} — {when} (UTC), sau {self.checkin_minutes} phút",
                        f"{b['title']} — {when} (UTC), after {self.checkin_minutes} minutes",
                    ), "/meetings", config=self.notify_config)  # fmt: skip
                repository.announce(conn, b["room_id"])
                rooms.append(b["room_id"])
        self._changed(*rooms)
        return len(due)
