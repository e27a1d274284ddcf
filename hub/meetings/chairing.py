"""The chair's controls and the minutes draft (issue 17 item 5, first part): start and close the meeting, move the
current agenda item (what the room's display shows), and draft the minutes (biên bản) from the agenda, the
attendance and the votes. A part of `hub.meetings.service.MeetingsService` (a mixin).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.localtime import LOCAL_TZ
from hub.meetings import repository
from hub.meetings.models import CHOICE_LABELS, MeetingConflict, MeetingError, MeetingNotFound, bilingual
from hub.meetings.opinions import opinion_lines
from hub.meetings.speaker_timer import floor_minutes

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting


class MeetingChairing:
    pool: ConnectionPool
    now: Callable[[], datetime]
    _changed: Callable[..., None]
    _meeting: Callable[..., Meeting]
    _require_chair: Callable[..., None]
    _require_attendee: Callable[..., Any]
    _vote: Callable[..., Any]
    _time_floor: Callable[..., None]
    speaker_minutes: int

    def set_status(self, principal: Principal, actor: Actor, meeting_id: int, status: str) -> Meeting:
        """The chair starts ('in_progress') or closes ('closed') the meeting."""
        allowed = {"in_progress": ("planned",), "closed": ("planned", "in_progress")}
        if status not in allowed:
            raise MeetingConflict(bilingual("trạng thái không hợp lệ", "not a status the chair sets"))
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            self._require_chair(conn, principal, meeting)
            if meeting.status not in allowed[status]:
                raise MeetingConflict(
                    bilingual("cuộc họp không ở trạng thái này được", "the meeting is not in a state for that")
                )
            repository.set_meeting_status(conn, meeting_id, status)
            audit.record(conn, actor, "meeting.start" if status == "in_progress" else "meeting.close", "meeting",
                         meeting_id, before={"status": meeting.status}, after={"status": status},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
            after = self._meeting(conn, meeting_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return after

    def set_current_item(self, principal: Principal, actor: Actor, meeting_id: int, item_id: int | None) -> Meeting:
        """The chair moves to an agenda item (None: none); a planned meeting starts with it."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            self._require_chair(conn, principal, meeting)
            if meeting.status in ("closed", "cancelled"):
                raise MeetingConflict(bilingual("cuộc họp đã kết thúc", "the meeting is over"))
            if item_id is not None and all(i.id != item_id for i in repository.items(conn, meeting_id)):
                raise MeetingNotFound(
                    bilingual(f"cuộc họp không có nội dung số {item_id}", f"no agenda item {item_id}")
                )
            repository.set_current_item(conn, meeting_id, item_id)
            audit.record(conn, actor, "meeting.current_item", "meeting", meeting_id,
                         before={"item_id": meeting.current_item_id}, after={"item_id": item_id},
                         unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
            after = self._meeting(conn, meeting_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return after

    def ask_floor(self, principal: Principal, meeting_id: int) -> list[dict[str, Any]]:
        """The caller asks to speak (once while waiting); the queue."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            _, me, _ = self._require_attendee(conn, principal, meeting)
            if me is None or meeting.status != "in_progress":
                raise MeetingConflict(bilingual("chỉ người dự họp, khi cuộc họp đang diễn ra",
                                                "only a participant, while the meeting runs"))  # fmt: skip
            repository.ask_floor(conn, meeting_id, me.id, meeting.current_item_id, self.now())
            return repository.speakers(conn, meeting_id)

    def speakers(self, principal: Principal, meeting_id: int) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            self._require_attendee(conn, principal, meeting)
            return repository.speakers(conn, meeting_id)

    def give_floor(
        self, principal: Principal, actor: Actor, meeting_id: int, speaker_id: int | None, minutes: int | None = None
    ) -> list[dict[str, Any]]:
        """The chair ends the current speaker's turn and gives the floor to `speaker_id` (None: to nobody) for
        `minutes` (1–60; None: [meetings] speaker_minutes; hub.meetings.speaker_timer)."""
        limit = floor_minutes(minutes, self.speaker_minutes) if speaker_id is not None else None
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            self._require_chair(conn, principal, meeting)
            now = self.now()
            repository.end_speaking(conn, meeting_id, now)
            if speaker_id is not None and not repository.give_floor(conn, meeting_id, speaker_id, now):
                raise MeetingNotFound(bilingual("không có yêu cầu phát biểu này", "no such request to speak"))
            if limit is not None:
                self._time_floor(conn, meeting_id, limit)
            audit.record(conn, actor, "meeting.floor", "meeting", meeting_id,
                         after={"speaker_id": speaker_id, "minutes": limit}, unit_path=meeting.unit_path)  # fmt: skip
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
            queue = repository.speakers(conn, meeting_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return queue

    def assign_task(
        self, principal: Principal, actor: Actor, meeting_id: int, title: str, owner_code: str, deadline: date,
        item_id: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """A task of the conclusion (chair or secretary): an owner and a deadline; status derived (open, overdue,
        done) as for document assignments."""
        title = " ".join(title.split())
        if not title or len(title) > 500:
            raise MeetingError(bilingual("nội dung công việc: 1–500 ký tự", "the task: 1-500 characters"))
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            self._require_chair(conn, principal, meeting)
            owner = repository.employee_ids(conn, [owner_code]).get(owner_code)
            if owner is None:
                raise MeetingError(bilingual(f"không có cán bộ mã {owner_code}", f"no employee {owner_code}"))
            task_id = repository.insert_task(conn, {
                "meeting_id": meeting_id, "item_id": item_id, "title": title, "owner_id": owner, "deadline": deadline,
                "assigned_by": principal.username, "assigned_at": self.now(),
            })  # fmt: skip
            audit.record(conn, actor, "meeting_task.assign", "meeting_task", task_id,
                         after={"title": title, "owner": owner_code, "deadline": deadline},
                         unit_path=meeting.unit_path)  # fmt: skip
            return next(_task_status(t, self.now()) for t in repository.tasks(conn, meeting_id) if t["id"] == task_id)

    def tasks(self, principal: Principal, meeting_id: int) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            self._require_attendee(conn, principal, meeting)
            return [_task_status(t, self.now()) for t in repository.tasks(conn, meeting_id)]

    def finish_task(self, principal: Principal, actor: Actor, task_id: int, note: str | None) -> dict[str, Any]:
        """Its owner reports it done (with a result)."""
        with self.pool.connection() as conn, conn.transaction():
            found = repository.task(conn, task_id)
            if found is None:
                raise MeetingNotFound(bilingual(f"không có công việc số {task_id}", f"no task {task_id}"))
            task, owner = found
            if principal.employee_id != owner:
                raise AccessDenied(
                    bilingual("chỉ người được giao báo cáo hoàn thành", "only its owner reports it done")
                )
            if task["finished_at"] is not None:
                raise MeetingConflict(bilingual("công việc đã hoàn thành", "the task is already done"))
            note = " ".join((note or "").split())[:2000] or None
            repository.finish_task(conn, task_id, self.now(), note)
            audit.record(conn, actor, "meeting_task.finish", "meeting_task", task_id, after={"note": note})
            return next(_task_status(t, self.now()) for t in repository.tasks(conn, task["meeting_id"])
                        if t["id"] == task_id)  # fmt: skip

    def minutes_draft(self, principal: Principal, meeting_id: int) -> str:
        """A draft of the minutes (biên bản) in Vietnamese: time and place, who chaired and took the minutes, who
        attended (late, absent), each agenda item with its notes and its votes' results; for editing."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            people, me, _ = self._require_attendee(conn, principal, meeting)
            items = repository.items(conn, meeting_id)
            votes = [self._vote(conn, v) for v in repository.votes_of(conn, meeting_id)]
            opinions = opinion_lines(conn, meeting_id, me)  # the chair's and the secretary's draft only
        start = meeting.starts_at.astimezone(LOCAL_TZ)
        chair = next((p.name for p in people if p.role == "chair"), "")
        secretary = next((p.name for p in people if p.role == "secretary"), "")
        present = [p for p in people if p.present_at is not None]
        absent = [p for p in people if p.present_at is None]
        lines = [
            "BIÊN BẢN CUỘC HỌP",
            f"{meeting.title}",
            "",
            f"Thời gian: {start:%H giờ %M, ngày %d/%m/%Y}",
            f"Địa điểm: {meeting.room_name or 'họp trực tuyến'}",
            f"Chủ trì: {chair}",
            f"Thư ký: {secretary}",
            f"Thành phần có mặt ({len(present)}/{len(people)}): "
            + "; ".join(p.name + (" (đến muộn)" if p.late else "") for p in present),
            "Vắng mặt: " + ("; ".join(p.name for p in absent) or "không"),
            "",
            "NỘI DUNG",
        ]
        for item in items:
            lines.append(f"{item.position}. {item.title}" + (f" — trình bày: {item.presenter_name}"
                                                                 if item.presenter_name else ""))  # fmt: skip
            if item.minutes:
                lines.append(f"   {item.minutes}")
            lines += opinions.get(item.id, [])
            for v in votes:
                if v.item_id == item.id:
                    lines.append("   " + _vote_line(v))
        loose = [v for v in votes if v.item_id is None or all(i.id != v.item_id for i in items)]
        if loose:
            lines += ["", "BIỂU QUYẾT"] + ["   " + _vote_line(v) for v in loose]
        lines += ["", "Cuộc họp kết thúc lúc …", "", "THƯ KÝ                                   CHỦ TRÌ",
                  f"{secretary}                                   {chair}"]  # fmt: skip
        return "\n".join(lines)


def _task_status(task: dict[str, Any], now: datetime) -> dict[str, Any]:
    if task["finished_at"] is not None:
        status = "done"
    elif task["deadline"] < now.astimezone(LOCAL_TZ).date():
        status = "overdue"
    else:
        status = "open"
    return {**task, "status": status}


def _vote_line(v: Any) -> str:
    kind = "bỏ phiếu kín" if v.secret else "biểu quyết công khai"
    if v.counts is None:
        return f'Biểu quyết "{v.question}" ({kind}): chưa kết thúc'
    counts = ", ".join(f"{CHOICE_LABELS.get(c, (c, c))[0]}: {n}" for c, n in v.counts.items())
    quorum = "đủ túc số" if v.quorum_met else "không đủ túc số"
    return f'Biểu quyết "{v.question}" ({kind}): {v.voted}/{v.eligible} đại biểu tham gia ({quorum}); {counts}'
