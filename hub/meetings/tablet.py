"""What the participant's tablet page reads and writes (issue 17 item 3): everything the page shows in one call
(`tablet_view`), and the participant's own private notes per agenda item (`save_note`).

A part of `hub.meetings.service.MeetingsService` (a mixin). Notes are private: only the participant who wrote them
reads them (not the chair, the organisers or the hub's administrators) and they are not audited (their words are
the participant's own; the audit log would show them to its readers).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hub.accounts.principal import Principal
from hub.meetings import repository
from hub.meetings.agenda import _may_read
from hub.meetings.models import MeetingConflict, MeetingDetail, MeetingError, MeetingNotFound, TabletView, bilingual

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

    from hub.meetings.models import Meeting

MAX_NOTE_CHARS = 10_000


class MeetingTablet:
    pool: ConnectionPool
    now: Callable[[], datetime]
    _meeting: Callable[..., Meeting]
    _require_attendee: Callable[..., Any]
    _vote: Callable[..., Any]

    def tablet_view(self, principal: Principal, meeting_id: int) -> TabletView:
        """The meeting as the viewer's tablet shows it (meetings.attend: its participants and organisers)."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            people, me, organiser = self._require_attendee(conn, principal, meeting)
            papers = [p for p, readers in repository.papers(conn, meeting_id)
                      if _may_read(p, readers, me, principal)]  # fmt: skip
            detail = MeetingDetail(meeting, tuple(people), tuple(repository.items(conn, meeting_id)), tuple(papers),
                                   me, organiser)  # fmt: skip
            votes = tuple(self._vote(conn, v) for v in repository.votes_of(conn, meeting_id))
            voted = repository.votes_cast_by(conn, meeting_id, me.id) if me is not None else frozenset()
            notes = repository.notes_of(conn, me.id) if me is not None else {}
            speakers = tuple(repository.speakers(conn, meeting_id))
        chairing = me is not None and me.role in ("chair", "secretary")
        return TabletView(detail, speakers, votes, voted, notes, chairing)

    def save_note(self, principal: Principal, meeting_id: int, item_id: int, text: str) -> str | None:
        """The caller's own note on an agenda item (blank: deleted); the note as stored."""
        body = text.strip()
        if len(body) > MAX_NOTE_CHARS:
            raise MeetingError(bilingual(f"ghi chú tối đa {MAX_NOTE_CHARS} ký tự",
                                         f"a note holds at most {MAX_NOTE_CHARS} characters"))  # fmt: skip
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id)
            _, me, _ = self._require_attendee(conn, principal, meeting)
            if me is None:
                raise MeetingConflict(bilingual("chỉ người dự họp ghi chú được", "only a participant keeps notes"))
            if all(i.id != item_id for i in repository.items(conn, meeting_id)):
                raise MeetingNotFound(
                    bilingual(f"cuộc họp không có nội dung số {item_id}", f"no agenda item {item_id}")
                )
            repository.save_note(conn, me.id, item_id, body or None, self.now())
        return body or None
