"""Replacing a meeting's chair or secretary before it ends (issue 17 item 2).

Who may (meetings.replace_lead): the meeting's chair, whoever called it, or a manager, office admin or clerk over its
unit — not the secretary, who may not replace the chair who signs the minutes. Until the meeting has ended (409
after). The new chair or secretary is a staff member (by employee code): one already taking part changes part, one
not yet in the meeting joins it; the one replaced stays as a voting member (their check-in, votes and notes kept).
The chair and the secretary stay two people (409). Audited (`meeting.lead_replace`); the new one and the one
replaced are told in their inbox (category `meetings.role`, migration 0813); the room's display follows (its chair).

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool and clock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.meetings import access, repository
from hub.meetings.models import MeetingConflict, MeetingError, Participant, bilingual
from hub.meetings.participants import ended
from hub.meetings.repository import roster as rows
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting

#: the parts that are replaced here: (Vietnamese, English)
LEADS: dict[str, tuple[str, str]] = {"chair": ("chủ trì", "chair"), "secretary": ("thư ký", "secretary")}


class MeetingLeads:
    pool: ConnectionPool
    now: Callable[[], datetime]
    notify_config: NotifyConfig
    _changed: Callable[..., None]
    _meeting: Callable[..., Meeting]
    _me: Callable[..., Participant | None]

    def may_replace_lead(self, principal: Principal, meeting: Meeting, me: Participant | None) -> bool:
        """Internal (the meeting's page): whether the viewer may replace its chair or secretary (not whether the
        meeting is still open)."""
        if not gate.allows(principal, access.REPLACE_LEAD):
            return False
        if (me is not None and me.role == "chair") or meeting.created_by == principal.username:
            return True
        return gate.allows_on(principal, access.CREATE, Target.unit(meeting.unit_path))

    def replace_lead(
        self, principal: Principal, actor: Actor, meeting_id: int, role: str, employee_code: str
    ) -> Participant:
        """Make the staff member `employee_code` the meeting's `role` ("chair" or "secretary") in place of the one
        who is; the new one as a participant."""
        gate.check(principal, access.REPLACE_LEAD)
        if role not in LEADS:
            raise MeetingError(bilingual("chỉ thay được chủ trì (chair) hoặc thư ký (secretary)",
                                         "only the chair or the secretary is replaced"))  # fmt: skip
        vi, en = LEADS[role]
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = repository.participants(conn, meeting_id)
            if not self.may_replace_lead(principal, meeting, self._me(principal, people)):
                raise AccessDenied(bilingual("chỉ chủ trì, người triệu tập hoặc người tổ chức cuộc họp",
                                             "only the meeting's chair, who called it, or its organisers"))  # fmt: skip
            if ended(meeting, self.now()):
                raise MeetingConflict(bilingual(f"cuộc họp đã kết thúc: không thay {vi} được nữa",
                                                f"the meeting is over: its {en} is no longer replaced"))  # fmt: skip
            who = rows.employee(conn, employee_code)
            if who is None:
                raise MeetingError(bilingual(f"không có cán bộ mã {employee_code!r}", f"no employee {employee_code!r}"))
            current = next((p for p in people if p.role == role), None)
            other = next((p for p in people if p.role in LEADS and p.role != role), None)
            if current is not None and current.employee_id == who["id"]:
                raise MeetingConflict(bilingual(f"{who['name']} đã là {vi} cuộc họp", f"{who['name']} is the {en}"))
            if other is not None and other.employee_id == who["id"]:
                raise MeetingConflict(bilingual("chủ trì và thư ký phải là hai người",
                                                "the chair and the secretary must be two people"))  # fmt: skip
            already = next((p for p in people if p.employee_id == who["id"]), None)
            if current is not None:
                rows.set_part(conn, current.id, "member")  # stays, a voting member
            if already is not None:
                rows.set_part(conn, already.id, role)
                pid = already.id
            else:
                pid = rows.add_lead(conn, meeting_id, who["id"], role)
            audit.record(conn, actor, "meeting.lead_replace", "meeting", meeting_id,
                         before={"role": role, "employee": current.employee_code if current else None,
                                 "name": current.name if current else None},
                         after={"role": role, "participant_id": pid, "employee": who["code"], "name": who["name"],
                                "was_participant": already is not None}, unit_path=meeting.unit_path)  # fmt: skip
            self._tell_lead_change(conn, meeting, who["user_id"], current, role)
            made = repository.participant(conn, pid)
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        assert made is not None
        return made

    def _tell_lead_change(
        self, conn: psycopg.Connection, meeting: Meeting, new_user: int | None, old: Participant | None, role: str
    ) -> None:
        vi, en = LEADS[role]
        when = meeting.starts_at.strftime("%H:%M %d/%m/%Y")
        where_vi, where_en = meeting.room_name or "trực tuyến", meeting.room_name or "online"
        link = f"/meetings/tablet?id={meeting.id}"
        if new_user:
            notify(conn, [new_user], "meetings.role", Message.text(
                f"Bạn được giao làm {vi} cuộc họp: {meeting.title}", f"You are now the {en} of: {meeting.title}",
                f"{when} (UTC) — {where_vi}", f"{when} (UTC) — {where_en}",
            ), link, config=self.notify_config)  # fmt: skip
        if old is not None and old.user_id:
            notify(conn, [old.user_id], "meetings.role", Message.text(
                f"Bạn không còn là {vi} cuộc họp: {meeting.title} (vẫn là thành phần dự họp)",
                f"You are no longer the {en} of: {meeting.title} (still a participant)",
                f"{when} (UTC)", f"{when} (UTC)",
            ), link, config=self.notify_config)  # fmt: skip
