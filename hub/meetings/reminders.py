"""Reminders before a meeting (issue 17 item 2): the job `meetings.remind_upcoming` tells each participant with an
account, through the notification inbox (e-mail by default, per the category `meetings.reminder`), that a planned
meeting starts within `remind_minutes`; once per meeting. A part of `hub.meetings.service.MeetingsService`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from hub.localtime import LOCAL_TZ
from hub.meetings import repository
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

#: how long before its start a planned meeting is reminded of
REMIND_MINUTES = 60


class MeetingReminders:
    pool: ConnectionPool
    now: Callable[[], datetime]
    notify_config: NotifyConfig
    remind_minutes: int = REMIND_MINUTES

    def remind_upcoming(self) -> int:
        """Internal (the job): remind the participants of each planned meeting starting within `remind_minutes`
        that was not reminded of yet; the number of meetings reminded."""
        now = self.now()
        with self.pool.connection() as conn, conn.transaction():
            due = repository.meetings_to_remind(conn, now, now + timedelta(minutes=self.remind_minutes))
            for m in due:
                users = sorted({p.user_id for p in repository.participants(conn, m.id) if p.user_id})
                if users:
                    start = m.starts_at.astimezone(LOCAL_TZ)
                    minutes = max(1, round((m.starts_at - now).total_seconds() / 60))
                    where_vi = m.room_name or "họp trực tuyến"
                    where_en = m.room_name or "online"
                    notify(conn, users, "meetings.reminder", Message.text(
                        f"Sắp đến giờ họp: {m.title}", f"Meeting soon: {m.title}",
                        f"{start:%H:%M %d/%m/%Y} (sau {minutes} phút) — {where_vi}",
                        f"{start:%H:%M %d/%m/%Y} (in {minutes} minutes) — {where_en}",
                    ), f"/meetings/tablet?id={m.id}", config=self.notify_config)  # fmt: skip
                repository.set_reminded(conn, m.id, now)
        return len(due)
