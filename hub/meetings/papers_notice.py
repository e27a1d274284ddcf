"""Papers sent before a meeting (issue 17 item 2; DOMAIN.md §5: Decision 45/2018/QĐ-TTg, papers go out a number of
working days ahead — [meetings] papers_days_before, 0–10, default 3 as in the model regulation "chậm nhất 03 ngày
làm việc trước ngày họp").

The job `meetings.send_papers` finds each planned or running meeting whose send day has come: the working day
`papers_days_before` working days before the meeting's (local) day, by the hub's working-day calendar (weekends,
holidays, make-up days: hub.timekeeping). It tells each participant with an account once, through the notification
inbox (e-mail by default, per the category `meetings.papers`), which papers they may read (a restricted paper only
to its readers, the chair and the secretary: the rule of hub.meetings.conduct), with a link to the tablet page.
Each (paper, participant) pair is stored when sent (migration 0812), so running again sends nothing more, and a paper
added after the send day goes out in a later run. A part of `hub.meetings.service.MeetingsService`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from hub.localtime import LOCAL_TZ
from hub.meetings import repository
from hub.meetings.models import Paper, Participant
from hub.meetings.repository import papers_notice as sql
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify
from hub.timekeeping.calendar import WorkCalendar
from hub.timekeeping.service import load_calendar

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

#: [meetings] papers_days_before when the settings give none
PAPERS_DAYS_BEFORE = 3
#: how far ahead meetings are looked at (10 working days with weekends and Tết's days off fit well within)
LOOK_AHEAD = timedelta(days=45)
#: papers listed in one notification at most (the rest are on the tablet page)
MAX_LISTED = 30


def send_day(calendar: WorkCalendar, meeting_day: date, days_before: int) -> date:
    """The working day `days_before` working days before `meeting_day` (0: the meeting's day itself)."""
    day, counted = meeting_day, 0
    while counted < days_before:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def may_read(paper: Paper, readers: frozenset[int], who: Participant) -> bool:
    """hub.meetings.conduct's rule for a participant: a restricted paper only to its readers, the chair, the
    secretary."""
    return not paper.restricted or who.role in ("chair", "secretary") or who.id in readers


class MeetingPapersNotice:
    pool: ConnectionPool
    now: Callable[[], datetime]
    notify_config: NotifyConfig
    papers_days_before: int = PAPERS_DAYS_BEFORE

    def send_papers(self) -> int:
        """Internal (the job): send each participant of each meeting whose send day has come the papers they may read
        and were not sent yet; the number of notifications sent."""
        now = self.now()
        today = now.astimezone(LOCAL_TZ).date()
        sent = 0
        with self.pool.connection() as conn, conn.transaction():
            calendar = load_calendar(conn)
            for m in sql.upcoming(conn, now, now + LOOK_AHEAD):
                if today < send_day(calendar, m.starts_at.astimezone(LOCAL_TZ).date(), self.papers_days_before):
                    continue
                papers = repository.papers(conn, m.id)
                if not papers:
                    continue
                people = [p for p in repository.participants(conn, m.id) if p.user_id]
                wanted = [(paper.id, who.id) for who in people for paper, readers in papers
                          if may_read(paper, readers, who)]  # fmt: skip
                fresh = sql.mark_sent(conn, wanted, now)
                for who in people:
                    mine = [paper for paper, _ in papers if (paper.id, who.id) in fresh]
                    if mine:
                        notify(conn, [who.user_id], "meetings.papers", _message(m.title, m.starts_at, mine),
                               f"/meetings/tablet?id={m.id}", config=self.notify_config)  # fmt: skip
                        sent += 1
        return sent


def _message(title: str, starts_at: datetime, papers: list[Paper]) -> Message:
    """The notification: the meeting, its time, the papers (as many as fit MAX_BODY; the rest counted)."""
    start = starts_at.astimezone(LOCAL_TZ)
    title = title if len(title) <= 160 else title[:159] + "…"
    lines: list[str] = []
    for p in papers:
        if len(lines) >= MAX_LISTED or sum(len(x) + 1 for x in lines) + len(p.title) > 3000:
            break
        lines.append(f"- {p.title}")
    listed, rest = "\n".join(lines), len(papers) - len(lines)
    return Message.text(
        f"Tài liệu họp: {title}", f"Meeting papers: {title}",
        f"Cuộc họp lúc {start:%H:%M %d/%m/%Y}. Tài liệu bạn được đọc:\n{listed}"
        + (f"\n… và {rest} tài liệu khác" if rest else ""),
        f"The meeting at {start:%H:%M %d/%m/%Y}. Papers you may read:\n{listed}"
        + (f"\n… and {rest} more" if rest else ""),
    )  # fmt: skip
