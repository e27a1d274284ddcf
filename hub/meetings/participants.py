"""A meeting's participants after it was called (issue 17 item 2): its organisers (meetings.organise: the chair,
the secretary, whoever called it, a manager, office admin or clerk over its unit) add staff — by employee code or
by their account — and guests (a name and an organisation, ≤ 200 characters each), and remove them, until the
meeting has ended. Someone already checked in (or who has voted) stays: removing them would rewrite the
attendance and the votes (409). The chair and the secretary are not removed here. Each change is audited; an
added staff member with an account gets the invitation in their inbox (category `meetings.invitation`).

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool and clock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.meetings import repository
from hub.meetings.models import MeetingConflict, MeetingError, MeetingNotFound, Participant, bilingual
from hub.meetings.repository import roster as rows
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify
from hub.people.text import search_terms

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting

MAX_PARTICIPANTS = 500
MAX_GUEST_TEXT = 200
MAX_CHOICES = 20


def ended(meeting: Meeting, now: datetime) -> bool:
    """Closed or cancelled, or past its end without having been started (one that runs over is not over)."""
    return meeting.status in ("closed", "cancelled") or (meeting.status == "planned" and now >= meeting.ends_at)


def _one_line(value: str | None, limit: int, vi: str, en: str, required: bool) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > limit or (required and not text):
        raise MeetingError(bilingual(f"{vi}: {'1' if required else '0'}–{limit} ký tự",
                                     f"{en}: {'1' if required else '0'}-{limit} characters"))  # fmt: skip
    return text or None


class MeetingParticipants:
    pool: ConnectionPool
    now: Callable[[], datetime]
    notify_config: NotifyConfig
    _changed: Callable[..., None]
    _meeting: Callable[..., Meeting]
    _require_organiser: Callable[..., list[Participant]]

    def _open_for_changes(self, conn: psycopg.Connection, principal: Principal, meeting_id: int):  # noqa: ANN202
        meeting = self._meeting(conn, meeting_id, lock=True)
        people = self._require_organiser(conn, principal, meeting)
        if ended(meeting, self.now()):
            raise MeetingConflict(bilingual("cuộc họp đã kết thúc: không đổi thành phần được nữa",
                                            "the meeting is over: its participants no longer change"))  # fmt: skip
        if len(people) >= MAX_PARTICIPANTS:
            raise MeetingError(bilingual(f"tối đa {MAX_PARTICIPANTS} người dự", f"at most {MAX_PARTICIPANTS} people"))
        return meeting, people

    def add_staff(
        self, principal: Principal, actor: Actor, meeting_id: int, *, employee_code: str | None = None,
        username: str | None = None,
    ) -> Participant:  # fmt: skip
        """Add a staff member (a voting member) by employee code or account; they are invited in their inbox."""
        if (employee_code is None) == (username is None):
            raise MeetingError(bilingual("cần đúng một trong mã cán bộ hoặc tài khoản",
                                         "give either an employee code or an account, not both"))  # fmt: skip
        with self.pool.connection() as conn, conn.transaction():
            meeting, _ = self._open_for_changes(conn, principal, meeting_id)
            who = rows.employee(conn, employee_code, username)
            if who is None:
                name = employee_code or username
                raise MeetingError(bilingual(f"không có cán bộ {name!r} (hoặc tài khoản chưa gắn với cán bộ)",
                                             f"no employee {name!r} (or the account has no employee)"))  # fmt: skip
            pid = rows.add(conn, meeting_id, employee_id=who["id"])
            if pid is None:
                raise MeetingConflict(bilingual(f"{who['name']} đã có trong thành phần cuộc họp",
                                                f"{who['name']} already takes part in the meeting"))  # fmt: skip
            audit.record(conn, actor, "meeting.participant_add", "meeting", meeting_id,
                         after={"participant_id": pid, "employee": who["code"], "name": who["name"]},
                         unit_path=meeting.unit_path)  # fmt: skip
            if who["user_id"]:
                when = meeting.starts_at.strftime("%H:%M %d/%m/%Y")
                where = meeting.room_name or "trực tuyến / online"
                notify(conn, [who["user_id"]], "meetings.invitation", Message.text(
                    f"Mời họp: {meeting.title}", f"Meeting invitation: {meeting.title}",
                    f"{when} (UTC) — {where}", f"{when} (UTC) — {where}",
                ), f"/meetings/tablet?id={meeting_id}", config=self.notify_config)  # fmt: skip
            made = repository.participant(conn, pid)
        assert made is not None
        return made

    def add_guest(
        self, principal: Principal, actor: Actor, meeting_id: int, name: str, organisation: str | None = None
    ) -> Participant:
        """Add a guest (no vote, no account): a name and an organisation, ≤ 200 characters each."""
        name_ = _one_line(name, MAX_GUEST_TEXT, "tên khách mời", "guest name", required=True)
        org = _one_line(organisation, MAX_GUEST_TEXT, "cơ quan của khách mời", "guest's organisation", False)
        with self.pool.connection() as conn, conn.transaction():
            meeting, _ = self._open_for_changes(conn, principal, meeting_id)
            pid = rows.add(conn, meeting_id, guest_name=name_, guest_org=org)
            assert pid is not None
            audit.record(conn, actor, "meeting.participant_add", "meeting", meeting_id,
                         after={"participant_id": pid, "guest": name_, "organisation": org},
                         unit_path=meeting.unit_path)  # fmt: skip
            made = repository.participant(conn, pid)
        assert made is not None
        return made

    def remove_participant(self, principal: Principal, actor: Actor, meeting_id: int, participant_id: int) -> None:
        """Remove a member or a guest not checked in (and who has not voted)."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = self._require_organiser(conn, principal, meeting)
            if ended(meeting, self.now()):
                raise MeetingConflict(bilingual("cuộc họp đã kết thúc: không đổi thành phần được nữa",
                                                "the meeting is over: its participants no longer change"))  # fmt: skip
            who = next((p for p in people if p.id == participant_id), None)
            if who is None:
                raise MeetingNotFound(bilingual(f"cuộc họp không có người dự số {participant_id}",
                                                f"no participant {participant_id} in this meeting"))  # fmt: skip
            if who.role in ("chair", "secretary"):
                raise MeetingConflict(bilingual("không bỏ chủ trì hoặc thư ký khỏi cuộc họp",
                                                "the chair and the secretary are not removed"))  # fmt: skip
            if who.present_at is not None or rows.has_voted(conn, participant_id):
                raise MeetingConflict(bilingual(f"{who.name} đã điểm danh: không bỏ khỏi thành phần được",
                                                f"{who.name} has checked in and cannot be removed"))  # fmt: skip
            if not rows.remove(conn, meeting_id, participant_id):
                raise MeetingConflict(bilingual("người dự vừa thay đổi, hãy thử lại",
                                                "the participant just changed; try again"))  # fmt: skip
            audit.record(conn, actor, "meeting.participant_remove", "meeting", meeting_id,
                         before={"participant_id": participant_id, "employee": who.employee_code, "name": who.name},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)  # (their request to speak may have gone with them)
        if meeting.room_id:
            self._changed(meeting.room_id)

    def staff_choices(self, principal: Principal, meeting_id: int, query: str) -> list[dict]:
        """For the organiser's picker: up to 20 staff not yet in the meeting whose name or code has the words."""
        terms = search_terms(query)[:5]
        if not terms or len(query) > MAX_GUEST_TEXT:
            return []
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            self._require_organiser(conn, principal, meeting)
            return rows.staff_matching(conn, meeting_id, terms, MAX_CHOICES)
