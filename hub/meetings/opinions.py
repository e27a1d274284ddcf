"""Opinions on a draft (góp ý, issue 17 item 3): a participant writes an opinion (≤ 4,000 characters) on an agenda
item, optionally naming one of that item's papers they may read (a restricted paper only its readers, the chair
and the secretary), and edits or withdraws their own while the meeting has not ended (hub.meetings.participants.
ended). The chair and the secretary read all of the meeting's opinions, a participant their own; the minutes draft
lists them under each item for the chair and the secretary (`opinion_lines`). Each change is audited without its
words (the audit log's readers are not the meeting's).

A part of `hub.meetings.service.MeetingsService` (a mixin).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hub.access import gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.meetings import access, repository
from hub.meetings.agenda import _may_read
from hub.meetings.models import MeetingConflict, MeetingError, MeetingNotFound, Opinion, Participant, bilingual
from hub.meetings.participants import ended
from hub.meetings.repository import opinions as rows

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting

MAX_OPINION_CHARS = 4_000


def _body(text: str) -> str:
    body = (text or "").strip()
    if not body or len(body) > MAX_OPINION_CHARS:
        raise MeetingError(bilingual(f"ý kiến góp ý: 1–{MAX_OPINION_CHARS} ký tự",
                                     f"an opinion: 1-{MAX_OPINION_CHARS:,} characters"))  # fmt: skip
    return body


def sees_all(me: Participant | None) -> bool:
    """The chair and the secretary read every opinion of the meeting."""
    return me is not None and me.role in ("chair", "secretary")


def opinion_lines(conn: psycopg.Connection, meeting_id: int, me: Participant | None) -> dict[int, list[str]]:
    """Internal (the minutes draft): item id → the lines of its opinions, for the chair and the secretary only
    (anyone else's draft lists none: a participant reads only their own opinions)."""
    if not sees_all(me):
        return {}
    lines: dict[int, list[str]] = {}
    for o in rows.of_meeting(conn, meeting_id):
        on = f" (về tài liệu: {o.paper_title})" if o.paper_title else ""
        lines.setdefault(o.item_id, []).append(f"   - Ý kiến của {o.author}{on}: " + " ".join(o.body.split()))
    for found in lines.values():
        found.insert(0, "   Ý kiến góp ý:")
    return lines


class MeetingOpinions:
    pool: ConnectionPool
    now: Callable[[], datetime]
    _meeting: Callable[..., Meeting]
    _require_attendee: Callable[..., Any]

    def _writer(self, conn: psycopg.Connection, principal: Principal, meeting_id: int) -> tuple[Meeting, Participant]:
        gate.check(principal, access.OPINE)
        meeting = self._meeting(conn, meeting_id, lock=True)
        _, me, _ = self._require_attendee(conn, principal, meeting)
        if me is None:
            raise MeetingConflict(bilingual("chỉ người dự họp góp ý được", "only a participant gives opinions"))
        if ended(meeting, self.now()):
            raise MeetingConflict(bilingual("cuộc họp đã kết thúc: không góp ý, sửa hay rút ý kiến được nữa",
                                            "the meeting is over: opinions no longer change"))  # fmt: skip
        return meeting, me

    def _paper(self, conn: psycopg.Connection, principal: Principal, me: Participant, meeting_id: int, item_id: int,
               paper_id: int | None) -> int | None:  # fmt: skip
        if paper_id is None:
            return None
        found = next(((p, r) for p, r in repository.papers(conn, meeting_id) if p.id == paper_id), None)
        if found is None or found[0].item_id != item_id:
            raise MeetingNotFound(bilingual(f"nội dung này không có tài liệu số {paper_id}",
                                            f"this item has no paper {paper_id}"))  # fmt: skip
        if not _may_read(found[0], found[1], me, principal):
            raise AccessDenied(bilingual("tài liệu mật: bạn không có trong danh sách được đọc",
                                         "a restricted paper: you are not among its readers"))  # fmt: skip
        return paper_id

    def give_opinion(
        self, principal: Principal, actor: Actor, meeting_id: int, item_id: int, text: str, paper_id: int | None = None
    ) -> Opinion:
        """The caller's opinion on an agenda item (optionally on one of its papers they may read)."""
        body = _body(text)
        with self.pool.connection() as conn, conn.transaction():
            meeting, me = self._writer(conn, principal, meeting_id)
            if all(i.id != item_id for i in repository.items(conn, meeting_id)):
                raise MeetingNotFound(
                    bilingual(f"cuộc họp không có nội dung số {item_id}", f"no agenda item {item_id}")
                )
            paper = self._paper(conn, principal, me, meeting_id, item_id, paper_id)
            opinion_id = rows.insert(conn, meeting_id, item_id, me.id, paper, body, self.now())
            audit.record(conn, actor, "meeting_opinion.give", "meeting_opinion", opinion_id,
                         after={"meeting_id": meeting_id, "item_id": item_id, "paper_id": paper, "chars": len(body)},
                         unit_path=meeting.unit_path)  # fmt: skip
            made = rows.opinion(conn, meeting_id, opinion_id)
        assert made is not None
        return made

    def _own(self, conn: psycopg.Connection, me: Participant, meeting_id: int, opinion_id: int) -> Opinion:
        found = rows.opinion(conn, meeting_id, opinion_id, lock=True)
        if found is None:
            raise MeetingNotFound(bilingual(f"không có ý kiến số {opinion_id}", f"no opinion {opinion_id}"))
        if found.participant_id != me.id:
            raise AccessDenied(bilingual("chỉ người viết sửa hoặc rút ý kiến của mình",
                                         "only its author edits or withdraws an opinion"))  # fmt: skip
        return found

    def edit_opinion(
        self, principal: Principal, actor: Actor, meeting_id: int, opinion_id: int, text: str,
        paper_id: int | None = None,
    ) -> Opinion:  # fmt: skip
        """The author rewrites their opinion (and the paper it is about: None for none)."""
        body = _body(text)
        with self.pool.connection() as conn, conn.transaction():
            meeting, me = self._writer(conn, principal, meeting_id)
            old = self._own(conn, me, meeting_id, opinion_id)
            paper = self._paper(conn, principal, me, meeting_id, old.item_id, paper_id)
            rows.update(conn, opinion_id, body, paper, self.now())
            audit.record(conn, actor, "meeting_opinion.edit", "meeting_opinion", opinion_id,
                         before={"paper_id": old.paper_id, "chars": len(old.body)},
                         after={"paper_id": paper, "chars": len(body)}, unit_path=meeting.unit_path)  # fmt: skip
            made = rows.opinion(conn, meeting_id, opinion_id)
        assert made is not None
        return made

    def withdraw_opinion(self, principal: Principal, actor: Actor, meeting_id: int, opinion_id: int) -> None:
        """The author withdraws their opinion: it is shown nowhere any more (the minutes draft included)."""
        with self.pool.connection() as conn, conn.transaction():
            meeting, me = self._writer(conn, principal, meeting_id)
            old = self._own(conn, me, meeting_id, opinion_id)
            rows.withdraw(conn, opinion_id, self.now())
            audit.record(conn, actor, "meeting_opinion.withdraw", "meeting_opinion", opinion_id,
                         before={"item_id": old.item_id, "chars": len(old.body)},
                         unit_path=meeting.unit_path)  # fmt: skip

    def opinions(self, principal: Principal, meeting_id: int) -> list[Opinion]:
        """The chair and the secretary: all of the meeting's opinions; a participant: their own; else none."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            _, me, _ = self._require_attendee(conn, principal, meeting)
            if me is None:
                return []
            return rows.of_meeting(conn, meeting_id, None if sees_all(me) else me.id)
